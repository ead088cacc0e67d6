"""Tasks by deadline (``due``): which tasks fall due by a date, and which of them have a gap.

A task's ``due`` is its deadline normalised (see :mod:`dutygraph.extract.attributes`): an ISO
date, ``"ongoing"`` (长期坚持 …), or null. One row per task, soonest first: dated tasks by
date, then ongoing ones, then tasks without a ``due`` (ties: by uid, numbers by value).

Parameters, all optional and combined with "and":

``before``
    only tasks due **on or before** this date (``2024-06-30``; ``2024年6月底`` is read the same
    way). Ongoing tasks and tasks without a ``due`` never count as due before a date.
``role``
    only tasks where at least one unit holds this role (``lead``: tasks that have a lead);
``gap``
    only tasks with this coordination gap (a kind of :data:`~dutygraph.queries.gaps.FINDING_KINDS`,
    as the ``gaps`` query finds it; ``single-lead-dependency``: tasks with exactly one lead);
``k``
    responsible units, with no lead, that make a task ``diffuse`` (as in ``gaps``).

Like ``gaps``, roles and gaps count **direct** assignments only (``via`` null); ``leads`` lists
the task's direct lead units in document order.

>>> from dutygraph.queries.catalog import run_query
>>> from dutygraph.queries.sample import sample_graph
>>> [(r["number"], r["due"], r["leads"]) for r in run_query("due", sample_graph(), {})]
... # doctest: +NORMALIZE_WHITESPACE
[('3', '2024-03-31', []), ('1', '2024-06-30', ['市民政局']),
 ('2', 'ongoing', ['团市委', '市教育局'])]
>>> rows = run_query("due", sample_graph(), {"before": "2024-06-30", "gap": "no-lead"})
>>> [(r["number"], r["title"], r["deadline"]) for r in rows]
[('3', '加强保障', '2024年3月底前')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from dutygraph.extract.attributes import ONGOING
from dutygraph.queries.gaps import FINDING_KINDS, gap_kinds_of
from dutygraph.queries.spec import Edge, Param, QuerySpec, Row, assignment_edges, task_sort_key

__all__ = ["DUE"]

DUE_CYPHER = """
MATCH (t:Task)
WHERE $before IS NULL OR (t.due IS NOT NULL AND t.due <> 'ongoing' AND t.due <= $before)
// The task's direct assignments as [type, unit node, relationship], as in gaps.
WITH t, [(u:Unit)-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t) WHERE r.via IS NULL | [type(r), u, r]]
        AS rs
WITH t, rs, [x IN rs WHERE x[0] = 'LEADS'] AS leads
WITH t, rs, leads, size(leads) AS nl
WHERE ($role IS NULL
       OR any(x IN rs WHERE x[0] = CASE $role WHEN 'lead' THEN 'LEADS'
                                              WHEN 'support' THEN 'SUPPORTS'
                                              ELSE 'RESPONSIBLE_FOR' END))
  AND CASE $gap
        WHEN 'no-lead' THEN nl = 0
        WHEN 'multi-lead' THEN nl >= 2
        WHEN 'collective-only'
          THEN size(rs) > nl AND all(x IN rs WHERE x[0] = 'LEADS' OR x[1].collective)
        WHEN 'diffuse' THEN nl = 0 AND size([x IN rs WHERE x[0] = 'RESPONSIBLE_FOR']) >= $k
        WHEN 'lead-also-support'
          THEN any(x IN rs WHERE any(y IN rs WHERE y[1] = x[1] AND y[0] <> x[0]))
        WHEN 'single-lead-dependency' THEN nl = 1
        ELSE true END
RETURN t.number AS number, t.uid AS uid, t.title AS title, t.deadline AS deadline,
       t.due AS due, t.leader AS leader, [x IN leads | [x[2].span_start, x[1].name]] AS leads,
       t.doc_id AS doc
"""


def _by(due: str | None, before: str | None) -> bool:
    """Whether a task due at ``due`` counts as due on or before ``before`` (None: any task)."""
    if before is None:
        return True
    return due is not None and due != ONGOING and due <= before


def _due(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[Row]:
    edges: defaultdict[str, list[Edge]] = defaultdict(list)
    for e in assignment_edges(graph, direct=True):
        edges[e.task["uid"]].append(e)
    before, role, gap = params["before"], params["role"], params["gap"]
    rows = []
    for _, t in graph.nodes(data=True):
        if t.get("kind") != "task" or not _by(t.get("due"), before):
            continue
        mine = edges[t["uid"]]
        if role is not None and not any(e.role == role for e in mine):
            continue
        if gap is not None and gap not in gap_kinds_of(t, mine, params["k"]):
            continue
        rows.append(
            {
                "number": t["number"],
                "uid": t["uid"],
                "title": t["title"],
                "deadline": t.get("deadline"),
                "due": t.get("due"),
                "leader": t.get("leader"),
                "leads": [[e.span_start, e.unit] for e in mine if e.role == "lead"],
                "doc": t.get("doc_id"),
            }
        )
    return rows


def _finish_due(rows: list[Row], params: Mapping[str, Any]) -> list[Row]:
    def leads(pairs: list[list[Any]]) -> list[str]:
        ordered = sorted(pairs, key=lambda p: (p[0] is None, p[0] or 0, p[1]))
        return [name for _, name in ordered]

    def key(r: Row) -> tuple[Any, ...]:
        due = r["due"]
        group = 2 if due is None else 1 if due == ONGOING else 0
        return (group, due if group == 0 else "", task_sort_key(r))

    return [{**r, "leads": leads(r["leads"])} for r in sorted(rows, key=key)]


DUE = QuerySpec(
    name="due",
    title="Tasks by deadline",
    description=(
        "Tasks soonest due first, with the deadline as written, its date (or ongoing), the "
        "leader and the lead units; filter by a date (due on or before), a role some unit "
        "holds, or a gap kind (e.g. no-lead). Direct assignments only."
    ),
    params=(
        Param("before", "date", None, "only tasks due on or before this date, e.g. 2024-06-30"),
        Param(
            "role",
            "str",
            None,
            "only tasks where some unit holds this role",
            ("lead", "support", "responsible"),
        ),
        Param(
            "gap",
            "str",
            None,
            "only tasks with this gap (or risk) kind, e.g. no-lead",
            FINDING_KINDS,
        ),
        Param("k", "int", 5, "responsible units, with no lead, that make a task diffuse"),
    ),
    cypher=DUE_CYPHER,
    run=_due,
    finish=_finish_due,
)
