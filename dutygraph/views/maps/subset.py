"""Choosing what a map shows: sections, roles, an ego network, expanded collectives.

:func:`select` returns the unit/task part of the graph (documents and ``IN`` edges left out)
after, in this order: expanding collectives (optional), keeping the tasks of some sections,
keeping the edges of some roles, keeping the ego network of one unit, and dropping units left
without an edge. A task with no unit stays (it is a gap worth seeing) except in an ego map.

An ego map of depth ``N`` holds every node within ``N`` hops of the unit in the unit–task
graph: depth 1 is the unit and its tasks, depth 2 adds the other units of those tasks, depth 3
their tasks, and so on (:func:`hops` gives each node's distance, the ring it is drawn on).

>>> from dutygraph.queries.sample import sample_graph
>>> g = select(sample_graph(), unit="团市委", depth=1, roles=["lead"])
>>> sorted(g.nodes)
['task:demo#2', 'unit:团市委']
>>> sorted(select(sample_graph(), unit="团市委", depth=2, roles=["lead"]).nodes)
['task:demo#2', 'unit:团市委', 'unit:市教育局']
>>> sorted(n for n in select(sample_graph(), sections=["保护"]) if n.startswith("task:"))
['task:demo#3']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from dutygraph.analysis.metrics import role_edges
from dutygraph.errors import InputError
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import ROLES

__all__ = ["alias_map", "alias_patterns", "hops", "parse_roles", "select", "unit_node"]


def parse_roles(roles: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Roles from ``"lead,support"`` or a list; ``None`` means every role.

    >>> parse_roles("lead, support")
    ('lead', 'support')
    >>> parse_roles(["boss"])
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: unknown role boss; roles are lead, support, responsible
    """
    if roles is None:
        return None
    items = roles.split(",") if isinstance(roles, str) else list(roles)
    out = tuple(dict.fromkeys(r.strip() for r in items if r.strip()))
    for role in out:
        if role not in ROLES:
            raise InputError(f"unknown role {role}", hint=f"roles are {', '.join(ROLES)}")
    return out or None


def unit_node(graph: nx.MultiDiGraph, name: str, gazetteer: Gazetteer | None = None) -> str:
    """The node id of the unit ``name`` denotes (canonical name, alias or close variant).

    >>> from dutygraph.queries.sample import sample_graph
    >>> unit_node(sample_graph(), "共青团安顺市委")
    'unit:团市委'
    """
    from dutygraph.queries.resolve import graph_units, resolve_unit

    return f"unit:{resolve_unit(name, graph_units(graph), gazetteer)}"


def select(
    graph: nx.MultiDiGraph,
    *,
    unit: str | None = None,
    depth: int = 1,
    sections: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    expand_collectives: bool = False,
    members: Mapping[str, Sequence[str]] | None = None,
    gazetteer: Gazetteer | None = None,
) -> nx.MultiDiGraph:
    """The part of ``graph`` a map shows (see the module's description); a new graph.

    ``sections`` match a task's section number (``五``), title (``加强网络保护``) or key
    (``doc id::五``);
    ``members`` maps collectives to their member units when expanding (default: inferred).
    """
    if expand_collectives:
        from dutygraph.graph.collectives import expand_collectives as expand

        graph = expand(graph, members)
    keep = {n for n, d in graph.nodes(data=True) if d.get("kind") in ("unit", "task")}
    if sections:
        keep -= _tasks_outside(graph, sections)
    wanted = set(roles or ROLES)
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph)
    view.add_nodes_from((n, graph.nodes[n]) for n in graph.nodes if n in keep)
    view.add_edges_from(
        (u, t, k, d)
        for u, t, k, d in graph.edges(keys=True, data=True)
        if u in keep and t in keep and d.get("role") in wanted
    )
    if unit is not None:
        if depth < 1:
            raise InputError(f"depth must be at least 1, not {depth}")
        center = unit_node(view, unit, gazetteer)
        near = hops(view, center, depth)
        view.remove_nodes_from([n for n in list(view) if n not in near])
    linked = {u for u, _, _, _ in role_edges(view)}
    view.remove_nodes_from(
        [n for n, d in list(view.nodes(data=True)) if d["kind"] == "unit" and n not in linked]
    )
    return view


def hops(graph: nx.MultiDiGraph, center: str, depth: int) -> dict[str, int]:
    """``{node: hops from center}`` for every node at most ``depth`` hops away (edges either way),
    nearest first.

    >>> from dutygraph.queries.sample import sample_graph
    >>> hops(sample_graph(), "unit:团市委", 1)
    {'unit:团市委': 0, 'task:demo#1': 1, 'task:demo#2': 1}
    """
    near: dict[str, int] = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), center, cutoff=depth
    )
    kept = (n for n in near if graph.nodes[n].get("kind") in ("unit", "task"))
    return {n: near[n] for n in sorted(kept, key=lambda n: (near[n], n))}


def _tasks_outside(graph: nx.MultiDiGraph, sections: Sequence[str]) -> set[str]:
    tasks = {n: d for n, d in graph.nodes(data=True) if d.get("kind") == "task"}
    keys = {n: f"{d.get('doc_id')}::{d.get('section')}" for n, d in tasks.items()}
    known = (
        {str(d.get("section")) for d in tasks.values()}
        | {str(d.get("section_title")) for d in tasks.values()}
        | set(keys.values())
    )
    wanted = {s.strip() for s in sections}
    missing = sorted(wanted - known)
    if missing:
        listed = dict.fromkeys(
            f"{d.get('section')}（{d.get('section_title')}）" for d in tasks.values()
        )
        raise InputError(
            f"no section {', '.join(missing)}", hint=f"sections are {'、'.join(listed)}"
        )
    return {
        n
        for n, d in tasks.items()
        if str(d.get("section")) not in wanted
        and str(d.get("section_title")) not in wanted
        and keys[n] not in wanted
    }


def alias_map(graph: nx.MultiDiGraph, gazetteer: Gazetteer | None = None) -> dict[str, str]:
    """Every name that denotes a unit of ``graph`` → that unit's canonical name.

    Holds the canonical names, the gazetteer's aliases of those units and the names as written
    in the documents; keys are in the gazetteer's comparison form (no spaces, full-width
    parentheses), as the map's search box normalises what is typed the same way.

    >>> from dutygraph.queries.sample import sample_graph
    >>> m = alias_map(sample_graph())
    >>> m["共青团市委"], m["团市委"]
    ('团市委', '团市委')
    """
    from dutygraph.graph.names import name_key

    gaz = gazetteer or Gazetteer.default()
    names = {d["name"] for _, d in graph.nodes(data=True) if d.get("kind") == "unit"}
    out: dict[str, str] = {}
    for key in gaz.known():
        found = gaz.lookup(key)
        if found is not None and found.name in names:
            out[key] = found.name
    for u, _, _, data in role_edges(graph):
        written = data.get("as_written")
        if written:
            out.setdefault(name_key(written), graph.nodes[u]["name"])
    out.update({name_key(n): n for n in names})
    return dict(sorted(out.items()))


def alias_patterns(
    graph: nx.MultiDiGraph, gazetteer: Gazetteer | None = None
) -> list[tuple[str, str]]:
    """The gazetteer's name patterns (regex source, canonical name) for units of ``graph``.

    Patterns catch aliases no table can list, such as a place name inside 共青团安顺市委.

    >>> from dutygraph.queries.sample import sample_graph
    >>> alias_patterns(sample_graph())
    [('^共青团.{1,8}?市委$', '团市委')]
    """
    gaz = gazetteer or Gazetteer.default()
    names = {d["name"] for _, d in graph.nodes(data=True) if d.get("kind") == "unit"}
    # The gazetteer keeps its patterns private; read them here, in one place.
    patterns = gaz.patterns()
    return [(p.pattern, name) for p, name in patterns if name in names]
