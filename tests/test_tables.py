"""Plan tables in every container: one model, columns by header and content, rendered items."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
import xlwt

from dutygraph import read_workplan
from dutygraph.errors import InputError
from dutygraph.extract.formats_text import text_blocks
from dutygraph.extract.read import read_source
from dutygraph.extract.tables import (
    Table,
    plan_columns,
    render_blocks,
    split_units,
    table_lines,
)
from dutygraph.graph.records import Document

ROOT = Path(__file__).resolve().parent.parent

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    ["1", "加强家庭教育指导。开展家长课堂", "市妇联", "市教育局、团市委", "2024年6月底"],
    ["2", "做好困境儿童关爱。建立台账", "市民政局", "市卫生健康局", "长期坚持"],
    ["3", "加强法治宣传。开展法治进校园", "市司法局", "/", "2024年底前"],
]
ITEMS = [
    "1.加强家庭教育指导。开展家长课堂（牵头单位：市妇联；配合单位：市教育局、团市委；完成时限：2024年6月底）",
    "2.做好困境儿童关爱。建立台账（牵头单位：市民政局；配合单位：市卫生健康局；完成时限：长期坚持）",
    "3.加强法治宣传。开展法治进校园（牵头单位：市司法局；完成时限：2024年底前）",
]  # fmt: skip
TRIPLES = [
    ("1", "加强家庭教育指导", "lead", "市妇联"),
    ("1", "加强家庭教育指导", "support", "市教育局"),
    ("1", "加强家庭教育指导", "support", "团市委"),
    ("2", "做好困境儿童关爱", "lead", "市民政局"),
    ("2", "做好困境儿童关爱", "support", "市卫生健康局"),
    ("3", "加强法治宣传", "lead", "市司法局"),
]


def triples(doc: Document) -> list[tuple[str, str, str, str]]:
    """(number, title, role, as_written) of every assignment; each span must point at the
    name as written in the document's text."""
    found = []
    for task in doc.tasks:
        for a in task.assignments:
            assert doc.text[a.span[0] : a.span[1]] == a.as_written
            found.append((task.number, task.title, a.role, a.as_written))
    return found


def lines(rows: list[list[str]]) -> list[str]:
    return table_lines(Table.from_rows(rows))


# -- the model -----------------------------------------------------------------------------------


def test_table_from_spans_carries_rowspan_and_colspan() -> None:
    table = Table.from_spans(
        [
            [("序号", 1, 1), ("工作任务", 1, 1), ("责任单位", 1, 2)],
            [("1", 2, 1), ("甲", 1, 1), ("市教育局", 2, 1), ("市民政局", 1, 1)],
            [("乙", 1, 1), ("团市委", 1, 1)],
        ]
    )
    assert table.rows == (
        ("序号", "工作任务", "责任单位", "责任单位"),
        ("1", "甲", "市教育局", "市民政局"),
        ("1", "乙", "市教育局", "团市委"),
    )
    assert table.anchors[1][0] == table.anchors[2][0]  # one merged cell
    assert table.anchors[0][2] == table.anchors[0][3]
    assert table.anchors[1][1] != table.anchors[2][1]


def test_table_from_merges_carries_the_top_left_value() -> None:
    table = Table.from_merges([["a", "", ""], ["", "b", "c"]], [(0, 0, 1, 0), (0, 1, 0, 2)])
    assert table.rows == (("a", "", ""), ("a", "b", "c"))
    table = Table.from_merges([["a", "b"]], [(0, 0, 0, 5), (3, 0, 4, 0)])  # clipped, ignored
    assert table.rows == (("a", "a"),)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("市教育局、团市委", ["市教育局", "团市委"]),
        ("市教育局，团市委,市妇联", ["市教育局", "团市委", "市妇联"]),
        ("市教育局；团市委;市妇联", ["市教育局", "团市委", "市妇联"]),
        ("市教育局\n团市委", ["市教育局", "团市委"]),
        ("市妇联（牵头，含各学校）、市教育局", ["市妇联（牵头，含各学校）", "市教育局"]),
        ("市科协，各有关区、县级市", ["市科协", "各有关区、县级市"]),
        ("各县（区）人民政府、市民政局", ["各县（区）人民政府", "市民政局"]),
    ],
)
def test_split_units(cell: str, names: list[str]) -> None:
    assert split_units(cell) == names


@pytest.mark.parametrize("empty", ["/", "／", "—", "——", "-", "无", " ", ""])
def test_empty_markers(empty: str) -> None:
    assert split_units(empty) == []
    rendered = lines([HEADER, ["1", "加强学习。", "市教育局", empty, empty]])
    assert rendered == ["1.加强学习。（牵头单位：市教育局）"]


# -- columns -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "item"),
    [
        (
            ["序号", "重点任务", "主要责任单位", "协办单位"],
            "1.甲（牵头单位：市教育局；协办单位：市民政局）",
        ),
        (
            ["编号", "工作事项", "牵头部门", "参与单位"],
            "1.甲（牵头部门：市教育局；参与单位：市民政局）",
        ),
        (
            ["序号", "任务内容", "主责单位", "配合部门"],
            "1.甲（主责单位：市教育局；配合部门：市民政局）",
        ),
        (
            ["序号", "具体措施", "责任单位", "责任部门"],
            "1.甲（责任单位：市教育局；责任部门：市民政局）",
        ),
        (
            ["序 号", "目标任务", "责任单位", "牵头领导"],
            "1.甲（责任单位：市教育局；牵头领导：市民政局）",
        ),
        (
            ["序号", "工作措施", "牵头单位", "分管县领导"],
            "1.甲（牵头单位：市教育局；分管县领导：市民政局）",
        ),
        (
            ["序号", "工作任务", "牵头单位（盖章）", "时间节点（年月）"],
            "1.甲（牵头单位：市教育局；时间节点：市民政局）",
        ),
        (
            ["序号", "工作任务", "责任单位及责任人", "联系人"],
            "1.甲（责任单位：市教育局；联系人：市民政局）",
        ),
        (
            ["", "工作任务", "牵头单位", "备注"],
            "1.甲（牵头单位：市教育局；备注：市民政局）",
        ),
    ],
)
def test_columns_by_header(header: list[str], item: str) -> None:
    assert lines([header, ["1", "甲", "市教育局", "市民政局"]]) == [item]


def test_several_task_columns_form_one_task() -> None:
    header = ["序号", "工作事项", "主要内容", "牵头单位", "责任人", "联系人"]
    row = ["1", "加强家庭教育", "开展家长课堂。", "市妇联", "张三", "李四"]
    assert lines([header, row]) == [
        "1.加强家庭教育。开展家长课堂。（牵头单位：市妇联；责任人：张三；联系人：李四）"
    ]


def test_number_column_by_content_and_task_by_length() -> None:
    table = Table.from_rows([["", "", "责任单位"], ["1", "加强理论学习工作", "市教育局"]])
    columns = plan_columns(table)
    assert columns is not None
    assert (columns.number, columns.tasks, columns.roles) == (
        0,
        [1],
        {2: ("responsible", "责任单位")},
    )
    assert table_lines(table) == ["1.加强理论学习工作（责任单位：市教育局）"]


@pytest.mark.parametrize(
    ("header", "cells", "item"),
    [
        (  # people under a unit header: an attribute, never units
            "责任单位",
            ["张三", "李四（副局长）"],
            ["1.甲（责任人：张三）", "2.乙（责任人：李四（副局长））"],
        ),
        (  # the 处/科/室 of one agency
            "责任单位",
            ["政策法规处", "综合科、办公室"],
            ["1.甲（责任处室：政策法规处）", "2.乙（责任处室：综合科、办公室）"],
        ),
        (
            "责任处室",
            ["政策法规处", "综合科"],
            ["1.甲（责任处室：政策法规处）", "2.乙（责任处室：综合科）"],
        ),
        ("科室", ["综合科", "财务科"], ["1.甲（科室：综合科）", "2.乙（科室：财务科）"]),
        (
            "内设机构",
            ["综合科", "财务科"],
            ["1.甲（内设机构：综合科）", "2.乙（内设机构：财务科）"],
        ),
        (  # agencies stay units
            "责任单位",
            ["市公安局", "团市委、市妇联"],
            ["1.甲（责任单位：市公安局）", "2.乙（责任单位：团市委、市妇联）"],
        ),
    ],
)
def test_person_and_division_columns_are_attributes(
    header: str, cells: list[str], item: list[str]
) -> None:
    rows = [["序号", "工作任务", "牵头单位", header], ["1", "甲", "", cells[0]]]
    rows.append(["2", "乙", "", cells[1]])
    assert lines(rows) == item


def test_person_column_gives_no_assignment() -> None:
    rows = [["序号", "工作任务", "牵头单位", "责任单位"], ["1", "加强学习。", "市教育局", "张三"]]
    rows += [["2", "完善机制。", "市民政局", "李四"], ["3", "做好宣传。", "团市委", "王五"]]
    text = "\n".join(render_blocks([Table.from_rows(rows)]))
    from dutygraph import parse_workplan

    doc = parse_workplan(text)
    assert triples(doc) == [
        ("1", "加强学习", "lead", "市教育局"),
        ("2", "完善机制", "lead", "市民政局"),
        ("3", "做好宣传", "lead", "团市委"),
    ]


def test_not_a_plan_table() -> None:
    assert (
        plan_columns(Table.from_rows([["牵头单位", "市教育局"], ["配合单位", "市民政局"]])) is None
    )
    assert plan_columns(Table.from_rows([["序号", "任务"], ["1", "甲"]])) is None
    assert lines([["名称", "工作要点"], ["文号", ""]]) == ["名称 | 工作要点", "文号 | "]


# -- rows ----------------------------------------------------------------------------------------


def test_caption_and_two_row_header() -> None:
    rows = [
        ["某市2024年工作任务分工表", "", "", "", ""],
        ["序号", "工作任务", "责任分工", "责任分工", "完成时限"],
        ["", "", "牵头单位", "配合单位", ""],
        ["1", "加强学习。", "市教育局", "市民政局", "6月底"],
    ]
    assert lines(rows) == [
        "某市2024年工作任务分工表",
        "1.加强学习。（牵头单位：市教育局；配合单位：市民政局；完成时限：6月底）",
    ]
    carried = Table.from_merges(rows, [(1, 0, 2, 0), (1, 1, 2, 1), (1, 4, 2, 4)])
    assert table_lines(carried) == lines(rows)


def test_repeated_header_rows_are_skipped() -> None:
    rows = [HEADER, ROWS[0], ["序 号", "工作任务", "牵头 单位", "配合单位", "完成时限"], *ROWS[1:]]
    assert lines(rows) == ITEMS


def test_continuation_rows_join_the_item_above() -> None:
    rows = [
        HEADER,
        ["1", "加强家庭教育指导。", "市妇联", "市教育局", "2024年6月底"],
        ["", "", "", "团市委", ""],  # units only
        ["", "建立指导站点", "", "市民政局", ""],  # no room for an item between 1 and 2
        ["2", "做好关爱。", "市民政局", "", ""],
        ["2", "建立台账。", "", "市卫生健康局", ""],  # the same number again
    ]
    assert lines(rows) == [
        "1.加强家庭教育指导。建立指导站点（牵头单位：市妇联；配合单位：市教育局、团市委、市民政局；完成时限：2024年6月底）",
        "2.做好关爱。建立台账。（牵头单位：市民政局；配合单位：市卫生健康局）",
    ]  # fmt: skip


def test_unnumbered_row_with_room_is_an_item() -> None:
    rows = [
        HEADER,
        ["1", "甲。", "市妇联", "", ""],
        ["", "乙。", "市民政局", "", ""],
        ["3", "丙。", "市教育局", "", ""],
    ]
    assert lines(rows) == [
        "1.甲。（牵头单位：市妇联）",
        "2.乙。（牵头单位：市民政局）",
        "3.丙。（牵头单位：市教育局）",
    ]


def test_merged_cells_carry_number_task_and_units() -> None:
    table = Table.from_spans(
        [
            [("序号", 1, 1), ("工作事项", 1, 1), ("具体措施", 1, 1), ("牵头单位", 1, 1)],
            [("1", 2, 1), ("加强家庭教育", 2, 1), ("开展家长课堂", 1, 1), ("市妇联", 3, 1)],
            [("建立指导站点", 1, 1)],
            [("2", 1, 1), ("做好关爱", 1, 1), ("建立台账", 1, 1)],
        ]
    )
    assert table_lines(table) == [
        "1.加强家庭教育。开展家长课堂。建立指导站点（牵头单位：市妇联）",
        "2.做好关爱。建立台账（牵头单位：市妇联）",
    ]


@pytest.mark.parametrize(
    ("section", "heading"),
    [("一、加强家庭保护", "一、加强家庭保护"), ("加强家庭保护", "一、加强家庭保护")],
)
def test_section_rows_become_headings(section: str, heading: str) -> None:
    merged = Table.from_merges([HEADER, [section] + [""] * 4, ROWS[0]], [(1, 0, 1, 4)])
    assert table_lines(merged) == [heading, ITEMS[0]]
    in_number_column = Table.from_rows([HEADER, [section], ROWS[0]])
    assert table_lines(in_number_column) == [heading, ITEMS[0]]


def test_chinese_and_circled_numbers() -> None:
    rows = [HEADER, ["（一）", "甲。", "市妇联", "", ""], ["二", "乙。", "市民政局", "", ""]]
    assert lines(rows) == ["（一）甲。（牵头单位：市妇联）", "（二）乙。（牵头单位：市民政局）"]
    assert lines([HEADER, ["①", "甲。", "市妇联", "", ""]]) == ["①甲。（牵头单位：市妇联）"]


def test_unit_cell_with_role_verbs_stays_a_phrase() -> None:
    from dutygraph import parse_workplan

    rows = [["序号", "工作任务", "责任单位", "完成时限"]]
    rows += [["1", "加强学习。", "市发改委牵头，\n市财政局配合", "6月底"]]
    rows += [["2", "完善机制。", "市教育局（牵头）、市民政局", ""]]
    rendered = lines(rows)
    assert rendered == [
        "1.加强学习。（市发改委牵头，市财政局配合）（完成时限：6月底）",
        "2.完善机制。（责任单位：市教育局（牵头）、市民政局）",
    ]
    assert triples(parse_workplan("\n".join(rendered))) == [
        ("1", "加强学习", "lead", "市发改委"),
        ("1", "加强学习", "support", "市财政局"),
        ("2", "完善机制", "lead", "市教育局"),
        ("2", "完善机制", "responsible", "市民政局"),
    ]


def test_cell_with_its_own_labels() -> None:
    rows = [
        ["序号", "工作任务", "责任单位"],
        ["1", "甲。", "牵头单位：市妇联\n配合单位：市教育局、团市委"],
    ]
    assert lines(rows) == ["1.甲。（牵头单位：市妇联；配合单位：市教育局、团市委）"]


# -- tables beside prose -------------------------------------------------------------------------

PROSE = [
    "某市2024年未成年人保护工作要点",
    "各区人民政府，市各有关单位：",
    "一、加强家庭保护",
    "（一）加强家庭教育指导。发挥团队作用，社区负责。",
    "附件：任务分工表",
]


def test_table_beside_prose_gives_the_tasks() -> None:
    blocks = [*PROSE, Table.from_rows([HEADER, *ROWS])]
    assert render_blocks(blocks) == [PROSE[0], PROSE[1], *ITEMS]


def test_small_table_keeps_the_prose() -> None:
    blocks = [*PROSE, Table.from_rows([HEADER, *ROWS[:2]])]
    assert render_blocks(blocks) == [*PROSE, *ITEMS[:2]]


def test_long_preamble_line_is_dropped_beside_a_table() -> None:
    body = "现将方案印发给你们。" + "一、总体要求。" * 30
    assert render_blocks([PROSE[0], body, Table.from_rows([HEADER, *ROWS])]) == [PROSE[0], *ITEMS]


# -- containers ----------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


PAGE = """<html><head><meta charset="utf-8"></head><body>
<table><tr><td>名　　称：</td><td>关于印发《某市2024年未成年人保护工作要点》的通知</td></tr></table>
<div class="TRS_Editor">
<p>各区人民政府，市各有关单位：</p>
<p>一、加强家庭保护</p>
<p>（一）加强家庭教育指导。发挥团队作用，社区负责。</p>
<p>（二）做好关爱。（责任单位：市民政局）</p>
<p>附件：任务分工表</p>
<table>
<tr><th>序号</th><th>工作事项</th><th>主要内容</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td colspan="6">一、加强家庭保护</td></tr>
<tr><td rowspan="2">1</td><td rowspan="2">加强家庭教育指导</td><td>开展家长课堂</td>
    <td rowspan="2">市妇联</td><td>市教育局、团市委</td><td>2024年6月底</td></tr>
<tr><td>建立指导站点</td><td>市民政局<br>市科协</td><td>/</td></tr>
<tr><th>序号</th><th>工作事项</th><th>主要内容</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>2</td><td>做好关爱</td><td>建立台账</td><td>市民政局</td><td>—</td><td>长期坚持</td></tr>
<tr><td>3</td><td>加强学习</td><td>组织培训</td><td>市教育局</td><td>团市委；市妇联</td><td>2024年底前</td></tr>
</table></div></body></html>"""
PAGE_ITEMS = [
    "一、加强家庭保护",
    "1.加强家庭教育指导。开展家长课堂。建立指导站点（牵头单位：市妇联；配合单位：市教育局、团市委、市民政局、市科协；完成时限：2024年6月底）",
    "2.做好关爱。建立台账（牵头单位：市民政局；完成时限：长期坚持）",
    "3.加强学习。组织培训（牵头单位：市教育局；配合单位：团市委、市妇联；完成时限：2024年底前）",
]  # fmt: skip
PAGE_TRIPLES = [
    ("1", "加强家庭教育指导", "lead", "市妇联"),
    ("1", "加强家庭教育指导", "support", "市教育局"),
    ("1", "加强家庭教育指导", "support", "团市委"),
    ("1", "加强家庭教育指导", "support", "市民政局"),
    ("1", "加强家庭教育指导", "support", "市科协"),
    ("2", "做好关爱", "lead", "市民政局"),
    ("3", "加强学习", "lead", "市教育局"),
    ("3", "加强学习", "support", "团市委"),
    ("3", "加强学习", "support", "市妇联"),
]


def test_html_table_beside_prose(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "page.html", PAGE))
    assert source.text.split("\n") == [
        "名称: 关于印发《某市2024年未成年人保护工作要点》的通知",
        "各区人民政府，市各有关单位：",
        *PAGE_ITEMS,
    ]
    assert source.meta == {"名称": "关于印发《某市2024年未成年人保护工作要点》的通知"}
    doc = read_workplan(tmp_path / "page.html")
    assert doc.title == "某市2024年未成年人保护工作要点"
    assert triples(doc) == PAGE_TRIPLES
    assert [t.section_title for t in doc.tasks] == ["加强家庭保护"] * 3


def test_html_prose_only_page_parses_as_before(tmp_path: Path) -> None:
    page = PAGE[: PAGE.index("<table>\n<tr><th>")] + "</div></body></html>"
    doc = read_workplan(write(tmp_path, "page.html", page))
    assert triples(doc) == [("2", "做好关爱", "responsible", "市民政局")]


def docx_table(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("某县2024年工作要点")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_table_end_to_end(tmp_path: Path) -> None:
    rows = [HEADER, ["一、加强家庭保护", "", "", "", ""], *ROWS, ["4", "做好宣传。", "", "", ""]]
    rows[2][2] = "市妇联"
    data = docx_table(rows, [(1, 0, 1, 4), (4, 2, 5, 2)])  # section row; lead carried down
    doc = read_workplan(write(tmp_path, "plan.docx", data))
    assert doc.text.split("\n") == [
        "某县2024年工作要点",
        "一、加强家庭保护",
        *ITEMS[:2],
        "3.加强法治宣传。开展法治进校园（牵头单位：市司法局；完成时限：2024年底前）",
        "4.做好宣传。（牵头单位：市司法局）",
    ]
    assert triples(doc)[-2:] == [
        ("3", "加强法治宣传", "lead", "市司法局"),
        ("4", "做好宣传", "lead", "市司法局"),
    ]


def xlsx_bytes(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref in merges.get(name, []):
            sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_every_sheet_merged_cells_and_numbers(tmp_path: Path) -> None:
    tasks = [
        ["某市2024年工作任务分工表", None, None, None, None],
        ["序号", "工作任务", "责任分工", None, "完成时限"],
        [None, None, "牵头单位", "配合单位", None],
        ["一、加强家庭保护", None, None, None, None],
        [1, "加强家庭教育指导。", "市妇联", "市教育局\n团市委", "2024年6月底"],
        [2, "做好关爱。", None, "市民政局；市科协", "长期坚持"],
    ]
    more = [HEADER, [3, "加强学习。", "市教育局", "—", None]]
    data = xlsx_bytes(
        {"说明": [["填表说明：请按时报送"]], "任务": tasks, "任务(续)": more},  # type: ignore[dict-item]
        {"任务": ["A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "A4:E4", "C5:C6"]},
    )
    source = read_source(write(tmp_path, "plan.xlsx", data))
    assert (source.format, source.encoding) == ("xlsx", None)
    assert source.text.split("\n") == [
        "某市2024年工作任务分工表",
        "一、加强家庭保护",
        "1.加强家庭教育指导。（牵头单位：市妇联；配合单位：市教育局、团市委；完成时限：2024年6月底）",
        "2.做好关爱。（牵头单位：市妇联；配合单位：市民政局、市科协；完成时限：长期坚持）",
        "3.加强学习。（牵头单位：市教育局）",
    ]  # fmt: skip
    doc = read_workplan(tmp_path / "plan.xlsx")
    assert doc.title == "某市2024年工作任务分工表"
    assert triples(doc) == [
        ("1", "加强家庭教育指导", "lead", "市妇联"),
        ("1", "加强家庭教育指导", "support", "市教育局"),
        ("1", "加强家庭教育指导", "support", "团市委"),
        ("2", "做好关爱", "lead", "市妇联"),
        ("2", "做好关爱", "support", "市民政局"),
        ("2", "做好关爱", "support", "市科协"),
        ("3", "加强学习", "lead", "市教育局"),
    ]


def test_xlsx_dates_are_iso(tmp_path: Path) -> None:
    import datetime as dt

    data = xlsx_bytes({"任务": [HEADER, [1, "甲。", "市妇联", None, dt.datetime(2024, 6, 30)]]}, {})
    text = read_source(write(tmp_path, "plan.xlsx", data)).text
    assert text == "1.甲。（牵头单位：市妇联；完成时限：2024-06-30）"


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"Sheet": []}, "has no cells: every sheet is empty; check that it is the right file"),
        (
            {"Sheet": [["姓名", "电话"], ["张三", "123"]]},
            "no 任务分工 table found: a sheet needs a header row with 牵头单位/责任单位 columns; "
            "check that it is the plan's task table, or save the plan's text as .txt",
        ),
    ],
)
def test_xlsx_without_a_plan_table(
    tmp_path: Path, sheets: dict[str, list[list[object]]], message: str
) -> None:
    path = write(tmp_path, "plan.xlsx", xlsx_bytes(sheets, {}))
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "plan.xlsx",
            b"PK\x03\x04broken",
            "not a valid .xlsx file; open it in Excel or WPS and save it as .xlsx",
        ),
        (
            "plan.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "is password-protected; open it in Excel or WPS, remove the password and save it again",
        ),
        (
            "plan.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "not a valid .xls file; open it in Excel or WPS and save it as .xlsx",
        ),
        ("plan.xls", b"PK\x03\x04", "is an .xlsx file, not .xls; rename it to .xlsx"),
    ],
)
def test_corrupt_or_locked_workbook(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: {message}"


def test_xls_merged_cells(tmp_path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务")
    sheet.write_merge(0, 0, 0, 3, "某县工作要点任务分工")
    for c, value in enumerate(["序号", "工作任务", "牵头单位", "配合单位"]):
        sheet.write(1, c, value)
    sheet.write(2, 0, 1)
    sheet.write(2, 1, "加强学习。")
    sheet.write_merge(2, 3, 2, 2, "县教育局")
    sheet.write(2, 3, "县民政局、团县委")
    sheet.write(3, 0, 2)
    sheet.write(3, 1, "完善机制。")
    sheet.write(3, 3, "无")
    buffer = io.BytesIO()
    book.save(buffer)
    source = read_source(write(tmp_path, "plan.xls", buffer.getvalue()))
    assert (source.format, source.text.split("\n")) == (
        "xls",
        [
            "某县工作要点任务分工",
            "1.加强学习。（牵头单位：县教育局；配合单位：县民政局、团县委）",
            "2.完善机制。（牵头单位：县教育局）",
        ],
    )


@pytest.mark.parametrize(("sep", "codec"), [(",", "utf-8"), (";", "gb18030"), ("\t", "utf-8-sig")])
def test_csv_separators_and_encodings(tmp_path: Path, sep: str, codec: str) -> None:
    rows = [HEADER, *ROWS]
    text = "\r\n".join(
        sep.join(f'"{cell}"' if sep in cell else cell for cell in row) for row in rows
    )
    source = read_source(write(tmp_path, "plan.csv", text.encode(codec)))
    assert source.format == "csv"
    assert source.encoding == codec
    assert source.text.split("\n") == ITEMS
    doc = read_workplan(tmp_path / "plan.csv")
    assert triples(doc) == TRIPLES


def test_csv_without_a_plan_table(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "姓名,电话\n张三,123\n")
    with pytest.raises(InputError, match="no 任务分工 table found"):
        read_source(path)


def cells(sep: str, row: list[str]) -> str:
    if sep == "|":
        return "| " + " | ".join(row) + " |"
    if sep == "\t":
        return "\t".join(row)
    return "   ".join(cell or "/" for cell in row)


@pytest.mark.parametrize("sep", ["|", "\t", "  "])
def test_text_rows_become_items(tmp_path: Path, sep: str) -> None:
    body = [
        "某市2024年未成年人保护工作要点",
        "各区人民政府：",
        cells(sep, HEADER),
        *([cells(sep, ["---"] * 5)] if sep == "|" else []),
        "一、加强家庭保护",
        *(cells(sep, row) for row in ROWS),
        "",
    ]
    doc = read_workplan(write(tmp_path, "plan.txt", "\n".join(body)))
    assert doc.text.split("\n") == [body[0], body[1], "一、加强家庭保护", *ITEMS, ""]
    assert triples(doc) == TRIPLES
    assert doc.title == "某市2024年未成年人保护工作要点"


def test_text_table_with_prose_after_it_and_a_two_row_header() -> None:
    text = "\n".join(
        [
            "序号 | 工作任务 | 责任分工 | 责任分工",
            " |  | 牵头单位 | 配合单位",
            "1 | 甲。 | 市妇联 | 团市委",
            "说明：以上任务请按时完成。",
        ]
    )
    blocks = text_blocks(text)
    assert isinstance(blocks[0], Table) and blocks[1:] == ["说明：以上任务请按时完成。"]
    assert render_blocks(blocks) == ["1.甲。（牵头单位：市妇联；配合单位：团市委）", blocks[1]]


def test_text_without_tables_is_unchanged() -> None:
    from dutygraph import example_path

    text = Path(example_path()).read_text(encoding="utf-8")
    assert all(isinstance(block, str) for block in text_blocks(text))
    assert read_workplan(example_path()).text == text.replace("\r\n", "\n")


def test_cli_parse_reads_each_container(tmp_path: Path) -> None:
    write(tmp_path, "plan.csv", "\n".join(",".join(row) for row in [HEADER, *ROWS]))
    write(tmp_path, "page.html", PAGE)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "dutygraph", "parse", "--format", "json", "plan.csv", "page.html"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr.splitlines()) == (
        0,
        ["plan.csv: 3 tasks, 6 assignments, utf-8", "page.html: 3 tasks, 9 assignments, utf-8"],
    )
    import json

    documents = json.loads(result.stdout)["documents"]
    assert [len(d["tasks"]) for d in documents] == [3, 3]
    first = documents[0]["tasks"][0]
    assert (first["title"], first["assignments"][1]["as_written"]) == (
        "加强家庭教育指导",
        "市教育局",
    )
    assert (
        first["assignments"][1]["clause"]
        == "牵头单位：市妇联；配合单位：市教育局、团市委；完成时限：2024年6月底"
    )
    write(tmp_path, "people.xlsx", xlsx_bytes({"Sheet": [["姓名", "电话"]]}, {}))
    result = subprocess.run(
        [sys.executable, "-m", "dutygraph", "parse", "people.xlsx"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "dutygraph: error: people.xlsx: no 任务分工 table found: a sheet needs a header row "
        "with 牵头单位/责任单位 columns; check that it is the plan's task table, "
        "or save the plan's text as .txt"
    )


def test_html_plan_table_inside_a_layout_table(tmp_path: Path) -> None:
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in [HEADER, *ROWS]
    )
    page = (
        "<html><body><table><tr><td><p>某市2024年工作要点</p><p>一、总体要求</p></td></tr>"
        f"<tr><td><table>{rows}</table></td></tr></table></body></html>"
    )
    source = read_source(write(tmp_path, "page.html", page))
    assert source.text.split("\n") == ["某市2024年工作要点", *ITEMS]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv"])
def test_any_bytes_give_text_or_one_input_error(tmp_path: Path, suffix: str) -> None:
    import random

    good = xlsx_bytes({"任务": [HEADER, *ROWS]}, {})  # type: ignore[dict-item]
    rng = random.Random(14)
    samples = [good[: len(good) // 2], bytes(rng.randrange(256) for _ in range(3000))]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    samples += [ole + bytes(rng.randrange(256) for _ in range(2048))]
    for n, data in enumerate(samples):
        path = write(tmp_path, f"{n}{suffix}", data)
        try:
            source = read_source(path)
        except InputError as err:
            assert str(err).startswith(f"{path}: ") and "\n" not in str(err)
        else:
            assert isinstance(source.text, str)
