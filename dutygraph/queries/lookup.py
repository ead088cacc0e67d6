"""Look-ups: the tasks of a unit, the units of a task, a unit's profile, the tasks of a section.

These count every edge in the graph, direct and derived (expanded from a collective, ``via`` set),
unless ``direct`` is true.

>>> from dutygraph.queries.catalog import run_query
>>> from dutygraph.queries.sample import sample_graph
>>> [(r["number"], r["role"], r["via"]) for r in run_query("tasks-of", sample_graph(),
...                                                        {"unit": "团市委"})]
[('1', 'support', None), ('2', 'lead', None)]
>>> [(r["number"], r["leads"], r["units"]) for r in run_query("section-tasks", sample_graph(),
...                                                             {"section": "1"})]
[('1', ['市民政局'], 3), ('2', ['团市委', '市教育局'], 3)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from dutygraph.queries.spec import (
    ROLE_RANK,
    Param,
    QuerySpec,
    Row,
    assignment_edges,
    natural_key,
    task_sort_key,
)

__all__ = ["SECTION_TASKS", "TASKS_OF", "UNITS_OF", "UNIT_PROFILE"]

_ROLE_CHOICES = ("any", "lead", "support", "responsible")

TASKS_OF_CYPHER = """
MATCH (u:Unit {name: $unit})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t:Task)
WITH t, r, CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                        ELSE 'responsible' END AS role
WHERE ($role = 'any' OR role = $role) AND (NOT $direct OR r.via IS NULL)
RETURN t.number AS number, t.uid AS uid, t.title AS title, role, r.via AS via
ORDER BY t.doc_id, toInteger(t.number), uid, role, via
"""

UNITS_OF_CYPHER = """
MATCH (u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t:Task {uid: $task})
WITH u, r, CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                        ELSE 'responsible' END AS role
WHERE ($role = 'any' OR role = $role) AND (NOT $direct OR r.via IS NULL)
RETURN role, u.name AS unit, u.kind AS kind, u.collective AS collective, r.via AS via,
       r.as_written AS as_written, r.span_start AS span_start, r.span_end AS span_end
ORDER BY role, via, span_start, unit
"""

UNIT_PROFILE_CYPHER = """
UNWIND ['lead', 'support', 'responsible'] AS item
OPTIONAL MATCH (u:Unit {name: $unit})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(:Task)
WHERE (NOT $direct OR r.via IS NULL)
  AND CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                   ELSE 'responsible' END = item
RETURN 'role' AS aspect, item, count(r) AS count
UNION ALL
MATCH (u:Unit {name: $unit})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(:Task)
WHERE NOT $direct AND r.via IS NOT NULL
RETURN 'via' AS aspect, r.via AS item, count(r) AS count
UNION ALL
MATCH (u:Unit {name: $unit})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t:Task)
WHERE NOT $direct OR r.via IS NULL
RETURN 'section' AS aspect, t.section + '、' + t.section_title AS item,
       count(DISTINCT t) AS count
UNION ALL
MATCH (u:Unit {name: $unit})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t:Task)
      <-[s:LEADS|SUPPORTS|RESPONSIBLE_FOR]-(p:Unit)
WHERE p <> u AND (NOT $direct OR (r.via IS NULL AND s.via IS NULL))
WITH p.name AS item, count(DISTINCT t) AS count
ORDER BY count DESC, item
LIMIT $top
RETURN 'partner' AS aspect, item, count
"""

SECTION_TASKS_CYPHER = """
MATCH (t:Task)
WHERE $section IS NULL OR t.section = $section
OPTIONAL MATCH (u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t)
WHERE r.via IS NULL
WITH t, collect(CASE WHEN type(r) = 'LEADS' THEN [r.span_start, u.name] END) AS leads,
     count(DISTINCT u) AS units
RETURN t.section AS section, t.section_title AS section_title, t.number AS number,
       t.uid AS uid, t.title AS title, leads, units
"""


def _tasks_of(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    return [
        {
            "number": e.task["number"],
            "uid": e.task["uid"],
            "title": e.task["title"],
            "role": e.role,
            "via": e.via,
        }
        for e in assignment_edges(graph, direct=params["direct"])
        if e.unit == params["unit"] and params["role"] in ("any", e.role)
    ]


def _finish_tasks_of(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    return sorted(rows, key=lambda r: (task_sort_key(r), ROLE_RANK[r["role"]], r["via"] or ""))


def _units_of(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    return [
        {
            "role": e.role,
            "unit": e.unit,
            "kind": e.unit_kind,
            "collective": e.collective,
            "via": e.via,
            "as_written": e.as_written,
            "span_start": e.span_start,
            "span_end": e.span_end,
        }
        for e in assignment_edges(graph, direct=params["direct"])
        if e.task["uid"] == params["task"] and params["role"] in ("any", e.role)
    ]


def _finish_units_of(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    def key(r: Row) -> tuple[Any, ...]:
        start = r["span_start"] if r["span_start"] is not None else -1
        return (ROLE_RANK[r["role"]], r["via"] is not None, r["via"] or "", start, r["unit"])

    return sorted(rows, key=key)


def _unit_profile(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    edges = list(assignment_edges(graph, direct=params["direct"]))
    mine = [e for e in edges if e.unit == params["unit"]]
    roles = Counter(e.role for e in mine)
    vias = Counter(e.via for e in mine if e.via is not None)
    sections: defaultdict[str | None, set[str]] = defaultdict(set)
    for e in mine:
        section, title = e.task.get("section"), e.task.get("section_title")
        label = None if section is None or title is None else f"{section}、{title}"
        sections[label].add(e.task["uid"])
    my_tasks = {e.task["uid"] for e in mine}
    partner_tasks: defaultdict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e.unit != params["unit"] and e.task["uid"] in my_tasks:
            partner_tasks[e.unit].add(e.task["uid"])
    partners = sorted(((-len(ts), p) for p, ts in partner_tasks.items()))[: params["top"]]
    return [
        *({"aspect": "role", "item": r, "count": roles[r]} for r in ROLE_RANK),
        *({"aspect": "via", "item": v, "count": n} for v, n in vias.items()),
        *({"aspect": "section", "item": s, "count": len(ts)} for s, ts in sections.items()),
        *({"aspect": "partner", "item": p, "count": -n} for n, p in partners),
    ]


_ASPECT_RANK = {"role": 0, "via": 1, "section": 2, "partner": 3}


def _finish_unit_profile(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    def key(r: Row) -> tuple[Any, ...]:
        aspect, item = r["aspect"], r["item"]
        if aspect == "role":
            return (0, ROLE_RANK[item])
        if aspect == "partner":
            return (3, -r["count"], item)
        return (_ASPECT_RANK[aspect], natural_key(item))

    return sorted(rows, key=key)


def _section_tasks(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    leads: defaultdict[str, list[list[Any]]] = defaultdict(list)
    units: defaultdict[str, set[str]] = defaultdict(set)
    for e in assignment_edges(graph, direct=True):
        units[e.task["uid"]].add(e.unit)
        if e.role == "lead":
            leads[e.task["uid"]].append([e.span_start, e.unit])
    return [
        {
            "section": t.get("section"),
            "section_title": t.get("section_title"),
            "number": t["number"],
            "uid": t["uid"],
            "title": t["title"],
            "leads": leads[t["uid"]],
            "units": len(units[t["uid"]]),
        }
        for _, t in graph.nodes(data=True)
        if t.get("kind") == "task" and params["section"] in (None, t.get("section"))
    ]


def _finish_section_tasks(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    out = []
    for r in sorted(rows, key=task_sort_key):
        ordered = sorted(
            (tuple(pair) for pair in r["leads"]),
            key=lambda p: (p[0] if p[0] is not None else -1, p[1]),
        )
        names = list(dict.fromkeys(name for _, name in ordered))
        out.append({**r, "leads": names})
    return out


_UNIT = Param("unit", "unit", None, "a unit's name or alias, e.g. 团市委", required=True)
_DIRECT = Param("direct", "bool", False, "leave out rows derived from collectives")

TASKS_OF = QuerySpec(
    name="tasks-of",
    title="Tasks of a unit",
    description=(
        "The tasks a unit is assigned, with its role; rows derived from a collective (such as "
        "未保委成员单位) carry `via`, direct rows have via null."
    ),
    params=(
        _UNIT,
        Param("role", "str", "any", "lead, support, responsible or any", _ROLE_CHOICES),
        _DIRECT,
    ),
    cypher=TASKS_OF_CYPHER,
    run=_tasks_of,
    finish=_finish_tasks_of,
)

UNITS_OF = QuerySpec(
    name="units-of",
    title="Units of a task",
    description=(
        "The units assigned to a task by role (leads first), with the name as written and its "
        "character span; units derived from a collective carry `via`."
    ),
    params=(
        Param("task", "task", None, "a task number (9) or uid (anshun_2023#9)", required=True),
        Param("role", "str", "any", "lead, support, responsible or any", _ROLE_CHOICES),
        _DIRECT,
    ),
    cypher=UNITS_OF_CYPHER,
    run=_units_of,
    finish=_finish_units_of,
)

UNIT_PROFILE = QuerySpec(
    name="unit-profile",
    title="Profile of a unit",
    description=(
        "One unit at a glance, one row per figure: tasks by role, tasks derived via each "
        "collective, tasks per section, and the units it shares most tasks with."
    ),
    params=(
        _UNIT,
        _DIRECT,
        Param("top", "int", 5, "how many partners to list"),
    ),
    cypher=UNIT_PROFILE_CYPHER,
    run=_unit_profile,
    finish=_finish_unit_profile,
)

SECTION_TASKS = QuerySpec(
    name="section-tasks",
    title="Tasks of a section",
    description=(
        "The tasks of one section (all sections when none is given), in order, with their "
        "direct lead units (as the plan lists them) and how many units are directly assigned."
    ),
    params=(Param("section", "section", None, "a section number: 五, 5 or 第五部分"),),
    cypher=SECTION_TASKS_CYPHER,
    run=_section_tasks,
    finish=_finish_section_tasks,
)
