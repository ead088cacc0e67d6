"""The responsibility matrix of the reference plan, and its .xlsx, .csv and .html files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from dutygraph.analysis.metrics import unit_loads
from dutygraph.cli import cli
from dutygraph.errors import InputError
from dutygraph.graph.collectives import expand_collectives
from dutygraph.views.matrix import (
    MatrixRow,
    matrix_csv,
    matrix_html,
    matrix_table_html,
    responsibility_matrix,
    unit_totals,
    write_matrix,
)
from tests.browser import HOSTILE_LEAD, HOSTILE_SUPPORT, hostile_graph, seed_graph
from tests.helpers import SEED

NO_LEAD = ["3", "4", "5", "8", "13", "14", "19", "20"]
COLLECTIVE_ONLY = ["1", "2", "6", "7", "15"]


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return seed_graph()


@pytest.fixture(scope="module")
def matrix(seed: nx.MultiDiGraph) -> tuple[list[str], list[MatrixRow]]:
    return responsibility_matrix(seed)


def row(rows: list[MatrixRow], number: str) -> MatrixRow:
    (found,) = [r for r in rows if r.number == number]
    return found


def test_seed_matrix_shape_and_order(
    seed: nx.MultiDiGraph, matrix: tuple[list[str], list[MatrixRow]]
) -> None:
    columns, rows = matrix
    assert len(rows) == 23 and [r.number for r in rows] == [str(n) for n in range(1, 24)]
    assert len(columns) == len(set(columns)) == 31
    loads = unit_loads(seed)
    assert [loads[c].load for c in columns] == sorted(
        (u.load for u in loads.values()), reverse=True
    )
    assert columns[:4] == ["市教育局", "市民政局", "市公安局", "市卫生健康局"]  # ties by name
    assert sum(len(r.cells) for r in rows) == 121


def test_seed_matrix_cells(matrix: tuple[list[str], list[MatrixRow]]) -> None:
    _, rows = matrix
    seven = row(rows, "7")
    assert (seven.section, seven.section_title, seven.title) == (
        "二",
        "加强家庭保护",
        "加强家庭教育指导",
    )
    assert seven.cells == {
        "市妇联": "牵",
        "市教育局": "牵",
        "市民政局": "牵",
        "未保委其他成员单位": "配",
    }
    assert row(rows, "9").cells["团市委"] == "配"
    assert row(rows, "23").cells == {
        "市人民检察院": "牵",
        "市中级人民法院": "责",
        "市公安局": "责",
        "市司法局": "责",
        "团市委": "责",
    }


def test_seed_matrix_marks_the_known_gaps(matrix: tuple[list[str], list[MatrixRow]]) -> None:
    _, rows = matrix
    assert [r.number for r in rows if "no-lead" in r.gaps] == NO_LEAD
    assert [r.number for r in rows if "multi-lead" in r.gaps] == ["7"]
    assert [r.number for r in rows if "collective-only" in r.gaps] == COLLECTIVE_ONLY
    assert [r.number for r in rows if not r.gaps] == [
        "9",
        "10",
        "11",
        "12",
        "16",
        "17",
        "18",
        "21",
        "22",
        "23",
    ]
    assert row(rows, "14").gaps == ("no-lead", "diffuse")


def test_xlsx_reads_back_with_the_expected_cells(tmp_path: Path, seed: nx.MultiDiGraph) -> None:
    path = write_matrix(tmp_path / "raci.xlsx", seed)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["分工矩阵", "说明"]
    ws = wb["分工矩阵"]
    assert (ws.max_row, ws.max_column) == (25, 35)  # 23 tasks between the header and totals
    header = [c.value for c in ws[1]]
    assert header[:4] == ["序号", "部分", "任务", "缺口"] and header[4] == "市教育局"
    assert ws.freeze_panes == "E2" and ws.auto_filter.ref == "A1:AI24"
    cells = {header[j]: c.value for j, c in enumerate(ws[8])}
    assert cells["序号"] == "7" and cells["任务"] == "加强家庭教育指导"
    assert (cells["市妇联"], cells["未保委其他成员单位"], cells["团市委"]) == ("牵", "配", None)
    assert cells["缺口"] == "多头牵头（multi-lead）；仅有笼统的集合单位（collective-only）"
    assert cells["部分"] == "二、加强家庭保护"
    gap_fill = ws["A4"].fill.start_color.rgb  # task 3: no lead
    assert gap_fill.endswith("FFEDB8") and ws["A10"].fill.fill_type is None  # task 9: no gap
    assert ws.cell(1, 5).alignment.text_rotation == 255
    assert ws.column_dimensions["C"].width == 26 and ws.column_dimensions["E"].width == 4.5
    assert wb["说明"]["A2"].value == "牵"
    totals = {header[j]: c.value for j, c in enumerate(ws[25])}
    assert totals["任务"] == "合计（项）" and totals["序号"] is None
    assert (totals["市教育局"], totals["市妇联"], totals["团市委"]) == (
        "牵4 配4 责4",
        "牵1 配2 责3",
        "配3 责3",
    )


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    rows = [MatrixRow("d#1", "1", "一", "", '=HYPERLINK("http://x")\x0b', (), {"=A1": "牵"})]
    from dutygraph.views.matrix import matrix_xlsx

    path = tmp_path / "f.xlsx"
    path.write_bytes(matrix_xlsx(["=A1"], rows, title="t"))
    ws = openpyxl.load_workbook(path)["分工矩阵"]
    assert ws["C2"].value == '=HYPERLINK("http://x")' and ws["C2"].data_type == "s"
    assert ws["E1"].value == "=A1" and ws["E1"].data_type == "s"


def test_csv_opens_in_excel_as_utf8(tmp_path: Path, seed: nx.MultiDiGraph) -> None:
    path = write_matrix(tmp_path / "raci.csv", seed)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == 24 and all(len(line) == 35 for line in table)
    seven = dict(zip(table[0], table[7], strict=True))
    assert seven["序号"] == "7" and seven["市妇联"] == "牵" and seven["团市委"] == ""


def test_html_is_escaped_and_marks_gaps(tmp_path: Path) -> None:
    path = write_matrix(tmp_path / "raci.html", hostile_graph(), title="<b>矩阵</b>")
    page = path.read_text(encoding="utf-8")
    assert "<title>&lt;b&gt;矩阵&lt;/b&gt;</title>" in page
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert f'<th class="u">{_esc(HOSTILE_LEAD)}</th>' in page
    assert _esc(HOSTILE_SUPPORT) in page
    assert '<tr class="">' in page or '<tr class="gap">' in page


def test_seed_html_marks_gap_rows(seed: nx.MultiDiGraph) -> None:
    columns, rows = responsibility_matrix(seed)
    page = matrix_html(columns, rows, title="矩阵")
    assert page.count('<tr class="gap">') == 13 and page.count('<td class="m lead">牵</td>') == 17
    assert "http://" not in page and "https://" not in page


def test_expanded_roles_are_in_parentheses(seed: nx.MultiDiGraph) -> None:
    _, rows = responsibility_matrix(expand_collectives(seed))
    one = row(rows, "1")
    assert one.cells["未保委成员单位"] == "配" and one.cells["团市委"] == "（配）"
    assert "（配）" in matrix_csv(*responsibility_matrix(expand_collectives(seed)))


def test_write_matrix_refuses_other_suffixes(tmp_path: Path, seed: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match=r"cannot write a matrix as \.pdf; use \.xlsx, \.csv"):
        write_matrix(tmp_path / "raci.pdf", seed)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".html"])
def test_cli_matrix_prints_the_path(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"raci{suffix}"
    result = CliRunner().invoke(cli, ["matrix", "--input", SEED, "-o", str(out)])
    assert (result.exit_code, result.stdout) == (0, f"{out}\n") and out.stat().st_size > 1000


def test_cli_matrix_bad_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["matrix", "--input", SEED, "-o", str(tmp_path / "r.txt")])
    assert result.exit_code == 2
    assert "Invalid value for '-o' / '--output'" in result.stderr
    assert "r.txt must end in .xlsx or .csv or .html" in result.stderr


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_the_legend_explains_brackets_only_when_there_are_some(tmp_path: Path) -> None:
    plain = seed_graph()
    for graph, derived in ((plain, False), (expand_collectives(plain), True)):
        html_page = write_matrix(tmp_path / "m.html", graph).read_text(encoding="utf-8")
        assert ("括号＝由集合单位展开推断" in html_page) is derived
        assert ("（配）" in html_page or "（责）" in html_page or "（牵）" in html_page) is derived
        book = openpyxl.load_workbook(write_matrix(tmp_path / "m.xlsx", graph))
        legend = [row[0] for row in book["说明"].iter_rows(values_only=True)]
        assert ("（配）" in legend) is derived


def test_unit_totals_agree_with_the_load_ranking(seed: nx.MultiDiGraph) -> None:
    """Each unit's 牵 / 配 / 责 totals count distinct tasks, as the load ranking does."""
    columns, rows = responsibility_matrix(seed)
    totals = unit_totals(columns, rows)
    loads = unit_loads(seed)
    assert {c: (t["牵"], t["配"], t["责"]) for c, t in totals.items()} == {
        c: (loads[c].lead, loads[c].support, loads[c].responsible) for c in columns
    }
    # derived marks (in parentheses) are not counted
    expanded = responsibility_matrix(expand_collectives(seed))
    assert unit_totals(*expanded)["团市委"] == {"牵": 0, "配": 3, "责": 3}


def test_seed_html_has_a_totals_row_and_sticky_task_columns(seed: nx.MultiDiGraph) -> None:
    columns, rows = responsibility_matrix(seed)
    tree = LexborHTMLParser(matrix_table_html(columns, rows))
    (totals,) = tree.css("thead tr.totals")
    cells = [td.html for td in totals.css("td")]
    assert cells[:4] == [
        '<td class="k1"></td>',
        '<td class="k2"></td>',
        '<td class="k3">合计（项）</td>',
        "<td></td>",
    ]
    assert cells[4] == '<td class="m">牵4<br>配4<br>责4</td>'  # 市教育局
    heads = [th.attributes["class"] for th in tree.css("thead th")][:5]
    assert heads == ["t k1", "t k2", "t k3", "t", "u"]
    first = tree.css("tbody tr")[0].css("td")
    assert [td.attributes.get("class") for td in first[:4]] == ["k1", "k2", "k3", None]
    assert [td.text() for td in first[:3]] == ["1", "一、加强统筹谋划", "加强理论学习"]


@pytest.fixture(scope="module")
def plans() -> nx.MultiDiGraph:
    from benchmarks.corpus import generate_document
    from dutygraph import build_graph, parse_workplan

    return build_graph(
        [parse_workplan(g.text, doc_id=g.doc_id) for g in map(generate_document, range(20))]
    )


def test_rows_of_several_plans_are_labelled_by_plan_short_name(plans: nx.MultiDiGraph) -> None:
    from dutygraph.views.maps.style import plan_names

    names = plan_names({d["id"]: d for _, d in plans.nodes(data=True) if d["kind"] == "document"})
    columns, rows = responsibility_matrix(plans)
    assert {r.plan for r in rows} == set(names.values()) and len(names) == 20
    table = list(csv.reader(io.StringIO(matrix_csv(columns, rows))))
    assert table[0][:6] == ["文件", "序号", "部分", "任务", "完成时限", "缺口"]
    first = plans.nodes[f"task:{rows[0].uid}"]
    assert table[1][:4] == [
        names[first["doc_id"]],
        first["number"],
        f"{first['section']}、{first['section_title']}",
        first["title"],
    ]
    assert not any("plan_0000" in cell for line in table for cell in line)


def test_html_of_several_plans_is_a_summary_and_one_closed_table_per_plan(
    plans: nx.MultiDiGraph,
) -> None:
    columns, rows = responsibility_matrix(plans)
    tree = LexborHTMLParser(matrix_html(columns, rows, title="矩阵"))
    assert [h.text() for h in tree.css("h2")] == [
        "单位 × 文件（20 份）",
        "各文件分工矩阵（点击文件名展开）",
    ]
    summary = tree.css_first("table.unit-plan")
    assert summary is not None and len(summary.css("thead th.u")) == 20
    totals = unit_totals(columns, rows)
    first = [td.text() for td in summary.css("tbody tr")[0].css("td")[:4]]
    assert first == [columns[0], *(str(totals[columns[0]][m]) for m in "牵配责")]
    groups = tree.css("details.plan")
    assert len(groups) == 20 and all("open" not in g.attributes for g in groups)
    assert sum(len(g.css("tbody tr")) for g in groups) == len(rows)
    # each plan's totals row says what the summary says for that plan
    by_unit = {
        tr.css("td")[0].text(): [td.text() for td in tr.css("td")[4:]]
        for tr in summary.css("tbody tr")
    }
    for i, group in enumerate(groups):
        units = [th.text() for th in group.css("thead th.u")]
        counts = [td.text() for td in group.css("thead tr.totals td.m")]
        assert counts == [by_unit[u][i].replace(" ", "") for u in units]


def test_xlsx_of_several_plans_freezes_the_task_columns(
    tmp_path: Path, plans: nx.MultiDiGraph
) -> None:
    ws = openpyxl.load_workbook(write_matrix(tmp_path / "m.xlsx", plans))["分工矩阵"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["文件", "序号", "部分", "任务", "完成时限", "缺口"]
    assert ws.freeze_panes == "G2" and ws.column_dimensions["A"].width == 20
    _, rows = responsibility_matrix(plans)
    assert ws.max_row == len(rows) + 2 and ws.cell(ws.max_row, 4).value == "合计（项）"
