"""The query catalog on the seed plan: the issue's figures, every entry's exact rows, the shape of
each Cypher text, parameter resolution and collective expansion.

Expected rows were written out by hand from the seed (dutygraph/examples/anshun_2023.txt) and are
cross-checked here against counts computed straight from the parsed document.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from dutygraph import build_graph
from dutygraph.errors import InputError, QueryError
from dutygraph.extract.parse import parse_workplan
from dutygraph.graph.collectives import expand_collectives, infer_members, load_members
from dutygraph.graph.records import Document
from dutygraph.queries import catalog, run_query
from dutygraph.queries.resolve import graph_tasks, graph_units, prepare_params
from dutygraph.queries.spec import QuerySpec

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def doc(seed_doc: Document) -> Document:
    return seed_doc


@pytest.fixture(scope="module")
def plain(doc: Document) -> nx.MultiDiGraph:
    return build_graph([doc])


@pytest.fixture(scope="module")
def graph(plain: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The seed with collectives expanded, members inferred (the CLI's default)."""
    return expand_collectives(plain)


def numbers(rows: Rows) -> list[int]:
    return [int(r["number"]) for r in rows]


def clause(doc: Document, number: int, index: int = 0) -> str:
    task = doc.task(str(number))
    assert task is not None
    return task.assignments[index].clause


# --- the figures the issue pins ---------------------------------------------------------------


def test_youth_league_supports_directly_and_via_collectives(graph: nx.MultiDiGraph) -> None:
    rows = run_query("tasks-of", graph, {"unit": "团市委", "role": "support"})
    assert [int(r["number"]) for r in rows if r["via"] is None] == [9, 10, 17]
    derived = [(int(r["number"]), r["via"]) for r in rows if r["via"] is not None]
    assert derived == [
        (1, "未保委成员单位"),
        (2, "未保委成员单位"),
        (6, "未保委成员单位"),
        (7, "未保委其他成员单位"),
        (15, "未保委成员单位"),
    ]
    assert graph.graph["members_source"] == "inferred"


def test_gap_kinds_on_the_seed(graph: nx.MultiDiGraph) -> None:
    def kind(k: str) -> list[int]:
        return numbers(run_query("gaps", graph, {"kind": k}))

    assert kind("no-lead") == [3, 4, 5, 8, 13, 14, 19, 20]
    assert kind("multi-lead") == [7]
    assert kind("collective-only") == [1, 2, 6, 7, 15]
    assert kind("diffuse") == [4, 5, 13, 14, 19, 20]
    assert kind("lead-also-support") == []
    risks = numbers(run_query("risks", graph, {"kind": "single-lead-dependency"}))
    assert risks == [1, 2, 6, 9, 10, 11, 12, 15, 16, 17, 18, 21, 22, 23]


def test_two_most_loaded_units(graph: nx.MultiDiGraph) -> None:
    top = run_query("overload", graph, {"top": 2})
    assert [r["unit"] for r in top] == ["市教育局", "市民政局"]


# --- exact rows of every entry ----------------------------------------------------------------


def test_tasks_of_rows(graph: nx.MultiDiGraph) -> None:
    def row(n: int, title: str, role: str, via: str | None = None) -> dict[str, Any]:
        return {
            "number": str(n),
            "uid": f"anshun_2023#{n}",
            "title": title,
            "role": role,
            "via": via,
        }

    members, others = "未保委成员单位", "未保委其他成员单位"
    assert run_query("tasks-of", graph, {"unit": "团市委"}) == [
        row(1, "加强理论学习", "support", members),
        row(2, "完善工作机制", "support", members),
        row(4, "强化系统推进", "responsible"),
        row(5, "加强宣传引导", "responsible"),
        row(6, "加强督促落实", "support", members),
        row(7, "加强家庭教育指导", "support", others),
        row(9, "做好重点对象关爱", "support"),
        row(10, "加强基础教育保障", "support"),
        row(15, "加强心理服务", "support", members),
        row(17, "强化网络安全保护", "support"),
        row(23, "做好未成年人司法援助", "responsible"),
    ]
    direct = run_query("tasks-of", graph, {"unit": "团市委", "direct": True})
    assert numbers(direct) == [4, 5, 9, 10, 17, 23]
    assert numbers(run_query("tasks-of", graph, {"unit": "市民政局", "role": "lead"})) == [7, 9, 18]


def test_units_of_rows(graph: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("units-of", graph, {"task": "9"})
    expected = [
        ("lead", "市民政局", "government", 1988),
        ("support", "市教育局", "government", 1999),
        ("support", "市文体广电旅游局", "government", 2004),
        ("support", "市公安局", "government", 2013),
        ("support", "市卫生健康局", "government", 2018),
        ("support", "团市委", "mass", 2025),
        ("support", "市妇联", "mass", 2029),
        ("support", "市残联", "mass", 2033),
        ("support", "市关工委", "mass", 2037),
    ]
    assert rows == [
        {
            "role": role,
            "unit": unit,
            "kind": kind,
            "collective": False,
            "via": None,
            "as_written": unit,
            "span_start": start,
            "span_end": start + len(unit),
        }
        for role, unit, kind, start in expected
    ]
    for r in rows:
        assert doc.text[r["span_start"] : r["span_end"]] == r["as_written"]


def test_units_of_task_seven_expands_other_members(graph: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("units-of", graph, {"task": "anshun_2023#7"})
    assert [(r["role"], r["unit"], r["via"]) for r in rows[:4]] == [
        ("lead", "市妇联", None),
        ("lead", "市教育局", None),
        ("lead", "市民政局", None),
        ("support", "未保委其他成员单位", None),
    ]
    assert rows[3]["as_written"] == "市未保委其他成员单位"
    named = {u.name for u in doc.units if not u.collective}
    derived = rows[4:]
    assert sorted(r["unit"] for r in derived) == sorted(named - {"市妇联", "市教育局", "市民政局"})
    assert len(derived) == 26
    assert {(r["role"], r["via"], r["span_start"]) for r in derived} == {
        ("support", "未保委其他成员单位", rows[3]["span_start"])
    }
    assert [r["unit"] for r in run_query("units-of", graph, {"task": "7", "role": "lead"})] == [
        "市妇联",
        "市教育局",
        "市民政局",
    ]


def test_unit_profile_rows(graph: nx.MultiDiGraph) -> None:
    def row(aspect: str, item: str, count: int) -> dict[str, Any]:
        return {"aspect": aspect, "item": item, "count": count}

    assert run_query("unit-profile", graph, {"unit": "团市委"}) == [
        row("role", "lead", 0),
        row("role", "support", 8),
        row("role", "responsible", 3),
        row("via", "未保委其他成员单位", 1),
        row("via", "未保委成员单位", 4),
        row("section", "一、加强统筹谋划", 5),
        row("section", "二、加强家庭保护", 2),
        row("section", "三、加强学校保护", 1),
        row("section", "四、加强社会保护", 1),
        row("section", "五、加强网络保护", 1),
        row("section", "七、加强司法保护", 1),
        # tasks 1, 2, 6, 7, 15 bring every member in; then 4, 5, 9, 10 / 5, 9, 17, 23 ...
        row("partner", "市公安局", 9),
        row("partner", "市妇联", 9),
        row("partner", "市民政局", 9),
        row("partner", "市教育局", 8),
        row("partner", "市中级人民法院", 7),
    ]
    direct = run_query("unit-profile", graph, {"unit": "团市委", "direct": True, "top": 4})
    assert direct == [
        row("role", "lead", 0),
        row("role", "support", 3),
        row("role", "responsible", 3),
        row("section", "一、加强统筹谋划", 2),
        row("section", "二、加强家庭保护", 1),
        row("section", "三、加强学校保护", 1),
        row("section", "五、加强网络保护", 1),
        row("section", "七、加强司法保护", 1),
        row("partner", "市公安局", 4),
        row("partner", "市妇联", 4),
        row("partner", "市民政局", 4),
        row("partner", "市教育局", 3),
    ]


GAP_ROWS = [
    ("no-lead", 3, None),
    ("no-lead", 4, None),
    ("no-lead", 5, None),
    ("no-lead", 8, None),
    ("no-lead", 13, None),
    ("no-lead", 14, None),
    ("no-lead", 19, None),
    ("no-lead", 20, None),
    ("multi-lead", 7, None),
    ("collective-only", 1, "未保委成员单位"),
    ("collective-only", 2, "未保委成员单位"),
    ("collective-only", 6, "未保委成员单位"),
    ("collective-only", 7, "未保委其他成员单位"),
    ("collective-only", 15, "未保委成员单位"),
    ("diffuse", 4, None),
    ("diffuse", 5, None),
    ("diffuse", 13, None),
    ("diffuse", 14, None),
    ("diffuse", 19, None),
    ("diffuse", 20, None),
]
RISK_ROWS = [
    ("single-lead-dependency", 1, "未保委办公室"),
    ("single-lead-dependency", 2, "未保委办公室"),
    ("single-lead-dependency", 6, "未保委办公室"),
    ("single-lead-dependency", 9, "市民政局"),
    ("single-lead-dependency", 10, "市教育局"),
    ("single-lead-dependency", 11, "市教育局"),
    ("single-lead-dependency", 12, "市教育局"),
    ("single-lead-dependency", 15, "未保委办公室"),
    ("single-lead-dependency", 16, "市委网信办"),
    ("single-lead-dependency", 17, "市委网信办"),
    ("single-lead-dependency", 18, "市民政局"),
    ("single-lead-dependency", 21, "市人民检察院"),
    ("single-lead-dependency", 22, "市人民检察院"),
    ("single-lead-dependency", 23, "市人民检察院"),
]


def expected_rows(doc: Document, found: list[tuple[str, int, str | None]]) -> list[dict[str, Any]]:
    expected = []
    for kind, n, unit in found:
        task = doc.task(str(n))
        assert task is not None
        # every seed task has one clause: the evidence is that clause
        assert len({a.clause for a in task.assignments}) == 1
        expected.append(
            {
                "kind": kind,
                "number": str(n),
                "uid": task.uid,
                "title": task.title,
                "unit": unit,
                "evidence": clause(doc, n),
            }
        )
    return expected


def test_gaps_rows(graph: nx.MultiDiGraph, plain: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("gaps", graph)
    assert rows == expected_rows(doc, GAP_ROWS)
    assert Counter(r["kind"] for r in rows) == {
        "no-lead": 8,
        "multi-lead": 1,
        "collective-only": 5,
        "diffuse": 6,
    }
    assert rows[0]["evidence"] == "责任单位: 市民政局、市卫生健康局"
    # direct assignments only: expansion changes nothing
    assert run_query("gaps", plain) == rows
    # a lower k makes task 8 (4 responsible units) diffuse too; 3 (2 units) stays out
    diffuse = run_query("gaps", graph, {"kind": "diffuse", "k": 3})
    assert numbers(diffuse) == [4, 5, 8, 13, 14, 19, 20]


def test_risks_rows(graph: nx.MultiDiGraph, plain: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("risks", graph)
    assert rows == expected_rows(doc, RISK_ROWS)
    assert run_query("risks", plain) == rows
    # no task is both counted in a gap total and a risk total under one kind
    assert not {r["kind"] for r in rows} & {r["kind"] for r in run_query("gaps", graph)}


OVERLOAD_ROWS = [
    # unit, kind, lead, support, responsible, assignments, load, share, ratio, flag
    ("市教育局", "government", 4, 4, 4, 12, 24, 0.1034, 4.8, True),
    ("市民政局", "government", 3, 1, 7, 11, 24, 0.0948, 4.8, True),
    ("市公安局", "government", 0, 4, 5, 9, 14, 0.0776, 2.8, True),
    ("市卫生健康局", "government", 0, 4, 5, 9, 14, 0.0776, 2.8, True),
    ("市人民检察院", "procuratorate", 3, 0, 2, 5, 13, 0.0431, 2.6, True),
    ("未保委办公室", "office", 4, 0, 0, 4, 12, 0.0345, 2.4, True),
    ("市妇联", "mass", 1, 2, 3, 6, 11, 0.0517, 2.2, True),
    ("团市委", "mass", 0, 3, 3, 6, 9, 0.0517, 1.8, False),
    ("市文体广电旅游局", "government", 0, 5, 2, 7, 9, 0.0603, 1.8, False),
    ("市中级人民法院", "court", 0, 0, 4, 4, 8, 0.0345, 1.6, False),
    ("市委网信办", "party", 2, 0, 1, 3, 8, 0.0259, 1.6, False),
    ("市人力资源社会保障局", "government", 0, 0, 3, 3, 6, 0.0259, 1.2, False),
    ("市发改委", "government", 0, 2, 2, 4, 6, 0.0345, 1.2, False),
    ("市委宣传部", "party", 0, 0, 3, 3, 6, 0.0259, 1.2, False),
    ("市住房和城乡建设局", "government", 0, 1, 2, 3, 5, 0.0259, 1.0, False),
    ("市应急管理局", "government", 0, 1, 2, 3, 5, 0.0259, 1.0, False),
    ("市财政局", "government", 0, 1, 2, 3, 5, 0.0259, 1.0, False),
    ("市司法局", "government", 0, 0, 2, 2, 4, 0.0172, 0.8, False),
    ("市大数据局", "government", 0, 2, 1, 3, 4, 0.0259, 0.8, False),
    ("市残联", "mass", 0, 2, 1, 3, 4, 0.0259, 0.8, False),
    ("市农业农村局", "government", 0, 1, 1, 2, 3, 0.0172, 0.6, False),
    ("市委政法委", "party", 0, 1, 1, 2, 3, 0.0172, 0.6, False),
    ("市消防救援支队", "government", 0, 1, 1, 2, 3, 0.0172, 0.6, False),
    ("市交通运输局", "government", 0, 0, 1, 1, 2, 0.0086, 0.4, False),
    ("市关工委", "mass", 0, 2, 0, 2, 2, 0.0172, 0.4, False),
    ("市医保局", "government", 0, 0, 1, 1, 2, 0.0086, 0.4, False),
    ("市市场监管局", "government", 0, 0, 1, 1, 2, 0.0086, 0.4, False),
    ("市文明办", "party", 0, 0, 1, 1, 2, 0.0086, 0.4, False),
    ("市科协", "mass", 0, 0, 1, 1, 2, 0.0086, 0.4, False),
]
OVERLOAD_KEYS = (
    "unit",
    "kind",
    "lead",
    "support",
    "responsible",
    "assignments",
    "load",
    "share",
    "ratio",
    "flag",
)


def test_overload_rows(graph: nx.MultiDiGraph, plain: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("overload", graph)
    assert rows == [dict(zip(OVERLOAD_KEYS, r, strict=True)) for r in OVERLOAD_ROWS]
    assert run_query("overload", plain) == rows
    # cross-check the counts against the parsed document itself
    counts = Counter((a.unit, a.role) for a in doc.assignments if not a.collective)
    total = sum(counts.values())
    assert total == 116  # 121 assignments less the 5 held by collectives
    for r in rows:
        assert [counts[r["unit"], role] for role in ("lead", "support", "responsible")] == [
            r["lead"],
            r["support"],
            r["responsible"],
        ]
        assert r["load"] == 3 * r["lead"] + r["support"] + 2 * r["responsible"]
        assert r["share"] == round(r["assignments"] / total, 4)
        assert r["ratio"] == round(r["load"] / 5, 4)  # the median of the 29 loads is 5
    top = run_query("overload", graph, {"top": 3, "lead_weight": 1, "responsible_weight": 1})
    assert [(r["unit"], r["load"], r["flag"]) for r in top] == [
        ("市教育局", 12, True),
        ("市民政局", 11, True),
        ("市公安局", 9, True),
    ]


PARTNER_ROWS = [
    # unit_b, shared, role of 团市委, role of unit_b, tasks
    ("市公安局", 4, "support", "support", 2),  # 9, 17
    ("市公安局", 4, "responsible", "responsible", 2),  # 5, 23
    ("市妇联", 4, "support", "support", 2),  # 9, 10
    ("市妇联", 4, "responsible", "responsible", 2),  # 4, 5
    ("市民政局", 4, "support", "lead", 1),  # 9
    ("市民政局", 4, "support", "support", 1),  # 10
    ("市民政局", 4, "responsible", "responsible", 2),  # 4, 5
    ("市教育局", 3, "support", "lead", 1),  # 10
    ("市教育局", 3, "support", "support", 2),  # 9, 17
    ("市中级人民法院", 2, "responsible", "responsible", 2),
    ("市人民检察院", 2, "responsible", "lead", 1),
    ("市人民检察院", 2, "responsible", "responsible", 1),
    ("市关工委", 2, "support", "support", 2),
    ("市农业农村局", 2, "support", "support", 1),
    ("市农业农村局", 2, "responsible", "responsible", 1),
    ("市卫生健康局", 2, "support", "support", 2),
    ("市发改委", 2, "support", "support", 1),
    ("市发改委", 2, "responsible", "responsible", 1),
    ("市司法局", 2, "responsible", "responsible", 2),
    ("市委宣传部", 2, "responsible", "responsible", 2),
    ("市委网信办", 2, "support", "lead", 1),
    ("市委网信办", 2, "responsible", "responsible", 1),
    ("市文体广电旅游局", 2, "support", "support", 2),
    ("市残联", 2, "support", "support", 2),
    ("市大数据局", 1, "support", "support", 1),
    ("市委政法委", 1, "responsible", "responsible", 1),
    ("市文明办", 1, "responsible", "responsible", 1),
    ("市财政局", 1, "support", "support", 1),
]


def _unit_tasks(doc: Document) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for t in doc.tasks:
        for a in t.assignments:
            out.setdefault(a.unit, set()).add(t.number)
    return out


def test_partners_rows(graph: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("partners", graph, {"unit": "共青团安顺市委"})
    assert rows == [
        {"unit_a": "团市委", "unit_b": b, "shared": shared, "role_a": ra, "role_b": rb, "tasks": n}
        for b, shared, ra, rb, n in PARTNER_ROWS
    ]
    everyone = run_query("partners", graph)
    assert len(everyone) == 260
    assert everyone[:3] == [
        {
            "unit_a": "市卫生健康局",
            "unit_b": "市民政局",
            "shared": 8,
            "role_a": "support",
            "role_b": "lead",
            "tasks": 2,
        },  # 9, 18
        {
            "unit_a": "市卫生健康局",
            "unit_b": "市民政局",
            "shared": 8,
            "role_a": "support",
            "role_b": "support",
            "tasks": 1,
        },  # 10
        {
            "unit_a": "市卫生健康局",
            "unit_b": "市民政局",
            "shared": 8,
            "role_a": "responsible",
            "role_b": "responsible",
            "tasks": 5,
        },  # 3, 8, 14, 19, 20
    ]
    tasks = _unit_tasks(doc)
    pairs = {(r["unit_a"], r["unit_b"]): r["shared"] for r in everyone}
    expected = {
        (a, b): len(tasks[a] & tasks[b])
        for a in tasks
        for b in tasks
        if a < b and tasks[a] & tasks[b]
    }
    assert pairs == expected
    assert all(r["unit_a"] < r["unit_b"] for r in everyone)
    with_derived = run_query("partners", graph, {"unit": "团市委", "direct": False})
    assert (with_derived[0]["unit_b"], with_derived[0]["shared"]) == ("市公安局", 9)


BROKER_ROWS = [
    ("市民政局", "government", 0.102, 26, 6),
    ("市教育局", "government", 0.1014, 25, 5),
    ("市妇联", "mass", 0.0445, 20, 6),
    ("市文体广电旅游局", "government", 0.0434, 20, 4),
    ("市委宣传部", "party", 0.0421, 17, 5),
    ("团市委", "mass", 0.0288, 19, 5),
    ("市卫生健康局", "government", 0.0269, 19, 3),
    ("市公安局", "government", 0.0268, 19, 5),
    ("市应急管理局", "government", 0.0164, 14, 4),
    ("市人民检察院", "procuratorate", 0.0149, 16, 4),
    ("市人力资源社会保障局", "government", 0.012, 14, 3),
    ("市发改委", "government", 0.009, 14, 3),
    ("市委政法委", "party", 0.0066, 11, 3),
    ("市残联", "mass", 0.0061, 13, 2),
    ("市财政局", "government", 0.0057, 12, 2),
    ("市农业农村局", "government", 0.0047, 12, 3),
    ("市大数据局", "government", 0.0029, 12, 4),
    ("市委网信办", "party", 0.0028, 11, 5),
    ("市消防救援支队", "government", 0.0021, 11, 3),
    ("市关工委", "mass", 0.0013, 11, 2),
    ("市住房和城乡建设局", "government", 0.0008, 8, 2),
    ("市中级人民法院", "court", 0.0, 8, 4),
    ("市交通运输局", "government", 0.0, 5, 3),
    ("市医保局", "government", 0.0, 6, 2),
    ("市司法局", "government", 0.0, 8, 5),
    ("市市场监管局", "government", 0.0, 10, 2),
    ("市文明办", "party", 0.0, 7, 3),
    ("市科协", "mass", 0.0, 5, 2),
    ("未保委其他成员单位", "collective", 0.0, 3, 2),
    ("未保委办公室", "office", 0.0, 1, 1),
    ("未保委成员单位", "collective", 0.0, 1, 1),
]


def test_brokers_rows(graph: nx.MultiDiGraph, doc: Document) -> None:
    rows = run_query("brokers", graph)
    keys = ("unit", "kind", "betweenness", "partners", "partner_kinds")
    assert rows == [dict(zip(keys, r, strict=True)) for r in BROKER_ROWS]
    # independent check: networkx's own bipartite projection of the document's assignments
    bip = nx.Graph()
    for t in doc.tasks:
        bip.add_edges_from((("u", a.unit), ("t", t.uid)) for a in t.assignments)
    units = [n for n in bip if n[0] == "u"]
    projection = nx.bipartite.projected_graph(bip, units)
    centrality = nx.betweenness_centrality(projection)
    for r in rows:
        assert r["betweenness"] == round(centrality["u", r["unit"]], 4)
        assert r["partners"] == projection.degree(("u", r["unit"]))


def test_sections_rows(graph: nx.MultiDiGraph) -> None:
    def row(
        section: str,
        title: str,
        tasks: int,
        no_lead: int,
        leads: int,
        top: str,
        share: float,
        hhi: float,
    ) -> dict[str, Any]:
        return {
            "doc_id": "anshun_2023",
            "section": section,
            "section_title": title,
            "tasks": tasks,
            "no_lead": no_lead,
            "leads": leads,
            "top_unit": top,
            "top_share": share,
            "hhi": hhi,
        }

    assert run_query("sections", graph) == [
        row("一", "加强统筹谋划", 6, 3, 3, "未保委办公室", 1.0, 1.0),  # 1, 2, 6 led by the office
        row("二", "加强家庭保护", 3, 1, 4, "市民政局", 0.5, 0.375),  # 7: three co-leads; 9
        row("三", "加强学校保护", 3, 0, 3, "市教育局", 1.0, 1.0),
        row("四", "加强社会保护", 3, 2, 1, "未保委办公室", 1.0, 1.0),
        row("五", "加强网络保护", 2, 0, 2, "市委网信办", 1.0, 1.0),
        row("六", "加强政府保护", 3, 2, 1, "市民政局", 1.0, 1.0),
        row("七", "加强司法保护", 3, 0, 3, "市人民检察院", 1.0, 1.0),
    ]


# --- the catalog's shape ----------------------------------------------------------------------


def test_catalog_lists_the_issue_entries() -> None:
    assert [s.name for s in catalog()] == [
        "tasks-of",
        "units-of",
        "unit-profile",
        "gaps",
        "risks",
        "due",
        "overload",
        "partners",
        "brokers",
        "sections",
        "section-tasks",
        "shared-tasks",
    ]
    for spec in catalog():
        assert spec.title and spec.description and spec.finish is not None


def _cypher_constant(spec: QuerySpec) -> ast.expr:
    """The AST of the module-level assignment whose value is the spec's Cypher text."""
    module = importlib.import_module(spec.run.__module__)
    names = [n for n, v in vars(module).items() if v is spec.cypher and n.endswith("_CYPHER")]
    assert len(names) == 1, f"{spec.name}: cypher is not one module-level *_CYPHER constant"
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == names[0] for t in node.targets
        ):
            return node.value
    raise AssertionError(f"{names[0]} is not assigned at module level")


@pytest.mark.parametrize("spec", catalog(), ids=lambda s: s.name)
def test_cypher_is_a_literal_with_parameters_only(spec: QuerySpec) -> None:
    value = _cypher_constant(spec)
    # a plain string literal: no f-string, no concatenation, no .format()/% call
    assert isinstance(value, ast.Constant) and isinstance(value.value, str)
    text = spec.cypher
    declared = {p.name for p in spec.params}
    used = set(re.findall(r"\$(\w+)", text))
    assert used == declared, f"{spec.name}: uses {sorted(used)}, declares {sorted(declared)}"
    # braces only as Cypher maps, label property maps or subqueries, never `{name}` holes
    assert not re.search(r"\{\s*\w*\s*\}", text)
    assert not re.search(r"%[sdr(]|\{\d*\}|\.format\(", text)
    assert re.search(r"\bRETURN\b", text)


@pytest.mark.parametrize("spec", catalog(), ids=lambda s: s.name)
def test_finish_is_order_independent(spec: QuerySpec, graph: nx.MultiDiGraph) -> None:
    """Neo4j returns rows in any order: ``finish`` must give the same rows for any order."""
    unit = spec.param("unit")
    params = {"unit": "团市委"} if unit is not None and unit.required else {}
    if spec.param("task"):
        params = {"task": "9"}
    if spec.param("units"):
        params = {"units": ["市教育局", "市民政局"]}
    expected = run_query(spec.name, graph, params)
    prepared = prepare_params(spec, params, units=graph_units(graph), tasks=graph_tasks(graph))
    raw = spec.run(graph, prepared)
    for seed in range(3):
        shuffled = list(raw)
        random.Random(seed).shuffle(shuffled)
        assert spec.finish_rows(shuffled, prepared) == expected
    assert expected and all(list(r) == list(expected[0]) for r in expected)


# --- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["团市委", "共青团安顺市委", " 团市委 "])
def test_unit_aliases_give_the_same_rows(graph: nx.MultiDiGraph, name: str) -> None:
    assert run_query("tasks-of", graph, {"unit": name}) == run_query(
        "tasks-of", graph, {"unit": "团市委"}
    )


def test_close_variants_resolve(graph: nx.MultiDiGraph) -> None:
    assert numbers(run_query("tasks-of", graph, {"unit": "市教育", "role": "lead"})) == [
        7,
        10,
        11,
        12,
    ]
    assert numbers(run_query("tasks-of", graph, {"unit": "市卫健委", "direct": "true"})) == [
        3,
        8,
        9,
        10,
        11,
        14,
        18,
        19,
        20,
    ]
    assert numbers(run_query("tasks-of", graph, {"unit": "民政局", "role": "lead"})) == [7, 9, 18]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("tasks-of", {"unit": "团委"}, r"^unknown unit 团委; did you mean 团市委\?$"),
        ("tasks-of", {"unit": "民证局"}, r"^unknown unit 民证局; did you mean 市民政局\?$"),
        ("tasks-of", {"unit": "委"}, r"^unit 委 is ambiguous; did you mean .*团市委"),
        ("tasks-of", {}, r"^tasks-of needs the parameter unit"),
        ("tasks-of", {"unit": "团市委", "role": "boss"}, r"must be one of any, lead, support"),
        ("tasks-of", {"unit": "团市委", "direct": "maybe"}, r"must be true or false"),
        ("tasks-of", {"unit": "团市委", "who": "x"}, r"has no parameter who; its parameters"),
        ("units-of", {"task": "99"}, r"^unknown task 99; tasks are 1–23$"),
        ("gaps", {"k": "many"}, r"parameter k must be a number"),
        ("gaps", {"kind": "nope"}, r"must be one of any, no-lead"),
        ("overload", {"top": "-1"}, r"at least 0"),
        ("gapz", {}, r"^unknown query gapz; did you mean gaps\?"),
    ],
)
def test_bad_parameters(
    graph: nx.MultiDiGraph, name: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(QueryError, match=message) as info:
        run_query(name, graph, params)
    assert info.value.exit_code == 2


@pytest.mark.parametrize("task", ["9", "第9项", "任务9", "task 9", "anshun_2023#9", " 9 "])
def test_task_spellings(graph: nx.MultiDiGraph, task: str) -> None:
    rows = run_query("units-of", graph, {"task": task, "role": "lead"})
    assert [r["unit"] for r in rows] == ["市民政局"]


def test_string_parameters_are_typed(graph: nx.MultiDiGraph) -> None:
    rows = run_query("overload", graph, {"top": "1", "lead_weight": "0.5"})
    assert rows[0]["unit"] == "市民政局" and rows[0]["load"] == 16.5


# --- collectives ----------------------------------------------------------------------------------


def test_inferred_members(plain: nx.MultiDiGraph, doc: Document) -> None:
    members = infer_members(plain)
    named = sorted(u.name for u in doc.units if not u.collective)
    assert members == {"未保委其他成员单位": named, "未保委成员单位": named}
    assert len(named) == 29


def test_expansion_adds_derived_edges_only(plain: nx.MultiDiGraph, graph: nx.MultiDiGraph) -> None:
    derived = [d for _, _, d in graph.edges(data=True) if d.get("via")]
    # 4 tasks x 28 members (the office leads them) + task 7: 29 less its 3 leads
    assert len(derived) == 4 * 28 + 26
    assert plain.number_of_edges() + len(derived) == graph.number_of_edges()
    assert not any(d.get("via") for _, _, d in plain.edges(data=True))
    assert graph.graph["unexpanded"] == []
    key = "SUPPORTS|未保委成员单位"
    edge = graph.edges["unit:团市委", "task:anshun_2023#1", key]
    assert (edge["as_written"], edge["clause"], edge["role"]) == (
        "未保委成员单位",
        "牵头单位:未保委办公室,配合单位: 未保委成员单位",
        "support",
    )


def test_given_members(plain: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "members.yaml"
    path.write_text(
        "市未保委成员单位: [共青团安顺市委, 市卫健委, 市体育局, 市妇联]\n", encoding="utf-8"
    )
    members = load_members(path)
    assert members == {"未保委成员单位": ["团市委", "市卫生健康局", "市体育局", "市妇联"]}
    g = expand_collectives(plain, members, source=f"file:{path}")
    assert g.graph["members_source"] == f"file:{path}"
    assert g.graph["unexpanded"] == []  # 其他成员单位 falls back to 成员单位
    rows = run_query("units-of", g, {"task": "7", "role": "support"})
    # the other members: the task's leads (市妇联) are left out
    assert [(r["unit"], r["via"]) for r in rows] == [
        ("未保委其他成员单位", None),
        ("团市委", "未保委其他成员单位"),
        ("市体育局", "未保委其他成员单位"),
        ("市卫生健康局", "未保委其他成员单位"),
    ]
    assert g.nodes["unit:市体育局"]["unit_kind"] == "government"
    tasks = run_query("tasks-of", g, {"unit": "市体育局"})
    assert [(r["number"], r["via"]) for r in tasks] == [
        ("1", "未保委成员单位"),
        ("2", "未保委成员单位"),
        ("6", "未保委成员单位"),
        ("7", "未保委其他成员单位"),
        ("15", "未保委成员单位"),
    ]


def test_members_csv_and_unexpanded(plain: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("collective,unit\n未保委其他成员单位,市残联\n", encoding="utf-8")
    g = expand_collectives(plain, load_members(path))
    assert g.graph["members_source"] == "given"
    assert g.graph["unexpanded"] == ["未保委成员单位"]
    assert [
        r["number"] for r in run_query("tasks-of", g, {"unit": "市残联", "role": "support"})
    ] == ["7", "9", "10"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("m.yaml", "未保委成员单位: 团市委\n", "members of 未保委成员单位 are not a list"),
        ("m.yaml", "- 团市委\n", "expected a mapping"),
        ("m.yaml", "a: [b\n", "not valid YAML"),
        ("m.csv", "group,unit\nx,y\n", "m.csv:1: expected the columns collective,unit"),
        ("m.csv", "collective,unit\n未保委成员单位,\n", "m.csv:2: row without a collective"),
        ("m.csv", "collective,unit\n市民政局,团市委\n", "市民政局 is not a collective"),
        ("m.csv", "collective,unit\n未保委成员单位,各有关部门\n", "itself a collective"),
        ("m.txt", "x", "unsupported members file"),
    ],
)
def test_bad_members_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_members(path)


def test_missing_members_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read members file"):
        load_members(tmp_path / "none.yaml")


def test_two_documents(doc: Document) -> None:
    other = parse_workplan(doc.text, doc_id="anshun_copy")
    g = expand_collectives(build_graph([doc, other]))
    with pytest.raises(QueryError, match="task 9 is in several documents; give its uid"):
        run_query("units-of", g, {"task": "9"})
    assert len(run_query("units-of", g, {"task": "anshun_copy#9"})) == 9
    uids = [r["uid"] for r in run_query("tasks-of", g, {"unit": "团市委", "direct": True})]
    assert uids == [f"anshun_2023#{n}" for n in (4, 5, 9, 10, 17, 23)] + [
        f"anshun_copy#{n}" for n in (4, 5, 9, 10, 17, 23)
    ]
    sections = run_query("sections", g)
    assert [(r["doc_id"], r["section"]) for r in sections[6:8]] == [
        ("anshun_2023", "七"),
        ("anshun_copy", "一"),
    ]
    assert run_query("overload", g, {"top": 1})[0]["load"] == 48
