"""Ingest a large directory of plans into a cache of parsed documents, in parallel.

:func:`ingest` walks the inputs, and worker processes (``ProcessPoolExecutor``, a chunk of files
per task) read each file, hash its bytes and parse it only when the cache has no entry for that
path and content: re-ingesting an unchanged corpus parses nothing. Each parsed document is one
JSON file in the cache, named by a SHA-256 over the path, the content hash and the parser
settings, written atomically (:func:`dutygraph.files.write_atomic`); ``index.json`` lists the
documents of the last run. Memory stays bounded: the main process keeps small per-file records,
never documents, and only a few chunks are in flight at a time. A file that cannot be used is
counted and reported, never fatal.

:func:`load_cached` reads the documents back (with their full text, so spans stay valid) for
:func:`~dutygraph.graph.build.build_graph`.

>>> import tempfile, pathlib
>>> from dutygraph import example_path
>>> with tempfile.TemporaryDirectory() as tmp:
...     plans = pathlib.Path(tmp, "plans"); plans.mkdir()
...     _ = (plans / "a.txt").write_text(pathlib.Path(example_path()).read_text("utf-8"), "utf-8")
...     _ = (plans / "bad.txt").write_text("没有编号的一段话。", "utf-8")
...     first = ingest([plans], pathlib.Path(tmp, "cache"), workers=1)
...     again = ingest([plans], pathlib.Path(tmp, "cache"), workers=1)
...     docs = list(load_cached(pathlib.Path(tmp, "cache")))
>>> first.counts(), again.counts()
({'read': 2, 'parsed': 1, 'skipped_unchanged': 0, 'failed': 1}, \
{'read': 2, 'parsed': 0, 'skipped_unchanged': 1, 'failed': 1})
>>> [(d.id, len(d.tasks), len(d.assignments)) for d in docs]
[('a', 23, 121)]
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutygraph import __version__
from dutygraph.errors import DutygraphError, InputError
from dutygraph.extract.read import iter_paths, read_source
from dutygraph.extract.workplan import parse_source
from dutygraph.files import write_atomic
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import (
    Assignment,
    Document,
    ParseWarning,
    Section,
    Task,
    Unit,
    document_to_dict,
)

__all__ = [
    "CACHE_FORMAT",
    "Failure",
    "IngestSummary",
    "document_from_cache",
    "document_to_cache",
    "ingest",
    "load_cached",
]

#: Version of the cache layout; a cache of another version is re-parsed (2: tasks carry
#: ``deadline``, ``due`` and ``leader``).
CACHE_FORMAT = 2
INDEX = "index.json"
DOCS = "docs"


@dataclass(frozen=True)
class Failure:
    """A file that could not be ingested, and why (one line)."""

    path: str
    message: str


@dataclass
class IngestSummary:
    """What :func:`ingest` did: files read, parsed, skipped as unchanged, failed (with one
    :class:`Failure` each), and the tasks and assignments of the documents in the cache."""

    read: int = 0
    parsed: int = 0
    skipped_unchanged: int = 0
    failed: int = 0
    tasks: int = 0
    assignments: int = 0
    failures: list[Failure] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The four file counts (read = parsed + skipped unchanged + failed)."""
        return {
            "read": self.read,
            "parsed": self.parsed,
            "skipped_unchanged": self.skipped_unchanged,
            "failed": self.failed,
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything, for ``--json``."""
        return {
            **self.counts(),
            "tasks": self.tasks,
            "assignments": self.assignments,
            "failures": [{"path": f.path, "message": f.message} for f in self.failures],
        }


# One record per file, small enough that 100,000 of them cost a few tens of MB:
# (path, status, key, content sha256, doc id, tasks, assignments, message)
_Record = tuple[str, str, str, str, str, int, int, str]

_WORKER_GAZETTEER: Gazetteer | None = None


def _settings(aliases: str | None) -> str:
    """What, besides a file's content, decides its parse: versions and the alias table."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}".encode())
    if aliases:
        h.update(Path(aliases).read_bytes())
    return h.hexdigest()


def _init_worker(aliases: str | None) -> None:
    global _WORKER_GAZETTEER
    gaz = Gazetteer.default()
    _WORKER_GAZETTEER = gaz.with_alias_file(aliases) if aliases else gaz


def _doc_file(cache: Path, key: str) -> Path:
    return cache / DOCS / key[:2] / f"{key}.json"


def _one(path: str, known: str, cache: Path, settings: str) -> _Record:
    """Read, hash and (unless cached) parse one file; write its JSON. Never raises.

    ``known`` is the file's key in the previous index: when it still matches, the file is
    skipped without opening its cached JSON (the caller has its counts)."""
    try:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError as exc:
        return (path, "failed", "", "", "", 0, 0, f"{path}: cannot read the file ({exc.strerror})")
    key = hashlib.sha256(f"{os.path.abspath(path)}\0{digest}\0{settings}".encode()).hexdigest()
    target = _doc_file(cache, key)
    if key == known and target.exists():
        return (path, "skipped", key, digest, "", -1, -1, "")
    if target.exists():
        try:
            head = json.loads(target.read_text(encoding="utf-8"))
            return (path, "skipped", key, digest, head["id"], head["n_tasks"], head["n_asg"], "")
        except (OSError, ValueError, KeyError):
            pass  # a damaged entry is parsed again
    try:
        doc = parse_source(read_source(path), _WORKER_GAZETTEER)
        data = document_to_cache(doc)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except DutygraphError as exc:
        return (path, "failed", "", digest, "", 0, 0, str(exc))
    except Exception as exc:  # a parser bug must not stop a 100,000-file run
        msg = f"{path}: internal error {exc.__class__.__name__}: {exc} (please report it)"
        return (path, "failed", "", digest, "", 0, 0, msg)
    return (path, "parsed", key, digest, doc.id, data["n_tasks"], data["n_asg"], "")


def _chunk(paths: list[tuple[str, str]], cache: Path, settings: str) -> list[_Record]:
    return [_one(p, known, cache, settings) for p, known in paths]


def _chunks(paths: Iterable[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    for p in paths:
        chunk.append(p)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    cache: str | os.PathLike[str],
    *,
    workers: int | None = None,
    aliases: str | None = None,
    chunk_size: int = 32,
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Parse every plan under ``paths`` into the cache folder ``cache``; return the counts.

    ``workers`` processes parse in parallel (default: one per core; ``1`` parses in this
    process), ``chunk_size`` files per task. A file whose path and content (SHA-256 of its
    bytes) are already in the cache, parsed with the same settings, is skipped. ``aliases`` is
    a user alias file, as for ``--aliases``. ``progress(done, total)`` is called as files
    finish. Files that cannot be read or parsed, and files whose document id (the file name
    stem) another file already has, are counted in ``failed`` with one :class:`Failure` each.

    Raises :class:`InputError` when an input path does not exist or holds no plan.
    """
    folder = Path(cache)
    try:
        (folder / DOCS).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the cache folder ({exc.strerror})",
            path=str(folder),
            hint="give a writable --cache folder",
        ) from exc
    settings = _settings(aliases)
    files = list(iter_paths(paths))
    previous = _previous_index(folder, settings)
    total = len(files)
    summary = IngestSummary()
    index: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}

    def take(record: _Record) -> None:
        path, status, key, digest, doc_id, n_tasks, n_asg, message = record
        if n_tasks < 0:  # skipped by the previous index: its entry has the rest
            old = previous[path]
            doc_id, n_tasks, n_asg = old["id"], old["tasks"], old["assignments"]
        summary.read += 1
        if status == "failed":
            summary.failed += 1
            summary.failures.append(Failure(path, message))
            return
        if doc_id in owners:
            summary.failed += 1
            msg = f"{path}: document id {doc_id} is already used by {owners[doc_id]}; rename one"
            summary.failures.append(Failure(path, msg))
            return
        owners[doc_id] = path
        if status == "parsed":
            summary.parsed += 1
        else:
            summary.skipped_unchanged += 1
        summary.tasks += n_tasks
        summary.assignments += n_asg
        index[path] = {
            "key": key,
            "sha256": digest,
            "id": doc_id,
            "tasks": n_tasks,
            "assignments": n_asg,
        }

    n_workers = workers or os.cpu_count() or 1
    done = 0
    if n_workers <= 1:
        _init_worker(aliases)
        for path in files:
            take(_one(path, previous.get(path, {}).get("key", ""), folder, settings))
            done += 1
            if progress is not None:
                progress(done, total)
    else:
        with ProcessPoolExecutor(
            max_workers=n_workers, initializer=_init_worker, initargs=(aliases,)
        ) as pool:
            pending: set[Future[list[_Record]]] = set()
            known = ((p, previous.get(p, {}).get("key", "")) for p in files)
            chunks = _chunks(known, chunk_size)
            # Results are taken in completion order; the index is written in file order below.
            for chunk in chunks:
                pending.add(pool.submit(_chunk, chunk, folder, settings))
                if len(pending) >= n_workers * 4:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    done = _collect(finished, take, done, total, progress)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                done = _collect(finished, take, done, total, progress)
    ordered = {p: index[p] for p in files if p in index}
    payload = {"format": CACHE_FORMAT, "settings": settings, "documents": ordered}
    write_atomic(folder / INDEX, json.dumps(payload, ensure_ascii=False))
    summary.failures.sort(key=lambda f: f.path)
    return summary


def _previous_index(folder: Path, settings: str) -> dict[str, dict[str, Any]]:
    """The entries of the last run's index, if it was made with the same settings."""
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("settings") != settings:
        return {}
    docs = data.get("documents")
    return docs if isinstance(docs, dict) else {}


def _collect(
    finished: set[Future[list[_Record]]],
    take: Callable[[_Record], None],
    done: int,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    for future in finished:
        for record in future.result():
            take(record)
            done += 1
        if progress is not None:
            progress(done, total)
    return done


def load_cached(cache: str | os.PathLike[str]) -> Iterator[Document]:
    """The documents of the last :func:`ingest` into ``cache``, in file order.

    Raises :class:`InputError` when ``cache`` holds no index.
    """
    folder = Path(cache)
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            "no ingest index here",
            path=str(folder / INDEX),
            hint="run dutygraph ingest DIR --cache FOLDER first",
        ) from exc
    for entry in index["documents"].values():
        data = json.loads(_doc_file(folder, entry["key"]).read_text(encoding="utf-8"))
        yield document_from_cache(data)


def document_to_cache(doc: Document) -> dict[str, Any]:
    """The document as the cache stores it: the JSON contract of docs/ARCHITECTURE.md §4 plus
    what it leaves out (full text, sections, units, task spans) and the counts ``n_tasks`` /
    ``n_asg``.

    >>> from dutygraph import example_path, read_workplan
    >>> doc = read_workplan(example_path())
    >>> document_from_cache(json.loads(json.dumps(document_to_cache(doc)))) == doc
    True
    """
    data = document_to_dict(doc)
    data["text"] = doc.text
    data["sections"] = [[s.number, s.title] for s in doc.sections]
    data["units"] = [[u.name, u.kind, u.collective, list(u.aliases)] for u in doc.units]
    for task, row in zip(doc.tasks, data["tasks"], strict=True):
        row["span"] = [task.span[0], task.span[1]]
        for a, arow in zip(task.assignments, row["assignments"], strict=True):
            arow["via"] = a.via
    data["n_tasks"] = len(doc.tasks)
    data["n_asg"] = sum(len(t.assignments) for t in doc.tasks)
    return data


def document_from_cache(data: dict[str, Any]) -> Document:
    """The :class:`Document` that :func:`document_to_cache` stored."""
    doc_id = data["id"]
    tasks = tuple(
        Task(
            uid=t["uid"],
            doc_id=doc_id,
            number=t["number"],
            section=t["section"],
            section_title=t["section_title"],
            title=t["title"],
            text=t["text"],
            span=(t["span"][0], t["span"][1]),
            deadline=t["deadline"],
            due=t["due"],
            leader=t["leader"],
            assignments=tuple(
                Assignment(
                    unit=a["unit"],
                    as_written=a["as_written"],
                    role=a["role"],
                    collective=a["collective"],
                    span=(a["span"][0], a["span"][1]),
                    clause=a["clause"],
                    via=a.get("via"),
                )
                for a in t["assignments"]
            ),
        )
        for t in data["tasks"]
    )
    return Document(
        id=doc_id,
        title=data["title"],
        text=data["text"],
        issuer=data["issuer"],
        date=data["date"],
        doc_no=data["doc_no"],
        source=data["source"],
        sha256=data["sha256"],
        encoding=data.get("encoding"),
        rules=dict(data["rules"]),
        sections=tuple(Section(n, t) for n, t in data["sections"]),
        tasks=tasks,
        units=tuple(Unit(n, k, c, tuple(al)) for n, k, c, al in data["units"]),
        warnings=tuple(
            ParseWarning(w["code"], w["message"], (w["span"][0], w["span"][1]))
            for w in data["warnings"]
        ),
    )
