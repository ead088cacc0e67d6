"""What the map and the matrix measure: each unit's load and each task's coordination gaps.

Load weighs a unit's assignments by role, with the weights of the catalog's ``overload`` query
(lead 3, responsible 2, support 1 by default), and counts every unit→task edge of the graph it is
given — direct and, on an expanded graph, derived — so that a map's node sizes match the edges it
draws. Gaps are the rows of the catalog's ``gaps`` query (direct assignments only); the
task-level kinds of :data:`TASK_GAP_KINDS` mark a task.

>>> from dutygraph.queries.sample import sample_graph
>>> g = sample_graph()
>>> unit_loads(g)["市民政局"]
UnitLoad(name='市民政局', lead=1, support=0, responsible=1, load=5)
>>> task_gaps(g)["demo#3"]
('no-lead',)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from dutygraph.graph.build import ROLE_OF_REL
from dutygraph.graph.records import ROLES
from dutygraph.queries.gaps import TASK_GAP_KINDS

__all__ = [
    "TASK_GAP_KINDS",
    "UnitLoad",
    "load_weights",
    "role_edges",
    "task_gaps",
    "unit_loads",
]


@dataclass(frozen=True)
class UnitLoad:
    """A unit's assignment counts by role and its weighted load."""

    name: str
    lead: int
    support: int
    responsible: int
    load: float


def load_weights() -> dict[str, float]:
    """The weight of one assignment by role: the defaults of the ``overload`` query.

    >>> load_weights()
    {'lead': 3, 'support': 1, 'responsible': 2}
    """
    from dutygraph.queries.catalog import get

    defaults = {p.name: p.default for p in get("overload").params}
    return {role: defaults[f"{role}_weight"] for role in ROLES}


def role_edges(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every unit→task edge as ``(unit node, task node, role, edge data)``, in graph order.

    >>> from dutygraph.queries.sample import sample_graph
    >>> next(role_edges(sample_graph()))[:3]
    ('unit:市民政局', 'task:demo#1', 'lead')
    """
    for u, t, data in graph.edges(data=True):
        role = ROLE_OF_REL.get(data.get("type", ""))
        if role is not None:
            yield u, t, role, data


def unit_loads(
    graph: nx.MultiDiGraph, weights: Mapping[str, float] | None = None
) -> dict[str, UnitLoad]:
    """Each unit's counts by role and weighted load, keyed by name (no edges: all zero).

    ``weights`` default to :func:`load_weights`.
    """
    w = dict(weights) if weights is not None else load_weights()
    counts: dict[str, dict[str, int]] = {
        data["name"]: defaultdict(int)
        for _, data in graph.nodes(data=True)
        if data.get("kind") == "unit"
    }
    for u, _, role, _ in role_edges(graph):
        counts[graph.nodes[u]["name"]][role] += 1
    return {
        name: UnitLoad(
            name,
            c["lead"],
            c["support"],
            c["responsible"],
            sum(w[role] * c[role] for role in ROLES),
        )
        for name, c in counts.items()
    }


def task_gaps(graph: nx.MultiDiGraph) -> dict[str, tuple[str, ...]]:
    """The task-level gap kinds of each task uid that has any, in :data:`TASK_GAP_KINDS` order.

    >>> from dutygraph.queries.sample import sample_graph
    >>> task_gaps(sample_graph())
    {'demo#2': ('multi-lead', 'collective-only'), 'demo#3': ('no-lead',)}
    """
    from dutygraph.queries.catalog import run_query

    found: dict[str, set[str]] = defaultdict(set)
    for row in run_query("gaps", graph, {}):
        if row["kind"] in TASK_GAP_KINDS:
            found[row["uid"]].add(row["kind"])
    return {
        uid: tuple(k for k in TASK_GAP_KINDS if k in found[uid])
        for uid in sorted(found, key=_uid_key)
    }


def _uid_key(uid: str) -> Any:
    from dutygraph.queries.spec import natural_key

    return natural_key(uid)
