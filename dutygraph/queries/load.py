"""Work load per unit (``overload``) and how concentrated leading is per section (``sections``).

Both count **direct** assignments only (``via`` null): an expanded collective would count one
clause many times. ``overload`` also leaves collectives out of the units it compares, as a
collective is not an agency; ``sections`` counts a collective that leads like any lead unit.

``overload`` weighs each role (defaults: lead 3, support 1, responsible 2: leading a task is
the heaviest duty, a jointly responsible unit answers for the result, a supporter helps),
gives each unit's share of all assignments held by (non-collective) units, its load's ratio to
the median unit's load, and flags units whose ratio is at least ``threshold`` (default 2: twice
the median unit's load). ``sections`` gives, per section, the lead unit holding most lead
assignments, its share of them and the Herfindahl–Hirschman index (sum of squared shares:
1.0 means one unit leads everything).

>>> from dutygraph.queries.catalog import run_query
>>> from dutygraph.queries.sample import sample_graph
>>> [(r["unit"], r["load"], r["flag"]) for r in run_query("overload", sample_graph(), {})]
[('市教育局', 5, False), ('市民政局', 5, False), ('团市委', 4, False), ('市妇联', 3, False)]
>>> [(r["section"], r["top_unit"], r["hhi"]) for r in run_query("sections", sample_graph(), {})]
[('一', '团市委', 0.3333), ('二', None, None)]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from dutygraph.queries.spec import Param, QuerySpec, Row, assignment_edges, natural_key, round_row

__all__ = ["OVERLOAD", "SECTIONS", "percentile_cont"]

OVERLOAD_CYPHER = """
// Edges derived from collectives (via set) per unit, found through the via indexes ...
OPTIONAL MATCH (v:Unit)-[r:LEADS]->() WHERE r.via IS NOT NULL
WITH v, count(r) AS n
WITH collect([v, n]) AS derived_lead
OPTIONAL MATCH (v:Unit)-[r:SUPPORTS]->() WHERE r.via IS NOT NULL
WITH derived_lead, v, count(r) AS n
WITH derived_lead, collect([v, n]) AS derived_support
OPTIONAL MATCH (v:Unit)-[r:RESPONSIBLE_FOR]->() WHERE r.via IS NOT NULL
WITH derived_lead, derived_support, v, count(r) AS n
WITH derived_lead, derived_support, collect([v, n]) AS derived_responsible
// ... taken off each unit's stored degree per relationship type (read in constant time), which
// leaves the direct assignments.
MATCH (u:Unit) WHERE NOT u.collective
WITH u,
     COUNT { (u)-[:LEADS]->() } - coalesce(head([p IN derived_lead WHERE p[0] = u | p[1]]), 0)
       AS lead,
     COUNT { (u)-[:SUPPORTS]->() }
       - coalesce(head([p IN derived_support WHERE p[0] = u | p[1]]), 0) AS support,
     COUNT { (u)-[:RESPONSIBLE_FOR]->() }
       - coalesce(head([p IN derived_responsible WHERE p[0] = u | p[1]]), 0) AS responsible
WHERE lead + support + responsible > 0
WITH u, lead, support, responsible, lead + support + responsible AS assignments,
     lead * $lead_weight + support * $support_weight
       + responsible * $responsible_weight AS load
WITH collect({unit: u.name, kind: u.kind, lead: lead, support: support,
              responsible: responsible, assignments: assignments, load: load}) AS rows,
     sum(assignments) AS total, percentileCont(toFloat(load), 0.5) AS median
UNWIND rows AS row
WITH row, total, CASE WHEN median > 0 THEN toFloat(row.load) / median END AS ratio
RETURN row.unit AS unit, row.kind AS kind, row.lead AS lead, row.support AS support,
       row.responsible AS responsible, row.assignments AS assignments, row.load AS load,
       toFloat(row.assignments) / total AS share, ratio,
       coalesce(ratio >= $threshold, false) AS flag
ORDER BY load DESC, unit
LIMIT coalesce($top, 1000000000)
"""

SECTIONS_CYPHER = """
MATCH (t:Task)
OPTIONAL MATCH (u:Unit)-[r:LEADS]->(t)
WHERE r.via IS NULL
WITH t, collect(u.name) AS leads
WITH t.doc_id AS doc_id, t.section AS section, t.section_title AS section_title,
     count(t) AS tasks, sum(CASE size(leads) WHEN 0 THEN 1 ELSE 0 END) AS no_lead,
     reduce(acc = [], names IN collect(leads) | acc + names) AS names
UNWIND CASE size(names) WHEN 0 THEN [null] ELSE names END AS name
WITH doc_id, section, section_title, tasks, no_lead, size(names) AS leads, name,
     count(name) AS n
ORDER BY n DESC, name
WITH doc_id, section, section_title, tasks, no_lead, leads,
     collect(name)[0] AS top_unit, collect(n) AS ns
RETURN doc_id, section, section_title, tasks, no_lead, leads, top_unit,
       CASE WHEN leads > 0 THEN toFloat(ns[0]) / leads END AS top_share,
       CASE WHEN leads > 0
            THEN toFloat(reduce(s = 0, x IN ns | s + x * x)) / (leads * leads) END AS hhi
ORDER BY doc_id, section
"""


def percentile_cont(values: Sequence[float], percentile: float) -> float | None:
    """Neo4j's ``percentileCont``: linear interpolation between the closest ranks.

    >>> percentile_cont([1, 3, 4, 10], 0.5), percentile_cont([5, 1, 3], 0.5)
    (3.5, 3.0)
    >>> percentile_cont([], 0.5) is None
    True
    """
    if not values:
        return None
    ordered = sorted(values)
    at = percentile * (len(ordered) - 1)
    low, high = int(at), math.ceil(at)
    if low == high or low == len(ordered) - 1:
        return float(ordered[low])
    return float(ordered[low] * (high - at) + ordered[high] * (at - low))


def _overload(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, str] = {}
    for e in assignment_edges(graph, direct=True):
        if not e.collective:
            counts[e.unit][e.role] += 1
            kinds[e.unit] = e.unit_kind
    weights = {r: params[f"{r}_weight"] for r in ("lead", "support", "responsible")}
    loads = {u: sum(c[r] * w for r, w in weights.items()) for u, c in counts.items()}
    total = sum(c.total() for c in counts.values())
    median = percentile_cont(list(loads.values()), 0.5)
    rows = []
    for unit, c in counts.items():
        ratio = loads[unit] / median if median else None
        rows.append(
            {
                "unit": unit,
                "kind": kinds[unit],
                "lead": c["lead"],
                "support": c["support"],
                "responsible": c["responsible"],
                "assignments": c.total(),
                "load": loads[unit],
                "share": c.total() / total,
                "ratio": ratio,
                "flag": ratio is not None and ratio >= params["threshold"],
            }
        )
    return _ranked(rows, params["top"])


def _ranked(rows: list[Row], top: int | None) -> list[Row]:
    """Heaviest first, ties by name; the first ``top`` only (as the Cypher's ORDER BY/LIMIT)."""
    ordered = sorted(rows, key=lambda r: (-r["load"], r["unit"]))
    return ordered if top is None else ordered[:top]


def _finish_overload(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    return _ranked([round_row(r) for r in rows], params["top"])


def _sections(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    leads: defaultdict[str, list[str]] = defaultdict(list)
    for e in assignment_edges(graph, direct=True):
        if e.role == "lead":
            leads[e.task["uid"]].append(e.unit)
    groups: defaultdict[tuple[Any, Any, Any], list[list[str]]] = defaultdict(list)
    for _, t in graph.nodes(data=True):
        if t.get("kind") == "task":
            key = (t.get("doc_id"), t.get("section"), t.get("section_title"))
            groups[key].append(leads[t["uid"]])
    rows = []
    for (doc_id, section, section_title), task_leads in groups.items():
        names = Counter(n for names in task_leads for n in names)
        ranked = sorted(names.items(), key=lambda x: (-x[1], x[0]))
        n_leads = sum(names.values())
        rows.append(
            {
                "doc_id": doc_id,
                "section": section,
                "section_title": section_title,
                "tasks": len(task_leads),
                "no_lead": sum(1 for names in task_leads if not names),
                "leads": n_leads,
                "top_unit": ranked[0][0] if ranked else None,
                "top_share": ranked[0][1] / n_leads if n_leads else None,
                "hhi": sum(n * n for _, n in ranked) / (n_leads * n_leads) if n_leads else None,
            }
        )
    return rows


def _finish_sections(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    return sorted(rows, key=lambda r: (natural_key(r["doc_id"]), natural_key(r["section"])))


OVERLOAD = QuerySpec(
    name="overload",
    title="Work load per unit",
    description=(
        "Per unit: lead, support and responsible counts, weighted load (defaults lead 3, "
        "support 1, responsible 2), share of all assignments, ratio to the median unit's load, "
        "and a flag at ratio >= threshold (default 2); direct assignments only, collectives "
        "left out; heaviest first."
    ),
    params=(
        Param("lead_weight", "number", 3, "weight of a lead assignment"),
        Param("support_weight", "number", 1, "weight of a support assignment"),
        Param("responsible_weight", "number", 2, "weight of a responsible assignment"),
        Param("threshold", "number", 2, "flag units whose load is at least this times the median"),
        Param("top", "int", None, "only the N heaviest units"),
    ),
    cypher=OVERLOAD_CYPHER,
    run=_overload,
    finish=_finish_overload,
)

SECTIONS = QuerySpec(
    name="sections",
    title="Lead concentration per section",
    description=(
        "Per section: tasks, tasks without a lead, lead assignments, the unit leading most "
        "(ties by name), its share of the leads and the HHI of lead shares; direct only."
    ),
    params=(),
    cypher=SECTIONS_CYPHER,
    run=_sections,
    finish=_finish_sections,
)
