"""What a catalog entry is, and the small helpers every entry shares.

A :class:`QuerySpec` pairs a literal Cypher text (``$params`` only) with an in-memory twin over
the networkx graph. Both backends return *raw* rows of the same shape; the entry's ``finish``
step, shared by both, then computes what Cypher cannot (betweenness), rounds floats with
:func:`round_row` and sorts with full tie-breaks (:func:`natural_key`), so the final rows agree
exactly whichever backend produced them.

>>> natural_key("plan#2") < natural_key("plan#10")
True
>>> natural_key("二") < natural_key("十")
True
>>> round_row({"unit": "团市委", "share": 2 / 3})
{'unit': '团市委', 'share': 0.6667}
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from dutygraph.extract.text import cn_to_int
from dutygraph.graph.build import ROLE_OF_REL
from dutygraph.graph.records import ROLES

__all__ = [
    "DIGITS",
    "ROLE_RANK",
    "Edge",
    "Finish",
    "Param",
    "ParamType",
    "QuerySpec",
    "Row",
    "Runner",
    "assignment_edges",
    "cn_number",
    "natural_key",
    "round_row",
    "task_sort_key",
]

Row = dict[str, Any]
Runner = Callable[[nx.MultiDiGraph, Mapping[str, Any]], list[Row]]
Finish = Callable[[list[Row], Mapping[str, Any]], list[Row]]
ParamType = Literal["str", "int", "number", "bool", "date", "unit", "units", "task", "section"]

#: Floats in rows are rounded to this many decimals, on both backends.
DIGITS = 4
#: Role order in every sorted output: lead, support, responsible.
ROLE_RANK: dict[str, int] = {role: i for i, role in enumerate(ROLES)}

# A chunk is a run of digits, a run of Chinese numerals, or a run of anything else.
_CHUNK_RE = re.compile(r"\d+|[〇零一二两三四五六七八九十百]+|[^\d〇零一二两三四五六七八九十百]+")


@dataclass(frozen=True)
class Param:
    """One parameter of a catalog entry.

    ``type`` tells how a string from the command line is read: ``unit`` and ``task`` are
    strings resolved against the graph (aliases, close variants; task numbers or uids);
    ``date`` is an ISO date string (``2024-06-30``; ``2024年6月底`` is read as one).
    ``units`` is two or more units (a list, or one string separated by ``,`` or ``、``);
    ``section`` is a section number (``五``, ``5``, ``第五部分``) read as the graph writes it.
    ``default`` of ``None`` with ``required`` false means "not given" (Cypher sees ``null``).

    >>> Param("k", "int", 5, "minimum responsible units").required
    False
    """

    name: str
    type: ParamType
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class QuerySpec:
    """A named query: literal Cypher for Neo4j 5 and its in-memory twin.

    ``run(graph, params)`` returns the raw rows the Cypher text returns (same keys); ``finish``
    post-processes raw rows of either backend into the final rows. Parameters reach both
    already prepared (defaults filled, names resolved: see :func:`prepare_params`).

    >>> spec = QuerySpec("n", "T", "D", (), "RETURN 1 AS x", lambda g, p: [{"x": 1}])
    >>> spec.finish_rows([{"x": 1.23456}], {})
    [{'x': 1.2346}]
    """

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    cypher: str
    run: Runner
    finish: Finish | None = None

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or ``None``."""
        return next((p for p in self.params if p.name == name), None)

    def finish_rows(self, rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
        """Apply ``finish`` (if any) to raw rows of either backend, then round floats."""
        out = self.finish(rows, params) if self.finish is not None else rows
        if float not in {type(v) for r in out for v in r.values()}:
            return [dict(r) for r in out]  # nothing to round (a third of the time at 1M rows)
        return [round_row(r) for r in out]


@functools.lru_cache(maxsize=4096)
def cn_number(text: str) -> int | None:
    """The value of a Chinese numeral up to 999 (``"十二"`` → 12), else ``None`` (cached: sorting
    a quarter of a million rows asks for the same few numerals again and again).

    >>> cn_number("二十三"), cn_number("十"), cn_number("一百零五"), cn_number("加强")
    (23, 10, 105, None)
    """
    if not text or text.isdigit():
        return None
    try:
        return cn_to_int(text)
    except ValueError:
        return None


def natural_key(text: str | None) -> tuple[tuple[int, int, str], ...]:
    """A sort key that orders numbers by value, Arabic or Chinese (``#2`` before ``#10``).

    >>> sorted(["d#10", "d#2", "d#1"], key=natural_key)
    ['d#1', 'd#2', 'd#10']
    """
    if text is None:
        return ()
    return tuple(map(_chunk_key, _CHUNK_RE.findall(text)))


@functools.lru_cache(maxsize=1 << 16)
def _chunk_key(chunk: str) -> tuple[int, int, str]:
    # Cached: uids repeat their document part and their few task numbers.
    value = int(chunk) if chunk.isdigit() else cn_number(chunk)
    return (0, value, "") if value is not None else (1, 0, chunk)


def task_sort_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """Order task rows by uid (document, then task number by value).

    >>> task_sort_key({"uid": "d#2"}) < task_sort_key({"uid": "d#10"})
    True
    """
    return natural_key(row.get("uid"))


def round_row(row: Mapping[str, Any], digits: int = DIGITS) -> Row:
    """The row with every float rounded to ``digits`` decimals (both backends use this).

    >>> round_row({"a": 1, "b": 0.123456, "c": None})
    {'a': 1, 'b': 0.1235, 'c': None}
    """
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in row.items()}


@dataclass(frozen=True)
class Edge:
    """One unit→task assignment edge of the networkx graph, flattened for the twins."""

    unit: str
    unit_kind: str
    collective: bool
    task: Mapping[str, Any]
    role: str
    via: str | None
    as_written: str | None
    span_start: int | None
    span_end: int | None
    clause: str | None


def assignment_edges(graph: nx.MultiDiGraph, *, direct: bool = False) -> Iterator[Edge]:
    """Every unit→task edge (only those with ``via`` null when ``direct``), in graph order.

    >>> list(assignment_edges(nx.MultiDiGraph()))
    []
    """
    for u, t, data in graph.edges(data=True):
        rel = data.get("type")
        if rel not in ROLE_OF_REL or (direct and data.get("via") is not None):
            continue
        unit = graph.nodes[u]
        yield Edge(
            unit=unit["name"],
            unit_kind=unit.get("unit_kind", "unknown"),
            collective=bool(unit.get("collective", False)),
            task=graph.nodes[t],
            role=ROLE_OF_REL[rel],
            via=data.get("via"),
            as_written=data.get("as_written"),
            span_start=data.get("span_start"),
            span_end=data.get("span_end"),
            clause=data.get("clause"),
        )
