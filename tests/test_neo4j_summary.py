"""Summaries and streams from Neo4j equal the in-memory ones (issue 17).

On the reference plan (collectives expanded, and not), the parser fixtures and hypothesis
plans with derived edges: the summary is identical across backends, its counts equal counts
over the ``--all`` rows, and the stream gives today's rows in the canonical order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from dutygraph import example_path, parse_workplan, read_workplan
from dutygraph.commands.output import stream_rows
from dutygraph.graph.records import Document
from dutygraph.queries import run_query
from dutygraph.queries.resolve import graph_units
from dutygraph.queries.run_neo4j import stream_query_neo4j, summarize_query_neo4j
from dutygraph.queries.summary import canonical_key, stream_query, summarize_query
from tests.test_neo4j_parity import FIXTURE_PLANS, load, plans
from tests.test_summary import assert_counts_match_rows

pytestmark = pytest.mark.neo4j


def cases(graph: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    units = graph_units(graph)
    picks = units[:1] + units[-1:] + [u for u in units if "成员" in u][:1]
    out: list[tuple[str, dict[str, Any]]] = [
        ("gaps", {}),
        ("gaps", {"k": 2}),
        ("gaps", {"kind": "collective-only"}),
        ("gaps", {"kind": "lead-also-support"}),
        ("sections", {}),
        ("partners", {}),
        ("partners", {"direct": False}),
    ]
    for unit in picks:
        out += [
            ("tasks-of", {"unit": unit}),
            ("tasks-of", {"unit": unit, "role": "support", "direct": True}),
            ("partners", {"unit": unit}),
        ]
    return out


def assert_same(driver: Any, graph: nx.MultiDiGraph, tops: tuple[int, ...] = (0, 2, 10)) -> int:
    checked = 0
    for name, params in cases(graph):
        rows = run_query(name, graph, params)
        streamed = list(stream_query_neo4j(driver, name, params, fetch_size=7))
        # every row of today, in the canonical order, from the cursor
        assert streamed == list(stream_query(name, graph, params)), (name, params)
        assert streamed == sorted(rows, key=canonical_key(name)), (name, params)
        for top in tops:
            store = summarize_query_neo4j(driver, name, params, top=top)
            memory = summarize_query(name, graph, params, top=top)
            assert store == memory, (name, params, top)
            assert_counts_match_rows(name, store, streamed, params, top)
        checked += 1
    return checked


def test_summary_parity_on_the_seed(empty_neo4j: Any) -> None:
    graph = load(empty_neo4j, [read_workplan(example_path())])
    assert assert_same(empty_neo4j, graph) == 16
    summary = summarize_query_neo4j(empty_neo4j, "gaps", top=2)
    assert [(c["kind"], c["findings"]) for c in summary.counts] == [
        ("no-lead", 8),
        ("multi-lead", 1),
        ("collective-only", 5),
        ("diffuse", 6),
        ("lead-also-support", 0),
    ]
    assert [(r["kind"], r["number"], r["unit"]) for r in summary.top] == [
        ("no-lead", "3", None),
        ("no-lead", "4", None),
        ("multi-lead", "7", None),
        ("collective-only", "1", "未保委成员单位"),
        ("collective-only", "2", "未保委成员单位"),
        ("diffuse", "4", None),
        ("diffuse", "5", None),
    ]


def test_summary_parity_without_expansion(empty_neo4j: Any) -> None:
    graph = load(empty_neo4j, [read_workplan(example_path())], expand=False)
    assert_same(empty_neo4j, graph, tops=(3,))


def test_summary_parity_on_fixture_plans(empty_neo4j: Any) -> None:
    docs = [parse_workplan(t, doc_id=f"f{i}") for i, t in enumerate(FIXTURE_PLANS)]
    graph = load(empty_neo4j, docs)
    assert_same(empty_neo4j, graph)
    # f0 task 4: 市教育局 leads and supports (lead-also-support); f0 task 1: 各有关部门 alone
    summary = summarize_query_neo4j(empty_neo4j, "gaps", top=1)
    counts = {c["kind"]: c["findings"] for c in summary.counts}
    assert counts["lead-also-support"] >= 1 and counts["collective-only"] >= 1


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(docs=plans())
def test_summary_parity_on_generated_plans(empty_neo4j: Any, docs: list[Document]) -> None:
    graph = load(empty_neo4j, docs)
    assert_same(empty_neo4j, graph, tops=(1, 3))


class Recorder:
    """A text file that notes, at each write, how many rows the cursor had yielded."""

    def __init__(self) -> None:
        self.pulled = 0
        self.writes: list[int] = []

    def write(self, text: str) -> int:
        self.writes.append(self.pulled)
        return len(text)

    def flush(self) -> None:
        pass


def test_all_rows_are_written_as_the_cursor_yields_them(empty_neo4j: Any) -> None:
    docs = [parse_workplan(t, doc_id=f"f{i}") for i, t in enumerate(FIXTURE_PLANS)]
    load(empty_neo4j, [read_workplan(example_path()), *docs])
    out = Recorder()

    def counted(rows: Any) -> Any:
        for row in rows:
            out.pulled += 1
            yield row

    rows = stream_query_neo4j(empty_neo4j, "gaps", fetch_size=1)
    total = stream_rows(counted(rows), "csv", out=out)  # type: ignore[arg-type]
    # the header and the first row are written when one row has come, not after the last
    assert total > 20 and out.writes[:2] == [1, 1] and out.writes[-1] == total
    assert Counter(out.writes)[total] <= 2  # nothing was held back to the end


class Watched:
    """The real driver, watched: counts the records the caller takes from each result."""

    def __init__(self, target: Any, counts: list[int]) -> None:
        self.target, self.counts = target, counts

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)

    def session(self, **kwargs: Any) -> Watched:
        return Watched(self.target.session(**kwargs), self.counts)

    def __enter__(self) -> Watched:
        self.target.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.target.__exit__(*exc)

    def run(self, query: str, params: Any = None) -> Any:
        result = self.target.run(query, params)
        self.counts.append(0)
        counts = self.counts

        class Counted:
            def keys(self) -> Any:
                return result.keys()

            def __iter__(self) -> Any:
                for record in result:
                    counts[-1] += 1
                    yield record

        return Counted()


def test_stream_takes_records_from_the_cursor_one_by_one(empty_neo4j: Any) -> None:
    graph = load(empty_neo4j, [read_workplan(example_path())])
    counts: list[int] = []
    rows = stream_query_neo4j(Watched(empty_neo4j, counts), "tasks-of", {"unit": "市教育局"})
    first = next(rows)
    assert first["uid"] == "anshun_2023#1" and counts == [1]  # not the 16 rows at once
    assert 1 + len(list(rows)) == len(run_query("tasks-of", graph, {"unit": "市教育局"}))
    assert counts == [16]


def test_summaries_of_an_empty_store(empty_neo4j: Any) -> None:
    graph = load(empty_neo4j, [])
    for name, params in [("gaps", {}), ("sections", {}), ("partners", {})]:
        store = summarize_query_neo4j(empty_neo4j, name, params, top=3)
        assert store == summarize_query(name, graph, params, top=3)
        assert (store.total, store.plans, store.top) == (0, (), ())
        assert list(stream_query_neo4j(empty_neo4j, name, params)) == []
