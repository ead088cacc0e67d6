"""Positions for large maps, computed once in Python so the browser needs no physics.

Past :data:`LAYOUT_THRESHOLD` nodes a force simulation in the browser takes too long to settle,
and a general force layout in networkx is slow too (minutes for a few thousand nodes). A work
plan graph is bipartite and has far fewer units than tasks, so the layout goes in two steps:

1. networkx's ``spring_layout`` (Fruchterman–Reingold, seeded, so the same graph gets the same
   map) places the most loaded units — at most :data:`SKELETON_UNITS` — by their weighted
   co-assignment graph: units that share tasks end up close;
2. every task goes to the centre of its units, and any other unit to the centre of its tasks'
   units, spread on a small sunflower spiral when several share a spot. Tasks with no unit
   line up in a grid below the map.

>>> from dutygraph.queries.sample import sample_graph
>>> pos = precompute_layout(sample_graph())
>>> sorted(pos) == sorted(n for n, d in sample_graph().nodes(data=True) if d["kind"] != "document")
True
>>> all(isinstance(x, float) and isinstance(y, float) for x, y in pos.values())
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from dutygraph.errors import DutygraphError

__all__ = [
    "LAYOUT_THRESHOLD",
    "OVERVIEW_WIDTH",
    "ROLE_RANK",
    "SKELETON_UNITS",
    "ego_layout",
    "precompute_layout",
    "unit_links",
]

#: Maps with more nodes than this get a precomputed layout and no physics.
LAYOUT_THRESHOLD = 1500
#: At most this many units are placed by the spring layout (networkx's fast dense solver).
SKELETON_UNITS = 400
_GOLDEN = math.pi * (3 - math.sqrt(5))
#: The overview's units span about this many pixels at zoom 1, so their labels read at once.
OVERVIEW_WIDTH = 1100.0
#: The order of an ego unit's tasks around it: lead, responsible, support.
ROLE_RANK = {"lead": 0, "responsible": 1, "support": 2}
_ROLE_WEIGHT = {"lead": 3.0, "responsible": 2.0, "support": 1.0}
_LINKS_PER_UNIT = 6


def precompute_layout(graph: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}`` in vis-network's pixel coordinates for every unit and task node."""
    units = [n for n, d in graph.nodes(data=True) if d.get("kind") == "unit"]
    tasks = [n for n, d in graph.nodes(data=True) if d.get("kind") == "task"]
    units_of = {t: sorted({u for u in graph.predecessors(t) if u in graph}) for t in tasks}
    tasks_of: dict[str, list[str]] = defaultdict(list)
    for t, us in units_of.items():
        for u in us:
            tasks_of[u].append(t)
    scale = 90.0 * math.sqrt(max(len(units) + len(tasks), 1))
    skeleton = sorted(units, key=lambda u: (-len(tasks_of[u]), u))[:SKELETON_UNITS]
    pos = _spring(skeleton, units_of, seed, scale)
    rest = [u for u in units if u not in pos and tasks_of[u]]
    spots: dict[tuple[int, int], int] = defaultdict(int)
    for u in rest:
        near = [v for t in tasks_of[u] for v in units_of[t] if v in pos]
        pos[u] = _spread(_centre(near, pos, scale), spots, 40.0)
    for t in tasks:
        if units_of[t]:
            pos[t] = _spread(_centre(units_of[t], pos, scale), spots, 28.0)
    loose = [n for n in (*units, *tasks) if n not in pos]
    columns = max(1, int(math.sqrt(len(loose)) * 2))
    for i, n in enumerate(loose):
        pos[n] = (-scale + 160.0 * (i % columns), scale + 160.0 + 80.0 * (i // columns))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def _spring(
    units: list[str], units_of: dict[str, list[str]], seed: int, scale: float
) -> dict[str, tuple[float, float]]:
    """Place ``units`` by their co-assignment graph (weight: shared tasks, less in long lists)."""
    keep = set(units)
    co = nx.Graph()
    co.add_nodes_from(units)
    for members in units_of.values():
        linked = [u for u in members if u in keep]
        if len(linked) < 2:
            continue
        w = 1.0 / (len(linked) - 1)
        for a, b in _pairs(linked):
            co.add_edge(a, b, weight=co.get_edge_data(a, b, {"weight": 0.0})["weight"] + w)
    if len(co) == 0:
        return {}
    try:
        raw = nx.spring_layout(co, seed=seed, iterations=80, weight="weight", method="force")
    except ImportError as exc:
        raise DutygraphError(
            f"a map of this size needs numpy for its layout ({exc.name} is missing)",
            hint="pip install numpy, or draw a smaller map with --section, --role or --unit",
        ) from exc
    return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}


def _pairs(items: list[str]) -> Iterable[tuple[str, str]]:
    """All pairs of a short list; a ring for a long one (a 60-unit list is not 1,770 springs)."""
    if len(items) <= 12:
        return ((a, b) for i, a in enumerate(items) for b in items[i + 1 :])
    return zip(items, items[1:] + items[:1], strict=True)


def _centre(
    nodes: list[str], pos: dict[str, tuple[float, float]], scale: float
) -> tuple[float, float]:
    placed = [pos[n] for n in nodes if n in pos]
    if not placed:
        return (scale * 1.1, 0.0)
    return (sum(p[0] for p in placed) / len(placed), sum(p[1] for p in placed) / len(placed))


def _spread(
    at: tuple[float, float], spots: dict[tuple[int, int], int], step: float
) -> tuple[float, float]:
    """``at``, moved out along a sunflower spiral by the number of nodes already near it."""
    key = (round(at[0] / 30.0), round(at[1] / 30.0))
    i = spots[key]
    spots[key] += 1
    r = step * math.sqrt(i + 0.5)
    return (at[0] + r * math.cos(i * _GOLDEN), at[1] + r * math.sin(i * _GOLDEN))


def unit_links(graph: nx.MultiDiGraph) -> list[dict[str, object]]:
    """The overview's edges: units joined by the tasks they share, weighted by role.

    A shared task adds the mean of both units' role weights (lead 3, responsible 2, support 1);
    ``role`` is the strongest role either unit holds on a shared task, ``pairs`` the role pairs
    they share tasks in (``lead+support``: one leads, the other supports), so a role filter
    keeps a link only while a shared task has both roles shown. Each unit keeps its six
    strongest links (so the overview stays readable), sorted by weight.

    >>> from dutygraph.queries.sample import sample_graph
    >>> [(x["from"], x["to"], x["weight"], x["tasks"], x["role"])
    ...  for x in unit_links(sample_graph())][:2]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('unit:市妇联', 'unit:市民政局', 4.0, 2, 'lead'),
     ('unit:团市委', 'unit:市教育局', 3.0, 1, 'lead')]
    """
    roles_of: dict[str, dict[str, str]] = defaultdict(dict)
    for u, t, data in graph.edges(data=True):
        role = {"LEADS": "lead", "SUPPORTS": "support", "RESPONSIBLE_FOR": "responsible"}.get(
            str(data.get("type"))
        )
        if role is not None:
            held = roles_of[t].get(u)
            if held is None or ROLE_RANK[role] < ROLE_RANK[held]:
                roles_of[t][u] = role
    weight: dict[tuple[str, str], float] = defaultdict(float)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    best: dict[tuple[str, str], str] = {}
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for task_roles in roles_of.values():
        members = sorted(task_roles)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b)
                ra, rb = task_roles[a], task_roles[b]
                weight[pair] += (_ROLE_WEIGHT[ra] + _ROLE_WEIGHT[rb]) / 2
                shared[pair] += 1
                strongest = min(ra, rb, key=ROLE_RANK.__getitem__)
                kinds[pair].add("+".join(sorted({ra, rb}, key=ROLE_RANK.__getitem__)))
                if pair not in best or ROLE_RANK[strongest] < ROLE_RANK[best[pair]]:
                    best[pair] = strongest
    ranked = sorted(weight, key=lambda pr: (-weight[pr], pr))
    kept: dict[str, int] = defaultdict(int)
    out: list[dict[str, object]] = []
    for a, b in ranked:
        if kept[a] >= _LINKS_PER_UNIT and kept[b] >= _LINKS_PER_UNIT:
            continue
        kept[a] += 1
        kept[b] += 1
        w = weight[(a, b)]
        out.append(
            {
                "from": a,
                "to": b,
                "weight": w,
                "tasks": shared[(a, b)],
                "role": best[(a, b)],
                "pairs": sorted(kinds[(a, b)]),
            }
        )
    return out


def ego_layout(
    graph: nx.MultiDiGraph, center: str, rings: dict[str, int]
) -> dict[str, tuple[float, float]]:
    """Positions of an ego map: ``center`` at (0, 0), every other node on the ring of its hops.

    The first ring holds the centre's tasks in role order (lead, responsible, support), then
    document order, clockwise from the top; each further node sits near the mean angle of the
    nodes that reach it from the ring inside.

    >>> from dutygraph.queries.sample import sample_graph
    >>> from dutygraph.views.maps.subset import hops
    >>> g = sample_graph()
    >>> pos = ego_layout(g, "unit:团市委", hops(g, "unit:团市委", 2))
    >>> pos["unit:团市委"], pos["task:demo#2"]
    ((0.0, 0.0), (0.0, -260.0))
    """
    role_of: dict[str, tuple[int, str, int]] = {}
    for _, t, data in graph.out_edges(center, data=True):
        role = {"LEADS": "lead", "SUPPORTS": "support", "RESPONSIBLE_FOR": "responsible"}.get(
            str(data.get("type"))
        )
        if role is not None and rings.get(t) == 1:
            rank = (ROLE_RANK[role], str(graph.nodes[t].get("doc_id")), _span(data))
            role_of[t] = min(role_of.get(t, rank), rank)
    by_ring: dict[int, list[str]] = defaultdict(list)
    for n, ring in rings.items():
        by_ring[ring].append(n)
    angle: dict[str, float] = {center: 0.0}
    pos: dict[str, tuple[float, float]] = {center: (0.0, 0.0)}
    undirected = graph.to_undirected(as_view=True)
    for ring in sorted(r for r in by_ring if r > 0):
        members = by_ring[ring]
        if ring == 1:
            members.sort(key=lambda n: (role_of.get(n, (9, "", 0)), n))
            wanted = {n: i / len(members) * 2 * math.pi for i, n in enumerate(members)}
        else:
            wanted = {}
            for n in members:
                inner = [angle[m] for m in undirected[n] if rings.get(m) == ring - 1]
                wanted[n] = _mean_angle(inner)
            members.sort(key=lambda n: (wanted[n], n))
            start = wanted[members[0]] if members else 0.0
            wanted = {n: start + i / len(members) * 2 * math.pi for i, n in enumerate(members)}
        radius = max(260.0 * ring, len(members) * 70.0 / (2 * math.pi))
        for n in members:
            angle[n] = wanted[n]
            pos[n] = (
                round(radius * math.sin(wanted[n]), 1) + 0.0,
                round(-radius * math.cos(wanted[n]), 1) + 0.0,
            )
    return pos


def _span(data: dict[str, object]) -> int:
    start = data.get("span_start")
    return start if isinstance(start, int) else 0


def _mean_angle(angles: list[float]) -> float:
    if not angles:
        return 0.0
    x = sum(math.sin(a) for a in angles)
    y = sum(math.cos(a) for a in angles)
    return math.atan2(x, y) % (2 * math.pi)
