"""``ask``: plain questions (Chinese and English) → catalog query, parameters and rows.

Each case gives the question, the query and parameters it must map to, and a hand-written digest
of the rows on the seed (collectives expanded, members inferred); the rows must also be exactly
those of running the query directly.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from dutygraph import Document, build_graph
from dutygraph.errors import QueryError
from dutygraph.graph.collectives import expand_collectives
from dutygraph.queries import QUESTIONS, ask, run_query

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def graph(seed_doc: Document) -> nx.MultiDiGraph:
    return expand_collectives(build_graph([seed_doc]))


def digest(name: str, rows: Rows) -> Any:
    """A short, exact summary of the rows, written out by hand in the cases below."""
    if name in ("tasks-of", "gaps", "due"):
        return [int(r["number"]) for r in rows]
    if name == "units-of":
        return [r["unit"] for r in rows if r["via"] is None]
    if name == "overload":
        return [r["unit"] for r in rows[:2]]
    if name == "partners":
        seen: list[tuple[str, int]] = []
        for r in rows:
            if (r["unit_b"], r["shared"]) not in seen:
                seen.append((r["unit_b"], r["shared"]))
        return seen[:3]
    if name == "unit-profile":
        return [r["count"] for r in rows if r["aspect"] == "role"]
    if name == "brokers":
        return [r["unit"] for r in rows[:2]]
    if name == "sections":
        return [r["top_unit"] for r in rows]
    raise AssertionError(name)


SUPPORTS = [1, 2, 6, 7, 9, 10, 15, 17]
ALL_OF_LEAGUE = [1, 2, 4, 5, 6, 7, 9, 10, 15, 17, 23]
NO_LEAD = [3, 4, 5, 8, 13, 14, 19, 20]
TASK9 = [
    "市民政局",
    "市教育局",
    "市文体广电旅游局",
    "市公安局",
    "市卫生健康局",
    "团市委",
    "市妇联",
    "市残联",
    "市关工委",
]
LEAGUE_PARTNERS = [("市公安局", 4), ("市妇联", 4), ("市民政局", 4)]

CASES: list[tuple[str, str, dict[str, Any], Any]] = [
    # tasks by deadline (the example plan gives none: every task, none due by a date)
    ("各项任务的完成时限", "due", {}, list(range(1, 24))),
    (
        "哪些任务2024年6月底前到期且没有牵头单位？",
        "due",
        {"before": "2024-06-30", "gap": "no-lead"},
        [],
    ),
    (
        "which tasks due by 2024-06-30 have no lead?",
        "due",
        {"before": "2024-06-30", "gap": "no-lead"},
        [],
    ),
    # tasks of a unit, by role
    ("团市委配合哪些任务？", "tasks-of", {"unit": "团市委", "role": "support"}, SUPPORTS),
    ("团市委配合哪些任务", "tasks-of", {"unit": "团市委", "role": "support"}, SUPPORTS),
    ("共青团安顺市委配合哪些任务？", "tasks-of", {"unit": "团市委", "role": "support"}, SUPPORTS),
    (
        "团市委直接配合哪些任务？",
        "tasks-of",
        {"unit": "团市委", "role": "support", "direct": True},
        [9, 10, 17],
    ),
    ("团市委牵头哪些任务？", "tasks-of", {"unit": "团市委", "role": "lead"}, []),
    ("市民政局牵头哪些任务", "tasks-of", {"unit": "市民政局", "role": "lead"}, [7, 9, 18]),
    ("市教育局牵头了哪些工作？", "tasks-of", {"unit": "市教育局", "role": "lead"}, [7, 10, 11, 12]),
    ("团市委有哪些任务？", "tasks-of", {"unit": "团市委", "role": "any"}, ALL_OF_LEAGUE),
    (
        "团市委作为责任单位的任务有哪些",
        "tasks-of",
        {"unit": "团市委", "role": "responsible"},
        [4, 5, 23],
    ),
    (
        "which tasks does 团市委 support?",
        "tasks-of",
        {"unit": "团市委", "role": "support"},
        SUPPORTS,
    ),
    (
        "Which tasks does 团市委 support directly?",
        "tasks-of",
        {"unit": "团市委", "role": "support", "direct": True},
        [9, 10, 17],
    ),
    (
        "which tasks does 市委网信办 lead",
        "tasks-of",
        {"unit": "市委网信办", "role": "lead"},
        [16, 17],
    ),
    ("what are the tasks of 团市委?", "tasks-of", {"unit": "团市委", "role": "any"}, ALL_OF_LEAGUE),
    (
        "Which tasks is 市人民检察院 responsible for?",
        "tasks-of",
        {"unit": "市人民检察院", "role": "responsible"},
        [5, 14],
    ),
    # units of a task
    ("任务9有哪些单位？", "units-of", {"task": "9", "role": "any"}, TASK9),
    ("第9项任务涉及哪些单位", "units-of", {"task": "9", "role": "any"}, TASK9),
    ("哪些单位参与第九项？", "units-of", {"task": "9", "role": "any"}, TASK9),
    ("which units does task 9 involve?", "units-of", {"task": "9", "role": "any"}, TASK9),
    (
        "Who is involved in task 21?",
        "units-of",
        {"task": "21", "role": "any"},
        ["市人民检察院", "市中级人民法院", "市公安局"],
    ),
    ("任务9由哪些单位配合", "units-of", {"task": "9", "role": "support"}, TASK9[1:]),
    # who leads task N
    (
        "第7项任务由谁牵头？",
        "units-of",
        {"task": "7", "role": "lead"},
        ["市妇联", "市教育局", "市民政局"],
    ),
    ("任务12的牵头单位是谁", "units-of", {"task": "12", "role": "lead"}, ["市教育局"]),
    (
        "who leads task 7?",
        "units-of",
        {"task": "7", "role": "lead"},
        ["市妇联", "市教育局", "市民政局"],
    ),
    ("Who leads task #16", "units-of", {"task": "16", "role": "lead"}, ["市委网信办"]),
    # tasks without a lead, and other gaps
    ("哪些任务没有牵头单位？", "gaps", {"kind": "no-lead"}, NO_LEAD),
    ("没有明确牵头单位的任务", "gaps", {"kind": "no-lead"}, NO_LEAD),
    ("tasks without a lead", "gaps", {"kind": "no-lead"}, NO_LEAD),
    ("Which tasks have no lead?", "gaps", {"kind": "no-lead"}, NO_LEAD),
    ("哪些任务有多个牵头单位", "gaps", {"kind": "multi-lead"}, [7]),
    ("which tasks have several leads?", "gaps", {"kind": "multi-lead"}, [7]),
    ("哪些任务只有成员单位配合？", "gaps", {"kind": "collective-only"}, [1, 2, 6, 7, 15]),
    # busiest units
    ("哪些单位任务最重？", "overload", {}, ["市教育局", "市民政局"]),
    ("任务最多的单位是哪些", "overload", {}, ["市教育局", "市民政局"]),
    ("busiest units", "overload", {}, ["市教育局", "市民政局"]),
    ("Which units are overloaded?", "overload", {}, ["市教育局", "市民政局"]),
    # who works with a unit
    ("谁和团市委合作最多？", "partners", {"unit": "团市委"}, LEAGUE_PARTNERS),
    ("团市委和哪些单位合作", "partners", {"unit": "团市委"}, LEAGUE_PARTNERS),
    ("who works with 团市委?", "partners", {"unit": "团市委"}, LEAGUE_PARTNERS),
    ("Who works with 共青团安顺市委 the most?", "partners", {"unit": "团市委"}, LEAGUE_PARTNERS),
    (
        "partners of 市人民检察院",
        "partners",
        {"unit": "市人民检察院"},
        [("市公安局", 5), ("市中级人民法院", 4), ("团市委", 2)],
    ),  # 5, 14, 21-23 / 5, 23
    # a unit's profile, brokers, sections
    ("团市委的概况", "unit-profile", {"unit": "团市委"}, [0, 8, 3]),
    ("profile of 市教育局", "unit-profile", {"unit": "市教育局"}, [4, 8, 4]),
    ("哪些单位是桥梁？", "brokers", {}, ["市民政局", "市教育局"]),
    ("which units are brokers between sectors?", "brokers", {}, ["市民政局", "市教育局"]),
    (
        "各部分牵头集中度",
        "sections",
        {},
        [
            "未保委办公室",
            "市民政局",
            "市教育局",
            "未保委办公室",
            "市委网信办",
            "市民政局",
            "市人民检察院",
        ],
    ),
]


@pytest.mark.parametrize(
    ("question", "name", "params", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_ask(
    graph: nx.MultiDiGraph, question: str, name: str, params: dict[str, Any], expected: Any
) -> None:
    assert ask(question, graph) == (name, params)
    rows = run_query(name, graph, params)
    assert digest(name, rows) == expected


def test_enough_phrasings() -> None:
    assert len(CASES) >= 30
    assert (
        sum(1 for q, *_ in CASES if q.isascii() or "which" in q.lower() or "who" in q.lower()) >= 12
    )


def test_ask_without_a_graph_uses_the_gazetteer() -> None:
    assert ask("共青团安顺市委配合哪些任务") == ("tasks-of", {"unit": "团市委", "role": "support"})
    assert ask("市卫健委牵头哪些任务") == ("tasks-of", {"unit": "市卫生健康局", "role": "lead"})


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("市体育局配合哪些任务？", r"^unknown unit 市体育局; did you mean 市教育局\?$"),
        ("某某局配合哪些任务", r"^unknown unit 某某局"),
    ],
)
def test_unknown_unit_in_a_question(graph: nx.MultiDiGraph, question: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        ask(question, graph)


@pytest.mark.parametrize("question", ["what is the weather", "你好", "", "task"])
def test_unrecognised_questions_list_what_is_understood(
    graph: nx.MultiDiGraph, question: str
) -> None:
    with pytest.raises(QueryError, match="cannot tell which query answers") as info:
        ask(question, graph)
    assert info.value.exit_code == 2
    assert info.value.hint is not None
    for q in QUESTIONS:
        assert q in info.value.hint


@pytest.mark.parametrize("example", [half for q in QUESTIONS for half in q.split(" / ")])
def test_every_listed_question_is_understood(graph: nx.MultiDiGraph, example: str) -> None:
    name, params = ask(example, graph)
    run_query(name, graph, params)
