"""Read work plans from files: decode (``read``) then parse (``parse``).

>>> doc = read_workplan(example_path())
>>> doc.id, len(doc.tasks), len(doc.assignments)
('anshun_2023', 23, 121)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from dutygraph.errors import DutygraphError, InputError, StrictError
from dutygraph.extract.parse import parse_workplan
from dutygraph.extract.read import SourceText, read_source, read_sources
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import Document

__all__ = [
    "Batch",
    "example_path",
    "parse_source",
    "read_workplan",
    "read_workplans",
    "strict_error",
]


def example_path() -> str:
    """The path of the bundled example plan (安顺市2023年度未成年人保护工作要点)."""
    return str(resources.files("dutygraph.examples").joinpath("anshun_2023.txt"))


def parse_source(source: SourceText, gazetteer: Gazetteer | None = None) -> Document:
    """Parse a read file, keeping its path, encoding, hash and reader metadata."""
    return parse_workplan(
        source.text,
        source=source.path,
        gazetteer=gazetteer,
        meta=source.meta,
        encoding=source.encoding,
        sha256=source.sha256,
    )


def read_workplan(path: str | os.PathLike[str], gazetteer: Gazetteer | None = None) -> Document:
    """Read and parse one plan (a suffix of :data:`~dutygraph.extract.read.SUPPORTED_SUFFIXES`)."""
    return parse_source(read_source(path), gazetteer)


_LINE_PREFIX = re.compile(r"line \d+: ")


def strict_error(doc: Document) -> StrictError | None:
    """The error ``--strict`` makes of a document's parse warnings (``None`` without any).

    It names the file, the line of the first warning, its code and message, how many more
    there are, and what to do.

    >>> from dutygraph import parse_workplan
    >>> doc = parse_workplan("一、任务\\n1.甲。（牵头单位：市教育）\\n", source="p.txt")
    >>> print(strict_error(doc))
    p.txt:2: warning alias-by-similarity (--strict): 市教育 read as 市教育局 (similar name); \
add an alias to confirm; put the alias in an --aliases file (name,alias,kind), or run \
without --strict
    >>> strict_error(parse_workplan("一、任务\\n1.甲。（牵头单位：市教育局）\\n")) is None
    True
    """
    if not doc.warnings:
        return None
    first = doc.warnings[0]
    more = len(doc.warnings) - 1
    tail = f" (and {more} more warning{'s' if more > 1 else ''})" if more else ""
    message = _LINE_PREFIX.sub("", first.message, count=1)
    if first.code == "alias-by-similarity":
        hint = "put the alias in an --aliases file (name,alias,kind), or run without --strict"
    else:
        hint = "check the document there, or run without --strict"
    return StrictError(
        f"warning {first.code} (--strict): {message}{tail}",
        path=doc.source or doc.id,
        line=doc.text.count("\n", 0, first.span[0]) + 1,
        hint=hint,
    )


@dataclass
class Batch:
    """Documents read from many paths, and the errors of the files that could not be used."""

    documents: list[Document] = field(default_factory=list)
    errors: list[DutygraphError] = field(default_factory=list)


def read_workplans(
    paths: Iterable[str | os.PathLike[str]],
    gazetteer: Gazetteer | None = None,
    *,
    strict: bool = False,
) -> Batch:
    """Read and parse every plan under ``paths`` (files or directories).

    A bad file becomes an error in ``Batch.errors``; the good ones are still returned. Two files
    with the same name stem would share a document id: the second is reported as an error.
    With ``strict``, a document with parse warnings is an error too (a
    :class:`~dutygraph.errors.StrictError`, see :func:`strict_error`), not a document.
    """
    sources, read_errors = read_sources(paths)
    batch = Batch(errors=list(read_errors))
    seen: dict[str, str] = {}
    for source in sources:
        try:
            doc = parse_source(source, gazetteer)
        except DutygraphError as exc:
            batch.errors.append(exc)
            continue
        if doc.id in seen:
            batch.errors.append(
                InputError(
                    f"document id {doc.id} is already used by {seen[doc.id]}",
                    path=source.path,
                    hint="rename one of the files",
                )
            )
            continue
        seen[doc.id] = source.path
        failure = strict_error(doc) if strict else None
        if failure is not None:
            batch.errors.append(failure)
            continue
        batch.documents.append(doc)
    return batch
