"""Summaries of the large answers and ``--all`` in the canonical order (issue 17), in memory
and on the command line; ``tests/test_neo4j_summary.py`` checks Neo4j gives the same."""

from __future__ import annotations

import ast
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from dutygraph import build_graph, parse_workplan
from dutygraph.cli import main
from dutygraph.commands.output import SUMMARY_WIDTH, render_rows, stream_rows
from dutygraph.graph.collectives import expand_collectives
from dutygraph.queries import run_query
from dutygraph.queries.gaps import GAP_KINDS
from dutygraph.queries.summary import (
    CONCENTRATED_HHI,
    SECTION_NUMBERS,
    Summary,
    canonical_key,
    section_value,
    stream_query,
    summarize_query,
)
from dutygraph.queries.summary_cypher import GAPS_TOP, STREAMS, SUMMARIES
from tests.helpers import SEED, run_cli

CASES: list[tuple[str, dict[str, Any]]] = [
    ("gaps", {}),
    ("gaps", {"k": 2}),
    ("gaps", {"kind": "diffuse", "k": 3}),
    ("tasks-of", {"unit": "团市委"}),
    ("tasks-of", {"unit": "市教育局", "role": "lead"}),
    ("tasks-of", {"unit": "市民政局", "direct": True}),
    ("sections", {}),
    ("partners", {}),
    ("partners", {"unit": "团市委", "direct": False}),
]


def _doc(row: Mapping[str, Any]) -> str:
    return str(row["uid"]).rpartition("#")[0]


def _ranked(per_doc: Counter[str], top: int) -> list[tuple[str, int]]:
    return sorted(per_doc.items(), key=lambda x: (-x[1], x[0]))[:top]


def assert_counts_match_rows(
    name: str, summary: Summary, rows: Sequence[Mapping[str, Any]], params: Any, top: int
) -> None:
    """The summary says what the ``--all`` rows (canonical order) hold, counted here anew."""
    assert summary.total == len(rows)
    if name == "gaps":
        kinds = Counter(r["kind"] for r in rows)
        asked = params.get("kind", "any")
        assert [c["kind"] for c in summary.counts] == [k for k in GAP_KINDS if asked in ("any", k)]
        assert {c["kind"]: c["findings"] for c in summary.counts} == {
            c["kind"]: kinds[c["kind"]] for c in summary.counts
        }
        per_doc = Counter(_doc(r) for r in rows)
        assert [(p["doc_id"], p["findings"]) for p in summary.plans] == _ranked(per_doc, top)
        first = [r for k in (c["kind"] for c in summary.counts) for r in rows if r["kind"] == k]
        expected = [
            r
            for i, r in enumerate(first)
            if sum(1 for x in first[:i] if x["kind"] == r["kind"]) < top
        ]
        assert list(summary.top) == expected
    elif name == "tasks-of":
        for c in summary.counts:
            mine = [r for r in rows if r["role"] == c["role"]]
            assert c["direct"] == sum(1 for r in mine if r["via"] is None)
            assert c["derived"] == sum(1 for r in mine if r["via"] is not None)
        assert sum(c["direct"] + c["derived"] for c in summary.counts) == len(rows)
        per_doc = Counter(_doc(r) for r in rows)
        assert [(p["doc_id"], p["assignments"]) for p in summary.plans] == _ranked(per_doc, top)
        assert list(summary.top) == list(rows[:top])
    elif name == "sections":
        (counts,) = summary.counts
        assert counts == {
            "sections": len(rows),
            "tasks": sum(r["tasks"] for r in rows),
            "no_lead": sum(r["no_lead"] for r in rows),
            "sections_no_lead": sum(1 for r in rows if r["no_lead"]),
            "concentrated": sum(1 for r in rows if (r["hhi"] or 0) >= CONCENTRATED_HHI),
        }
        assert len(summary.top) == min(top, len(rows))
        assert all(r in rows for r in summary.top)
        hhis = [r["hhi"] if r["hhi"] is not None else -1 for r in summary.top]
        assert hhis == sorted(hhis, reverse=True)
    else:
        pairs = Counter((r["role_a"], r["role_b"]) for r in rows)
        assert {(c["role_a"], c["role_b"]): c["pairs"] for c in summary.counts} == dict(pairs)
        first = list(dict.fromkeys((r["unit_a"], r["unit_b"]) for r in rows))[:top]
        assert list(summary.top) == [r for r in rows if (r["unit_a"], r["unit_b"]) in first]


@pytest.fixture
def expanded(seed_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return expand_collectives(seed_graph)


@pytest.mark.parametrize(("name", "params"), CASES)
@pytest.mark.parametrize("top", [0, 1, 3, 50])
def test_summary_counts_equal_counts_over_all_rows(
    expanded: nx.MultiDiGraph, name: str, params: dict[str, Any], top: int
) -> None:
    rows = list(stream_query(name, expanded, params))
    today = run_query(name, expanded, params)
    # --all: today's rows, as a multiset, in the canonical order
    assert sorted(map(repr, rows)) == sorted(map(repr, today))
    assert rows == sorted(today, key=canonical_key(name))
    summary = summarize_query(name, expanded, params, top=top)
    assert_counts_match_rows(name, summary, rows, params, top)


def test_gaps_summary_on_the_example(expanded: nx.MultiDiGraph) -> None:
    summary = summarize_query("gaps", expanded, top=2)
    assert summary.total == 20
    assert [(c["label"], c["findings"]) for c in summary.counts] == [
        ("无牵头单位", 8),
        ("多头牵头", 1),
        ("仅有笼统的集合单位", 5),
        ("责任单位多而无牵头", 6),
        ("同一单位身兼两职", 0),
    ]
    assert summary.plans == (
        {
            "doc_id": "anshun_2023",
            "findings": 20,
            "no-lead": 8,
            "multi-lead": 1,
            "collective-only": 5,
            "diffuse": 6,
            "lead-also-support": 0,
        },
    )
    assert [(r["kind"], r["number"], r["unit"]) for r in summary.top] == [
        ("no-lead", "3", None),
        ("no-lead", "4", None),
        ("multi-lead", "7", None),
        ("collective-only", "1", "未保委成员单位"),
        ("collective-only", "2", "未保委成员单位"),
        ("diffuse", "4", None),
        ("diffuse", "5", None),
    ]
    assert summary.top[0]["evidence"] == "责任单位: 市民政局、市卫生健康局"


def test_sections_summary_ranks_concentration_then_leads(expanded: nx.MultiDiGraph) -> None:
    summary = summarize_query("sections", expanded, top=3)
    assert summary.counts == (
        {"sections": 7, "tasks": 23, "no_lead": 8, "sections_no_lead": 4, "concentrated": 7},
    )
    assert [(r["section"], r["hhi"], r["leads"]) for r in summary.top] == [
        ("一", 1.0, 3),
        ("三", 1.0, 3),
        ("七", 1.0, 3),
    ]


PLANS_OUT_OF_ORDER = {
    "plan10": "要点\n一、甲\n1.甲。（牵头单位：市民政局）\n2.乙。（配合单位：市妇联）\n",
    "plan9": "要点\n一、甲\n10.甲。（配合单位：团市委）\n9.乙。（配合单位：市妇联）\n",
}


def test_canonical_order_differs_from_natural_only_where_documented() -> None:
    docs = [parse_workplan(text, doc_id=doc) for doc, text in PLANS_OUT_OF_ORDER.items()]
    graph = build_graph(docs)
    natural = [r["uid"] for r in run_query("gaps", graph, {"kind": "no-lead"})]
    canonical = [r["uid"] for r in stream_query("gaps", graph, {"kind": "no-lead"})]
    assert natural == ["plan9#9", "plan9#10", "plan10#2"]
    assert canonical == ["plan10#2", "plan9#9", "plan9#10"]  # plan ids compare as text


def test_section_numbers_read_as_plans_write_them() -> None:
    assert [section_value(s) for s in ("一", "十", "十一", "二十", "九十九", "一百零五", "7")] == [
        1,
        10,
        11,
        20,
        99,
        105,
        7,
    ]
    assert len(SECTION_NUMBERS) == 199 and section_value("两") is None


def test_summary_cypher_is_literal_and_contains_the_entries_verbatim() -> None:
    from dutygraph.queries import gaps, load, lookup, network

    source = Path(__file__).parent.parent / "dutygraph/queries/summary_cypher.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    shared = {"GAPS_CYPHER", "GAP_FINDINGS_CYPHER", "GAP_ROWS_CYPHER", "TASKS_OF_CYPHER"}
    shared |= {"SECTIONS_CYPHER", "PARTNERS_CYPHER", "TASK_ORDER_CYPHER"}

    def literal(node: ast.expr) -> bool:  # string constants and the entries' Cypher, joined
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return literal(node.left) and literal(node.right)
        if isinstance(node, ast.Name):
            return node.id in shared
        return isinstance(node, ast.Constant) and isinstance(node.value, str)

    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id.endswith("_CYPHER"):  # type: ignore[attr-defined]
            assert literal(node.value), ast.unparse(node.value)[:80]
    findings = gaps.GAPS_CYPHER.split("MATCH (t:Task)\n", 1)[1].split("UNWIND findings")[0]
    assert findings == gaps.GAP_FINDINGS_CYPHER and findings.endswith("AS findings\n")
    assert "\nMATCH (t:Task)\n" + findings + gaps.GAP_ROWS_CYPHER == gaps.GAPS_CYPHER
    for text in (SUMMARIES["gaps"].cypher, GAPS_TOP.cypher, STREAMS["gaps"].cypher):
        assert findings in text
    assert gaps.GAPS_CYPHER.strip() in STREAMS["gaps"].cypher
    assert lookup.TASKS_OF_CYPHER.strip() in STREAMS["tasks-of"].cypher
    assert load.SECTIONS_CYPHER.strip() in SUMMARIES["sections"].cypher
    assert load.SECTIONS_CYPHER.strip() in STREAMS["sections"].cypher
    assert network.PARTNERS_CYPHER.strip() in SUMMARIES["partners"].cypher
    assert network.PARTNERS_CYPHER.strip() in STREAMS["partners"].cypher


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_streamed_output_is_byte_for_byte_what_it_was(fmt: str) -> None:
    rows = [{"a": 1, "b": ["x", "y"], "c": None, "d": "中文"}, {"a": 2, "b": [], "c": {"k": 1}}]
    for given in (rows, rows[:1], []):
        out = io.StringIO()
        assert stream_rows(iter(given), fmt, out=out) == len(given)
        assert out.getvalue() == render_rows(given, fmt).rstrip("\n") + "\n"


def test_cli_all_json_and_csv_are_every_row_in_canonical_order() -> None:
    code, out, err = run_cli("gaps", "--all", "--json", "--input", SEED)
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == 20 and [r["number"] for r in rows[:8]] == [
        "3",
        "4",
        "5",
        "8",
        "13",
        "14",
        "19",
        "20",
    ]
    code, csv_out, _ = run_cli("gaps", "--csv", "--input", SEED)  # --csv: every row
    assert code == 0 and len(csv_out.splitlines()) == 21
    assert csv_out.splitlines()[0] == "kind,number,uid,title,unit,evidence"


def test_cli_summary_json_is_one_object() -> None:
    code, out, err = run_cli(
        "tasks", "团市委", "--role", "support", "--top", "1", "--json", "--input", SEED
    )
    assert code == 0
    assert json.loads(out) == {
        "query": "tasks-of",
        "params": {"unit": "团市委", "role": "support", "direct": False},
        "total": 8,
        "counts": [{"role": "support", "direct": 3, "derived": 5}],
        "plans": [
            {"doc_id": "anshun_2023", "assignments": 8, "lead": 0, "support": 8, "responsible": 0}
        ],
        "top": [
            {
                "number": "1",
                "uid": "anshun_2023#1",
                "title": "加强理论学习",
                "role": "support",
                "via": "未保委成员单位",
            }
        ],
    }
    assert err.startswith("dutygraph: note: collectives expanded")


PARTNERS_TABLE = """\
Partner units: 28 rows (a summary; --all lists every row)
                By role pair                 
┏━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━┓
┃ role_a      ┃ role_b      ┃ pairs ┃ tasks ┃
┡━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━┩
│ support     │ lead        │ 3     │ 3     │
│ support     │ support     │ 12    │ 19    │
│ responsible │ lead        │ 1     │ 1     │
│ responsible │ responsible │ 12    │ 18    │
└─────────────┴─────────────┴───────┴───────┘
                Pairs sharing most tasks (first 1)                
┏━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━┓
┃ unit_a ┃ unit_b   ┃ shared ┃ role_a      ┃ role_b      ┃ tasks ┃
┡━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━┩
│ 团市委 │ 市公安局 │ 4      │ support     │ support     │ 2     │
│ 团市委 │ 市公安局 │ 4      │ responsible │ responsible │ 2     │
└────────┴──────────┴────────┴─────────────┴─────────────┴───────┘
"""  # noqa: W291


def test_cli_summary_table_exact() -> None:
    code, out, err = run_cli("partners", "团市委", "--top", "1", "--input", SEED)
    assert (code, err) == (0, "")
    assert out == PARTNERS_TABLE


def test_cli_gaps_summary_table_uses_labels_and_fits_80_columns() -> None:
    code, out, _ = run_cli("gaps", "--top", "2", "--input", SEED)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Coordination gaps: 20 rows (a summary; --all lists every row)"
    assert all(len(line) <= SUMMARY_WIDTH for line in lines)
    for kind in GAP_KINDS:
        assert kind not in out  # never a raw kind key in a view
    assert "无牵头单位: the first 2 of 8" in out and "仅有笼统的集合单位: the first 2 of 5" in out
    assert "同一单位身兼两职" in out  # its count, 0, in the table by kind
    code, out, _ = run_cli("gaps", "--all", "--input", SEED)
    assert code == 0 and "无牵头单位" in out and "no-lead" not in out


@pytest.mark.parametrize("flag", ["--all", "--csv"])
def test_top_with_every_row_is_refused_in_one_line(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gaps", flag, "--top", "3", "--input", SEED]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"dutygraph: error: --top sizes the summary and {flag} lists every row; give one of them\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["partners", "--top", "-1"],
            "Error: Invalid value for '--top': -1 is not in the range x>=0.",
        ),
        (
            ["tasks", "团市委", "--top", "many"],
            "Error: Invalid value for '--top': 'many' is not a valid integer range.",
        ),
    ],
)
def test_bad_top_exits_2_naming_the_option(args: list[str], message: str) -> None:
    code, out, err = run_cli(*args, "--input", SEED)
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == message


@pytest.mark.parametrize(
    "args",
    [["risks"], ["gaps", "--all", "--kind", "multi-lead"], ["ask", "哪些任务没有牵头单位"]],
)
def test_finding_tables_show_labels_not_kind_keys(args: list[str]) -> None:
    code, out, _ = run_cli(*args, "--input", SEED)
    assert code == 0
    assert not any(kind in out for kind in (*GAP_KINDS, "single-lead-dependency"))
    assert any(label in out for label in ("唯一牵头单位（依赖一家）", "多头牵头", "无牵头单位"))


def test_merged_parts_keep_every_plan_the_first_rows_need() -> None:
    from dutygraph.queries.run_neo4j import merge_gap_parts

    # kinds: [no-lead, multi-lead]; the first part holds 2 no-lead findings, the second 3
    first = {"counts": [2, 0], "plans": [["a", 2, [2, 0]]], "docs": [["a"], []]}
    second = {
        "counts": [3, 4],
        "plans": [["b", 4, [1, 3]], ["c", 3, [2, 1]]],
        "docs": [["b", "c"], ["b", "c"]],
    }
    merged = merge_gap_parts([first, second], 3)
    assert merged["counts"] == [5, 4]
    # most findings first, ties by plan id, across parts
    assert merged["plans"] == [["b", 4, [1, 3]], ["c", 3, [2, 1]], ["a", 2, [2, 0]]]
    # no-lead: 2 in the first part < 3, so the second part's plans too; multi-lead: only there
    assert merged["docs"] == [["a", "b", "c"], ["b", "c"]]
    # a part that already holds `top` findings of a kind closes it
    assert merge_gap_parts([first, second], 2)["docs"] == [["a"], ["b", "c"]]
    assert merge_gap_parts([second], 3) == {**second, "plans": second["plans"]}
