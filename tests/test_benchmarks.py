"""The benchmark corpus generator, the grouped Neo4j loader it motivated, and run.py --smoke.

No timed assertions: the figures go to BENCHMARKS.md only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate_document, iter_documents, write_corpus
from benchmarks.run import (
    PEER_LABELS,
    graph_snapshot,
    peer_graph,
    peer_write,
    snapshot_differences,
)
from dutygraph import parse_workplan, read_workplans
from dutygraph.loaders.push import DocumentRows, document_rows, push_documents
from tests.neo4j_server import Neo4jServer

ROOT = Path(__file__).resolve().parent.parent


def parsed(text: str, doc_id: str) -> set[tuple[str, str, str, str]]:
    doc = parse_workplan(text, doc_id=doc_id)
    return {
        (doc.id, t.uid.split("#", 1)[1], a.unit, a.role) for t in doc.tasks for a in t.assignments
    }


@pytest.mark.parametrize(("profile", "count"), [("standard", 1000), ("small", 300)])
def test_expected_assignments_equal_what_the_parser_extracts(profile: str, count: int) -> None:
    wrong = []
    for doc in iter_documents(count, seed=1, profile=profile):
        expected = {(e.doc, e.task, e.unit, e.role) for e in doc.expected}
        got = parsed(doc.text, doc.doc_id)
        if got != expected:
            wrong.append((doc.doc_id, sorted(expected - got)[:3], sorted(got - expected)[:3]))
    assert wrong == []


def test_corpus_is_realistic() -> None:
    docs = list(iter_documents(300, seed=2))
    text = "\n".join(d.text for d in docs)
    roles = Counter(e.role for d in docs for e in d.expected)
    assert set(roles) == {"lead", "support", "responsible"}
    for form in (
        "牵头单位",
        "配合单位",
        "责任单位",
        "协办单位",
        "会同",
        "牵头负责",
        "按职责分工负责",
    ):
        assert form in text, form
    for noise in ("（2021—2025年）", "市（地、州、盟）", "（含电子烟）"):
        assert noise in text, noise
    assert "（牵头）" in text or "(牵头)" in text
    assert any(d.first_listed for d in docs)
    units = {e.unit for d in docs for e in d.expected}
    assert {"各县（区）人民政府", "未保委成员单位", "各有关部门"} <= units
    assert "市卫生健康委" in text or "市卫健委" in text  # aliases, resolved to 市卫生健康局


def test_generator_is_deterministic_per_document() -> None:
    assert generate_document(5, seed=3).text == generate_document(5, seed=3).text
    assert generate_document(5, seed=3).text != generate_document(5, seed=4).text
    third = next(iter_documents(2, seed=3, start=5))
    assert third.text == generate_document(5, seed=3).text


def test_write_corpus_and_read_it_back(tmp_path: Path) -> None:
    counts = write_corpus(tmp_path, 15, seed=5)
    files = sorted(p.name for p in tmp_path.glob("*.txt"))
    assert counts["documents"] == len(files) == 15
    lines = (tmp_path / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == counts["assignments"]
    expected = {tuple(json.loads(line).values()) for line in lines}
    batch = read_workplans([tmp_path])
    assert batch.errors == []
    got = {
        (d.id, t.uid.split("#", 1)[1], a.unit, a.role)
        for d in batch.documents
        for t in d.tasks
        for a in t.assignments
    }
    assert got == expected
    stopped = write_corpus(tmp_path / "capped", 100, seed=5, max_assignments=200)
    assert stopped["assignments"] >= 200 and stopped["documents"] < 100


def _snapshot(driver: Any) -> tuple[list[Any], list[Any]]:
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN coalesce(a.name, a.uid) AS a, type(r) AS type, "
        "properties(r) AS props, coalesce(b.uid, b.id) AS b"
    )

    def key(x: Any) -> str:
        return json.dumps(x, sort_keys=True, ensure_ascii=False)

    return (
        sorted((r.data() for r in nodes), key=key),
        sorted((r.data() for r in rels), key=key),
    )


@pytest.mark.neo4j
def test_grouped_push_writes_the_same_graph(empty_neo4j: Any) -> None:
    docs = [parse_workplan(d.text, doc_id=d.doc_id) for d in iter_documents(7, seed=9)]
    rows = [document_rows(d) for d in docs]
    one = push_documents(empty_neo4j, rows)
    per_document = _snapshot(empty_neo4j)
    empty_neo4j.execute_query("MATCH (n) DETACH DELETE n")
    grouped = push_documents(empty_neo4j, rows, docs_per_transaction=3, batch_size=50)
    assert _snapshot(empty_neo4j) == per_document
    for name in ("documents", "nodes_created", "relationships_created"):
        assert getattr(grouped, name) == getattr(one, name)
    again = push_documents(empty_neo4j, rows, docs_per_transaction=3)
    assert (again.documents_unchanged, again.nodes_created) == (7, 0)
    # A changed document is replaced whole within its group: no stale task or edge.
    changed = parse_workplan(generate_document(0, seed=10).text, doc_id=docs[2].id)
    rows[2] = document_rows(changed)
    push_documents(empty_neo4j, rows, docs_per_transaction=4)
    tasks, _, _ = empty_neo4j.execute_query(
        "MATCH (t:Task {doc_id: $id}) RETURN t.uid AS uid ORDER BY uid", id=docs[2].id
    )
    assert sorted(r["uid"] for r in tasks) == sorted(t.uid for t in changed.tasks)
    count, _, _ = empty_neo4j.execute_query(
        "MATCH (:Unit)-[r]->(:Task {doc_id: $id}) RETURN count(r) AS n", id=docs[2].id
    )
    assert count[0]["n"] == len(rows[2].edges["LEADS"]) + len(rows[2].edges["SUPPORTS"]) + len(
        rows[2].edges["RESPONSIBLE_FOR"]
    )
    with pytest.raises(ValueError, match="docs_per_transaction"):
        push_documents(empty_neo4j, rows, docs_per_transaction=0)


def test_peer_graph_holds_what_push_writes() -> None:
    from dutygraph import example_path, read_workplan

    rows = document_rows(read_workplan(example_path()))
    graph = peer_graph([rows])
    labels = Counter(n.label for n in graph.nodes)
    assert labels == {"Document": 1, "Task": 23, "Unit": 31}
    types = Counter(r.type for r in graph.relationships)
    assert types == {"IN": 23, **{rel: len(e) for rel, e in rows.edges.items()}}
    doc = next(n for n in graph.nodes if n.label == "Document")
    # doc_no is null in the plan: left out, as Neo4j stores no null
    assert doc.properties == {"id": rows.doc_id, **{k: v for k, v in rows.props.items() if v}}
    assert "doc_no" not in doc.properties and rows.props["doc_no"] is None
    edge = rows.edges["LEADS"][0]
    lead = next(r for r in graph.relationships if r.type == "LEADS")
    assert (lead.start_node_id, lead.end_node_id) == (f"unit:{edge['unit']}", f"task:{edge['uid']}")
    assert lead.properties == {k: v for k, v in edge["props"].items() if k != "via"}
    task = next(n for n in graph.nodes if n.id == f"task:{rows.tasks[0]['uid']}")
    assert task.properties == rows.tasks[0]


def test_peer_graph_keeps_one_node_per_unit_with_the_kind_push_leaves() -> None:
    def rows(doc_id: str, kind: str, collective: bool) -> DocumentRows:
        unit = {"name": "市教育局", "kind": kind, "collective": collective}
        return DocumentRows(doc_id, {"title": doc_id}, [], [unit], {})

    # push: a known kind wins over a later 'unknown'; the last row sets collective
    graph = peer_graph([rows("a", "government", False), rows("b", "unknown", True)])
    assert [(n.id, n.properties) for n in graph.nodes if n.label == "Unit"] == [
        ("unit:市教育局", {"name": "市教育局", "kind": "government", "collective": True})
    ]
    graph = peer_graph([rows("a", "unknown", False), rows("b", "party", False)])
    assert [n.properties["kind"] for n in graph.nodes if n.label == "Unit"] == ["party"]


@pytest.mark.neo4j
def test_the_peer_writes_the_graph_push_writes(neo4j_server: Neo4jServer, empty_neo4j: Any) -> None:
    import neo4j

    db = neo4j_server.database
    rows = [
        document_rows(parse_workplan(d.text, doc_id=d.doc_id)) for d in iter_documents(9, seed=4)
    ]
    push_documents(empty_neo4j, rows, database=db, docs_per_transaction=4)
    pushed = graph_snapshot(empty_neo4j, db)
    tasks = sum(len(r.tasks) for r in rows)
    units = len({u["name"] for r in rows for u in r.units})
    assert pushed["labels"] == {"Document": 9, "Task": tasks, "Unit": units}
    empty_neo4j.execute_query("MATCH (n) DETACH DELETE n", database_=db)
    auth = (neo4j_server.user, neo4j_server.password)
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=auth) as driver:
        peer_write(driver, db, peer_graph(rows))
    assert snapshot_differences(pushed, graph_snapshot(empty_neo4j, db)) == []
    # the peer's own bookkeeping: its two labels (Document is no __Entity__), no id left
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (n) RETURN [l IN labels(n) WHERE l STARTS WITH '__'] AS own, "
        "n.__tmp_internal_id IS NULL AS clean, count(*) AS n ORDER BY n",
        database_=db,
    )
    assert sorted((sorted(r["own"]), r["clean"], r["n"]) for r in records) == [
        (["__Entity__", "__KGBuilder__"], True, tasks + units),
        (["__KGBuilder__"], True, 9),
    ]
    assert set(PEER_LABELS) == {"__Entity__", "__KGBuilder__"}
    # a changed property is found, on both sides
    empty_neo4j.execute_query(
        "MATCH (:Unit)-[r:LEADS]->(t:Task) WITH r ORDER BY t.uid LIMIT 1 SET r.clause = 'x'",
        database_=db,
    )
    differences = snapshot_differences(pushed, graph_snapshot(empty_neo4j, db))
    assert [d.split(":", 1)[0] for d in differences] == [
        "relationship only in push",
        "relationship only in peer",
    ]
    assert '"clause": "x"' in differences[1]


KEYS = {
    "parse_mb_per_s",
    "parse_speedup_vs_regex_baseline",
    "build_assignments_per_s",
    "peak_rss_mb_1m",
    "peak_rss_mb_largest",
    "largest_size",
    "push_rels_per_s",
    "push_speedup_vs_row_by_row",
    "push_speedup_vs_peer",
    "peer_rels_per_s",
    "neo4j_write_floor_rels_per_s",
    "neo4j_gaps_s",
    "neo4j_gaps_all_s",
    "bulk_import_rels_per_s",
    "bulk_end_to_end_s",
    "bulk_speedup_vs_push",
    "details",
}


def server_env(server: Neo4jServer) -> dict[str, str]:
    """The environment that points benchmarks/run.py at the test server."""
    env = {
        **os.environ,
        "NEO4J_URI": server.uri,
        "NEO4J_USERNAME": server.user,
        "NEO4J_PASSWORD": server.password,
    }
    env.pop("NEO4J_DATABASE", None)
    if server.database:
        env["NEO4J_DATABASE"] = server.database
    return env


@pytest.mark.neo4j
def test_run_smoke_prints_the_keys(neo4j_server: Neo4jServer, empty_neo4j: Any) -> None:
    env = server_env(neo4j_server)
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--smoke", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert set(result) >= KEYS
    assert result["mode"] == "smoke" and result["largest_size"] == 2000
    assert result["peak_rss_mb_1m"] is None  # the 1M size was not run
    details = result["details"]
    assert details["parse"]["recall_ours"] == 1.0
    assert details["ingest"]["unchanged"]["skipped_unchanged"] == details["ingest"]["files"]
    sample = details["neo4j"]["same_sample"]
    assert sample["row_by_row_created"] == sample["relationships"] > 0
    assert sample["peer_same_graph_as_push"] is True
    assert sample["documents"] == result["loader_sample_documents"] == 2
    # push and the peer side by side on the whole smoke corpus (checked equal by run.py)
    at_size = details["neo4j"]["peer_at_size"]
    assert at_size["peer_same_graph_as_push"] is True
    assert at_size["relationships"] == details["neo4j"]["sizes"]["2000"]["assignment_relationships"]
    assert result["push_speedup_vs_peer"] == at_size["push_speedup_vs_peer"]
    assert result["push_speedup_vs_peer_sample"] == sample["grouped_speedup_vs_peer"]
    for value in (
        result["parse_mb_per_s"],
        result["push_rels_per_s"],
        result["neo4j_write_floor_rels_per_s"],
        result["peer_rels_per_s"],
        result["push_speedup_vs_peer"],
    ):
        assert value > 0
    floor = details["neo4j"]["write_floor"]
    assert floor["relationships"] > 0 and floor["bare_rels_per_s"] > 0
    gaps = details["neo4j"]["sizes"]["2000"]["queries"]["gaps"]
    assert gaps["rows"] > 0 and min(gaps["prepare_s"], gaps["fetch_s"], gaps["finish_s"]) >= 0
    # the summary counts what the stream yields; the stream yields what the library returns
    summary = details["neo4j"]["sizes"]["2000"]["summaries"]["gaps"]
    assert summary["total"] == summary["rows"] == gaps["rows"]
    # the bulk import of the same documents: the same counts as the pushed store (checked by
    # run.py, which fails otherwise), every relationship of the export imported
    bulk = details["neo4j"]["bulk"]
    assert bulk["same_counts_as_push"] is True
    assert (
        bulk["assignment_relationships"]
        == details["neo4j"]["sizes"]["2000"]["assignment_relationships"]
    )
    assert bulk["relationships"] == bulk["assignment_relationships"] + bulk["tasks"]  # + IN
    for value in (result["bulk_import_rels_per_s"], result["bulk_end_to_end_s"]):
        assert value > 0
    # the scratch relationships of the write floor are gone
    left = empty_neo4j.execute_query("MATCH ()-[f:DUTYGRAPH_BENCH_FLOOR]->() RETURN count(f)")
    assert left.records[0][0] == 0
    empty_neo4j.execute_query("MATCH (n) DETACH DELETE n")  # leave no benchmark data behind


@pytest.mark.neo4j
def test_run_only_loaders(neo4j_server: Neo4jServer, empty_neo4j: Any, tmp_path: Path) -> None:
    env = server_env(neo4j_server)
    proc = subprocess.run(
        [
            *(sys.executable, "benchmarks/run.py", "--smoke", "--only", "loaders", "--json"),
            *("--sample-docs", "3", "--workdir", str(tmp_path)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert [k for k in result if k != "details"] == [
        "mode",
        "only",
        "push_speedup_vs_row_by_row",
        "push_speedup_vs_peer",
        "peer_rels_per_s",
        "push_speedup_vs_peer_sample",
        "loader_sample_documents",
    ]
    assert (result["only"], result["loader_sample_documents"]) == ("loaders", 3)
    sample = result["details"]["neo4j"]["same_sample"]
    assert sample["peer_same_graph_as_push"] is True
    assert sample["relationships_per_type"]["IN"] == sample["nodes_per_label"]["Task"]
    assert "parse" not in result["details"] and result["details"]["corpus"]["documents"] == 5
    empty_neo4j.execute_query("MATCH (n) DETACH DELETE n")  # leave no benchmark data behind
