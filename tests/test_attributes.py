"""Task attributes: the deadline and the leader as written, and the deadline normalised (due).

From the reader (:mod:`dutygraph.extract.attributes`) through the parser to the records, the
JSON contract, the ingest cache, the networkx graph and the exports.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from dutygraph import build_graph, example_path, parse_workplan, read_workplan
from dutygraph.cli import main
from dutygraph.extract.attributes import (
    DEADLINE_LABELS,
    LEADER_LABELS,
    TaskAttributes,
    due_of,
    plan_year,
    read_attributes,
    read_trailing_deadline,
)
from dutygraph.extract.ingest import document_from_cache, document_to_cache
from dutygraph.extract.text import fold
from dutygraph.graph.records import document_to_dict
from dutygraph.views.export import export_graph


def attrs(text: str, year: int | None = None) -> TaskAttributes:
    return read_attributes(text, fold(text), 0, len(text), year=year)


@pytest.mark.parametrize(
    ("written", "year", "due"),
    [
        ("2024年6月底", None, "2024-06-30"),
        ("2024年6月底前", None, "2024-06-30"),
        ("2024年6月底前完成", None, "2024-06-30"),
        ("2024年6月末", None, "2024-06-30"),
        ("2024年6月", None, "2024-06-30"),
        ("2024年2月", None, "2024-02-29"),
        ("2023年2月底", None, "2023-02-28"),
        ("2024年6月15日", None, "2024-06-15"),
        ("2024年6月15日前", None, "2024-06-15"),
        ("2024年6月上旬", None, "2024-06-10"),
        ("2024年6月中旬", None, "2024-06-20"),
        ("2024年6月下旬", None, "2024-06-30"),
        ("2024年底前", None, "2024-12-31"),
        ("2024年年底", None, "2024-12-31"),
        ("2024年年底前", None, "2024-12-31"),
        ("2024年底前基本完成", None, "2024-12-31"),
        ("2024年末", None, "2024-12-31"),
        ("2024年", None, "2024-12-31"),
        ("2024年度内", None, "2024-12-31"),
        ("2024年第三季度", None, "2024-09-30"),
        ("2024年三季度", None, "2024-09-30"),
        ("2024年第1季度末", None, "2024-03-31"),
        ("2024年上半年", None, "2024-06-30"),
        ("2024年下半年", None, "2024-12-31"),
        ("二〇二四年六月底", None, "2024-06-30"),
        ("２０２４年６月底", None, "2024-06-30"),
        ("2024.6.30", None, "2024-06-30"),
        ("2024-06-30", None, "2024-06-30"),
        ("2024/6", None, "2024-06-30"),
        ("力争2024年底前完成", None, "2024-12-31"),
        ("截至2024年9月", None, "2024-09-30"),
        ("6月底前", 2024, "2024-06-30"),
        ("6月底前", None, None),
        ("十二月底", 2023, "2023-12-31"),
        ("年底前", 2024, "2024-12-31"),
        ("上半年", 2025, "2025-06-30"),
        ("第二季度", 2024, "2024-06-30"),
        ("长期坚持", None, "ongoing"),
        ("持续推进", None, "ongoing"),
        ("长期", None, "ongoing"),
        ("常态化", None, "ongoing"),
        ("常态化开展", None, "ongoing"),
        ("2024年3月—6月", None, "2024-06-30"),
        ("2024年3月-6月", None, "2024-06-30"),
        ("2024年3月至2025年6月", None, "2025-06-30"),
        ("2024年3月至年底", None, "2024-12-31"),
        ("2024年11月—3月", None, "2025-03-31"),
        ("3月—6月", 2024, "2024-06-30"),
        ("2024年3月启动，6月底前完成", None, None),
        ("适时开展", None, None),
        ("2024年13月", None, None),
        ("2024年2月30日", None, None),
        ("", None, None),
    ],
)
def test_due_of_every_form(written: str, year: int | None, due: str | None) -> None:
    assert due_of(written, year) == due


@pytest.mark.parametrize("label", DEADLINE_LABELS)
def test_every_deadline_label(label: str) -> None:
    text = f"1.甲。（牵头单位：市妇联；{label}：2024年6月底）"
    assert attrs(text) == TaskAttributes("2024年6月底", "2024-06-30", None)


@pytest.mark.parametrize("label", LEADER_LABELS)
def test_every_leader_label(label: str) -> None:
    text = f"1.甲。（牵头单位：市妇联；{label}：张三）"
    assert attrs(text) == TaskAttributes(None, None, "张三")


def test_values_end_at_the_next_part_or_label() -> None:
    text = "1.甲。(完成时限: 2024年底前, 责任领导: 王五 副市长)"
    assert attrs(text) == TaskAttributes("2024年底前", "2024-12-31", "王五 副市长")
    text = "1.甲。\n完成时限：长期坚持\n分管领导：李四（副县长）、赵六\n备注：无\n"
    assert attrs(text) == TaskAttributes("长期坚持", "ongoing", "李四（副县长）、赵六")
    text = "1.甲。（完成时限：2024年3月启动，6月底前完成；配合单位：团市委）"
    assert attrs(text) == TaskAttributes("2024年3月启动，6月底前完成", None, None)


def test_empty_values_are_no_value() -> None:
    assert attrs("1.甲。（牵头单位：市妇联；完成时限：/；责任领导：—）") == TaskAttributes()
    assert attrs("1.甲。（完成时限：无；时间节点：2024年6月）").due == "2024-06-30"


def test_the_first_labelled_value_wins() -> None:
    text = "1.甲。（完成时限：2024年6月底；进度安排：2024年3月启动；责任人：张三；责任领导：李四）"
    assert attrs(text) == TaskAttributes("2024年6月底", "2024-06-30", "张三")


def test_unlabelled_trailing_deadline() -> None:
    assert attrs("1.甲。（市民政局牵头，2024年6月底前完成）") == TaskAttributes(
        "2024年6月底前完成", "2024-06-30", None
    )
    assert attrs("1.甲。（长期坚持）。") == TaskAttributes("长期坚持", "ongoing", None)
    assert attrs("1.甲。（6月底前完成）", year=2024).due == "2024-06-30"
    assert read_trailing_deadline("x（年底前）", fold("x（年底前）"), 0, 6, year=2023) == (
        TaskAttributes("年底前", "2023-12-31", None)
    )


@pytest.mark.parametrize(
    "text",
    [
        "1.落实《规划（2021—2025年）》。（县民政局负责）",  # a plan's period, not trailing
        "1.甲。（县民政局负责）2024年底前完成。",  # not in the clause
        "1.甲。（长期坚持，2024年底前完成）",  # two deadlines: ambiguous
        "1.甲。（2024年6月）",  # a month without 前, 底 or 完成: could be anything
        "1.甲。（县民政局负责，适时开展）",
        "1.长期坚持学习。（县民政局负责）",
    ],
)
def test_no_unlabelled_deadline_where_it_is_not_plain(text: str) -> None:
    assert attrs(text) == TaskAttributes()


def test_plan_year() -> None:
    assert plan_year("X市2024年工作要点", "2023-12-28") == 2024
    assert plan_year("关于印发二〇二四年工作要点的通知", None) == 2024
    assert plan_year("工作要点", "2024-02-01") == 2024
    assert plan_year("2023—2025年行动方案", "2023-05-01") is None
    assert plan_year("工作要点", None) is None


PLAN = """X市2024年未成年人保护工作要点
一、加强统筹
1.建立工作机制。（牵头单位：市民政局；配合单位：团市委；完成时限：2024年6月底；责任领导：张三）
2.开展宣传活动。（责任单位：市教育局、市妇联；完成时限：6月底前）
3.加强督促检查。（牵头单位：市民政局；时间节点：长期坚持；分管市领导：李四）
二、强化保障
4.落实经费保障。（责任单位：市财政局；进度安排：2024年第三季度）
5.完善制度。（牵头单位：市司法局；配合单位：市教育局）
"""


def test_parse_reads_labelled_deadlines_and_leaders() -> None:
    doc = parse_workplan(PLAN, doc_id="p")
    assert [(t.number, t.deadline, t.due, t.leader) for t in doc.tasks] == [
        ("1", "2024年6月底", "2024-06-30", "张三"),
        ("2", "6月底前", "2024-06-30", None),
        ("3", "长期坚持", "ongoing", "李四"),
        ("4", "2024年第三季度", "2024-09-30", None),
        ("5", None, None, None),
    ]
    # Attribute labels are never units.
    assert [(a.unit, a.role) for a in doc.tasks[0].assignments] == [
        ("市民政局", "lead"),
        ("团市委", "support"),
    ]
    assert [a.unit for a in doc.tasks[3].assignments] == ["市财政局"]


def test_parse_takes_the_year_from_the_date_without_one_in_the_title() -> None:
    text = "工作要点\n2025年1月6日\n一、任务\n1.甲。（牵头单位：县民政局；完成时限：6月底前）\n"
    assert parse_workplan(text, doc_id="d").tasks[0].due == "2025-06-30"
    text = "工作要点\n一、任务\n1.甲。（牵头单位：县民政局；完成时限：6月底前）\n"
    task = parse_workplan(text, doc_id="d").tasks[0]
    assert (task.deadline, task.due) == ("6月底前", None)


def test_attribute_lines_under_an_item() -> None:
    text = (
        "工作要点\n一、任务\n1.建立台账。\n牵头单位：县民政局\n完成时限：2024年12月底\n"
        "责任人：王五\n2.开展培训。\n牵头单位：县教育局\n"
    )
    doc = parse_workplan(text, doc_id="d")
    assert [(t.number, t.deadline, t.due, t.leader) for t in doc.tasks] == [
        ("1", "2024年12月底", "2024-12-31", "王五"),
        ("2", None, None, None),
    ]


def test_the_seed_has_no_attributes() -> None:
    doc = read_workplan(example_path())
    assert len(doc.tasks) == 23 and len(doc.assignments) == 121
    assert all(t.deadline is None and t.due is None and t.leader is None for t in doc.tasks)


def test_json_contract_has_the_additive_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = document_to_dict(parse_workplan(PLAN, doc_id="p"))
    first = data["tasks"][0]
    assert (first["deadline"], first["due"], first["leader"]) == (
        "2024年6月底",
        "2024-06-30",
        "张三",
    )
    assert (data["tasks"][4]["deadline"], data["tasks"][4]["due"]) == (None, None)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["parse", str(plan), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)["documents"][0]["tasks"]
    assert [(t["number"], t["due"], t["leader"]) for t in printed] == [
        ("1", "2024-06-30", "张三"),
        ("2", "2024-06-30", None),
        ("3", "ongoing", "李四"),
        ("4", "2024-09-30", None),
        ("5", None, None),
    ]


def test_cache_keeps_the_attributes() -> None:
    doc = parse_workplan(PLAN, doc_id="p")
    back = document_from_cache(json.loads(json.dumps(document_to_cache(doc))))
    assert back == doc
    assert back.tasks[2].leader == "李四"


def test_graph_task_nodes_hold_the_attributes() -> None:
    g = build_graph([parse_workplan(PLAN, doc_id="p")])
    assert {k: g.nodes["task:p#1"][k] for k in ("deadline", "due", "leader")} == {
        "deadline": "2024年6月底",
        "due": "2024-06-30",
        "leader": "张三",
    }
    assert g.nodes["task:p#5"]["due"] is None


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_exports_carry_the_attributes_and_leave_out_nulls(tmp_path: Path, suffix: str) -> None:
    g = build_graph([parse_workplan(PLAN, doc_id="p")])
    (path,) = export_graph(g, tmp_path / f"plan{suffix}")
    back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    assert back.nodes["task:p#3"]["due"] == "ongoing"
    assert back.nodes["task:p#3"]["leader"] == "李四"
    assert back.nodes["task:p#1"]["deadline"] == "2024年6月底"
    assert "due" not in back.nodes["task:p#5"] and "leader" not in back.nodes["task:p#2"]


def test_csv_export_has_the_attribute_columns(tmp_path: Path) -> None:
    g = build_graph([parse_workplan(PLAN, doc_id="p")])
    nodes, _ = export_graph(g, tmp_path / "plan.csv")
    lines = nodes.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[header.index("text") + 1 : header.index("text") + 4] == [
        "deadline",
        "due",
        "leader",
    ]
    row = next(ln for ln in lines if ln.startswith("task:p#2,"))
    assert ",6月底前,2024-06-30," in row


def test_map_tip_shows_the_deadline_and_the_leader() -> None:
    from dutygraph.views.maps.style import SECTION_PALETTE, task_options

    g = build_graph([parse_workplan(PLAN, doc_id="p")])
    tip = task_options("task:p#1", g.nodes["task:p#1"], SECTION_PALETTE[0], {}, [], [])["tip"]
    assert tip["rows"][-2:] == [["完成时限", "2024年6月底"], ["责任领导", "张三"]]
    tip = task_options("task:p#5", g.nodes["task:p#5"], SECTION_PALETTE[0], {}, [], [])["tip"]
    assert [r[0] for r in tip["rows"]] == ["部分"]


def test_a_rendered_table_row() -> None:
    # A table row as the table readers render it: one labelled clause, attribute columns last.
    doc = parse_workplan(
        "X市2024年工作任务分工\n一、重点任务\n"
        "3.加强家庭教育指导。开展家长课堂（牵头单位：市妇联；配合单位：市教育局、团市委；"
        "完成时限：2024年6月底；责任领导：张三）\n"
        "4.加强学校保护。（牵头单位：市教育局；完成时限：2024年底前完成；分管领导：李四；"
        "备注：每季度报送）\n",
        doc_id="x",
    )
    assert [
        (t.number, t.deadline, t.due, t.leader, [(a.unit, a.role) for a in t.assignments])
        for t in doc.tasks
    ] == [
        (
            "3",
            "2024年6月底",
            "2024-06-30",
            "张三",
            [("市妇联", "lead"), ("市教育局", "support"), ("团市委", "support")],
        ),
        ("4", "2024年底前完成", "2024-12-31", "李四", [("市教育局", "lead")]),
    ]
