"""Properties of the parser over arbitrary and plan-shaped text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutygraph import ParseError, parse_workplan
from dutygraph.graph.records import Document

UNITS = [
    "市教育局",
    "市民政局",
    "团市委",
    "市卫生健康委",
    "各区、县级市",
    "未保委成员单位",
    "市教育",
]
PIECES = [
    "一、",
    "二、",
    "（一）",
    "1.",
    "2．",
    "(1)",
    "①",
    "。",
    "，",
    "、",
    "；",
    "：",
    ":",
    "(",
    ")",
    "（",
    "）",
    "牵头单位",
    "配合单位",
    "责任单位",
    "牵头",
    "配合",
    "负责",
    "会同",
    "由",
    "\n",
    " ",
    "列第一位者为牵头单位",
    "下同",
    "加强",
    "工作",
    "2023年3月31日",
    *UNITS,
]
plan_text = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


def check(doc: Document, text: str) -> None:
    assert doc.text == text
    for task in doc.tasks:
        assert text[task.span[0] : task.span[1]] == task.text
        for a in task.assignments:
            assert 0 <= a.span[0] < a.span[1] <= len(text)
            assert text[a.span[0] : a.span[1]] == a.as_written
            assert a.role in ("lead", "support", "responsible")
            assert a.clause.strip() and a.as_written in a.clause
    for w in doc.warnings:
        assert 0 <= w.span[0] <= w.span[1] <= len(text)


def parse_or_none(text: str) -> Document | None:
    try:
        return parse_workplan(text, doc_id="p")
    except ParseError:
        return None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_document_or_parse_error(text: str) -> None:
    doc = parse_or_none(text)
    if doc is not None:
        check(doc, text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(plan_text)
def test_plan_shaped_text_spans_and_determinism(text: str) -> None:
    first, second = parse_or_none(text), parse_or_none(text)
    assert first == second
    if first is not None:
        check(first, text)
