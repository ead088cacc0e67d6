"""The responsibility matrix: tasks × units, cells 牵 / 配 / 责, gaps marked.

Committee offices print and circulate this view. Rows are tasks (number, section, title) in
document order, columns are units ordered by load (heaviest first, then by name), and a cell
holds the unit's role in the task: 牵 (lead), 配 (support), 责 (responsible); a role derived by
expanding a collective is in parentheses, e.g. ``（配）``. A task with a coordination gap (see
:data:`~dutygraph.analysis.metrics.TASK_GAP_KINDS`) lists its gap kinds and is highlighted.
When some task has a deadline, a 完成时限 column after 任务 holds each task's as written.

Written as ``.xlsx`` (frozen header row and task columns, filters, readable widths), ``.csv``
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
    "responsibility_matrix",
    "write_matrix",
]

#: The mark of each role in a cell.
ROLE_MARKS: Mapping[str, str] = {"lead": "牵", "support": "配", "responsible": "责"}
#: Output formats by file suffix.
MATRIX_FORMATS: tuple[str, ...] = (".xlsx", ".csv", ".html")
HEADER: tuple[str, ...] = ("序号", "部分", "任务", "缺口")
#: The deadline column, after 任务, shown only when some task has a deadline.
DEADLINE_HEADER = "完成时限"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


def has_derived(rows: Sequence[MatrixRow]) -> bool:
    """Whether any cell is derived from a collective (a bracketed mark such as ``（配）``).

    >>> has_derived([MatrixRow("d#1", "1", "一", "", "t", (), {"团市委": "（配）"})])
    True
    """
    return any(mark.startswith("（") for r in rows for mark in r.cells.values())


def responsibility_matrix(graph: nx.MultiDiGraph) -> tuple[list[str], list[MatrixRow]]:
    """The unit columns (by load, then name) and one :class:`MatrixRow` per task."""
    from dutygraph.queries.spec import natural_key

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
    several = len({d.get("doc_id") for _, d in tasks}) > 1
    rows = [
        MatrixRow(
            uid=str(d["uid"]),
            number=str(d["uid"] if several else d.get("number", "")),
            section=str(d.get("section", "")),
            section_title=str(d.get("section_title", "")),
            title=str(d.get("title", "")),
            gaps=gaps.get(str(d["uid"]), ()),
            cells={name: "".join(sorted(m, key=_mark_order)) for name, m in marks[n].items()},
            deadline=str(d.get("deadline") or ""),
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


def matrix_header(rows: Sequence[MatrixRow]) -> tuple[str, ...]:
    """The columns before the units': :data:`HEADER`, with 完成时限 after 任务 when some task
    has a deadline.

    >>> matrix_header([MatrixRow("d#1", "1", "一", "", "甲", (), {}, deadline="6月底前")])
    ('序号', '部分', '任务', '完成时限', '缺口')
    """
    if any(r.deadline for r in rows):
        return (*HEADER[:3], DEADLINE_HEADER, *HEADER[3:])
    return HEADER


def matrix_table(columns: Sequence[str], rows: Sequence[MatrixRow]) -> list[list[str]]:
    """The matrix as a header row and one list of strings per task (the CSV's content)."""
    header = matrix_header(rows)
    table = [[*header, *columns]]
    for r in rows:
        section = f"{r.section}、{r.section_title}" if r.section_title else r.section
        deadline = [r.deadline] if len(header) > len(HEADER) else []
        table.append(
            [
                r.number,
                section,
                r.title,
                *deadline,
                gap_text(r.gaps),
                *(r.cells.get(c, "") for c in columns),
            ]
        )
    return table


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


def matrix_table_html(columns: Sequence[str], rows: Sequence[MatrixRow]) -> str:
    """The matrix as one HTML ``<table>`` (for embedding, as the report does); text escaped.

    >>> page = matrix_table_html(["<b>"], [])
    >>> page.startswith("<table>"), '<th class="u">&lt;b&gt;</th>' in page
    (True, True)
    """
    esc = html.escape
    table = matrix_table(columns, rows)
    fixed = len(matrix_header(rows))
    head = "".join(
        f'<th class="{"u" if i >= fixed else "t"}">{esc(h)}</th>' for i, h in enumerate(table[0])
    )
    body = []
    for r, cells in zip(rows, table[1:], strict=True):
        tds = "".join(
            f'<td class="m{_mark_class(v)}">{esc(v)}</td>' if i >= fixed else f"<td>{esc(v)}</td>"
            for i, v in enumerate(cells)
        )
        body.append(f'<tr class="{"gap" if r.gaps else ""}">{tds}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def matrix_html(columns: Sequence[str], rows: Sequence[MatrixRow], *, title: str) -> str:
    """The matrix as one self-contained HTML page; every text is escaped.

    >>> "&lt;b&gt;" in matrix_html([], [], title="<b>")
    True
    """
    esc = html.escape
    body = (
        f"<h1>{esc(title)}</h1><p>牵＝牵头（lead）· 配＝配合（support）· 责＝责任（responsible）"
        f"{' · 括号＝由集合单位展开推断' if has_derived(rows) else ''}"
        " · 黄色行：有协调缺口的任务 · 单位按负荷排序</p>"
        f"{matrix_table_html(columns, rows)}"
    )
    face = font_face_css(title + body)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; font-src data:\">"
        f"<title>{esc(title)}</title><style>{face}{_HTML_CSS}</style></head><body>"
        f"{body}</body></html>\n"
    )


def _mark_class(value: str) -> str:
    return {"牵": " lead", "配": " support", "责": " resp"}.get(value.strip("（）")[:1], "")


_HTML_CSS = """
body { font-family: @@FONT@@;
  margin: 16px; color: #1d2733; font-size: 13px; }
h1 { font-size: 18px; } table { border-collapse: collapse; }
th, td { border: 1px solid #cfd6dd; padding: 3px 5px; }
thead th { position: sticky; top: 0; background: #e8ecf0; }
th.u { writing-mode: vertical-rl; vertical-align: bottom; font-weight: 600; }
td.m { text-align: center; } td.lead { background: #f6c9c3; font-weight: 700; }
td.support { background: #d3e4f7; } td.resp { background: #d3efdc; }
tr.gap td { background-color: #ffedb8; }
tr.gap td.lead { background: #f6c9c3; } tr.gap td.support { background: #d3e4f7; }
tr.gap td.resp { background: #d3efdc; }
""".replace("@@FONT@@", FONT_STACK)


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
    widths = (6, 16, 26, 14, 22) if fixed > len(HEADER) else (6, 16, 26, 22)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for j in range(fixed + 1, ncols + 1):
        ws.column_dimensions[get_column_letter(j)].width = 4.5
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
