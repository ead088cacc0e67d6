"""Building a map: the graph → plain node and edge data → our self-contained HTML page.

:func:`map_data` chooses what to show (:func:`~dutygraph.views.maps.subset.select`), styles it
(:mod:`~dutygraph.views.maps.style`) as the vis-network options of each node and edge, and returns
everything the page needs as plain data (pyvis supplies only the vis-network script it bundles,
:func:`~dutygraph.views.maps.template.vis_assets`); :func:`render_map` puts that into the page
(:mod:`~dutygraph.views.maps.template`); :func:`write_map` writes it atomically.

>>> from dutygraph.queries.sample import sample_graph
>>> data = map_data(sample_graph(), roles=["lead"])
>>> len(data["nodes"]), len(data["edges"]), data["layout"]["physics"]
(6, 3, True)
>>> html = render_map(sample_graph(), title="<b>示例</b>")
>>> "<title>&lt;b&gt;示例&lt;/b&gt;</title>" in html, "https://" in html.split("<script")[0]
(True, False)
"""

from __future__ import annotations

import html
import math
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from dutygraph.analysis.metrics import role_edges, task_gaps, unit_loads
from dutygraph.files import write_atomic
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import ROLES
from dutygraph.views.fonts import font_face_css
from dutygraph.views.maps import legend, style, template
from dutygraph.views.maps.layout import (
    LAYOUT_THRESHOLD,
    OVERVIEW_WIDTH,
    ROLE_RANK,
    ego_layout,
    precompute_layout,
    unit_links,
)
from dutygraph.views.maps.script import APP_JS
from dutygraph.views.maps.subset import (
    alias_map,
    alias_patterns,
    hops,
    parse_roles,
    select,
    unit_node,
)

__all__ = ["map_data", "render_map", "write_map"]


def map_data(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    unit: str | None = None,
    depth: int = 1,
    section: str | Sequence[str] | None = None,
    roles: str | Sequence[str] | None = None,
    expand_collectives: bool = False,
    members: Mapping[str, Sequence[str]] | None = None,
    gazetteer: Gazetteer | None = None,
    layout_threshold: int = LAYOUT_THRESHOLD,
) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (see :func:`render_map` for the options).

    ``mode`` says how the page opens: ``full`` (every node, physics settles the layout),
    ``ego`` (the unit pinned at the centre, rings by hops, physics off) or ``overview`` (past
    ``layout_threshold`` nodes: the units joined by shared tasks, ``links``; a plan's tasks
    open on demand, at precomputed positions).
    """
    sections = [section] if isinstance(section, str) else section
    view = select(
        graph,
        unit=unit,
        depth=depth,
        sections=sections,
        roles=parse_roles(roles),
        expand_collectives=expand_collectives,
        members=members,
        gazetteer=gazetteer,
    )
    documents = {str(d["id"]): d for _, d in graph.nodes(data=True) if d.get("kind") == "document"}
    names = style.plan_names(documents)
    shown = {str(d.get("doc_id")) for _, d in view.nodes(data=True) if d["kind"] == "task"}
    nodes, edges, section_rows = _styled(view, names, several=len(shown) > 1)
    center = unit_node(view, unit, gazetteer) if unit is not None else None
    mode = "ego" if center else "overview" if len(nodes) > layout_threshold else "full"
    links: list[dict[str, Any]] = []
    if center is not None:
        rings = hops(view, center, depth)
        positions = ego_layout(view, center, rings)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
            node["ring"] = rings[node["id"]]
        _mark_center(next(n for n in nodes if n["id"] == center))
    elif mode == "overview":
        positions = precompute_layout(view)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
        _overview_units([n for n in nodes if n["kind"] == "unit"])
        links = [
            x | {"id": f"l{i}", "weightLabel": f"共同任务 {x['tasks']} 项，权重 {x['weight']:g}"}
            for i, x in enumerate(unit_links(view))
        ]
        edges = [_slim(e) for e in edges]
    plans: list[dict[str, Any]] = [
        {"id": d, "name": names[d], "title": str(documents[d].get("title") or d)}
        for d in documents
        if d in shown
    ]
    counts: dict[str, int] = defaultdict(int)
    for n in nodes:
        if n["kind"] == "task":
            counts[n["plan"]] += 1
    for row in plans:
        row["tasks"] = counts[row["id"]]
    return {
        "title": title or _default_title(graph),
        "mode": mode,
        "nodes": nodes,
        "edges": edges,
        "links": links,
        "options": _options(physics=mode == "full"),
        "physics": _options(physics=True)["physics"],
        "roles": [
            {"role": r, "label": style.ROLE_STYLES[r].label, "rank": ROLE_RANK[r]} for r in ROLES
        ],
        "roleStyles": {r: _role_style(r) for r in ROLES},
        "plans": plans,
        "sections": section_rows,
        "search": {
            "names": alias_map(view, gazetteer),
            "patterns": alias_patterns(view, gazetteer),
        },
        "layout": {"physics": mode == "full", "threshold": layout_threshold, "nodes": len(nodes)},
        "focus": {"unit": center, "depth": depth if unit else None},
        "expanded": bool(expand_collectives),
    }


def _mark_center(node: dict[str, Any]) -> None:
    """The ego map's centre: pinned, a halo, a thicker border and a bold, larger label."""
    node["fixed"] = True
    node["focus"] = True
    node["borderWidth"] = 5
    node["shadow"] = {
        "enabled": True,
        "color": "rgba(255, 170, 0, 0.85)",
        "size": 28,
        "x": 0,
        "y": 0,
    }
    node["font"] = dict(node["font"]) | {
        "size": 24,
        "multi": "markdown",
        "bold": {"size": 24, "color": "#111111", "mod": "bold"},
    }
    node["label"] = "\n".join(f"*{line}*" for line in node["label"].split("\n"))


def _overview_units(units: list[dict[str, Any]]) -> None:
    """Units of the overview: positions fitted to :data:`OVERVIEW_WIDTH`, size and label by load."""
    if not units:
        return
    cx = sum(u["x"] for u in units) / len(units)
    cy = sum(u["y"] for u in units) / len(units)
    # Keep each unit's direction from the centre, but space the distances evenly over a disc:
    # a spring layout packs the most loaded units into the middle, on top of each other.
    far = sorted(units, key=lambda u: (math.hypot(u["x"] - cx, u["y"] - cy), u["id"]))
    top = max(float(u["load"]) for u in units) or 1.0
    for rank, u in enumerate(far):
        share = (float(u["load"]) / top) ** 0.5
        r = OVERVIEW_WIDTH / 2 * math.sqrt((rank + 0.5) / len(far))
        a = math.atan2(u["y"] - cy, u["x"] - cx) if rank else 0.0
        u["x"] = round(r * math.cos(a), 1)
        u["y"] = round(r * math.sin(a), 1)
        u["size"] = round(6 + 22 * share, 1)
        u["font"] = dict(u["font"]) | {"size": round(14 + 12 * share), "strokeWidth": 3}


def _slim(edge: dict[str, Any]) -> dict[str, Any]:
    """An edge of a large map without its style (the page takes it from ``roleStyles``)."""
    return {k: edge[k] for k in ("id", "from", "to", "role", "via", "order", "clause") if k in edge}


def _role_style(role: str) -> dict[str, Any]:
    """The vis-network options every edge of ``role`` shares."""
    st = style.ROLE_STYLES[role]
    return {
        "width": st.width,
        "dashes": st.dashes,
        "color": {"color": st.color, "highlight": st.color, "hover": st.color, "opacity": 0.85},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
    }


def render_map(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    unit: str | None = None,
    depth: int = 1,
    section: str | Sequence[str] | None = None,
    roles: str | Sequence[str] | None = None,
    expand_collectives: bool = False,
    members: Mapping[str, Sequence[str]] | None = None,
    gazetteer: Gazetteer | None = None,
    layout_threshold: int = LAYOUT_THRESHOLD,
) -> str:
    """The interactive map of ``graph`` as one self-contained HTML page.

    ``unit`` and ``depth`` draw an ego map (the unit, its tasks, their units, … ``depth``
    times); ``section`` keeps the tasks of some sections (number ``五`` or title); ``roles``
    (``"lead,support"`` or a list) keeps those edges; ``expand_collectives`` adds the derived
    edges of collectives' ``members`` (default: inferred). Unit names resolve through
    ``gazetteer`` (aliases welcome). Past ``layout_threshold`` nodes the layout is computed in
    Python and physics is off, as the page says.
    """
    data = map_data(
        graph,
        title=title,
        unit=unit,
        depth=depth,
        section=section,
        roles=roles,
        expand_collectives=expand_collectives,
        members=members,
        gazetteer=gazetteer,
        layout_threshold=layout_threshold,
    )
    return page(data)


def write_map(path: str | os.PathLike[str], graph: nx.MultiDiGraph, **options: Any) -> Path:
    """Write :func:`render_map`'s page to ``path`` (atomically) and return the path."""
    return write_atomic(path, render_map(graph, **options))


def page(data: Mapping[str, Any]) -> str:
    """The HTML page for :func:`map_data`'s ``data``."""
    from dutygraph import __version__

    esc = html.escape
    vis_js, vis_css = template.vis_assets()
    layout = data["layout"]
    if data["mode"] == "full":
        notice = '<p id="dg-progress">正在布局…</p>'
    elif data["mode"] == "ego":
        notice = (
            '<p class="dg-notice" id="dg-layout-note">中心单位居中（光圈、粗体），'
            "外圈按距离（跳数）排列；第一圈为其任务，按牵头、责任、配合排序。</p>"
        )
    else:
        notice = (
            f'<p class="dg-notice" id="dg-layout-note">此图有 {layout["nodes"]:,} 个节点，'
            f"超过 {layout['threshold']:,} 个：先显示单位总览（单位间连线＝共同任务，"
            "粗细按角色加权；大小＝负荷）。选择文件、部分或任务，即显示其任务。</p>"
        )
    units = [n for n in data["nodes"] if n["kind"] == "unit"]
    tasks = [n for n in data["nodes"] if n["kind"] == "task"]
    stats = f"{len(tasks)} 项任务 · {len(units)} 个单位 · {len(data['edges'])} 条分工"
    if data["focus"]["unit"]:
        name = data["focus"]["unit"].removeprefix("unit:")
        stats += f"<br>以 {esc(name)} 为中心，深度 {data['focus']['depth']}"
    if data["expanded"]:
        stats += "<br>已展开集合单位（淡色连线为推断的成员分工）"
    names = sorted(set(data["search"]["names"].values()) | set(data["search"]["names"]))
    data_json = template.script_json(data)
    app_js = template.inline_script(APP_JS)
    parts = dict(
        CSP=esc(template.page_csp(vis_js, app_js)),
        VERSION=esc(__version__),
        TITLE=esc(data["title"]),
        VIS_CSS=vis_css,
        CSS=template.fill(template.CSS, FONT=style.FONT_FACE),
        STATS=stats,
        NOTICE=notice,
        NAME_OPTIONS="".join(f'<option value="{esc(n)}">' for n in names),
        ROLE_FILTERS=legend.role_filters(data["edges"]),
        UNIT_LEGEND=legend.unit_legend(units),
        SECTION_FILTERS=legend.section_filters(data["sections"], several=len(data["plans"]) > 1),
        PLAN_FILTER=legend.plan_filter(data["plans"]),
        VIS_JS=vis_js,
        DATA=data_json,
        APP_JS=app_js,
    )
    # the font holds the characters of everything but vis-network's own (unused) UI strings
    readable = template.fill(template.PAGE, **{**parts, "VIS_JS": ""})
    parts["CSS"] = font_face_css(readable) + parts["CSS"]
    return template.fill(template.PAGE, **parts)


def _styled(
    view: nx.MultiDiGraph, plan_names: Mapping[str, str], *, several: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge options, and the section legend rows, of the selected graph.

    Tasks come first and units last, so a unit is drawn over (and clicked before) any task
    that overlaps it. A task's units are listed in document order (by span).
    """
    loads = unit_loads(view)
    gaps = task_gaps(view)
    by_task: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    clauses: dict[str, list[str]] = defaultdict(list)
    written: dict[str, list[str]] = defaultdict(list)
    in_text_order = sorted(role_edges(view), key=lambda e: (e[1], _span(e[3])))
    for u, t, role, d in in_text_order:
        name = view.nodes[u]["name"]
        if name not in by_task[t][role]:
            by_task[t][role].append(name)
        if d.get("clause") and d["clause"] not in clauses[t] and d.get("via") is None:
            clauses[t].append(d["clause"])
        if d.get("as_written") and d["as_written"] not in (name, *written[u]):
            written[u].append(d["as_written"])
    sections: dict[str, dict[str, Any]] = {}
    tasks: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    for order, (n, d) in enumerate(view.nodes(data=True)):
        if d["kind"] == "unit":
            load = loads[d["name"]]
            counts = (load.lead, load.support, load.responsible)
            units.append(style.unit_options(n, d, counts, load.load, written[n]))
            units[-1]["order"] = order
            continue
        doc_id, number = str(d.get("doc_id", "")), str(d.get("section", ""))
        key = style.section_key(doc_id, number)
        colors = style.section_colors(doc_id, number)
        if key not in sections:
            sections[key] = {
                "key": key,
                "plan": doc_id,
                "planName": plan_names.get(doc_id, doc_id),
                "section": number,
                "title": str(d.get("section_title", "")),
                "background": colors[0],
                "border": colors[1],
                "tasks": 0,
            }
        sections[key]["tasks"] += 1
        gap = gaps.get(str(d.get("uid")), ())
        plan = plan_names.get(doc_id, doc_id)
        tasks.append(
            style.task_options(
                n, d, colors, by_task[n], gap, clauses[n], plan, plan_in_label=several
            )
        )
        tasks[-1]["order"] = order
    labels = {n["id"]: f"任务 {n['number']}" for n in tasks}
    edges = [
        style.edge_options(f"e{i}", view.nodes[u]["name"], labels[t], role, d)
        | {"from": u, "to": t, "order": _span(d), "clause": str(d.get("clause") or "")}
        for i, (u, t, role, d) in enumerate(role_edges(view))
    ]
    return tasks + units, edges, list(sections.values())


def _span(data: Mapping[str, Any]) -> int:
    start = data.get("span_start")
    return start if isinstance(start, int) else 0


def _options(*, physics: bool) -> dict[str, Any]:
    """vis-network options: forces that settle (then the page stops them), or none at all."""
    options: dict[str, Any] = {
        "autoResize": True,
        "height": "100%",
        "width": "100%",
        "layout": {"randomSeed": 7, "improvedLayout": physics},
        "nodes": {"font": {"face": style.FONT_FACE}},
        "edges": {
            "smooth": {"enabled": physics, "type": "continuous", "roundness": 0.25},
            "selectionWidth": 1.5,
            "hoverWidth": 0.6,
        },
        "interaction": {
            "hover": physics,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not physics,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "physics": {"enabled": False},
    }
    if not physics:
        options["nodes"]["scaling"] = {"label": {"drawThreshold": 7}}
        options["edges"]["smooth"] = False
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -100,
                "centralGravity": 0.025,
                "springLength": 90,
                "springConstant": 0.05,
                "damping": 0.5,
                "avoidOverlap": 1.0,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 700,
                "updateInterval": 50,
                "fit": True,
            },
            "minVelocity": 1.0,
        }
    return options


def _default_title(graph: nx.MultiDiGraph) -> str:
    titles = [
        str(d.get("title") or d.get("id"))
        for _, d in graph.nodes(data=True)
        if d.get("kind") == "document"
    ]
    if len(titles) == 1:
        return f"{titles[0]} · 责任网络图"
    return f"{len(titles)} 份文件 · 责任网络图" if titles else "责任网络图"
