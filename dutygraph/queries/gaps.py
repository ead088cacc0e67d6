"""Coordination gaps: tasks nobody leads, too many lead, or only a collective backs.

Gaps count **direct** assignments only (``via`` null): expanding a collective never hides or
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
``single-lead-dependency``
    the unit is the task's only lead: without it the task has no lead (``unit`` is the lead).

Evidence is the clause of the first relevant assignment in document order (ties: by clause).

>>> from dutygraph.queries.catalog import run_query
>>> from dutygraph.queries.sample import sample_graph
>>> [(r["kind"], r["number"], r["unit"]) for r in run_query("gaps", sample_graph(), {"k": 3})]
... # doctest: +NORMALIZE_WHITESPACE
[('no-lead', '3', None), ('multi-lead', '2', None), ('collective-only', '2', '未保委成员单位'),
 ('diffuse', '3', None), ('single-lead-dependency', '1', '市民政局')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from dutygraph.queries.spec import Edge, Param, QuerySpec, Row, assignment_edges, task_sort_key

__all__ = ["GAPS", "GAP_KINDS"]

#: The kinds of finding, in the order rows are listed.
GAP_KINDS = (
    "no-lead",
    "multi-lead",
    "collective-only",
    "diffuse",
    "lead-also-support",
    "single-lead-dependency",
)

GAPS_CYPHER = """
MATCH (t:Task)
WITH t, [(u:Unit)-[r:LEADS]->(t) WHERE r.via IS NULL
         | {unit: u.name, start: r.span_start, r: r,
            also: [(u)-[s:SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE s.via IS NULL
                   | {start: s.span_start, r: s}]}] AS leads
// Supporting and responsible units are listed only where a finding needs them: for a task
// without a lead, and for a task whose helpers are all collectives.
WITH t, leads,
     CASE WHEN size(leads) = 0
          THEN [(u:Unit)-[r:SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE r.via IS NULL
                | {type: type(r), unit: u.name, start: r.span_start, r: r}]
          ELSE [] END AS unled,
     CASE WHEN NOT EXISTS { MATCH (u:Unit)-[r:SUPPORTS|RESPONSIBLE_FOR]->(t)
                            WHERE r.via IS NULL AND NOT u.collective }
          THEN [(u:Unit)-[r:SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE r.via IS NULL
                | {unit: u.name, start: r.span_start, r: r}]
          ELSE [] END AS collectives,
     // units that both support and are responsible (a lead's other roles are in its also)
     [(u:Unit)-[r:RESPONSIBLE_FOR]->(t)
      WHERE r.via IS NULL
        AND EXISTS { MATCH (u)-[s:SUPPORTS]->(t) WHERE s.via IS NULL }
        AND NOT EXISTS { MATCH (u)-[l:LEADS]->(t) WHERE l.via IS NULL }
      | {unit: u.name,
         from: [{start: r.span_start, r: r}]
               + [(u)-[s:SUPPORTS]->(t) WHERE s.via IS NULL | {start: s.span_start, r: s}]}]
     AS doubled
WITH t, leads, unled, collectives, doubled,
     [e IN unled WHERE e.type = 'RESPONSIBLE_FOR'] AS responsible
// Each finding with the assignments its evidence comes from.
WITH t,
  CASE WHEN size(leads) = 0 THEN [{kind: 'no-lead', unit: null, from: unled}] ELSE [] END
  + CASE WHEN size(leads) >= 2 THEN [{kind: 'multi-lead', unit: null, from: leads}] ELSE [] END
  + [e IN collectives | {kind: 'collective-only', unit: e.unit, from: [e]}]
  + CASE WHEN size(leads) = 0 AND size(responsible) >= $k
         THEN [{kind: 'diffuse', unit: null, from: responsible}] ELSE [] END
  + [l IN leads WHERE size(l.also) > 0
     | {kind: 'lead-also-support', unit: l.unit, from: [l] + l.also}]
  + [d IN doubled | {kind: 'lead-also-support', unit: d.unit, from: d.from}]
  + CASE WHEN size(leads) = 1
         THEN [{kind: 'single-lead-dependency', unit: leads[0].unit, from: leads}] ELSE [] END
  AS findings
UNWIND findings AS f
WITH t, f WHERE $kind IN ['any', f.kind]
// Evidence: the clause of the first assignment by position (ties: the smallest clause).
WITH t, f, reduce(low = null, e IN f.from |
                  CASE WHEN low IS NULL OR e.start < low THEN e.start ELSE low END) AS low
RETURN f.kind AS kind, t.number AS number, t.uid AS uid, t.title AS title, f.unit AS unit,
       reduce(clause = null, e IN f.from |
              CASE WHEN (e.start = low OR low IS NULL)
                        AND (clause IS NULL OR e.r.clause < clause)
                   THEN e.r.clause ELSE clause END) AS evidence
"""


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
    if len(leads) == 1:
        rows.append(_row("single-lead-dependency", task, leads[0].unit, leads[0].clause))
    return rows


def _gaps(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    edges: defaultdict[str, list[Edge]] = defaultdict(list)
    for e in assignment_edges(graph, direct=True):
        edges[e.task["uid"]].append(e)
    rows = []
    for _, task in graph.nodes(data=True):
        if task.get("kind") == "task":
            rows.extend(_task_findings(task, edges[task["uid"]], params["k"]))
    return [r for r in rows if params["kind"] in ("any", r["kind"])]


_KIND_RANK = {kind: i for i, kind in enumerate(GAP_KINDS)}


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
        "One row per finding (no-lead, multi-lead, collective-only, diffuse, lead-also-support, "
        "single-lead-dependency) with the task and the clause as evidence; direct assignments "
        "only."
    ),
    params=(
        Param("k", "int", 5, "responsible units, with no lead, that make a task diffuse"),
        Param("kind", "str", "any", "one kind of finding, or any", ("any", *GAP_KINDS)),
    ),
    cypher=GAPS_CYPHER,
    run=_gaps,
    finish=_finish_gaps,
)
