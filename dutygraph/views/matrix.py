"""The responsibility matrix: tasks × units, cells 牵 / 配 / 责, gaps marked.

Committee offices print and circulate this view. Rows are tasks (number, section, title) in
document order, columns are units ordered by load (heaviest first, then by name), and a cell
holds the unit's role in the task: 牵 (lead), 配 (support), 责 (responsible); a role derived by
expanding a collective is in parentheses, e.g. ``（配）``. A task with a coordination gap (see
:data:`~dutygraph.analysis.metrics.TASK_GAP_KINDS`) lists its gap kinds and is highlighted.
When some task has a deadline, a 完成时限 column after 任务 holds each task's as written.
Rows of several plans carry their plan's short name (a 文件 column first in CSV and .xlsx); a
totals row counts, per unit, the tasks it leads, supports and is responsible for
(:func:`unit_totals`). In HTML the 序号, 部分 and 任务 columns stay in view when the table
scrolls sideways, and several plans make a units × plans summary and one collapsible table per
plan.

Written as ``.xlsx`` (frozen header row and task columns, filters, readable widths, the totals
row last), ``.csv``
(UTF-8 with a byte-order mark, so Excel reads the Chinese) or ``.html`` (one self-contained,
escaped page).

>>> from dutygraph.queries.sample import sample_graph
>>> columns, rows = responsibility_matrix(sample_graph())
>>> columns
['市教育局', '市民政局', '团市委', '市妇联', '未保委成员单位']
>>> [(r.number, r.cells.get("团市委", ""), r.gaps) for r in rows]
[('1', '配', ()), ('2', '牵', ('multi-lead', 'collective-only')), ('3', '', ('no-lead',))]
>>> for line in matrix_csv(columns, rows).splitlines()[:2]:
...     print(line)
序号,部分,任务,完成时限,缺口,市教育局,市民政局,团市委,市妇联,未保委成员单位
1,一、统筹,建立机制,2024年6月底,,,牵,配,配,
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from dutygraph.analysis.metrics import role_edges, task_gaps, unit_loads
from dutygraph.errors import InputError
from dutygraph.files import write_atomic
from dutygraph.queries.gaps import TASK_GAP_KINDS, gap_label
from dutygraph.views.fonts import FONT_STACK, font_face_css

__all__ = [
    "MATRIX_FORMATS",
    "ROLE_MARKS",
    "MatrixRow",
    "has_derived",
    "matrix_csv",
    "matrix_header",
    "matrix_html",
    "matrix_table",
    "matrix_table_html",
    "matrix_xlsx",
    "plan_matrix_html",
    "responsibility_matrix",
    "unit_plan_table_html",
    "unit_totals",
    "write_matrix",
]

#: The mark of each role in a cell.
ROLE_MARKS: Mapping[str, str] = {"lead": "牵", "support": "配", "responsible": "责"}
#: Output formats by file suffix.
MATRIX_FORMATS: tuple[str, ...] = (".xlsx", ".csv", ".html")
HEADER: tuple[str, ...] = ("序号", "部分", "任务", "缺口")
#: The plan column, first, when the rows come from several plans (CSV and .xlsx).
PLAN_HEADER = "文件"
#: The label of the per-unit totals row.
TOTALS_LABEL = "合计（项）"
#: The deadline column, after 任务, shown only when some task has a deadline.
DEADLINE_HEADER = "完成时限"

_DERIVED = re.compile(r"（.）")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_WIDTHS = {"文件": 20, "序号": 6, "部分": 16, "任务": 26, "完成时限": 14, "缺口": 22}
_FILLS = {"牵": "F6C9C3", "配": "D3E4F7", "责": "D3EFDC", "gap": "FFEDB8", "head": "E8ECF0"}


@dataclass(frozen=True)
class MatrixRow:
    """One task's row: what identifies it, its gap kinds, and a mark per unit that has a role."""

    uid: str
    number: str
    section: str
    section_title: str
    title: str
    gaps: tuple[str, ...]
    cells: Mapping[str, str]
    deadline: str = ""
    plan: str = ""


def has_derived(rows: Sequence[MatrixRow]) -> bool:
    """Whether any cell is derived from a collective (a bracketed mark such as ``（配）``).

    >>> has_derived([MatrixRow("d#1", "1", "一", "", "t", (), {"团市委": "（配）"})])
    True
    """
    return any(mark.startswith("（") for r in rows for mark in r.cells.values())


def responsibility_matrix(graph: nx.MultiDiGraph) -> tuple[list[str], list[MatrixRow]]:
    """The unit columns (by load, then name) and one :class:`MatrixRow` per task.

    A row's ``number`` is the task's number in its plan, and ``plan`` its plan's short name
    (:func:`~dutygraph.views.maps.style.plan_names`), so rows of several plans read
    "安顺市…要点 · 7 加强家庭教育指导", never by uid.
    """
    from dutygraph.queries.spec import natural_key
    from dutygraph.views.maps.style import plan_names

    loads = unit_loads(graph)
    columns = sorted(loads, key=lambda name: (-loads[name].load, name))
    marks: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for u, t, role, data in role_edges(graph):
        mark = ROLE_MARKS[role] if data.get("via") is None else f"（{ROLE_MARKS[role]}）"
        if mark not in marks[t][graph.nodes[u]["name"]]:
            marks[t][graph.nodes[u]["name"]].append(mark)
    gaps = task_gaps(graph)
    tasks = sorted(
        ((n, d) for n, d in graph.nodes(data=True) if d.get("kind") == "task"),
        key=lambda item: natural_key(str(item[1]["uid"])),
    )
    names = plan_names(
        {str(d["id"]): d for _, d in graph.nodes(data=True) if d.get("kind") == "document"}
    )
    rows = [
        MatrixRow(
            uid=str(d["uid"]),
            number=str(d.get("number", "")),
            section=str(d.get("section", "")),
            section_title=str(d.get("section_title", "")),
            title=str(d.get("title", "")),
            gaps=gaps.get(str(d["uid"]), ()),
            cells={name: "".join(sorted(m, key=_mark_order)) for name, m in marks[n].items()},
            deadline=str(d.get("deadline") or ""),
            plan=names.get(str(d.get("doc_id")), str(d.get("doc_id") or "")),
        )
        for n, d in tasks
    ]
    return columns, rows


def _mark_order(mark: str) -> int:
    return "牵配责".index(mark.strip("（）"))


def gap_text(gaps: Sequence[str]) -> str:
    """The gap column's text: each kind's Chinese label with its code.

    >>> gap_text(["no-lead", "diffuse"])
    '无牵头单位（no-lead）；责任单位多而无牵头（diffuse）'
    """
    return "；".join(f"{gap_label(k)}（{k}）" for k in gaps)


def several_plans(rows: Sequence[MatrixRow]) -> bool:
    """Whether ``rows`` come from more than one plan.

    >>> several_plans([MatrixRow("a#1", "1", "一", "", "甲", (), {}, plan="甲")])
    False
    """
    return len({r.plan for r in rows}) > 1


def matrix_header(rows: Sequence[MatrixRow]) -> tuple[str, ...]:
    """The columns before the units': :data:`HEADER`, with 完成时限 after 任务 when some task
    has a deadline, and 文件 (the plan's short name) first when the rows come from several plans.

    >>> matrix_header([MatrixRow("d#1", "1", "一", "", "甲", (), {}, deadline="6月底前")])
    ('序号', '部分', '任务', '完成时限', '缺口')
    >>> matrix_header([MatrixRow("a#1", "1", "一", "", "甲", (), {}, plan="甲"),
    ...                MatrixRow("b#1", "1", "一", "", "乙", (), {}, plan="乙")])[:2]
    ('文件', '序号')
    """
    head = HEADER
    if any(r.deadline for r in rows):
        head = (*HEADER[:3], DEADLINE_HEADER, *HEADER[3:])
    return (PLAN_HEADER, *head) if several_plans(rows) else head


def matrix_table(columns: Sequence[str], rows: Sequence[MatrixRow]) -> list[list[str]]:
    """The matrix as a header row and one list of strings per task (the CSV's content)."""
    header = matrix_header(rows)
    several = header[0] == PLAN_HEADER
    table = [[*header, *columns]]
    for r in rows:
        section = f"{r.section}、{r.section_title}" if r.section_title else r.section
        deadline = [r.deadline] if DEADLINE_HEADER in header else []
        table.append(
            [
                *([r.plan] if several else []),
                r.number,
                section,
                r.title,
                *deadline,
                gap_text(r.gaps),
                *(r.cells.get(c, "") for c in columns),
            ]
        )
    return table


def unit_totals(columns: Sequence[str], rows: Sequence[MatrixRow]) -> dict[str, dict[str, int]]:
    """Per unit, how many of ``rows``' tasks it leads, supports and is responsible for (牵, 配,
    责), as the plan writes them: a mark in parentheses (derived from a collective) is not
    counted. A task counts once per role, so no total counts a task twice.

    >>> rows = [MatrixRow("d#1", "1", "一", "", "t", (), {"甲": "牵", "乙": "（配）"}),
    ...         MatrixRow("d#2", "2", "一", "", "u", (), {"甲": "配"})]
    >>> unit_totals(["甲", "乙"], rows)
    {'甲': {'牵': 1, '配': 1, '责': 0}, '乙': {'牵': 0, '配': 0, '责': 0}}
    """
    out = {c: dict.fromkeys("牵配责", 0) for c in columns}
    for r in rows:
        for unit, cell in r.cells.items():
            if unit in out:
                for mark in set(_DERIVED.sub("", cell)):
                    out[unit][mark] += 1
    return out


def totals_text(counts: Mapping[str, int], sep: str = " ") -> str:
    """The non-zero counts as ``牵4 配1``; empty when all are zero.

    >>> totals_text({"牵": 4, "配": 0, "责": 2}), totals_text({"牵": 0})
    ('牵4 责2', '')
    """
    return sep.join(f"{m}{n}" for m, n in counts.items() if n)


def matrix_csv(columns: Sequence[str], rows: Sequence[MatrixRow]) -> str:
    """The matrix as CSV text (write it as ``utf-8-sig`` for Excel: :func:`write_matrix` does).

    A cell that Excel would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return) gets a leading ``'``, as OWASP advises against CSV injection.

    >>> matrix_csv([], [MatrixRow("d#1", "1", "一", "", "=HYPERLINK(1)", (), {})]).splitlines()[1]
    "1,一,'=HYPERLINK(1),"
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in matrix_table(columns, rows):
        writer.writerow(["'" + v if v[:1] in _FORMULA_START else v for v in line])
    return out.getvalue()


#: Columns that stay in view when the table scrolls sideways (CSS classes ``k1``…``k3``).
_STICKY = {"序号": "k1", "部分": "k2", "任务": "k3"}


def matrix_table_html(columns: Sequence[str], rows: Sequence[MatrixRow]) -> str:
    """The matrix as one HTML ``<table>`` (for embedding, as the report does); text escaped.

    The header row is followed by a per-unit totals row (:func:`unit_totals`); the 序号, 部分
    and 任务 columns carry the classes ``k1``–``k3`` that keep them in view (``position:
    sticky``) when the table scrolls sideways.

    >>> page = matrix_table_html(["<b>"], [])
    >>> page.startswith("<table>"), '<th class="u">&lt;b&gt;</th>' in page
    (True, True)
    """
    esc = html.escape
    table = matrix_table(columns, rows)
    fixed = len(matrix_header(rows))
    sticky = [_STICKY.get(h, "") for h in table[0][:fixed]]
    head = "".join(
        f'<th class="{"u" if i >= fixed else " ".join(filter(None, ("t", sticky[i])))}">'
        f"{esc(h)}</th>"
        for i, h in enumerate(table[0])
    )
    totals = unit_totals(columns, rows)
    label_at = sticky.index("k3") if "k3" in sticky else 0
    total_cells = "".join(
        f'<td class="{sticky[i]}">{TOTALS_LABEL if i == label_at else ""}</td>'
        if sticky[i]
        else f"<td>{TOTALS_LABEL if i == label_at else ''}</td>"
        for i in range(fixed)
    ) + "".join(f'<td class="m">{totals_text(totals[c], "<br>")}</td>' for c in columns)
    body = []
    for r, cells in zip(rows, table[1:], strict=True):
        tds = "".join(
            f'<td class="m{_mark_class(v)}">{esc(v)}</td>'
            if i >= fixed
            else (f'<td class="{sticky[i]}">' if sticky[i] else "<td>") + f"{esc(v)}</td>"
            for i, v in enumerate(cells)
        )
        body.append(f'<tr class="{"gap" if r.gaps else ""}">{tds}</tr>')
    return (
        f'<table><thead><tr>{head}</tr><tr class="totals">{total_cells}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _plan_groups(rows: Sequence[MatrixRow]) -> dict[str, list[MatrixRow]]:
    groups: dict[str, list[MatrixRow]] = {}
    for r in rows:
        groups.setdefault(r.plan, []).append(r)
    return groups


def plan_matrix_html(columns: Sequence[str], rows: Sequence[MatrixRow]) -> str:
    """The matrix of several plans as one collapsible ``<details>`` per plan (closed), each
    holding that plan's table (:func:`matrix_table_html`) over the units it names.

    >>> rows = [MatrixRow("a#1", "1", "一", "", "甲", ("no-lead",), {"<b>": "配"}, plan="<i>A</i>"),
    ...         MatrixRow("b#1", "1", "一", "", "乙", (), {"丙": "牵"}, plan="B")]
    >>> page = plan_matrix_html(["丙", "<b>"], rows)
    >>> page.count("<details")
    2
    >>> "<summary>&lt;i&gt;A&lt;/i&gt;（1 项任务，有协调缺口 1 项）</summary>" in page
    True
    """
    esc = html.escape
    out = []
    for plan, group in _plan_groups(rows).items():
        named = [c for c in columns if any(c in r.cells for r in group)]
        gaps = sum(1 for r in group if r.gaps)
        out.append(
            f'<details class="plan"><summary>{esc(plan)}（{len(group)} 项任务，'
            f"有协调缺口 {gaps} 项）</summary>"
            f'<div class="scroll">{matrix_table_html(named, group)}</div></details>'
        )
    return "".join(out)


def unit_plan_table_html(columns: Sequence[str], rows: Sequence[MatrixRow]) -> str:
    """Units × plans: per unit (by load) its 牵 / 配 / 责 totals over all ``rows``, then one
    column per plan with its counts there (:func:`unit_totals`); the unit column stays in view.

    >>> rows = [MatrixRow("a#1", "1", "一", "", "甲", (), {"丙": "牵"}, plan="A"),
    ...         MatrixRow("b#1", "1", "一", "", "乙", (), {"丙": "配"}, plan="<B>")]
    >>> page = unit_plan_table_html(["丙"], rows)
    >>> '<td class="k1">丙</td><td class="n">1</td><td class="n">1</td><td class="n">0</td>' in page
    True
    >>> '<th class="u">&lt;B&gt;</th>' in page, '<td class="m">配1</td>' in page
    (True, True)
    """
    esc = html.escape
    groups = _plan_groups(rows)
    per_plan = {plan: unit_totals(columns, group) for plan, group in groups.items()}
    overall = unit_totals(columns, rows)
    head = '<th class="t k1">单位</th><th class="t">牵头</th><th class="t">配合</th>'
    head += '<th class="t">责任</th>' + "".join(f'<th class="u">{esc(p)}</th>' for p in groups)
    body = []
    for c in columns:
        t = overall[c]
        cells = "".join(f'<td class="m">{totals_text(per_plan[p][c])}</td>' for p in groups)
        body.append(
            f'<tr><td class="k1">{esc(c)}</td><td class="n">{t["牵"]}</td>'
            f'<td class="n">{t["配"]}</td><td class="n">{t["责"]}</td>{cells}</tr>'
        )
    return (
        f'<table class="unit-plan"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def matrix_html(columns: Sequence[str], rows: Sequence[MatrixRow], *, title: str) -> str:
    """The matrix as one self-contained HTML page; every text is escaped.

    Rows of one plan make one table; rows of several plans make the units × plans summary
    (:func:`unit_plan_table_html`) and then one collapsible table per plan
    (:func:`plan_matrix_html`), so a page of many plans opens short.

    >>> "&lt;b&gt;" in matrix_html([], [], title="<b>")
    True
    """
    esc = html.escape
    legend = (
        "牵＝牵头（lead）· 配＝配合（support）· 责＝责任（responsible）"
        f"{' · 括号＝由集合单位展开推断' if has_derived(rows) else ''}"
        " · 黄色行：有协调缺口的任务 · 单位按负荷排序 · 合计只计原文写明的分工"
    )
    if several_plans(rows):
        tables = (
            f'<h2>单位 × 文件（{len(_plan_groups(rows))} 份）</h2><div class="scroll">'
            f"{unit_plan_table_html(columns, rows)}</div>"
            f"<h2>各文件分工矩阵（点击文件名展开）</h2>{plan_matrix_html(columns, rows)}"
        )
    else:
        tables = f'<div class="scroll">{matrix_table_html(columns, rows)}</div>'
    body = f"<h1>{esc(title)}</h1><p>{legend}</p>{tables}"
    face = font_face_css(title + body)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; font-src data:\">"
        f"<title>{esc(title)}</title><style>{face}{_HTML_CSS}</style></head><body>"
        f"{body}</body></html>\n"
    )


#: The matrix tables' own rules (also used by the report): sticky header and task columns,
#: role colours, gap rows, the totals row.
MATRIX_CSS = """
.scroll { overflow: auto; max-height: 80vh; border: 1px solid #dde1e5; }
.scroll table { width: max-content; border-collapse: separate; border-spacing: 0; }
.scroll th, .scroll td { border: 0; border-right: 1px solid #cfd6dd;
  border-bottom: 1px solid #cfd6dd; padding: 3px 5px; vertical-align: top; background: #fff; }
.scroll thead th { position: sticky; top: 0; z-index: 2; background: #e8ecf0; }
.scroll th.u { writing-mode: vertical-rl; vertical-align: bottom; font-weight: 600; }
.scroll .k1, .scroll .k2, .scroll .k3 { position: sticky; z-index: 1; box-sizing: border-box;
  overflow-wrap: anywhere; }
.scroll thead .k1, .scroll thead .k2, .scroll thead .k3 { z-index: 3; }
.scroll .k1 { left: 0; width: 4.5em; min-width: 4.5em; max-width: 4.5em; }
.scroll .k2 { left: 4.5em; width: 7em; min-width: 7em; max-width: 7em; }
.scroll .k3 { left: 11.5em; width: 11em; min-width: 11em; max-width: 11em;
  box-shadow: 2px 0 0 #9aa5b0; }
table.unit-plan .k1 { width: 9em; min-width: 9em; max-width: 9em; box-shadow: 2px 0 0 #9aa5b0; }
.scroll td.m { text-align: center; white-space: nowrap; } .scroll td.n { text-align: right; }
.scroll td.lead { background: #f6c9c3; font-weight: 700; }
.scroll td.support { background: #d3e4f7; } .scroll td.resp { background: #d3efdc; }
.scroll tr.gap td:not(.lead):not(.support):not(.resp) { background: #ffedb8; }
.scroll tr.totals td { background: #f4f1ea; font-size: 12px; color: #33414d; }
details.plan { margin: 6px 0; } details.plan > summary { cursor: pointer; font-weight: 600; }
"""


def _mark_class(value: str) -> str:
    return {"牵": " lead", "配": " support", "责": " resp"}.get(value.strip("（）")[:1], "")


_HTML_CSS = """
body { font-family: @@FONT@@;
  margin: 16px; color: #1d2733; font-size: 13px; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin: 18px 0 8px; }
"""
_HTML_CSS = _HTML_CSS.replace("@@FONT@@", FONT_STACK) + MATRIX_CSS


def matrix_xlsx(columns: Sequence[str], rows: Sequence[MatrixRow], *, title: str) -> bytes:
    """The matrix as an Excel workbook: a 分工矩阵 sheet and a 说明 (legend) sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def fill(color: str) -> PatternFill:
        return PatternFill("solid", start_color=color, end_color=color)

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "分工矩阵"
    table = matrix_table(columns, rows)
    fixed = len(matrix_header(rows))
    for line in table:
        ws.append([_xlsx_text(v) or None for v in line])
    totals = unit_totals(columns, rows)
    label = [TOTALS_LABEL if h == "任务" else None for h in table[0][:fixed]]
    ws.append([*label, *(totals_text(totals[c]) or None for c in columns)])
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    ncols, nrows = len(table[0]), len(table)
    for j, cell in enumerate(ws[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = fill(_FILLS["head"])
        vertical = j > fixed
        cell.alignment = Alignment(
            horizontal="center",
            vertical="bottom" if vertical else "center",
            text_rotation=255 if vertical else 0,
            wrap_text=not vertical,
        )
    longest = max((len(c) for c in columns), default=2)
    ws.row_dimensions[1].height = max(30, 13.5 * longest + 8)
    for r, row in zip(rows, ws.iter_rows(min_row=2, max_row=nrows), strict=True):
        for j, cell in enumerate(row, start=1):
            if j > fixed:
                cell.alignment = Alignment(horizontal="center", vertical="center")
                mark = str(cell.value or "").strip("（）")[:1]
                if mark:
                    cell.fill = fill(_FILLS[mark])
                    cell.font = Font(bold=mark == "牵")
                elif r.gaps:
                    cell.fill = fill(_FILLS["gap"])
            else:
                cell.alignment = Alignment(vertical="center", wrap_text=1 < j <= fixed)
                if r.gaps:
                    cell.fill = fill(_FILLS["gap"])
    for j, name in enumerate(table[0][:fixed], start=1):
        ws.column_dimensions[get_column_letter(j)].width = _XLSX_WIDTHS[name]
    for j in range(fixed + 1, ncols + 1):
        ws.column_dimensions[get_column_letter(j)].width = 4.5
    for cell in ws[nrows + 1]:
        cell.font = Font(bold=True)
        cell.fill = fill(_FILLS["head"])
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    ws.freeze_panes = f"{get_column_letter(fixed + 1)}2"
    ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{nrows}"
    ws.print_title_rows = "1:1"
    legend = wb.create_sheet("说明")
    for line in (
        [title],
        ["牵", "牵头单位（lead）"],
        ["配", "配合单位（support）"],
        ["责", "责任单位（responsible）"],
        *([["（配）", "由集合单位展开推断的分工"]] if has_derived(rows) else []),
        [
            "黄色行",
            "有协调缺口的任务：" + "；".join(f"{gap_label(k)}＝{k}" for k in TASK_GAP_KINDS),
        ],
        ["列序", "单位按负荷排序：牵头×3＋责任×2＋配合×1"],
        [TOTALS_LABEL, "末行：各单位牵头、配合、责任的任务数（只计原文写明的分工，不含括号）"],
    ):
        legend.append(line)
    legend.column_dimensions["A"].width = 10
    legend.column_dimensions["B"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_text(value: str) -> str:
    """``value`` without the control characters an .xlsx cannot hold.

    >>> _xlsx_text("甲\x0b乙")
    '甲乙'
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def write_matrix(
    path: str | os.PathLike[str], graph: nx.MultiDiGraph, *, title: str | None = None
) -> Path:
    """Write the matrix of ``graph`` to ``path``, in the format its suffix names.

    >>> write_matrix("raci.pdf", nx.MultiDiGraph())
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: raci.pdf: cannot write a matrix as .pdf; use .xlsx, .csv or .html
    """
    suffix = Path(path).suffix.lower()
    if suffix not in MATRIX_FORMATS:
        raise InputError(
            f"cannot write a matrix as {suffix or 'a file without suffix'}",
            path=str(path),
            hint="use .xlsx, .csv or .html",
        )
    columns, rows = responsibility_matrix(graph)
    name = title or _default_title(graph)
    if suffix == ".xlsx":
        return write_atomic(path, matrix_xlsx(columns, rows, title=name))
    if suffix == ".csv":
        return write_atomic(path, matrix_csv(columns, rows), encoding="utf-8-sig")
    return write_atomic(path, matrix_html(columns, rows, title=name))


def _default_title(graph: nx.MultiDiGraph) -> str:
    titles = [
        str(d.get("title") or d.get("id"))
        for _, d in graph.nodes(data=True)
        if d.get("kind") == "document"
    ]
    base = titles[0] if len(titles) == 1 else f"{len(titles)} 份文件"
    return f"{base} · 分工矩阵"
