"""The unit–unit network: who works with whom (``partners``), who bridges (``brokers``), which
tasks two or more units share (``shared-tasks``).

Two units are partners when they are assigned to the same task. By default only direct
assignments count (``direct`` true), so a collective such as 未保委成员单位 is one unit here;
with ``direct`` false, members derived from an expanded collective count too.

``partners`` lists each pair with its number of shared tasks (``shared``) and one row per role
pair (``role_a`` of ``unit_a`` with ``role_b`` of ``unit_b``, e.g. lead with support) with the
number of tasks where they meet so. ``unit_a`` is the given ``unit`` if any, else the pair's
first name in code-point order.

``brokers`` is the betweenness centrality (normalised, unweighted) of each unit in the
unit–unit projection, with its number of partners and of distinct kinds (party, government,
court, ...) among them. Cypher returns each unit's partner list; the centrality is computed by
networkx in the shared ``finish`` step, for both backends alike (Neo4j Community has no
centrality without plugins).

>>> from dutygraph.queries.catalog import run_query
>>> from dutygraph.queries.sample import sample_graph
>>> g = sample_graph()
>>> [(r["unit_b"], r["shared"], r["role_a"], r["role_b"], r["tasks"])
...  for r in run_query("partners", g, {"unit": "团市委"})]  # doctest: +NORMALIZE_WHITESPACE
[('市妇联', 1, 'support', 'support', 1), ('市教育局', 1, 'lead', 'lead', 1),
 ('市民政局', 1, 'support', 'lead', 1), ('未保委成员单位', 1, 'lead', 'support', 1)]
>>> [(r["unit"], r["betweenness"], r["partners"]) for r in run_query("brokers", g, {})][:3]
[('团市委', 0.1667, 4), ('市教育局', 0.1667, 4), ('市妇联', 0.0, 3)]

``shared-tasks`` lists the tasks in which every one of the given ``units`` holds a role (with
``role``, that role), one row per named unit's assignment there (tasks in order, then units in
the order given); like ``tasks-of`` it counts derived (``via``) rows unless ``direct``.

>>> [(r["number"], r["unit"], r["role"])
...  for r in run_query("shared-tasks", g, {"units": "市妇联,市民政局"})]
... # doctest: +NORMALIZE_WHITESPACE
[('1', '市妇联', 'support'), ('1', '市民政局', 'lead'),
 ('3', '市妇联', 'responsible'), ('3', '市民政局', 'responsible')]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from dutygraph.queries.spec import (
    ROLE_RANK,
    Edge,
    Param,
    QuerySpec,
    Row,
    assignment_edges,
    round_row,
    task_sort_key,
)

__all__ = ["BROKERS", "PARTNERS", "SHARED_TASKS"]

PARTNERS_CYPHER = """
// Each task's units and roles, read once per assignment; the pairs are formed from that list
// (pairing in the pattern read two names per pair: 4.6M pairs at 1M assignments).
MATCH (t:Task)
WITH t, [(u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE NOT $direct OR r.via IS NULL
         | [u.name, CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                    ELSE 'responsible' END]] AS roles
WHERE $unit IS NULL OR any(e IN roles WHERE e[0] = $unit)
UNWIND roles AS ea
UNWIND roles AS eb
WITH t, ea, eb
WHERE ea[0] <> eb[0] AND CASE WHEN $unit IS NULL THEN ea[0] < eb[0] ELSE ea[0] = $unit END
WITH ea[0] AS unit_a, eb[0] AS unit_b, t, ea[1] AS role_a, eb[1] AS role_b
WITH unit_a, unit_b, count(DISTINCT t) AS shared, collect([role_a, role_b]) AS pairs
UNWIND pairs AS pair
WITH unit_a, unit_b, shared, pair[0] AS role_a, pair[1] AS role_b, count(*) AS tasks
RETURN unit_a, unit_b, shared, role_a, role_b, tasks
ORDER BY shared DESC, unit_a, unit_b, role_a, role_b
"""

BROKERS_CYPHER = """
// Each task's units (nodes) once; every unit meets itself, so a unit without partners keeps
// its row; names are read once per unit and partner, not per pair.
MATCH (t:Task)
WITH [(u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE NOT $direct OR r.via IS NULL | u]
     AS units
UNWIND units AS a
UNWIND units AS b
WITH a, collect(DISTINCT b) AS met
RETURN a.name AS unit, a.kind AS kind, [b IN met WHERE b <> a | b.name] AS partners
"""

SHARED_TASKS_CYPHER = """
// The tasks of the first unit, kept when every named unit holds a role (the role) there.
MATCH (:Unit {name: $units[0]})-[:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t:Task)
WITH DISTINCT t
WHERE all(name IN $units WHERE EXISTS {
  MATCH (:Unit {name: name})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t)
  WHERE (NOT $direct OR r.via IS NULL)
    AND $role IN ['any', CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                                      ELSE 'responsible' END]
})
MATCH (u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t)
WHERE u.name IN $units AND (NOT $direct OR r.via IS NULL)
WITH t, u, r, CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                           ELSE 'responsible' END AS role
WHERE $role IN ['any', role]
RETURN t.number AS number, t.uid AS uid, t.title AS title, u.name AS unit, role, r.via AS via
"""


def _by_task(graph: nx.MultiDiGraph, direct: bool) -> defaultdict[str, list[Edge]]:
    edges: defaultdict[str, list[Edge]] = defaultdict(list)
    for e in assignment_edges(graph, direct=direct):
        edges[e.task["uid"]].append(e)
    return edges


def _partners(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    unit = params["unit"]
    shared: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    pairs: Counter[tuple[str, str, str, str]] = Counter()
    for uid, edges in _by_task(graph, params["direct"]).items():
        for a in edges:
            if unit is not None and a.unit != unit:
                continue
            for b in edges:
                if a.unit == b.unit or (unit is None and not a.unit < b.unit):
                    continue
                shared[a.unit, b.unit].add(uid)
                pairs[a.unit, b.unit, a.role, b.role] += 1
    return [
        {
            "unit_a": a,
            "unit_b": b,
            "shared": len(shared[a, b]),
            "role_a": role_a,
            "role_b": role_b,
            "tasks": n,
        }
        for (a, b, role_a, role_b), n in pairs.items()
    ]


def _finish_partners(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    def key(r: Row) -> tuple[Any, ...]:
        roles = (ROLE_RANK[r["role_a"]], ROLE_RANK[r["role_b"]])
        return (-r["shared"], r["unit_a"], r["unit_b"], roles)

    return sorted(rows, key=key)


def _brokers(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    partners: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for edges in _by_task(graph, params["direct"]).values():
        for a in edges:
            kinds[a.unit] = a.unit_kind
            partners.setdefault(a.unit, set()).update(b.unit for b in edges if b.unit != a.unit)
    return [{"unit": u, "kind": kinds[u], "partners": sorted(ps)} for u, ps in partners.items()]


def _finish_brokers(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    ordered = sorted(rows, key=lambda r: str(r["unit"]))
    kinds = {r["unit"]: r["kind"] for r in ordered}
    projection = nx.Graph()
    projection.add_nodes_from(r["unit"] for r in ordered)
    for r in ordered:
        projection.add_edges_from((r["unit"], p) for p in sorted(r["partners"]) if p is not None)
    centrality = nx.betweenness_centrality(projection, normalized=True)
    out = [
        round_row(
            {
                "unit": r["unit"],
                "kind": r["kind"],
                "betweenness": float(centrality[r["unit"]]),
                "partners": projection.degree(r["unit"]),
                "partner_kinds": len({kinds.get(p) for p in projection[r["unit"]]}),
            }
        )
        for r in ordered
    ]
    return sorted(out, key=lambda r: (-r["betweenness"], r["unit"]))


def _shared_tasks(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    units, role = params["units"], params["role"]
    rows = []
    for edges in _by_task(graph, params["direct"]).values():
        mine = [e for e in edges if e.unit in units and role in ("any", e.role)]
        if {e.unit for e in mine} >= set(units):
            rows += [
                {
                    "number": e.task["number"],
                    "uid": e.task["uid"],
                    "title": e.task["title"],
                    "unit": e.unit,
                    "role": e.role,
                    "via": e.via,
                }
                for e in mine
            ]
    return rows


def _finish_shared_tasks(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    order = {name: i for i, name in enumerate(params["units"])}

    def key(r: Row) -> tuple[Any, ...]:
        return (task_sort_key(r), order[r["unit"]], ROLE_RANK[r["role"]], r["via"] or "")

    return sorted(rows, key=key)


_DIRECT = Param("direct", "bool", True, "count direct assignments only (collectives as one unit)")

PARTNERS = QuerySpec(
    name="partners",
    title="Partner units",
    description=(
        "Unit pairs sharing tasks: shared task count, and one row per role pair "
        "(lead with support, ...) with its task count; most shared first."
    ),
    params=(Param("unit", "unit", None, "only the partners of this unit"), _DIRECT),
    cypher=PARTNERS_CYPHER,
    run=_partners,
    finish=_finish_partners,
)

BROKERS = QuerySpec(
    name="brokers",
    title="Broker units",
    description=(
        "Betweenness centrality of units in the unit–unit projection (networkx, computed in "
        "the finish step for both backends), with partner and partner-kind counts."
    ),
    params=(_DIRECT,),
    cypher=BROKERS_CYPHER,
    run=_brokers,
    finish=_finish_brokers,
)

SHARED_TASKS = QuerySpec(
    name="shared-tasks",
    title="Tasks shared by units",
    description=(
        "The tasks in which every one of two or more units holds a role (with role: that "
        "role), one row per named unit's assignment there; derived (via) rows count unless "
        "direct."
    ),
    params=(
        Param("units", "units", None, "two or more units, e.g. 市教育局,市民政局", required=True),
        Param(
            "role",
            "str",
            "any",
            "lead, support, responsible or any",
            ("any", "lead", "support", "responsible"),
        ),
        Param("direct", "bool", False, "leave out rows derived from collectives"),
    ),
    cypher=SHARED_TASKS_CYPHER,
    run=_shared_tasks,
    finish=_finish_shared_tasks,
)
