"""Answers sized for people: a summary of a large answer, and every row in one canonical order.

At a million assignments ``gaps`` finds a quarter of a million rows; nobody reads them. For
``gaps``, ``tasks-of``, ``sections`` and ``partners`` a :class:`Summary` says what the rows
hold: totals (``counts``), the plans with most of them (``plans``) and the first rows
(``top``). :func:`summarize_query` computes it on the in-memory graph from the entry's rows;
:func:`~dutygraph.queries.run_neo4j.summarize_query_neo4j` computes the same in Cypher, where
the data is. Every row of an entry, in :func:`canonical_key` order, comes from
:func:`stream_query` (in memory) and :func:`~dutygraph.queries.run_neo4j.stream_query_neo4j`
(a Neo4j cursor, rows as they arrive).

The canonical order is one both backends can sort by: a task is ordered by its plan (the
uid up to its last ``#``), its number's value when the number is all ASCII digits (others
after, by uid), then its uid; a section by plan, its number's value (Arabic, or Chinese up
to 199 as in :data:`SECTION_NUMBERS`) and its text. It differs from the natural order of
:func:`~dutygraph.queries.catalog.run_query` only for plan ids with numbers in them
(``plan10`` sorts before ``plan9``) and for tasks numbered ``2.1`` or ``十``, which follow the
plain numbers of their plan.

>>> from dutygraph.queries.sample import sample_graph
>>> s = summarize_query("gaps", sample_graph(), {"k": 3}, top=1)
>>> s.total, [(c["kind"], c["findings"]) for c in s.counts][:2]
(4, [('no-lead', 1), ('multi-lead', 1)])
>>> [(r["kind"], r["number"]) for r in s.top]
[('no-lead', '3'), ('multi-lead', '2'), ('collective-only', '2'), ('diffuse', '3')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from dutygraph.errors import QueryError
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import ROLES
from dutygraph.queries.catalog import get
from dutygraph.queries.gaps import GAP_KINDS, GAP_LABELS
from dutygraph.queries.resolve import graph_sections, graph_tasks, graph_units, prepare_params
from dutygraph.queries.spec import ROLE_RANK, Row, round_row

__all__ = [
    "CONCENTRATED_HHI",
    "SECTION_NUMBERS",
    "SUMMARIZED",
    "Summary",
    "canonical_key",
    "section_value",
    "stream_query",
    "summarize_query",
    "summarize_rows",
    "summary_kinds",
    "summary_roles",
    "task_value",
]

#: The entries with a summary (the others are small answers).
SUMMARIZED: tuple[str, ...] = ("gaps", "tasks-of", "sections", "partners")
#: A section whose lead shares have an HHI at least this is *concentrated* (0.25: the
#: threshold of a highly concentrated market in the US merger guidelines).
CONCENTRATED_HHI = 0.25

_DIGITS_RE = re.compile(r"[0-9]+")
_CN = "一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese numeral of 1..199 as plans write section numbers (十一, 二十, 一百零五)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    head = "一百" if hundreds else ""
    if tens == 0:
        body = ("零" if hundreds and ones else "") + (_CN[ones - 1] if ones else "")
    else:
        lead = "" if tens == 1 and not hundreds else _CN[tens - 1]
        body = lead + "十" + (_CN[ones - 1] if ones else "")
    return head + body


#: Section numbers as text → value: Chinese numerals 一..一百九十九 (both backends use this map).
SECTION_NUMBERS: Mapping[str, int] = {_cn(n): n for n in range(1, 200)}


def task_value(number: Any) -> int | None:
    """A task number's value when it is all ASCII digits, else ``None`` (sorted after).

    >>> task_value("12"), task_value("2.1"), task_value("十")
    (12, None, None)
    """
    text = str(number)
    return int(text) if _DIGITS_RE.fullmatch(text) else None


def section_value(section: Any) -> int | None:
    """A section number's value: digits, or a Chinese numeral of :data:`SECTION_NUMBERS`.

    >>> section_value("十二"), section_value("3"), section_value("甲")
    (12, 3, None)
    """
    if section is None:
        return None
    text = str(section)
    return int(text) if _DIGITS_RE.fullmatch(text) else SECTION_NUMBERS.get(text)


def _task_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    uid = str(row["uid"])
    value = task_value(row["number"])
    return (uid.rpartition("#")[0], value is None, value or 0, uid)


def _gaps_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        GAP_KINDS.index(row["kind"]),
        *_task_key(row),
        row["unit"] or "",
        row["evidence"] or "",
    )


def _tasks_of_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (*_task_key(row), ROLE_RANK[row["role"]], row["via"] or "")


def _section_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    value = section_value(row["section"])
    doc = row["doc_id"]
    section = row["section"]
    return (doc is None, doc or "", value is None, value or 0, section is None, section or "")


def _partners_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    roles = (ROLE_RANK[row["role_a"]], ROLE_RANK[row["role_b"]])
    return (-row["shared"], row["unit_a"], row["unit_b"], *roles)


_KEYS: dict[str, Callable[[Mapping[str, Any]], tuple[Any, ...]]] = {
    "gaps": _gaps_key,
    "tasks-of": _tasks_of_key,
    "sections": _section_key,
    "partners": _partners_key,
}


def canonical_key(name: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The sort key of the canonical order of entry ``name``'s rows (as the Cypher of
    :func:`~dutygraph.queries.run_neo4j.stream_query_neo4j` orders them).

    >>> rows = [{"uid": "p#10", "number": "10"}, {"uid": "p#9", "number": "9"}]
    >>> [r["number"] for r in sorted(rows, key=_task_key)]
    ['9', '10']
    >>> canonical_key("units-of")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: units-of has no summary; summarized: gaps, tasks-of, ...
    """
    if name not in _KEYS:
        raise QueryError(f"{name} has no summary; summarized: {', '.join(SUMMARIZED)}")
    return _KEYS[name]


@dataclass(frozen=True)
class Summary:
    """A large answer at a glance (the JSON contract is in docs/ARCHITECTURE.md).

    ``total`` is the number of rows ``--all`` lists; ``counts`` the totals (by kind, by
    role, ...); ``plans`` the ``top`` plans with most rows, with the same totals each;
    ``top`` the first rows (complete rows of the entry, canonical order).

    >>> Summary("gaps", 0).as_dict()["total"]
    0
    """

    query: str
    total: int
    counts: tuple[Row, ...] = ()
    plans: tuple[Row, ...] = ()
    top: tuple[Row, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The summary as one JSON object: query, params, total, counts, plans, top."""
        return {
            "query": self.query,
            "params": dict(self.params),
            "total": self.total,
            "counts": [dict(r) for r in self.counts],
            "plans": [dict(r) for r in self.plans],
            "top": [dict(r) for r in self.top],
        }


def summary_kinds(params: Mapping[str, Any]) -> list[str]:
    """The gap kinds a ``gaps`` summary counts: all, or the one ``kind`` asked for.

    >>> summary_kinds({"kind": "diffuse"})
    ['diffuse']
    """
    kind = params.get("kind", "any")
    return list(GAP_KINDS) if kind == "any" else [kind]


def summary_roles(params: Mapping[str, Any]) -> list[str]:
    """The roles a ``tasks-of`` summary counts: all, or the one ``role`` asked for.

    >>> summary_roles({"role": "any"})
    ['lead', 'support', 'responsible']
    """
    role = params.get("role", "any")
    return list(ROLES) if role == "any" else [role]


def _ranked_plans(per_doc: Mapping[str, Row], by: str, top: int) -> tuple[Row, ...]:
    ranked = sorted(per_doc.items(), key=lambda item: (-item[1][by], item[0]))[:top]
    return tuple({"doc_id": doc, **counts} for doc, counts in ranked)


def _gaps_summary(rows: list[Row], params: Mapping[str, Any], top: int, docs: Any) -> Summary:
    kinds = summary_kinds(params)
    total = Counter(r["kind"] for r in rows)
    per_doc: dict[str, Row] = {}
    for r in rows:
        counts = per_doc.setdefault(docs[r["uid"]], {"findings": 0, **dict.fromkeys(kinds, 0)})
        counts["findings"] += 1
        counts[r["kind"]] += 1
    firsts: list[Row] = []
    for kind in kinds:
        firsts += [r for r in rows if r["kind"] == kind][:top]
    return Summary(
        "gaps",
        len(rows),
        tuple({"kind": k, "label": GAP_LABELS[k], "findings": total[k]} for k in kinds),
        _ranked_plans(per_doc, "findings", top),
        tuple(firsts),
    )


def _tasks_of_summary(rows: list[Row], params: Mapping[str, Any], top: int, docs: Any) -> Summary:
    roles = summary_roles(params)
    counts = [
        {
            "role": role,
            "direct": sum(1 for r in rows if r["role"] == role and r["via"] is None),
            "derived": sum(1 for r in rows if r["role"] == role and r["via"] is not None),
        }
        for role in roles
    ]
    per_doc: dict[str, Row] = {}
    for r in rows:
        mine = per_doc.setdefault(docs[r["uid"]], {"assignments": 0, **dict.fromkeys(ROLES, 0)})
        mine["assignments"] += 1
        mine[r["role"]] += 1
    return Summary(
        "tasks-of",
        len(rows),
        tuple(counts),
        _ranked_plans(per_doc, "assignments", top),
        tuple(rows[:top]),
    )


def _sections_summary(rows: list[Row], params: Mapping[str, Any], top: int, docs: Any) -> Summary:
    def concentrated(r: Row) -> bool:
        return r["hhi"] is not None and r["hhi"] >= CONCENTRATED_HHI

    counts = {
        "sections": len(rows),
        "tasks": sum(r["tasks"] for r in rows),
        "no_lead": sum(r["no_lead"] for r in rows),
        "sections_no_lead": sum(1 for r in rows if r["no_lead"] > 0),
        "concentrated": sum(1 for r in rows if concentrated(r)),
    }
    per_doc: dict[str, Row] = {}
    for r in rows:
        zero = {"sections": 0, "tasks": 0, "no_lead": 0, "concentrated": 0}
        mine = per_doc.setdefault(r["doc_id"], zero)
        mine["sections"] += 1
        mine["tasks"] += r["tasks"]
        mine["no_lead"] += r["no_lead"]
        mine["concentrated"] += concentrated(r)
    most = sorted(
        rows,
        key=lambda r: (
            -(r["hhi"] if r["hhi"] is not None else -1.0),
            -r["leads"],
            *_section_key(r),
        ),
    )
    return Summary(
        "sections",
        len(rows),
        (counts,),
        _ranked_plans(per_doc, "no_lead", top),
        tuple(round_row(r) for r in most[:top]),
    )


def _partners_summary(rows: list[Row], params: Mapping[str, Any], top: int, docs: Any) -> Summary:
    pairs: Counter[tuple[str, str]] = Counter()
    tasks: Counter[tuple[str, str]] = Counter()
    for r in rows:
        pairs[r["role_a"], r["role_b"]] += 1
        tasks[r["role_a"], r["role_b"]] += r["tasks"]
    counts = tuple(
        {"role_a": a, "role_b": b, "pairs": pairs[a, b], "tasks": tasks[a, b]}
        for a in ROLES
        for b in ROLES
        if pairs[a, b]
    )
    first = list(dict.fromkeys((r["unit_a"], r["unit_b"]) for r in rows))[:top]
    chosen = set(first)
    return Summary(
        "partners",
        len(rows),
        counts,
        (),
        tuple(r for r in rows if (r["unit_a"], r["unit_b"]) in chosen),
    )


_SUMMARIZERS: dict[str, Callable[[list[Row], Mapping[str, Any], int, Any], Summary]] = {
    "gaps": _gaps_summary,
    "tasks-of": _tasks_of_summary,
    "sections": _sections_summary,
    "partners": _partners_summary,
}


def summarize_rows(
    name: str, rows: list[Row], params: Mapping[str, Any], top: int, docs: Mapping[str, str]
) -> Summary:
    """The summary of entry ``name``'s rows (unrounded, any order); ``docs`` maps task uids
    to their plan's id.

    >>> summarize_rows("partners", [], {}, 5, {}).total
    0
    """
    canonical_key(name)
    ordered = sorted(rows, key=_KEYS[name])
    found = _SUMMARIZERS[name](ordered, params, top, docs)
    return Summary(
        found.query,
        found.total,
        found.counts,
        found.plans,
        tuple(round_row(r) for r in found.top),
        dict(params),
    )


def _prepared(
    name: str,
    graph: nx.MultiDiGraph,
    params: Mapping[str, Any] | None,
    gazetteer: Gazetteer | None,
) -> dict[str, Any]:
    canonical_key(name)
    return prepare_params(
        get(name),
        params,
        units=graph_units(graph),
        tasks=graph_tasks(graph),
        gazetteer=gazetteer,
        sections=[s for s, _ in graph_sections(graph)],
    )


def summarize_query(
    name: str,
    graph: nx.MultiDiGraph,
    params: Mapping[str, Any] | None = None,
    *,
    top: int = 10,
    gazetteer: Gazetteer | None = None,
) -> Summary:
    """The summary of catalog entry ``name`` (one of :data:`SUMMARIZED`) on the in-memory
    graph, from its rows; :func:`~dutygraph.queries.run_neo4j.summarize_query_neo4j` gives
    the same from Neo4j.

    >>> from dutygraph.queries.sample import sample_graph
    >>> summarize_query("tasks-of", sample_graph(), {"unit": "团市委"}).counts[0]
    {'role': 'lead', 'direct': 1, 'derived': 0}
    """
    if top < 0:
        raise QueryError(f"top must be 0 or more, not {top}")
    spec = get(name)
    prepared = _prepared(name, graph, params, gazetteer)
    raw = spec.run(graph, prepared)
    rows = spec.finish(raw, prepared) if spec.finish is not None else raw
    docs = {
        data["uid"]: data.get("doc_id")
        for _, data in graph.nodes(data=True)
        if data.get("kind") == "task"
    }
    return summarize_rows(name, rows, prepared, top, docs)


def stream_query(
    name: str,
    graph: nx.MultiDiGraph,
    params: Mapping[str, Any] | None = None,
    *,
    gazetteer: Gazetteer | None = None,
) -> Iterator[Row]:
    """Every row of entry ``name`` (those of :func:`run_query`), in the canonical order.

    >>> from dutygraph.queries.sample import sample_graph
    >>> [r["number"] for r in stream_query("tasks-of", sample_graph(), {"unit": "团市委"})]
    ['1', '2']
    """
    spec = get(name)
    prepared = _prepared(name, graph, params, gazetteer)
    yield from sorted(spec.finish_rows(spec.run(graph, prepared), prepared), key=_KEYS[name])
