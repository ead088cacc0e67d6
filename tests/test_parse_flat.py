"""Numbering wherever it stands (pages whose line breaks were lost) and national list forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import generate_document
from dutygraph import example_path, parse_workplan
from dutygraph.graph.records import Document

L, S, R = "lead", "support", "responsible"

NATIONAL = """国务院办公厅关于印发促进就业重点任务分工方案的通知
国办函〔2023〕12号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院同意，现将《促进就业重点任务分工方案》印发给你们，请认真贯彻落实。
国务院办公厅
2023年5月8日
促进就业重点任务分工方案
一、加大政策支持力度
（一）加大财政投入。统筹用好就业补助资金。（财政部牵头，人力资源社会保障部等有关部门和单位按职责分工负责）
具体措施：
1．优化就业补助资金支出结构，提高资金使用效益。（财政部、人力资源社会保障部负责）
2．落实社会保险补贴政策，2024年底前完成清理。（人力资源社会保障部等有关部门和单位负责）
（二）强化税费优惠。落实重点群体创业就业税收优惠政策。（税务总局牵头，财政部、人力资源社会保障部等按职责分工负责）
二、拓宽就业渠道
（三）支持多渠道灵活就业。（人力资源社会保障部会同有关部门负责）
具体措施：
1．规范发展新就业形态，按照第（一）项要求落实资金3.5亿元。（扶贫办、发展改革委、商务部等和各有关省级人民政府负责）
2．开展就业帮扶行动。（教育部、民政部等部门和各省级人民政府负责）
（四）稳定农民工就业。（人力资源社会保障部及各地区按职责分工负责）
（五）加强督促落实。（国务院相关部门及各地区负责）
"""


def rows(doc: Document) -> list[tuple[str, str, str, str, bool, tuple[int, int]]]:
    """(task number, role, unit, as written, collective, span) of every assignment."""
    return [
        (t.number, a.role, a.unit, a.as_written, a.collective, a.span)
        for t in doc.tasks
        for a in t.assignments
    ]


def test_national_plan_exact() -> None:
    doc = parse_workplan(NATIONAL, doc_id="n")
    text = doc.text
    for a in doc.assignments:
        assert text[a.span[0] : a.span[1]] == a.as_written
    got = [(n, role, unit, written, coll) for n, role, unit, written, coll, _ in rows(doc)]
    assert got == [
        ("1", L, "财政部", "财政部", False),
        ("1", S, "人力资源社会保障部", "人力资源社会保障部", False),
        ("1", S, "各有关部门和单位", "有关部门和单位", True),
        ("1.1", R, "财政部", "财政部", False),
        ("1.1", R, "人力资源社会保障部", "人力资源社会保障部", False),
        ("1.2", R, "人力资源社会保障部", "人力资源社会保障部", False),
        ("1.2", R, "各有关部门和单位", "有关部门和单位", True),
        ("2", L, "税务总局", "税务总局", False),
        ("2", S, "财政部", "财政部", False),
        ("2", S, "人力资源社会保障部", "人力资源社会保障部", False),
        ("3", L, "人力资源社会保障部", "人力资源社会保障部", False),
        ("3", S, "各有关部门", "有关部门", True),
        ("3.1", R, "扶贫办", "扶贫办", False),
        ("3.1", R, "发展改革委", "发展改革委", False),
        ("3.1", R, "商务部", "商务部", False),
        ("3.1", R, "各有关省级人民政府", "各有关省级人民政府", True),
        ("3.2", R, "教育部", "教育部", False),
        ("3.2", R, "民政部", "民政部", False),
        ("3.2", R, "各省级人民政府", "各省级人民政府", True),
        ("4", R, "人力资源社会保障部", "人力资源社会保障部", False),
        ("4", R, "各地区", "各地区", True),
        ("5", R, "国务院有关部门", "国务院相关部门", True),
        ("5", R, "各地区", "各地区", True),
    ]
    one = doc.task("1")
    assert one is not None
    # a parent item with its own clause: its text is the part before its sub-items
    assert one.text == (
        "（一）加大财政投入。统筹用好就业补助资金。"
        "（财政部牵头，人力资源社会保障部等有关部门和单位按职责分工负责）\n具体措施："
    )
    assert [(t.uid, t.section) for t in doc.tasks][:3] == [
        ("n#1", "一"),
        ("n#1.1", "一"),
        ("n#1.2", "一"),
    ]


def _form(clause: str) -> str:
    return f"X市工作要点\n一、重点任务\n1.推进工作。{clause}\n"


# Each form: the clause, then (role, unit, as written, collective, offset of the name in the
# clause) of every assignment. Offsets are found in the clause, so spans are checked exactly.
LIST_FORMS = [
    (
        "（人力资源社会保障部等有关部门和单位负责）",
        [
            (R, "人力资源社会保障部", "人力资源社会保障部", False),
            (R, "各有关部门和单位", "有关部门和单位", True),
        ],
    ),
    (
        "（扶贫办、发展改革委、商务部等和各有关省级人民政府负责）",
        [
            (R, "扶贫办", "扶贫办", False),
            (R, "发展改革委", "发展改革委", False),
            (R, "商务部", "商务部", False),
            (R, "各有关省级人民政府", "各有关省级人民政府", True),
        ],
    ),
    (
        "（教育部、民政部等部门和各省级人民政府负责）",
        [
            (R, "教育部", "教育部", False),
            (R, "民政部", "民政部", False),
            (R, "各省级人民政府", "各省级人民政府", True),
        ],
    ),
    (
        "（人力资源社会保障部及各地区按职责分工负责）",
        [(R, "人力资源社会保障部", "人力资源社会保障部", False), (R, "各地区", "各地区", True)],
    ),
    (
        "（人力资源社会保障部会同有关部门负责）",
        [
            (L, "人力资源社会保障部", "人力资源社会保障部", False),
            (S, "各有关部门", "有关部门", True),
        ],
    ),
    (
        "（国务院相关部门及各地区负责）",
        [(R, "国务院有关部门", "国务院相关部门", True), (R, "各地区", "各地区", True)],
    ),
    (
        "（财政部牵头，教育部、民政部等按职责分工负责）",
        [
            (L, "财政部", "财政部", False),
            (S, "教育部", "教育部", False),
            (S, "民政部", "民政部", False),
        ],
    ),
    (
        "（财政部牵头，人力资源社会保障部等有关部门和单位按职责分工负责）",
        [
            (L, "财政部", "财政部", False),
            (S, "人力资源社会保障部", "人力资源社会保障部", False),
            (S, "各有关部门和单位", "有关部门和单位", True),
        ],
    ),
    (
        "（财政部牵头，国务院相关部门及各地区按职责分工负责）",
        [
            (L, "财政部", "财政部", False),
            (S, "国务院有关部门", "国务院相关部门", True),
            (S, "各地区", "各地区", True),
        ],
    ),
    (
        "（市教育局等相关单位负责）",
        [(R, "市教育局", "市教育局", False), (R, "各有关单位", "相关单位", True)],
    ),
    (
        "（市教育局、市公安局按职责分工负责）",
        [(R, "市教育局", "市教育局", False), (R, "市公安局", "市公安局", False)],
    ),
    # collectives containing 、 stay whole wherever they stand in a list
    (
        "（牵头单位：市教育局；配合单位：市科协，各有关区、县级市）",
        [
            (L, "市教育局", "市教育局", False),
            (S, "市科协", "市科协", False),
            (S, "各有关区、县级市", "各有关区、县级市", True),
        ],
    ),
    (
        "（责任单位：市民政局、各地区、各部门）",
        [(R, "市民政局", "市民政局", False), (R, "各地区、各部门", "各地区、各部门", True)],
    ),
    (
        "（各县（区）、市直各部门负责）",
        [(R, "各县（区）、市直各部门", "各县（区）、市直各部门", True)],
    ),
    (
        "（责任单位：各县（区）人民政府、各有关部门）",
        [
            (R, "各县（区）人民政府", "各县（区）人民政府", True),
            (R, "各有关部门", "各有关部门", True),
        ],
    ),
    # 和 inside a name that is no collective: one name
    ("（各级党委和政府负责）", [(R, "各级党委和政府", "各级党委和政府", True)]),
]


@pytest.mark.parametrize(("clause", "expected"), LIST_FORMS)
def test_national_list_form(clause: str, expected: list[tuple[str, str, str, bool]]) -> None:
    text = _form(clause)
    doc = parse_workplan(text, doc_id="f")
    at = text.index(clause)
    want = []
    cursor = 0
    for role, unit, written, collective in expected:
        offset = clause.index(written, cursor)
        cursor = offset + len(written)
        want.append(("1", role, unit, written, collective, (at + offset, at + cursor)))
    assert rows(doc) == want


def flatten(text: str, sep: str) -> tuple[str, list[int]]:
    """``text`` with its line breaks replaced by ``sep``, and where each offset went."""
    where = []
    at = 0
    for ch in text:
        where.append(at)
        at += len(sep) if ch == "\n" else 1
    where.append(at)
    return text.replace("\n", sep), where


def same_parse(original: str, sep: str) -> None:
    """The flattened text gives exactly the original's tasks and assignments, spans shifted."""
    flat, where = flatten(original, sep)
    before = parse_workplan(original, doc_id="d")
    after = parse_workplan(flat, doc_id="d")

    def shift(span: tuple[int, int]) -> tuple[int, int]:
        return where[span[0]], where[span[1]]

    def tasks(doc: Document, moved: bool) -> list[tuple[object, ...]]:
        return [
            (
                t.uid,
                t.number,
                t.section,
                t.section_title,
                t.title.replace("\n", sep) if moved else t.title,
                t.text.replace("\n", sep) if moved else t.text,
                shift(t.span) if moved else t.span,
                [
                    (
                        a.unit,
                        a.as_written,
                        a.role,
                        a.collective,
                        shift(a.span) if moved else a.span,
                    )
                    for a in t.assignments
                ],
            )
            for t in doc.tasks
        ]

    assert tasks(after, False) == tasks(before, True)
    assert after.title == before.title and after.sections == before.sections


PLANS = {
    "example": Path(example_path()).read_text(encoding="utf-8"),
    "national": NATIONAL,
    **{f"generated-{i}": generate_document(i, seed=3).text for i in range(12)},
    **{f"small-{i}": generate_document(i, seed=4, profile="small").text for i in range(12)},
}


@pytest.mark.parametrize("sep", ["", " "], ids=["joined", "spaced"])
@pytest.mark.parametrize("name", sorted(PLANS))
def test_flattened_plan_parses_like_the_original(name: str, sep: str) -> None:
    same_parse(PLANS[name], sep)


def test_flattened_example_counts() -> None:
    doc = parse_workplan(PLANS["example"].replace("\n", ""), doc_id="x")
    assert (len(doc.tasks), len(doc.assignments)) == (23, 121)


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        # numbers inside sentences start no item
        ("1.推进工作。2024年完成。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.推进工作，落实第1.5条。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.投入1.5亿元，增长3.5%。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.实施规划(2018一2025 年)。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.按照第(一)项要求推进。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.实施《方案(二)》。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.于2023.3.31前完成。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        # a number out of sequence is text: 5 after 1, a lone (1) with no (2)
        ("1.推进工作。5.落实。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        ("1.推进工作。(1)细化。(市教育局负责)2.落实。(市民政局负责)", ["1", "2"]),
        # the same numbers after a sentence end and in sequence are items
        ("1.推进工作。(市教育局负责)2.落实。(市民政局负责)3.巩固。(团市委负责)", ["1", "2", "3"]),
    ],
)
def test_numbers_inside_sentences(body: str, numbers: list[str]) -> None:
    doc = parse_workplan(f"X市工作要点一、任务{body}二、保障", doc_id="x")
    assert [t.number for t in doc.tasks] == numbers


def test_sub_items_after_a_colon_are_numbered_under_their_parent() -> None:
    doc = parse_workplan(
        "方案\n一、任务\n（一）加大财政投入。（财政部牵头）具体措施：1．优化结构。（财政部负责）"
        "2．落实补贴。（人力资源社会保障部负责）（二）强化税费优惠。（税务总局负责）\n",
        doc_id="d",
    )
    got = [(t.number, t.title, [(a.unit, a.role) for a in t.assignments]) for t in doc.tasks]
    assert got == [
        ("1", "加大财政投入", [("财政部", L)]),
        ("1.1", "优化结构", [("财政部", R)]),
        ("1.2", "落实补贴", [("人力资源社会保障部", R)]),
        ("2", "强化税费优惠", [("税务总局", R)]),
    ]
    assert doc.tasks[0].text == "（一）加大财政投入。（财政部牵头）具体措施："


def test_enumeration_inside_an_item_keeps_the_item_clause() -> None:
    doc = parse_workplan(
        "要点\n一、任务\n1.健全政策。重点包括：(1)托育服务；(2)收养评估。（责任单位：市民政局）\n"
        "2.加强宣传。（牵头单位：市委宣传部）\n",
        doc_id="d",
    )
    got = [(t.number, [(a.unit, a.role) for a in t.assignments]) for t in doc.tasks]
    assert got == [("1", [("市民政局", R)]), ("2", [("市委宣传部", L)])]
    one = doc.task("1")
    assert one is not None and one.text.endswith("(2)收养评估。（责任单位：市民政局）")


PROSE = "加强工作指导，完善制度机制，推进各项措施落地见效。" * 15


def test_sections_and_items_glued_to_labelled_lines() -> None:
    text = (
        f"X市工作要点一、统筹谋划1.加强学习。{PROSE}牵头单位：市委宣传部配合单位：市教育局"
        f"2.完善机制。{PROSE}牵头单位：市民政局二、家庭保护3.指导家庭教育。{PROSE}牵头单位：市妇联"
    )
    doc = parse_workplan(text, doc_id="g")
    got = [
        (t.section, t.number, [(a.as_written, a.role) for a in t.assignments]) for t in doc.tasks
    ]
    assert got == [
        ("一", "1", [("市委宣传部", L), ("市教育局", S)]),
        ("一", "2", [("市民政局", L)]),
        ("二", "3", [("市妇联", L)]),
    ]


def test_glued_numbers_are_read_in_long_lines_only() -> None:
    # in a plan with its line breaks, a number glued to a word is a typo inside the item
    text = "X市工作要点\n一、统筹\n1.加强学习。牵头单位：市委宣传部2.完善机制\n"
    doc = parse_workplan(text, doc_id="g")
    assert [t.number for t in doc.tasks] == ["1"]


@pytest.mark.parametrize(
    "text",
    [
        "方案一、主要任务：（一）加大投入。（财政部负责）（二）强化服务。（教育部负责）"
        "二、保障措施（三）加强领导。（民政部负责）",
        "方案 一、主要任务 （一）加大投入。（财政部负责） （二）强化服务。（教育部负责） "
        "二、保障措施 （三）加强领导。（民政部负责）",
        "方案\n一、主要任务\n（一）加大投入。（财政部负责）\n（二）强化服务。（教育部负责）\n"
        "二、保障措施\n（三）加强领导。（民政部负责）\n",
    ],
    ids=["joined", "spaced", "lines"],
)
def test_sections_with_lead_ins(text: str) -> None:
    doc = parse_workplan(text, doc_id="x")
    got = [(t.section, t.number, t.title, [a.unit for a in t.assignments]) for t in doc.tasks]
    assert got == [
        ("一", "1", "加大投入", ["财政部"]),
        ("一", "2", "强化服务", ["教育部"]),
        ("二", "3", "加强领导", ["民政部"]),
    ]


def test_rule_stated_after_the_list_in_the_same_brackets() -> None:
    doc = parse_workplan(
        "意见\n（一）稳岗。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）\n"
        "（二）创业。（人力资源社会保障部、科技部，各省级人民政府按职责分工负责）\n"
        "（三）协调。（各有关部门和单位按职责分工负责）\n",
        doc_id="r",
    )
    assert doc.rules == {"first_listed_is_lead": True}
    got = [(t.number, [(a.as_written, a.role) for a in t.assignments]) for t in doc.tasks]
    assert got == [
        ("1", [("人力资源社会保障部", L), ("财政部", S)]),
        ("2", [("人力资源社会保障部", L), ("科技部", S), ("各省级人民政府", S)]),
        ("3", [("各有关部门和单位", L)]),
    ]


def test_several_leads_with_related_departments() -> None:
    text = "通知\n十八、加大支持。（国家发展改革委、财政部会同有关部门负责）\n"
    doc = parse_workplan(text, doc_id="c")
    at = text.index("国家")
    assert [(a.as_written, a.role, a.span) for a in doc.assignments] == [
        ("国家发展改革委", L, (at, at + 7)),
        ("财政部", L, (at + 8, at + 11)),
        ("有关部门", S, (at + 13, at + 17)),
    ]


@pytest.mark.parametrize("sep", ["\n", "", " "], ids=["lines", "joined", "spaced"])
def test_item_number_followed_by_a_digit(sep: str) -> None:
    items = [
        "10.甲项目。（牵头单位：市人力资源和社会保障局）",
        "11.121人才梯队项目。（牵头单位：市委组织部）",
        "12.乙项目。（牵头单位：市科技局）",
    ]
    doc = parse_workplan("实施意见\n一、任务\n" + sep.join(items) + "\n", doc_id="d")
    assert [(t.number, t.title) for t in doc.tasks] == [
        ("10", "甲项目"),
        ("11", "121人才梯队项目"),
        ("12", "乙项目"),
    ]


def test_places_join_across_the_enumeration_comma_only() -> None:
    doc = parse_workplan(
        "方案\n一、任务\n1.甲。\n责任单位:各街道,各相关单位\n2.乙。\n责任单位:各街道、区直各部门\n",
        doc_id="p",
    )
    got = [[a.as_written for a in t.assignments] for t in doc.tasks]
    assert got == [["各街道", "各相关单位"], ["各街道、区直各部门"]]


def test_flattened_measures_numbered_as_sections() -> None:
    measures = "".join(
        f"{n}、对成效突出的地区给予支持{n}。（{unit}负责）"
        for n, unit in zip("一二三四", ["财政部", "教育部", "民政部", "科技部"], strict=True)
    )
    doc = parse_workplan("通知" + measures, doc_id="m")
    assert [(t.number, [a.unit for a in t.assignments]) for t in doc.tasks] == [
        ("一", ["财政部"]),
        ("二", ["教育部"]),
        ("三", ["民政部"]),
        ("四", ["科技部"]),
    ]


def test_a_flattened_excerpt_may_start_mid_list() -> None:
    # a page copied from its middle: the measures 二十一 to 二十三 of a longer list
    measures = "".join(
        f"{n}、对成效突出的地区给予支持。（{unit}负责）"
        for n, unit in zip(
            ("二十一", "二十二", "二十三"), ("财政部", "教育部", "民政部"), strict=True
        )
    )
    doc = parse_workplan("通知：现就有关事项通知如下：" + measures, doc_id="m")
    assert [(t.number, [a.unit for a in t.assignments]) for t in doc.tasks] == [
        ("二十一", ["财政部"]),
        ("二十二", ["教育部"]),
        ("二十三", ["民政部"]),
    ]
    # a lone number not continued by the next one is text, as before
    lone = parse_workplan("通知：1.推进工作。三、四月份完成。（财政部负责）2.落实。", doc_id="n")
    assert [t.number for t in lone.tasks] == ["1", "2"]


LEAD_SUPPORT = [("lead", "市民政局"), ("support", "市教育局")]
THREE = [("lead", "市公安局"), ("support", "市市场监管局"), ("support", "市城管局")]


@pytest.mark.parametrize(
    ("clause", "expected", "deadline"),
    [
        ("（市民政局牵头，市教育局配合，长期坚持）", LEAD_SUPPORT, "长期坚持"),
        ("（市司法局负责，2024年底前完成）", [("responsible", "市司法局")], "2024年底前完成"),
        ("（市公安局牵头，市市场监管局、市城管局配合，2024年6月底前）", THREE, "2024年6月底前"),
    ],
)
def test_a_deadline_among_the_parts_of_an_unlabelled_clause(
    clause: str, expected: list[tuple[str, str]], deadline: str
) -> None:
    doc = parse_workplan(f"X市工作要点\n一、统筹\n1.推进工作。{clause}\n", doc_id="x")
    (task,) = doc.tasks
    assert [(a.role, a.unit) for a in task.assignments] == expected
    assert task.deadline == deadline


def test_sub_items_whose_clauses_end_with_a_deadline_stay_tasks() -> None:
    text = (
        "X县工作要点\n三、加强学校保护\n"
        "（一）加强校园安全管理。（县教育局牵头，县公安局配合）\n"
        "具体措施：1.开展周边整治。（县公安局牵头，县市场监管局配合，长期坚持）"
        "2.落实防治制度。（县教育局负责，2024年6月底前完成）\n"
    )
    doc = parse_workplan(text, doc_id="c")
    assert [(t.number, t.title, t.due, [a.unit for a in t.assignments]) for t in doc.tasks] == [
        ("1", "加强校园安全管理", None, ["县教育局", "县公安局"]),
        ("1.1", "开展周边整治", "ongoing", ["县公安局", "县市场监管局"]),
        ("1.2", "落实防治制度", "2024-06-30", ["县教育局"]),
    ]


THREE_ROLES = [("lead", "市教育局"), ("support", "市民政局"), ("support", "团市委")]
TWO_RESPONSIBLE = [("responsible", "市教育局"), ("responsible", "市民政局")]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("（责任单位：市教育局牵头，市民政局、团市委配合）", THREE_ROLES),
        ("（责任单位:市教育局牵头;市民政局、团市委配合）", THREE_ROLES),
        # a list with no 牵头 / 配合 of its own keeps the label's role
        ("（责任单位：市教育局、市民政局）", TWO_RESPONSIBLE),
        ("（牵头单位：市教育局；责任单位：市民政局按职责分工负责）",
         [("lead", "市教育局"), ("responsible", "市民政局")]),
    ],
)  # fmt: skip
def test_a_labelled_list_that_states_its_own_roles(
    clause: str, expected: list[tuple[str, str]]
) -> None:
    doc = parse_workplan(f"X市工作要点\n一、统筹\n1.建立机制。{clause}\n", doc_id="x")
    assert [(a.role, a.unit) for a in doc.tasks[0].assignments] == expected
    assert all(doc.text[a.span[0] : a.span[1]] == a.as_written for a in doc.tasks[0].assignments)
