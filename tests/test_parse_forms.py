"""Every assignment form of docs/ARCHITECTURE.md §2, each with its exact expected assignments."""

from __future__ import annotations

import pytest

from dutygraph import ParseError, parse_workplan

L, S, R = "lead", "support", "responsible"


def doc_of(*items: str, preamble: str = "X市2023年工作要点\n", section: str = "一、重点任务\n"):
    return parse_workplan(preamble + section + "\n".join(items) + "\n", doc_id="t")


def pairs(text: str, **kw: str) -> list[tuple[str, str]]:
    doc = doc_of(text, **kw)
    assert len(doc.tasks) == 1, [t.number for t in doc.tasks]
    return [(a.unit, a.role) for a in doc.tasks[0].assignments]


FORMS = [
    # labelled clauses: punctuation and spacing variants
    (
        "1.甲。（牵头单位：市教育局；配合单位：市公安局、市民政局）",
        [("市教育局", L), ("市公安局", S), ("市民政局", S)],
    ),
    (
        "1.甲。(牵头单位:市教育局,配合单位:市公安局、市民政局)",
        [("市教育局", L), ("市公安局", S), ("市民政局", S)],
    ),
    ("1.甲。( 牵头单位 ： 市教育局 ; 配合单位 : 市公安局 )", [("市教育局", L), ("市公安局", S)]),
    ("1.甲。（责任单位：市教育局，市公安局）", [("市教育局", R), ("市公安局", R)]),
    ("1.甲。（责任部门：市教育局）", [("市教育局", R)]),
    ("1.甲。（牵头单位：市教育局；协办单位：市公安局）", [("市教育局", L), ("市公安局", S)]),
    ("1.甲。（牵头单位：市教育局；参与单位：市公安局）", [("市教育局", L), ("市公安局", S)]),
    (
        "1.甲。(牵头单位:市人民检察院;责任单位:市中级人民法院、市公安局)",
        [("市人民检察院", L), ("市中级人民法院", R), ("市公安局", R)],
    ),
    ("1.甲。（牵头单位：市教育局；完成时限：2023年12月底前）", [("市教育局", L)]),
    ("1.甲。\n牵头单位：市教育局\n配合单位：市公安局", [("市教育局", L), ("市公安局", S)]),
    # unlabelled forms
    ("1.甲。（市教育局牵头，市公安局配合）", [("市教育局", L), ("市公安局", S)]),
    (
        "1.甲。（市教育局牵头，市公安局、市民政局按职责分工负责）",
        [("市教育局", L), ("市公安局", S), ("市民政局", S)],
    ),
    ("1.甲。（市教育局、市民政局牵头）", [("市教育局", L), ("市民政局", L)]),
    ("1.甲。（市教育局会同有关部门负责）", [("市教育局", L), ("各有关部门", S)]),
    ("1.甲。（市教育局、市公安局负责）", [("市教育局", R), ("市公安局", R)]),
    ("1.甲。（市教育局牵头负责）", [("市教育局", L)]),
    ("1.甲。市教育局牵头，市公安局配合。", [("市教育局", L), ("市公安局", S)]),
    ("1.甲。由市教育局牵头，市公安局配合，开展专项行动。", [("市教育局", L), ("市公安局", S)]),
    ("1.甲。（市教育局负责，市公安局配合）", [("市教育局", L), ("市公安局", S)]),
    (
        "1.甲。（市教育局牵头，各县（区）人民政府负责）",
        [("市教育局", L), ("各县（区）人民政府", R)],
    ),
    # collectives kept whole
    ("1.甲。（责任单位：各区、县级市）", [("各区、县级市", R)]),
    ("1.甲。（各地区、各部门负责）", [("各地区、各部门", R)]),
    (
        "1.甲。（责任单位：各县（区）人民政府、市民政局）",
        [("各县（区）人民政府", R), ("市民政局", R)],
    ),
    (
        "1.甲。（牵头单位：市教育局；配合单位：市未保委其他成员单位）",
        [("市教育局", L), ("未保委其他成员单位", S)],
    ),
    ("1.甲。（市教育局牵头，各有关部门配合）", [("市教育局", L), ("各有关部门", S)]),
    # a name after a whole collective is a unit of its own
    (
        "1.甲。（责任单位：市教育局、各有关部门、市人民政府）",
        [("市教育局", R), ("各有关部门", R), ("市人民政府", R)],
    ),
    ("1.甲。（各成员单位、区人民政府负责）", [("各成员单位", R), ("区人民政府", R)]),
    # ... while the places of a 各 list stay together
    ("1.甲。（责任单位：各区、县、市人民政府）", [("各区、县、市人民政府", R)]),
    # parentheses that are not assignments
    ("1.推动实施《X市儿童发展规划（2021-2025年）》。", []),
    ("1.推动实施规划( 2018一2025 年)。（责任单位：市发改委）", [("市发改委", R)]),
    ("1.覆盖市（地、州、盟）。", []),
    ("1.严惩销售烟（含电子烟）行为。", []),
    # a place word bracketed inside the task's sentence glosses the word before it
    (
        "1.推进乡镇（街道）工作站建设。（市教育局牵头，市公安局配合）",
        [("市教育局", L), ("市公安局", S)],
    ),
    ("1.推进乡镇（街道）工作站建设。（市教育局、市公安局）", [("市教育局", R), ("市公安局", R)]),
    ("1.指导村（居）委员会、乡镇（街道）开展工作。", []),
    # a role mark after a name, names separated by spaces, other labels ending a list
    (
        "1.甲。（责任单位：市司法局（牵头）、团市委、市检察院）",
        [("市司法局", L), ("团市委", R), ("市人民检察院", R)],
    ),
    (
        "1.甲。\n牵头单位：市妇联  配合单位：市教育局 团市委",
        [("市妇联", L), ("市教育局", S), ("团市委", S)],
    ),
    ("1.甲。（牵头单位：市委网信办 责任领导：张三）", [("市委网信办", L)]),
    (
        "1.甲。（县民政局、各乡镇人民政府、街道办事处）",
        [("县民政局", R), ("各乡镇人民政府、街道办事处", R)],
    ),
    # names: aliases and trailing 等
    (
        "1.甲。（牵头单位：市卫生健康委；配合单位：市发展改革委、市住房城乡建设局等部门）",
        [("市卫生健康局", L), ("市发改委", S), ("市住房和城乡建设局", S)],
    ),
]


@pytest.mark.parametrize(("item", "expected"), FORMS)
def test_form(item: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(item) == expected


@pytest.mark.parametrize(
    "rule",
    [
        "列第一位者为牵头单位",
        "排在第一位的为牵头单位",
        "排在首位的为牵头单位",
        "列第一位的为牵头单位",
    ],
)
def test_first_listed_rule_in_preamble(rule: str) -> None:
    doc = doc_of(
        "1.甲。（市教育局、市公安局、市民政局）",
        "2.乙。（责任单位：市民政局、团市委）",
        preamble=f"X市工作要点\n（各项任务中{rule}）\n",
    )
    assert doc.rules == {"first_listed_is_lead": True}
    assert [[(a.unit, a.role) for a in t.assignments] for t in doc.tasks] == [
        [("市教育局", L), ("市公安局", S), ("市民政局", S)],
        [("市民政局", L), ("团市委", S)],
    ]


def test_first_listed_rule_from_where_it_is_stated() -> None:
    doc = doc_of(
        "1.甲。（责任单位：市教育局、市公安局）",
        "2.乙。（责任单位：市民政局、团市委，列第一位者为牵头单位，下同）",
        "3.丙。（市妇联、市教育局）",
        "4.丁。（牵头单位：市人民检察院；责任单位：市中级人民法院、市公安局）",
    )
    got = [[(a.unit, a.role) for a in t.assignments] for t in doc.tasks]
    assert got == [
        [("市教育局", R), ("市公安局", R)],
        [("市民政局", L), ("团市委", S)],
        [("市妇联", L), ("市教育局", S)],
        [("市人民检察院", L), ("市中级人民法院", R), ("市公安局", R)],
    ]


@pytest.mark.parametrize(
    ("numbering", "numbers"),
    [
        (["1.甲。", "2.乙。"], ["1", "2"]),
        (["1．甲。", "2．乙。"], ["1", "2"]),
        (["1、甲。", "2、乙。"], ["1", "2"]),
        (["（一）甲。", "（二）乙。"], ["1", "2"]),
        (["(1)甲。", "(2)乙。"], ["1", "2"]),
    ],
)
def test_numbering_styles(numbering: list[str], numbers: list[str]) -> None:
    items = [f"{n}（牵头单位：市教育局）" for n in numbering]
    doc = doc_of(*items)
    assert [t.number for t in doc.tasks] == numbers
    assert [t.title for t in doc.tasks] == ["甲", "乙"]


def test_numbering_restarting_per_section_gets_qualified_uids() -> None:
    doc = parse_workplan(
        "要点\n一、家庭\n1.甲。（牵头单位：市妇联）\n二、学校\n1.乙。（牵头单位：市教育局）\n",
        doc_id="d",
    )
    assert [(t.uid, t.number, t.section) for t in doc.tasks] == [
        ("d#一.1", "1", "一"),
        ("d#二.1", "1", "二"),
    ]


def test_numbering_continuing_across_sections() -> None:
    doc = parse_workplan(
        "要点\n一、家庭\n1.甲。（牵头单位：市妇联）\n二、学校\n2.乙。（牵头单位：市教育局）\n",
        doc_id="d",
    )
    assert [(t.uid, t.section_title) for t in doc.tasks] == [("d#1", "家庭"), ("d#2", "学校")]


def test_subsection_headings_are_not_tasks() -> None:
    doc = parse_workplan(
        "方案\n一、重点任务\n（一）加强家庭保护\n1.甲。（牵头单位：市妇联）\n"
        "2.乙。（市民政局牵头，团市委配合）\n（二）加强学校保护\n3.丙。（责任单位：市教育局）\n",
        doc_id="d",
    )
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]


def test_sub_items_with_own_clause_are_tasks() -> None:
    doc = parse_workplan(
        "要点\n一、任务\n1.甲。（牵头单位：市妇联）\n2.乙。总体要求。\n"
        "(1)细化一。（牵头单位：市教育局）\n(2)细化二。（牵头单位：市公安局）\n"
        "3.丙。说明。\n(1)不单列。\n",
        doc_id="d",
    )
    got = [(t.number, [a.unit for a in t.assignments]) for t in doc.tasks]
    assert got == [("1", ["市妇联"]), ("2.1", ["市教育局"]), ("2.2", ["市公安局"]), ("3", [])]
    three = doc.task("3")
    assert three is not None and "(1)不单列。" in three.text


def test_section_without_assignments_is_not_a_task_list() -> None:
    doc = parse_workplan(
        "方案\n一、总体要求\n（一）指导思想。坚持。\n（二）基本原则。\n"
        "二、重点任务\n（一）甲。（牵头单位：市妇联）\n（二）乙。\n",
        doc_id="d",
    )
    assert [(t.section, t.number) for t in doc.tasks] == [("二", "1"), ("二", "2")]
    assert [w.code for w in doc.warnings] == ["section-without-assignments"]


def test_task_without_assignment_is_kept() -> None:
    doc = doc_of("1.甲。（牵头单位：市妇联）", "2.乙。没有写责任单位。")
    assert [len(t.assignments) for t in doc.tasks] == [1, 0]


def test_header_from_notice_lines() -> None:
    doc = parse_workplan(
        "X市人民政府办公室关于印发X市工作方案的通知\nX府办发〔2023〕12号\n"
        "X市2023年度未成年人保护工作方案\n一、任务\n1.甲。（牵头单位：市妇联）\n"
        "X市人民政府办公室\n二〇二三年五月八日\n",
        doc_id="d",
    )
    assert doc.title == "X市2023年度未成年人保护工作方案"
    assert doc.doc_no == "X府办发〔2023〕12号"


def test_meta_from_reader_wins() -> None:
    doc = parse_workplan(
        "要点\n一、任务\n1.甲。（牵头单位：市妇联）\n",
        doc_id="d",
        meta={"发布机构": "X市民政局", "发文日期": "2023-05-08", "文号": "X民发〔2023〕3号"},
    )
    assert (doc.issuer, doc.date, doc.doc_no) == ("X市民政局", "2023-05-08", "X民发〔2023〕3号")


def test_full_width_and_half_width_give_same_result() -> None:
    full = pairs("1.甲。（牵头单位：市教育局；配合单位：市公安局）")
    half = pairs("1.甲。(牵头单位:市教育局;配合单位:市公安局)")
    assert full == half == [("市教育局", L), ("市公安局", S)]


def test_spans_point_at_names_as_written() -> None:
    doc = doc_of("1.甲。（ 牵头单位 ： 市卫生健康委 ；配合单位：各区、县级市 ）")
    for a in doc.assignments:
        assert doc.text[a.span[0] : a.span[1]] == a.as_written
    assert [a.as_written for a in doc.assignments] == ["市卫生健康委", "各区、县级市"]


def test_ambiguous_name_stays_as_written() -> None:
    doc = doc_of("1.甲。（牵头单位：市发展局）")
    assert [a.unit for a in doc.assignments] == ["市发展局"]


@pytest.mark.parametrize("text", ["", "   \n\n", "没有编号的一段话。"])
def test_unusable_text_raises_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match=r"empty|no numbered"):
        parse_workplan(text, doc_id="d")
