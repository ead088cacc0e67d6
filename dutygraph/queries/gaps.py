"""Coordination gaps (tasks nobody leads, too many lead, or only a collective backs) and risks.

A **gap** is something wrong with a task as written; a **risk** is a weakness that is not yet a
gap. ``gaps`` and ``risks`` are two catalog entries, so no total mixes them and no task is
counted twice across them. Both count **direct** assignments only (``via`` null): expanding
a collective never hides or
creates a gap. One row per finding, with the task, the unit concerned (for unit-level kinds)
and the clause that shows it:

``no-lead``
    no lead at all (also a task with no assignment; its evidence is then null);
``multi-lead``
    two or more co-leads;
``collective-only``
    every supporting or responsible unit is a collective such as 未保委成员单位
    (``unit`` is the collective);
``diffuse``
    ``k`` or more responsible units and no lead (``k`` defaults to 5);
``lead-also-support``
    one unit named in two roles of the same task;
``single-lead-dependency`` (a risk, from ``risks``)
    the unit is the task's only lead: without it the task has no lead (``unit`` is the lead).

Evidence is the clause of the first relevant assignment in document order (ties: by clause).

>>> from dutygraph.queries.catalog import run_query
>>> from dutygraph.queries.sample import sample_graph
>>> [(r["kind"], r["number"], r["unit"]) for r in run_query("gaps", sample_graph(), {"k": 3})]
... # doctest: +NORMALIZE_WHITESPACE
[('no-lead', '3', None), ('multi-lead', '2', None), ('collective-only', '2', '未保委成员单位'),
 ('diffuse', '3', None)]
>>> [(r["kind"], r["number"], r["unit"]) for r in run_query("risks", sample_graph())]
[('single-lead-dependency', '1', '市民政局')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from dutygraph.queries.spec import Edge, Param, QuerySpec, Row, assignment_edges, task_sort_key

__all__ = [
    "FINDING_KINDS",
    "GAPS",
    "GAP_KINDS",
    "GAP_LABELS",
    "RISKS",
    "RISK_KINDS",
    "TASK_GAP_KINDS",
    "gap_kinds_of",
    "gap_label",
]

#: The kinds of gap, in the order rows are listed: each marks a task.
GAP_KINDS: tuple[str, ...] = (
    "no-lead",
    "multi-lead",
    "collective-only",
    "diffuse",
    "lead-also-support",
)
#: Gap kinds that mark a task (all of them; the name the views use).
TASK_GAP_KINDS = GAP_KINDS
#: The kinds of risk: a weakness of a task that is not a gap yet.
RISK_KINDS: tuple[str, ...] = ("single-lead-dependency",)
#: Every kind of finding, gaps first.
FINDING_KINDS: tuple[str, ...] = (*GAP_KINDS, *RISK_KINDS)

#: The one Chinese label of each kind, used by the CLI, the map, the matrix and the report.
GAP_LABELS: Mapping[str, str] = {
    "no-lead": "无牵头单位",
    "multi-lead": "多头牵头",
    "collective-only": "仅有笼统的集合单位",
    "diffuse": "责任单位多而无牵头",
    "lead-also-support": "同一单位身兼两职",
    "single-lead-dependency": "唯一牵头单位（依赖一家）",
}


def gap_label(kind: str) -> str:
    """The Chinese label of a gap kind; an unknown kind is an error, never shown raw.

    >>> gap_label("no-lead")
    '无牵头单位'
    >>> gap_label("no-leed")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown gap kind 'no-leed'; known: no-lead, multi-lead, ..."
    """
    try:
        return GAP_LABELS[kind]
    except KeyError:
        known = ", ".join(FINDING_KINDS)
        raise KeyError(f"unknown gap kind {kind!r}; known: {known}") from None


GAPS_CYPHER = """
MATCH (t:Task)
// One pass over each task's direct assignments: [type, unit node, relationship]. Units and
// clauses are read only for the findings (reading a string per edge costs more than the rest).
WITH t, [(u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE r.via IS NULL | [type(r), u, r]]
        AS rs
WITH t, rs, [x IN rs WHERE x[0] = 'LEADS'] AS leads
WITH t, rs, leads, size(leads) AS nl
// Each finding as [kind, unit node, the assignments its evidence comes from].
WITH t,
  CASE WHEN nl = 0 THEN [['no-lead', null, rs]] ELSE [] END
  + CASE WHEN nl >= 2 THEN [['multi-lead', null, leads]] ELSE [] END
  + CASE WHEN size(rs) > nl AND all(x IN rs WHERE x[0] = 'LEADS' OR x[1].collective)
         THEN [x IN rs WHERE x[0] <> 'LEADS' | ['collective-only', x[1], [x]]] ELSE [] END
  + CASE WHEN nl = 0 AND size(rs) >= $k
         THEN [f IN [[x IN rs WHERE x[0] = 'RESPONSIBLE_FOR']] WHERE size(f) >= $k
               | ['diffuse', null, f]]
         ELSE [] END
  // a unit in two roles: a lead that also supports or is responsible, or a unit (not a lead)
  // both supporting and responsible; a unit has one edge per role
  + [l IN leads WHERE any(y IN rs WHERE y[1] = l[1] AND y[0] <> 'LEADS')
     | ['lead-also-support', l[1], [y IN rs WHERE y[1] = l[1]]]]
  + CASE WHEN size(rs) - nl >= 2
         THEN [x IN rs WHERE x[0] = 'RESPONSIBLE_FOR'
                 AND any(y IN rs WHERE y[0] = 'SUPPORTS' AND y[1] = x[1])
                 AND none(l IN leads WHERE l[1] = x[1])
               | ['lead-also-support', x[1], [y IN rs WHERE y[1] = x[1]]]]
         ELSE [] END
  AS findings
UNWIND findings AS f
WITH t, f WHERE $kind IN ['any', f[0]]
WITH t, f[0] AS kind, f[1] AS u, f[2] AS from
// Evidence: the clause of the first assignment by position (ties: the smallest clause).
WITH t, kind, u,
     CASE WHEN size(from) = 1 THEN [from[0][2].clause]
     ELSE [low IN [reduce(low = null, e IN from |
                          CASE WHEN low IS NULL OR e[2].span_start < low THEN e[2].span_start
                          ELSE low END)]
           | reduce(clause = null, e IN from |
                    CASE WHEN (e[2].span_start = low OR low IS NULL)
                              AND (clause IS NULL OR e[2].clause < clause)
                         THEN e[2].clause ELSE clause END)] END AS evidence
RETURN kind, t.number AS number, t.uid AS uid, t.title AS title, u.name AS unit,
       evidence[0] AS evidence
"""

#: The two parts of :data:`GAPS_CYPHER` after its ``MATCH``, which the summaries and streams
#: share (``dutygraph.queries.summary_cypher``): the findings of one task ``t`` (its direct
#: assignments, one pass) as ``findings``, then one row per finding with its evidence.
GAP_FINDINGS_CYPHER, _UNWIND, _ROWS = GAPS_CYPHER.removeprefix("\nMATCH (t:Task)\n").partition(
    "UNWIND findings"
)
GAP_ROWS_CYPHER = _UNWIND + _ROWS


def _row(kind: str, task: Mapping[str, Any], unit: str | None, evidence: str | None) -> Row:
    return {
        "kind": kind,
        "number": task["number"],
        "uid": task["uid"],
        "title": task["title"],
        "unit": unit,
        "evidence": evidence,
    }


def _first_clause(edges: list[Edge]) -> str | None:
    # Cypher's ORDER BY puts nulls last.
    ordered = sorted(
        edges,
        key=lambda e: (e.span_start is None, e.span_start or 0, e.clause is None, e.clause or ""),
    )
    return ordered[0].clause if ordered else None


def _task_findings(task: Mapping[str, Any], edges: list[Edge], k: int) -> list[Row]:
    leads = [e for e in edges if e.role == "lead"]
    helpers = [e for e in edges if e.role != "lead"]
    responsible = [e for e in edges if e.role == "responsible"]
    rows = []
    if not leads:
        rows.append(_row("no-lead", task, None, _first_clause(edges)))
    if len(leads) >= 2:
        rows.append(_row("multi-lead", task, None, _first_clause(leads)))
    if helpers and all(e.collective for e in helpers):
        rows.extend(_row("collective-only", task, e.unit, e.clause) for e in helpers)
    if not leads and len(responsible) >= k:
        rows.append(_row("diffuse", task, None, _first_clause(responsible)))
    by_unit: defaultdict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        by_unit[e.unit].append(e)
    for unit, mine in by_unit.items():
        if len({e.role for e in mine}) >= 2:
            rows.append(_row("lead-also-support", task, unit, _first_clause(mine)))
    return rows


def gap_kinds_of(task: Mapping[str, Any], edges: list[Edge], k: int = 5) -> set[str]:
    """The gap and risk kinds of one task (a task node's data), given its direct assignment
    edges: what the ``gaps`` and ``risks`` queries find for it.

    >>> sorted(gap_kinds_of({"number": "1", "uid": "d#1", "title": "甲"}, []))
    ['no-lead']
    """
    kinds = {r["kind"] for r in _task_findings(task, edges, k)}
    if sum(1 for e in edges if e.role == "lead") == 1:
        kinds.add("single-lead-dependency")
    return kinds


def _gaps(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    edges: defaultdict[str, list[Edge]] = defaultdict(list)
    for e in assignment_edges(graph, direct=True):
        edges[e.task["uid"]].append(e)
    rows = []
    for _, task in graph.nodes(data=True):
        if task.get("kind") == "task":
            rows.extend(_task_findings(task, edges[task["uid"]], params["k"]))
    return [r for r in rows if params["kind"] in ("any", r["kind"])]


_KIND_RANK = {kind: i for i, kind in enumerate(FINDING_KINDS)}


def _finish_gaps(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    return sorted(
        rows,
        key=lambda r: (
            _KIND_RANK[r["kind"]],
            task_sort_key(r),
            r["unit"] or "",
            r["evidence"] or "",
        ),
    )


GAPS = QuerySpec(
    name="gaps",
    title="Coordination gaps",
    description=(
        "One row per gap (no-lead, multi-lead, collective-only, diffuse, lead-also-support) "
        "with the task and the clause as evidence; direct assignments only. Risks such as a "
        "single lead are the risks query."
    ),
    params=(
        Param("k", "int", 5, "responsible units, with no lead, that make a task diffuse"),
        Param("kind", "str", "any", "one kind of finding, or any", ("any", *GAP_KINDS)),
    ),
    cypher=GAPS_CYPHER,
    run=_gaps,
    finish=_finish_gaps,
)


RISKS_CYPHER = """
MATCH (t:Task)
WITH t, [(u:Unit)-[r:LEADS]->(t) WHERE r.via IS NULL | [u, r]] AS leads
WHERE size(leads) = 1 AND $kind IN ['any', 'single-lead-dependency']
RETURN 'single-lead-dependency' AS kind, t.number AS number, t.uid AS uid, t.title AS title,
       leads[0][0].name AS unit, leads[0][1].clause AS evidence
"""


def _risks(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    leads: defaultdict[str, list[Edge]] = defaultdict(list)
    for e in assignment_edges(graph, direct=True):
        if e.role == "lead":
            leads[e.task["uid"]].append(e)
    rows = []
    for _, task in graph.nodes(data=True):
        mine = leads[task["uid"]] if task.get("kind") == "task" else []
        if len(mine) == 1:
            rows.append(_row("single-lead-dependency", task, mine[0].unit, mine[0].clause))
    return [r for r in rows if params["kind"] in ("any", r["kind"])]


RISKS = QuerySpec(
    name="risks",
    title="Coordination risks",
    description=(
        "One row per risk: single-lead-dependency, a task whose only lead is the unit named "
        "(without it the task has no lead), with the clause as evidence; direct assignments only."
    ),
    params=(Param("kind", "str", "any", "one kind of risk, or any", ("any", *RISK_KINDS)),),
    cypher=RISKS_CYPHER,
    run=_risks,
    finish=_finish_gaps,
)
