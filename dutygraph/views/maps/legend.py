"""The side panel's legends and filters as HTML: roles, unit kinds, plans, sections.

Every piece of document text (plan names and titles, section titles) goes through
:func:`html.escape`; section boxes carry the (plan, section) key, so sections of different
plans never merge.

>>> row = {"key": "d::一", "plan": "d", "planName": "<b>要点</b>", "section": "一",
...        "title": "统筹", "background": "#fff", "border": "#000", "tasks": 3}
>>> "&lt;b&gt;要点&lt;/b&gt; · 一 统筹" in section_filters([row], several=True)
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from dutygraph.graph.records import ROLES
from dutygraph.views.maps import style

__all__ = ["plan_filter", "role_filters", "section_filters", "unit_legend"]


def role_filters(edges: Sequence[Mapping[str, Any]]) -> str:
    """A checkbox per role with its line style and its number of edges.

    >>> 'value="lead" checked' in role_filters([{"role": "lead"}])
    True
    """
    counts = {r: sum(1 for e in edges if e["role"] == r) for r in ROLES}
    out = []
    for role in ROLES:
        st = style.ROLE_STYLES[role]
        dash = " ".join(map(str, st.dashes)) if isinstance(st.dashes, list) else "none"
        out.append(
            f'<label class="dg-row"><input type="checkbox" name="dg-role" value="{role}" checked>'
            f'<svg width="36" height="10" aria-hidden="true"><line x1="1" y1="5" x2="35" y2="5" '
            f'stroke="{st.color}" stroke-width="{st.width}" stroke-dasharray="{dash}"/></svg>'
            f'{st.label}（{role}）<span class="dg-count">{counts[role]}</span></label>'
        )
    return "".join(out)


_SHAPES = {
    "dot": '<circle cx="8" cy="8" r="6"',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"',
    "triangle": '<polygon points="8,2 15,14 1,14"',
    "triangleDown": '<polygon points="1,2 15,2 8,14"',
    "star": '<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"',
    "square": '<rect x="2" y="2" width="12" height="12"',
    "hexagon": '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8" stroke-dasharray="3 2"',
}


def unit_legend(units: Sequence[Mapping[str, Any]]) -> str:
    """A row per kind of unit present (shape, colour, count).

    >>> "群团组织" in unit_legend([{"unitKind": "mass"}]), "法院" in unit_legend([])
    (True, False)
    """
    present = {u["unitKind"] for u in units}
    out = []
    for kind, st in style.UNIT_STYLES.items():
        if kind not in present:
            continue
        n = sum(1 for u in units if u["unitKind"] == kind)
        out.append(
            f'<div class="dg-row"><svg width="16" height="16" aria-hidden="true">'
            f'{_SHAPES[st.shape]} fill="{st.background}" stroke="{st.border}" '
            f'stroke-width="1.5"/></svg>{st.label}<span class="dg-count">{n}</span></div>'
        )
    return "".join(out)


def plan_filter(plans: Sequence[Mapping[str, Any]]) -> str:
    """A menu of the plans (documents), when the map has more than one.

    >>> plan_filter([{"id": "a", "name": "甲", "title": "甲", "tasks": 2}])
    ''
    >>> "&lt;b&gt;" in plan_filter([{"id": "a", "name": "<b>甲</b>", "title": "甲", "tasks": 2},
    ...                             {"id": "b", "name": "乙", "title": "乙", "tasks": 1}])
    True
    """
    if len(plans) < 2:
        return ""
    esc = html.escape
    options = "".join(
        f'<option value="{esc(p["id"])}" title="{esc(p["title"])}">'
        f"{esc(p['name'])}（{p['tasks']}）</option>"
        for p in plans
    )
    return (
        f'<section><h2>文件（{len(plans)} 份）</h2><select id="dg-plan" aria-label="文件">'
        f'<option value="">全部文件</option>{options}</select></section>'
    )


def section_filters(sections: Sequence[Mapping[str, Any]], *, several: bool) -> str:
    """A checkbox per (plan, section) with its colour and tasks; ``several`` names the plan.

    >>> row = {"key": "d::五", "plan": "d", "planName": "要点", "section": "五",
    ...        "title": "网络", "background": "#fff", "border": "#000", "tasks": 2}
    >>> 'value="d::五"' in section_filters([row], several=False)
    True
    """
    esc = html.escape
    out = [
        f'<label class="dg-row" data-plan="{esc(s["plan"])}"><input type="checkbox" '
        f'name="dg-section" value="{esc(s["key"])}" checked><span class="dg-swatch" '
        f'style="background:{s["background"]};border:1.5px solid {s["border"]}"></span>'
        f"{esc(s['planName']) + ' · ' if several else ''}{esc(s['section'])} {esc(s['title'])}"
        f'<span class="dg-count">{s["tasks"]}</span></label>'
        for s in sections
    ]
    out.append(
        '<p class="dg-hint" id="dg-sections-hint" hidden>选择一份文件后，可按其部分筛选。</p>'
    )
    out.append(
        '<div class="dg-row"><span class="dg-swatch" style="background:#fff;'
        'border:2px dashed #d62728"></span>红色虚线框：有协调缺口的任务</div>'
    )
    return "".join(out)
