"""How the map looks: shapes and colours by kind, edge styles by role, labels and tooltips.

Everything here is plain data (dicts of strings and numbers) that becomes vis-network's node and
edge options. Tooltips are *data* too (``tip``: a heading, label–value rows and a body): the
page's script turns them into DOM elements with ``textContent``, so no document text is ever
parsed as HTML.

>>> wrap_label("市人力资源社会保障局", 6)
'市人力资源\\n社会保障局'
>>> UNIT_STYLES["collective"].shape, ROLE_STYLES["support"].dashes
('hexagon', [7, 5])
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dutygraph.queries.gaps import gap_label
from dutygraph.views.fonts import FONT_STACK

__all__ = [
    "FONT_FACE",
    "ROLE_STYLES",
    "SECTION_PALETTE",
    "UNIT_STYLES",
    "RoleStyle",
    "UnitStyle",
    "edge_options",
    "plan_names",
    "section_colors",
    "section_key",
    "task_options",
    "unit_options",
    "wrap_label",
]

#: The page's embedded CJK subset first (nothing is fetched), then local CJK faces.
FONT_FACE = FONT_STACK
_TIP_TEXT_LIMIT = 800


@dataclass(frozen=True)
class UnitStyle:
    """How one kind of unit is drawn."""

    label: str
    shape: str
    background: str
    border: str


@dataclass(frozen=True)
class RoleStyle:
    """How one role's edges are drawn (``dashes`` false for a solid line)."""

    label: str
    color: str
    width: float
    dashes: list[int] | bool


UNIT_STYLES: Mapping[str, UnitStyle] = {
    "party": UnitStyle("党委部门", "diamond", "#e05a5a", "#a32020"),
    "government": UnitStyle("政府部门", "dot", "#4f8fd9", "#1f5aa6"),
    "court": UnitStyle("法院", "triangle", "#9a7fd1", "#5e3fa3"),
    "procuratorate": UnitStyle("检察院", "triangleDown", "#c77daa", "#8a3c6c"),
    "mass": UnitStyle("群团组织", "star", "#f2b134", "#b57900"),
    "office": UnitStyle("办事机构", "square", "#3fb5a3", "#1a7a6c"),
    "collective": UnitStyle("集合（成员单位等）", "hexagon", "#d9d9d9", "#6b6b6b"),
    "unknown": UnitStyle("其他单位", "dot", "#b8b8b8", "#7a7a7a"),
}

ROLE_STYLES: Mapping[str, RoleStyle] = {
    "lead": RoleStyle("牵头", "#c0392b", 3.5, False),
    "support": RoleStyle("配合", "#2f7fd0", 1.6, [7, 5]),
    "responsible": RoleStyle("责任", "#239b56", 2.2, [2, 4]),
}

#: Task fill and border colours, one pair per section in order of appearance.
SECTION_PALETTE: tuple[tuple[str, str], ...] = (
    ("#fde7cf", "#e08a2e"),
    ("#dcecfb", "#4a8bd0"),
    ("#dff3e2", "#3f9a52"),
    ("#f6def0", "#b5549b"),
    ("#fff5c2", "#c9a400"),
    ("#e4e1f7", "#6a5cc0"),
    ("#d9f2f2", "#2c9c9c"),
    ("#f9dede", "#c25050"),
    ("#ece4d8", "#8c6b3e"),
    ("#e6e6e6", "#707070"),
)

_GAP_BORDER = "#d62728"
_PLAN_NAME_LIMIT = 20
_NUMERALS = "一二三四五六七八九十"


def section_key(doc_id: str, section: str) -> str:
    """The key of a plan's section: sections of different plans never merge.

    >>> section_key("anshun_2023", "五")
    'anshun_2023::五'
    """
    return f"{doc_id}::{section}"


def _ordinal(section: str) -> int:
    """``一`` → 0, ``十二`` → 11, ``3`` → 2; other labels by a stable hash."""
    digits = re.fullmatch(r"\d+", section)
    if digits:
        return int(section) - 1
    if section and all(ch in _NUMERALS for ch in section) and len(section) <= 3:
        if section == "十":
            return 9
        tens, _, ones = section.rpartition("十")
        if "十" not in section:
            return _NUMERALS.index(section) if len(section) == 1 else _hash(section)
        value = (_NUMERALS.index(tens) + 1 if tens else 1) * 10
        return value + (_NUMERALS.index(ones) + 1 if ones else 0) - 1
    return _hash(section)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:4], "big")


def section_colors(doc_id: str, section: str) -> tuple[str, str]:
    """Fill and border of a section's tasks, derived from the (plan, section) key alone.

    The same section gets the same colour in every view of the same data (full, filtered or
    ego map); within one plan, consecutive sections get different colours.

    >>> section_colors("anshun_2023", "五") == section_colors("anshun_2023", "五")
    True
    >>> len({section_colors("p", s) for s in "一二三四五六七八九十"})
    10
    """
    index = (_hash(doc_id) + _ordinal(section)) % len(SECTION_PALETTE)
    return SECTION_PALETTE[index]


def plan_names(documents: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """A short, unique name for each document (``{doc id: name}``), for labels and lists.

    The title (at most 20 characters, cut with …), else the issuer and year, else the id; a
    name two documents share gets the document id after it.

    >>> plan_names({"a": {"title": "安顺市2023年度未成年人保护工作要点"},
    ...             "b": {"title": "", "issuer": "团市委", "date": "2021-03-01"},
    ...             "c": {"title": "", "issuer": "团市委", "date": "2021-05-01"}})
    {'a': '安顺市2023年度未成年人保护工作要点', 'b': '团市委 2021（b）', 'c': '团市委 2021（c）'}
    """
    raw: dict[str, str] = {}
    for doc_id, d in documents.items():
        title = re.sub(r"\s+", "", str(d.get("title") or ""))
        if title:
            name = title
        elif d.get("issuer"):
            name = f"{d['issuer']} {str(d.get('date') or '')[:4]}".strip()
        else:
            name = doc_id
        if len(name) > _PLAN_NAME_LIMIT:
            name = name[: _PLAN_NAME_LIMIT - 1] + "…"
        raw[doc_id] = name
    count: dict[str, int] = {}
    for name in raw.values():
        count[name] = count.get(name, 0) + 1
    return {k: (f"{v}（{k}）" if count[v] > 1 else v) for k, v in raw.items()}


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap_label(text: str, width: int = 6) -> str:
    """Break ``text`` into balanced lines of about ``width`` CJK characters each.

    Chinese has no spaces to wrap at, so lines are cut by display width (a Latin letter counts
    half) into as few lines as fit, of near-equal length.

    >>> wrap_label("团市委", 6)
    '团市委'
    >>> print(wrap_label("7. 加强家庭教育指导", 6))
    7. 加强家
    庭教育指导
    """
    widths = [_width(ch) for ch in text]
    total = sum(widths)
    if total <= 2 * width:
        return text
    lines = math.ceil(total / (2 * width))
    target = total / lines
    out: list[str] = []
    line, used = "", 0
    for ch, w in zip(text, widths, strict=True):
        if line and used + w > target + 1 and len(out) < lines - 1:
            out.append(line)
            line, used = "", 0
        line += ch
        used += w
    out.append(line)
    return "\n".join(s.strip() for s in out)


def _clip(text: str, limit: int = _TIP_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unit_options(
    node: str,
    data: Mapping[str, Any],
    counts: tuple[int, int, int],
    load: float,
    written: Sequence[str],
) -> dict[str, Any]:
    """vis-network options of a unit node: shape and colour by kind, size by load.

    ``counts`` are its lead, support and responsible assignments; ``written`` the other names
    the documents use for it.

    >>> o = unit_options("unit:团市委", {"name": "团市委", "unit_kind": "mass"}, (1, 4, 2), 11, [])
    >>> o["shape"], o["size"], o["tip"]["rows"][0]
    ('star', 25.3, ['类别', '群团组织'])
    """
    kind = "collective" if data.get("collective") else str(data.get("unit_kind") or "unknown")
    style = UNIT_STYLES.get(kind, UNIT_STYLES["unknown"])
    name = str(data["name"])
    rows = [
        ["类别", style.label],
        ["牵头", f"{counts[0]} 项"],
        ["配合", f"{counts[1]} 项"],
        ["责任", f"{counts[2]} 项"],
        ["负荷", f"{load:g}（牵头×3＋责任×2＋配合×1）"],
    ]
    if written:
        rows.append(["文中写作", "、".join(written)])
    options: dict[str, Any] = {
        "id": node,
        "label": wrap_label(name, 6),
        "shape": style.shape,
        "size": round(min(14 + 3.4 * math.sqrt(load), 46), 1),
        "color": _color(style.background, style.border),
        "borderWidth": 2,
        "font": {"size": 19, "strokeWidth": 4, "strokeColor": "#ffffff", "color": "#1d2733"},
        "kind": "unit",
        "unitKind": kind,
        "name": name,
        "load": load,
        "tip": {"head": name, "rows": rows, "body": ""},
    }
    if kind == "collective":
        options["shapeProperties"] = {"borderDashes": [5, 4]}
    return options


def task_options(
    node: str,
    data: Mapping[str, Any],
    colors: tuple[str, str],
    units: Mapping[str, Sequence[str]],
    gaps: Sequence[str],
    clauses: Sequence[str],
    plan: str = "",
    *,
    plan_in_label: bool = False,
) -> dict[str, Any]:
    """vis-network options of a task node: a box coloured by section, red-dashed if it has a gap.

    ``units`` maps each role to the unit names holding it (in document order); ``clauses`` are
    the assignment clauses (the evidence); ``plan`` is the short name of its document, shown
    in the tooltip and every list, and in the label with ``plan_in_label`` (maps of several
    plans). The tip shows the
    task's deadline and leader when it has them.

    >>> o = task_options("task:d#3", {"number": "3", "title": "健全法规政策", "section": "一",
    ...     "section_title": "统筹", "text": "3.健全法规政策。"}, SECTION_PALETTE[0], {},
    ...     ["no-lead"], [])
    >>> o["label"], o["shapeProperties"], o["tip"]["rows"][-1]
    ('3. 健全法规政策', {'borderDashes': [6, 3]}, ['缺口', '无牵头单位'])
    """
    number, title = str(data.get("number", "")), str(data.get("title", ""))
    rows = [["部分", f"{data.get('section', '')}、{data.get('section_title', '')}"]]
    if plan:
        rows.insert(0, ["文件", plan])
    for role, style in ROLE_STYLES.items():
        if units.get(role):
            rows.append([style.label, "、".join(units[role])])
    if clauses:
        rows.append(["分工原文", " ｜ ".join(clauses)])
    if data.get("deadline"):
        rows.append(["完成时限", str(data["deadline"])])
    if data.get("leader"):
        rows.append(["责任领导", str(data["leader"])])
    if gaps:
        rows.append(["缺口", "、".join(gap_label(g) for g in gaps)])
    background, border = colors
    options: dict[str, Any] = {
        "id": node,
        "label": wrap_label(f"{number}. {title}", 8) + (f"\n〔{plan}〕" if plan_in_label else ""),
        "shape": "box",
        "color": _color(background, _GAP_BORDER if gaps else border),
        "borderWidth": 2.5 if gaps else 1.5,
        "margin": 8,
        "font": {"size": 16, "color": "#22303c"},
        "kind": "task",
        "section": section_key(str(data.get("doc_id", "")), str(data.get("section", ""))),
        "plan": str(data.get("doc_id", "")),
        "planName": plan,
        "number": number,
        "name": title,
        "gaps": list(gaps),
        "tip": {
            "head": f"任务 {number} · {title}",
            "rows": rows,
            "body": _clip(str(data.get("text", ""))),
        },
    }
    if gaps:
        options["shapeProperties"] = {"borderDashes": [6, 3]}
    return options


def edge_options(
    edge: str, unit_name: str, task_label: str, role: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """vis-network options of a unit→task edge, styled by role; derived edges are fainter.

    >>> e = edge_options("e0", "团市委", "任务 9", "support", {"clause": "配合单位：团市委"})
    >>> e["dashes"], e["tip"]["rows"][1]
    ([7, 5], ['分工原文', '配合单位：团市委'])
    """
    style = ROLE_STYLES[role]
    via = data.get("via")
    rows = [["角色", f"{style.label}（{role}）"], ["分工原文", str(data.get("clause") or "")]]
    if data.get("as_written") and data.get("as_written") != unit_name:
        rows.append(["文中写作", str(data["as_written"])])
    if via:
        rows.append(["展开自", f"{via}（推断的成员关系）"])
    if data.get("doc_id"):
        rows.append(["文件", f"{data['doc_id']} 第 {data.get('span_start')} 字起"])
    return {
        "id": edge,
        "role": role,
        "via": via,
        "width": style.width * (0.6 if via else 1.0),
        "dashes": style.dashes,
        "color": {
            "color": style.color,
            "highlight": style.color,
            "hover": style.color,
            "opacity": 0.45 if via else 0.85,
        },
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
        "tip": {"head": f"{unit_name} → {task_label}", "rows": rows, "body": ""},
    }


def _color(background: str, border: str) -> dict[str, Any]:
    return {
        "background": background,
        "border": border,
        "highlight": {"background": background, "border": "#111111"},
        "hover": {"background": background, "border": "#111111"},
    }
