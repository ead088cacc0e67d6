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

__all__ = ["LAYOUT_THRESHOLD", "SKELETON_UNITS", "precompute_layout"]

#: Maps with more nodes than this get a precomputed layout and no physics.
LAYOUT_THRESHOLD = 1500
#: At most this many units are placed by the spring layout (networkx's fast dense solver).
SKELETON_UNITS = 400
_GOLDEN = math.pi * (3 - math.sqrt(5))


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
