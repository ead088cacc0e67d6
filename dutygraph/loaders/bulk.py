"""Bulk export for Neo4j's offline importer (``neo4j-admin database import full``).

:func:`write_import` writes the importer's CSV files with typed headers for documents given as
:class:`~dutygraph.loaders.push.DocumentRows`, so that importing them into an empty database
gives the graph :func:`~dutygraph.loaders.push.push_documents` would write for the same rows in
the same order: the same labels, relationship types, properties and property types, each
Document's ``load_hash`` (a later ``push`` of an unchanged document is skipped, a changed one
replaces it in place). Push's merge rules are replayed: a unit named by several documents
keeps the last known kind (``'unknown'`` never overwrites a known one) and the last
``collective``; a document id given again replaces the earlier version (an unchanged one is
skipped), and a unit that only the replaced version named disappears, as push deletes it.

A task uid found in two documents (which push would refuse through its constraint) is
refused with an :class:`~dutygraph.errors.InputError`. Files written into the export folder
(``schema.cypher`` holds push's ``CONSTRAINTS``, to run once the data is in: Community's
importer builds no schema for the record format)::

    documents.csv tasks.csv units.csv in.csv leads.csv supports.csv responsible_for.csv
    schema.cypher import.args dutygraph-import.json

``import.args`` holds the importer's arguments, one a line, file names relative to the folder;
``dutygraph-import.json`` (written last) marks a complete export. Every string is quoted
(RFC 4180, ``""`` for a quote), so an empty string stays an empty string, while an absent
property is an empty unquoted field; ``--multiline-fields=true`` is given only when some value
holds a line break. The folder is written beside its target and renamed into place, so a
half-written export never looks complete.

>>> import tempfile, pathlib
>>> from dutygraph import example_path, read_workplan
>>> from dutygraph.loaders.push import document_rows
>>> with tempfile.TemporaryDirectory() as tmp:
...     done = write_import([document_rows(read_workplan(example_path()))], f"{tmp}/out")
...     done.nodes, done.relationships["LEADS"], (done.directory / "units.csv").exists()
({'Document': 1, 'Task': 23, 'Unit': 31}, 17, True)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from dutygraph.errors import InputError
from dutygraph.loaders.push import CONSTRAINTS, DocumentRows

__all__ = ["MARKER", "ImportExport", "is_export", "write_import"]

#: The file that marks a complete export (written last, holding what was written).
MARKER = "dutygraph-import.json"

_REL_FILES = {
    "LEADS": "leads.csv",
    "SUPPORTS": "supports.csv",
    "RESPONSIBLE_FOR": "responsible_for.csv",
}
# The properties of an assignment edge, as push's _edge_row sets them.
_EDGE_KEYS = ("doc_id", "as_written", "span_start", "span_end", "clause", "via")
_EDGE_HEADER = (
    ":START_ID(Unit),:END_ID(Task),doc_id,as_written,span_start:long,span_end:long,clause,via"
)
_TYPES = {str: "", bool: ":boolean", int: ":long", float: ":double"}
_READ_BUFFER = 4 * 1024 * 1024  # the importer's default, in characters
_CHUNK = 20_000  # rows per write


@dataclass(frozen=True)
class ImportExport:
    """What :func:`write_import` wrote: the folder, the importer's arguments (file names
    relative to the folder), node counts by label and relationship counts by type.

    >>> e = ImportExport(Path("out"), ("--nodes=Unit=units.csv",), {"Unit": 2}, {"IN": 0})
    >>> e.command("neo4j")
    'cd out && neo4j-admin database import full --nodes=Unit=units.csv neo4j'
    """

    directory: Path
    arguments: tuple[str, ...]
    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def files(self) -> list[Path]:
        """Every file written, the marker last."""
        return [self.directory / name for name in _FILES]

    def command(self, database: str = "neo4j") -> str:
        """The shell command that imports this export with a Neo4j installation's
        ``neo4j-admin`` (5.26 or later; the database must be stopped, or not exist yet)."""
        import shlex

        args = shlex.join(["neo4j-admin", "database", "import", "full", *self.arguments, database])
        return f"cd {shlex.quote(str(self.directory))} && {args}"


_NODE_FILES = {"Document": "documents.csv", "Task": "tasks.csv", "Unit": "units.csv"}
_FILES = (
    *_NODE_FILES.values(),
    "in.csv",
    *_REL_FILES.values(),
    "schema.cypher",
    "import.args",
    MARKER,
)


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: Any) -> str:
    """One CSV field: a string quoted, null empty, a boolean ``true``/``false``.

    >>> [_field(v) for v in ('a"b', "", None, True, 7)]
    ['"a""b"', '""', '', 'true', '7']
    """
    kind = type(value)
    if kind is str:
        return '"' + str(value).replace('"', '""') + '"'
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    return str(value)


class _Sink:
    """A CSV file being written, in chunks of lines; remembers whether a value held a line
    break and the longest line (for the importer's read buffer)."""

    def __init__(self, fh: TextIO, header: str) -> None:
        self.fh = fh
        self.multiline = False
        self.longest = 0
        self.rows = -1  # the header is not a row
        self.write([header])

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        text = "\n".join(lines) + "\n"
        if "\r" in text or text.count("\n") != len(lines):
            self.multiline = True
        self.longest = max(self.longest, max(map(len, lines)))
        self.rows += len(lines)
        self.fh.write(text)


def _columns(rows: Iterable[dict[str, Any]], key: str, where: str) -> list[tuple[str, str]]:
    """(property, header type suffix) of a node file: the key column first, the others in
    order of first appearance; one type per property, from its values."""
    types: dict[str, type] = {key: str}
    for row in rows:
        for name, value in row.items():
            if value is None:
                types.setdefault(name, type(None))
                continue
            kind = type(value)
            if kind not in _TYPES:
                raise InputError(f"{where} property {name!r} has a {kind.__name__} value")
            seen = types.setdefault(name, kind)
            if seen is type(None):
                types[name] = kind
            elif seen is not kind:
                raise InputError(
                    f"{where} property {name!r} mixes {seen.__name__} and {kind.__name__} values"
                )
    return [(n, _TYPES.get(t, "")) for n, t in types.items()]


def _node_file(
    sink_path: Path, label: str, rows: Sequence[dict[str, Any]], key: str
) -> tuple[str, bool, int]:
    columns = _columns(rows, key, label)
    header = ",".join(f"{n}:ID({label})" if n == key else f"{n}{suffix}" for n, suffix in columns)
    names = [n for n, _ in columns]
    with sink_path.open("w", encoding="utf-8", newline="") as fh:
        sink = _Sink(fh, header)
        for i in range(0, len(rows), _CHUNK):
            sink.write(
                [",".join([_field(row.get(n)) for n in names]) for row in rows[i : i + _CHUNK]]
            )
    return sink_path.name, sink.multiline, sink.longest


@dataclass
class _Unit:
    kind: str
    collective: bool
    edges: int = 0


def _final_state(
    documents: Sequence[DocumentRows],
) -> tuple[dict[str, tuple[DocumentRows, str]], dict[str, _Unit]]:
    """Replay push over ``documents``: the version of each document that push leaves (with its
    load hash) and the units left with their kind and collective flag."""
    docs: dict[str, tuple[DocumentRows, str]] = {}
    units: dict[str, _Unit] = {}
    ids = [rows.doc_id for rows in documents]
    # Edges are counted only to tell which units a replaced version leaves behind.
    count = len(set(ids)) != len(ids)
    for rows in documents:
        digest = rows.load_hash()
        old_names: list[str] = []
        if rows.doc_id in docs:
            old, old_digest = docs[rows.doc_id]
            if old_digest == digest:
                continue  # push skips an unchanged document
            for edge_rows in old.edges.values():
                for edge in edge_rows:
                    units[edge["unit"]].edges -= 1
                    old_names.append(edge["unit"])
            del docs[rows.doc_id]  # re-inserted last, as push writes it now
        for u in rows.units:
            state = units.get(u["name"])
            if state is None:
                units[u["name"]] = _Unit(u["kind"], u["collective"])
            else:
                state.kind = state.kind if u["kind"] == "unknown" else u["kind"]
                state.collective = u["collective"]
        for edge_rows in rows.edges.values() if count else ():
            for edge in edge_rows:
                units[edge["unit"]].edges += 1
        for name in old_names:  # push deletes the units only the old version named
            if name in units and units[name].edges == 0:
                del units[name]
        docs[rows.doc_id] = (rows, digest)
    return docs, units


def _check_tasks(docs: Iterable[DocumentRows]) -> None:
    owner: dict[str, str] = {}
    for rows in docs:
        mine = set()
        for t in rows.tasks:
            if t["uid"] in owner:
                raise InputError(
                    f"task {t['uid']} appears twice (documents {owner[t['uid']]} and "
                    f"{rows.doc_id})",
                    hint="give each document a distinct id",
                )
            owner[t["uid"]] = rows.doc_id
            mine.add(t["uid"])
        for edge_rows in rows.edges.values():
            for edge in edge_rows:
                if edge["uid"] not in mine:
                    raise InputError(
                        f"document {rows.doc_id} has an edge to task {edge['uid']}, "
                        "which is not one of its tasks"
                    )


def _write_files(documents: Sequence[DocumentRows], folder: Path) -> ImportExport:
    docs, units = _final_state(documents)
    final = [rows for rows, _ in docs.values()]
    _check_tasks(final)
    written: list[tuple[str, bool, int]] = []
    doc_rows = [{"id": r.doc_id, **r.props, "load_hash": d} for r, d in docs.values()]
    written.append(_node_file(folder / "documents.csv", "Document", doc_rows, "id"))
    task_rows = [t for r in final for t in r.tasks]
    written.append(_node_file(folder / "tasks.csv", "Task", task_rows, "uid"))
    unit_rows = [{"name": n, "kind": u.kind, "collective": u.collective} for n, u in units.items()]
    written.append(_node_file(folder / "units.csv", "Unit", unit_rows, "name"))
    with (folder / "in.csv").open("w", encoding="utf-8", newline="") as fh:
        sink = _Sink(fh, ":START_ID(Task),:END_ID(Document)")
        for r in final:
            doc = _q(r.doc_id)
            sink.write([f"{_q(t['uid'])},{doc}" for t in r.tasks])
    written.append(("in.csv", sink.multiline, sink.longest))
    rel_counts = {"IN": sink.rows}
    for rel, name in _REL_FILES.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            sink = _Sink(fh, _EDGE_HEADER)
            lines: list[str] = []
            for r in final:
                lines += [_edge_line(e) for e in r.edges.get(rel, ())]
                if len(lines) >= _CHUNK:
                    sink.write(lines)
                    lines = []
            sink.write(lines)
        written.append((name, sink.multiline, sink.longest))
        rel_counts[rel] = sink.rows
    arguments = _arguments(written)
    (folder / "schema.cypher").write_text(
        "".join(f"{statement};\n" for statement in CONSTRAINTS), encoding="utf-8"
    )
    (folder / "import.args").write_text(
        "# neo4j-admin database import full: arguments, file names relative to this folder\n"
        + "".join(f"{a}\n" for a in arguments),
        encoding="utf-8",
    )
    counts = {"Document": len(doc_rows), "Task": len(task_rows), "Unit": len(unit_rows)}
    done = ImportExport(folder, arguments, counts, rel_counts)
    manifest = {
        "format": "dutygraph neo4j-import 1",
        "arguments": list(arguments),
        "nodes": counts,
        "relationships": rel_counts,
        "schema": "schema.cypher",
    }
    (folder / MARKER).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return done


def _edge_line(edge: dict[str, Any]) -> str:
    """One line of an edge file (:data:`_EDGE_HEADER`): the hot loop, one string format."""
    p = edge["props"]
    via = p["via"]
    return '"{}","{}","{}","{}",{:d},{:d},"{}",{}'.format(
        edge["unit"].replace('"', '""'),
        edge["uid"].replace('"', '""'),
        p["doc_id"].replace('"', '""'),
        p["as_written"].replace('"', '""'),
        p["span_start"],
        p["span_end"],
        p["clause"].replace('"', '""'),
        "" if via is None else '"' + via.replace('"', '""') + '"',
    )


def _arguments(written: Sequence[tuple[str, bool, int]]) -> tuple[str, ...]:
    """The importer's arguments for the files written: the settings dutygraph's files rely
    on are spelled out, whatever the importer's defaults."""
    files = {name: (multi, longest) for name, multi, longest in written}
    args = [f"--nodes={label}={name}" for label, name in _NODE_FILES.items()]
    args += ["--relationships=IN=in.csv"]
    args += [f"--relationships={rel}={name}" for rel, name in _REL_FILES.items()]
    args += [
        "--id-type=string",
        "--normalize-types=true",
        "--ignore-empty-strings=false",
        "--trim-strings=false",
        "--legacy-style-quoting=false",
        "--skip-duplicate-nodes=false",
        "--skip-bad-relationships=false",
        "--bad-tolerance=0",
    ]
    if any(multi for multi, _ in files.values()):
        # Slower, so only when some value has a line break. Not the v2 format that names the
        # files: on Neo4j 5.26 it fails on a file holding more than one read buffer of text
        # ("Weird input data, found CR outside a text cell"), as the plans of an archive do.
        args.append("--multiline-fields=true")
    # A value must fit the read buffer (counted in UTF-16 units: at most twice the length).
    longest = 2 * max(longest for _, longest in files.values())
    if longest > _READ_BUFFER:
        mib = 1024 * 1024
        args.append(f"--read-buffer-size={-(-longest // mib) * mib}")
    return tuple(args)


def is_export(directory: str | os.PathLike[str]) -> bool:
    """Whether ``directory`` holds a complete export (its marker file is there).

    >>> is_export("/nonexistent")
    False
    """
    return (Path(directory) / MARKER).is_file()


def _only_ours(directory: Path) -> bool:
    """A previous export and nothing else (the importer's report aside): safe to replace."""
    ours = {*_FILES, "import.report"}
    return is_export(directory) and all(p.name in ours for p in directory.iterdir())


def write_import(
    documents: Iterable[DocumentRows],
    directory: str | os.PathLike[str],
    *,
    force: bool = False,
) -> ImportExport:
    """Write the importer's files for ``documents`` into ``directory`` and return what was
    written.

    ``directory`` may be missing, empty, or a previous export holding nothing else (replaced
    whole). Any other folder with files in it is refused with an :class:`InputError`, unless
    ``force``: then the export's files are moved into it beside the others (the marker last).
    The files are always written into a new folder beside ``directory`` first and moved when
    complete.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (pathlib.Path(tmp) / "notes.txt").write_text("mine")
    ...     write_import([], tmp)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: ...: the folder holds other files, not a dutygraph export; ...
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InputError("is a file, not a folder", path=str(target), hint="name a folder")
    foreign = target.is_dir() and any(target.iterdir()) and not _only_ours(target)
    if foreign and not force:
        raise InputError(
            "the folder holds other files, not a dutygraph export",
            path=str(target),
            hint="name a new or empty folder, or add --force to write beside them",
        )
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise InputError(
            f"cannot create the folder ({exc.__class__.__name__})",
            path=str(target),
            hint="check that its parent folder is writable",
        ) from exc
    try:
        done = _write_files(list(documents), staging)
        _move_into_place(staging, target, foreign)
    except OSError as exc:
        raise InputError(
            f"cannot write the export ({exc.__class__.__name__}: {exc.strerror})",
            path=str(target),
            hint="check the free space and that the folder is writable",
        ) from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return ImportExport(target, done.arguments, done.nodes, done.relationships)


def _move_into_place(staging: Path, target: Path, foreign: bool) -> None:
    os.chmod(staging, 0o777 & ~_umask())
    if foreign:  # beside the user's files: ours one by one, the marker (absent so far) last
        with contextlib.suppress(FileNotFoundError):
            (target / MARKER).unlink()
        names = sorted(p.name for p in staging.iterdir())
        for name in [n for n in names if n != MARKER] + [MARKER]:
            os.replace(staging / name, target / name)
        return
    old: Path | None = None
    if target.is_dir():
        if any(target.iterdir()):  # a previous export only: moved aside, deleted once replaced
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=staging.parent)
            )
            os.replace(target, old / "export")
        else:
            target.rmdir()
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
