"""The ``due`` catalog entry and command, and deadlines in the matrix and the report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from dutygraph import build_graph, example_path, parse_workplan
from dutygraph.cli import cli
from dutygraph.errors import QueryError
from dutygraph.queries import run_query
from dutygraph.queries.catalog import get
from dutygraph.views.matrix import (
    matrix_csv,
    matrix_html,
    matrix_xlsx,
    responsibility_matrix,
)
from dutygraph.views.report import render_report

PLAN = """X市2024年未成年人保护工作要点
一、加强统筹
1.建立工作机制。（牵头单位：市民政局；配合单位：团市委；完成时限：2024年6月底；责任领导：张三）
2.开展宣传活动。（责任单位：市教育局、市妇联；完成时限：6月底前）
3.加强督促检查。（牵头单位：市民政局、市教育局；时间节点：长期坚持；分管市领导：李四）
二、强化保障
4.落实经费保障。（配合单位：未保委成员单位；进度安排：2024年第三季度）
5.完善制度。（牵头单位：市司法局；配合单位：市司法局）
6.加强培训。（责任单位：市教育局；完成时限：2024年3月底前）
7.健全档案。（牵头单位：市档案局；完成时限：适时）
"""


def row(n: int, deadline: str | None, due: str | None, leads: list[str], **more: Any) -> dict:
    titles = {
        1: "建立工作机制",
        2: "开展宣传活动",
        3: "加强督促检查",
        4: "落实经费保障",
        5: "完善制度",
        6: "加强培训",
        7: "健全档案",
    }
    return {
        "number": str(n),
        "uid": f"p#{n}",
        "title": titles[n],
        "deadline": deadline,
        "due": due,
        "leader": more.get("leader"),
        "leads": leads,
        "doc": "p",
    }


R1 = row(1, "2024年6月底", "2024-06-30", ["市民政局"], leader="张三")
R2 = row(2, "6月底前", "2024-06-30", [])
R3 = row(3, "长期坚持", "ongoing", ["市民政局", "市教育局"], leader="李四")
R4 = row(4, "2024年第三季度", "2024-09-30", [])
R5 = row(5, None, None, ["市司法局"])
R6 = row(6, "2024年3月底前", "2024-03-31", [])
R7 = row(7, "适时", None, ["市档案局"])


@pytest.fixture(scope="module")
def graph() -> Any:
    return build_graph([parse_workplan(PLAN, doc_id="p")])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [R6, R1, R2, R4, R3, R5, R7]),
        ({"before": "2024-06-30"}, [R6, R1, R2]),
        ({"before": "2024-06-29"}, [R6]),
        ({"before": "2024年6月底"}, [R6, R1, R2]),
        ({"before": "2024-06-30", "gap": "no-lead"}, [R6, R2]),
        ({"gap": "no-lead"}, [R6, R2, R4]),
        ({"role": "lead"}, [R1, R3, R5, R7]),
        ({"role": "responsible", "before": "2025-01-01"}, [R6, R2]),
        ({"role": "support"}, [R1, R4, R5]),
        ({"gap": "multi-lead"}, [R3]),
        ({"gap": "collective-only"}, [R4]),
        ({"gap": "diffuse", "k": 2}, [R2]),
        ({"gap": "lead-also-support"}, [R5]),
        ({"gap": "single-lead-dependency", "before": "2024-12-31"}, [R1]),
    ],
)
def test_due_rows(graph: Any, params: dict[str, Any], expected: list[dict]) -> None:
    assert run_query("due", graph, params) == expected


def test_due_on_the_seed_lists_every_task_without_a_due() -> None:
    from dutygraph import read_workplan

    g = build_graph([read_workplan(example_path())])
    rows = run_query("due", g, {})
    assert len(rows) == 23 and {r["due"] for r in rows} == {None}
    assert [r["number"] for r in rows[:3]] == ["1", "2", "3"]
    assert run_query("due", g, {"before": "2030-01-01"}) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"before": "June"}, "parameter before must be a date such as 2024-06-30, not 'June'"),
        ({"before": "长期坚持"}, "parameter before must be a date such as 2024-06-30"),
        ({"gap": "no-leed"}, "parameter gap must be one of no-lead, multi-lead"),
        ({"role": "any"}, "parameter role must be one of lead, support, responsible, not 'any'"),
    ],
)
def test_bad_parameters(graph: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        run_query("due", graph, params)


def test_the_cypher_text_takes_parameters_only() -> None:
    spec = get("due")
    for name in ("$before", "$role", "$gap", "$k"):
        assert name in spec.cypher
    assert [p.name for p in spec.params] == ["before", "role", "gap", "k"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    return result.exit_code or 0, result.stdout, result.stderr


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("due") / "p.txt"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def test_cli_due_json(plan_file: str) -> None:
    code, out, err = run(
        "due", "--before", "2024-06-30", "--gap", "no-lead", "--json", "--input", plan_file
    )
    assert code == 0 and err == ""
    assert json.loads(out) == [R6, R2]


def test_cli_due_csv_and_table(plan_file: str) -> None:
    code, out, _ = run("due", "--role", "lead", "--csv", "--input", plan_file)
    assert code == 0
    assert out.splitlines() == [
        "number,uid,title,deadline,due,leader,leads,doc",
        "1,p#1,建立工作机制,2024年6月底,2024-06-30,张三,市民政局,p",
        "3,p#3,加强督促检查,长期坚持,ongoing,李四,市民政局、市教育局,p",
        "5,p#5,完善制度,,,,市司法局,p",
        "7,p#7,健全档案,适时,,,市档案局,p",
    ]
    code, out, _ = run("due", "--before", "2024-03-31", "--input", plan_file)
    assert code == 0 and "Tasks by deadline" in out and "加强培训" in out and "建立" not in out


def test_cli_due_bad_date_is_one_line(plan_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    from dutygraph.cli import main

    assert main(["due", "--before", "June", "--input", plan_file]) == 2
    assert capsys.readouterr().err == (
        "dutygraph: error: parameter before must be a date such as 2024-06-30, not 'June'\n"
    )


def test_query_due_through_the_generic_command(plan_file: str) -> None:
    code, out, _ = run("query", "due", "-p", "gap", "multi-lead", "--json", "--input", plan_file)
    assert code == 0 and json.loads(out) == [R3]


def test_matrix_has_a_deadline_column_only_when_some_task_has_one(graph: Any) -> None:
    columns, rows = responsibility_matrix(graph)
    table = list(csv.reader(io.StringIO(matrix_csv(columns, rows))))
    assert table[0][:5] == ["序号", "部分", "任务", "完成时限", "缺口"]
    assert [line[3] for line in table[1:]] == [
        "2024年6月底",
        "6月底前",
        "长期坚持",
        "2024年第三季度",
        "",
        "2024年3月底前",
        "适时",
    ]
    seed = build_graph([parse_workplan("要点\n一、任务\n1.甲。（牵头单位：市民政局）\n")])
    columns, rows = responsibility_matrix(seed)
    assert matrix_csv(columns, rows).splitlines()[0] == "序号,部分,任务,缺口,市民政局"


def test_matrix_html_and_xlsx_deadline_column(graph: Any) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    columns, rows = responsibility_matrix(graph)
    page = LexborHTMLParser(matrix_html(columns, rows, title="矩阵"))
    heads = [th.text() for th in page.css("thead th")]
    assert heads[:5] == ["序号", "部分", "任务", "完成时限", "缺口"]
    assert [th.attributes["class"] for th in page.css("thead th")][3:6] == ["t", "t", "u"]
    first = [td.text() for td in page.css("tbody tr")[0].css("td")]
    assert first[:5] == ["1", "一、加强统筹", "建立工作机制", "2024年6月底", ""]
    wb = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(columns, rows, title="矩阵")))
    ws = wb["分工矩阵"]
    assert [c.value for c in ws[1]][:6] == ["序号", "部分", "任务", "完成时限", "缺口", columns[0]]
    assert ws["D2"].value == "2024年6月底" and ws.freeze_panes == "F2"


def test_report_lists_tasks_due_soonest_without_a_lead(tmp_path: Path) -> None:
    doc = parse_workplan(PLAN, doc_id="p")
    page = LexborHTMLParser(render_report([doc], include_map=False, include_chart=False))
    due = page.css_first("#dg-due")
    assert due is not None
    assert [[td.text() for td in tr.css("td")] for tr in due.css("tbody tr")] == [
        ["6", "加强培训", "2024年3月底前", "2024-03-31"],
        ["2", "开展宣传活动", "6月底前", "2024-06-30"],
        ["4", "落实经费保障", "2024年第三季度", "2024-09-30"],
    ]
    gaps = page.css_first("table.gaps")
    assert [th.text() for th in gaps.css("thead th")] == [
        "序号",
        "任务",
        "完成时限",
        "单位",
        "原文依据",
    ]
    no_lead = gaps.css_first("tbody.k-no-lead")
    assert [[td.text() for td in tr.css("td")][:3] for tr in no_lead.css("tr")[1:]] == [
        ["2", "开展宣传活动", "6月底前"],
        ["4", "落实经费保障", "2024年第三季度"],
        ["6", "加强培训", "2024年3月底前"],
    ]


def test_report_without_deadlines_is_unchanged() -> None:
    doc = parse_workplan("要点\n一、任务\n1.甲。（责任单位：市民政局）\n", doc_id="d")
    page = LexborHTMLParser(render_report([doc], include_map=False, include_chart=False))
    assert page.css_first("#dg-due") is None and page.css_first("#dg-due-title") is None
    heads = [th.text() for th in page.css_first("table.gaps").css("thead th")]
    assert heads == ["序号", "任务", "单位", "原文依据"]
