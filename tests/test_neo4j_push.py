"""Pushing to a real Neo4j: counters, idempotence, replacement of a changed document, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dutygraph import build_graph, example_path, read_workplan
from dutygraph.cli import main
from dutygraph.errors import StoreError
from dutygraph.graph.collectives import expand_collectives
from dutygraph.loaders.push import derived_assignments, document_rows, push_documents
from tests.neo4j_server import Neo4jServer

pytestmark = pytest.mark.neo4j


def counts(driver: Any) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label"
    )
    out = {r["label"]: r["n"] for r in records}
    records, _, _ = driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
    )
    out |= {r["type"]: r["n"] for r in records}
    return out


def conn_args(server: Neo4jServer) -> list[str]:
    args = ["--uri", server.uri, "--user", server.user, "--password", server.password]
    return [*args, "--database", server.database] if server.database else args


def test_push_seed_twice_is_idempotent(
    empty_neo4j: Any, neo4j_server: Neo4jServer, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["push", example_path(), *conn_args(neo4j_server), "--no-expand-collectives", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first == {
        "documents": 1,
        "documents_unchanged": 0,
        "nodes_created": 1 + 23 + 31,
        "nodes_deleted": 0,
        "relationships_created": 23 + 121,
        "relationships_deleted": 0,
        "properties_set": first["properties_set"],
    }
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["nodes_created"] == 0 and second["relationships_created"] == 0
    assert second["documents_unchanged"] == 1
    assert counts(empty_neo4j) == {
        "Document": 1,
        "Task": 23,
        "Unit": 31,
        "IN": 23,
        "LEADS": 17,
        "SUPPORTS": 42,
        "RESPONSIBLE_FOR": 62,
    }


def test_push_with_expanded_collectives_stores_via(empty_neo4j: Any) -> None:
    doc = read_workplan(example_path())
    graph = expand_collectives(build_graph([doc]))
    summary = push_documents(empty_neo4j, [document_rows(doc, derived_assignments(graph, doc.id))])
    assert summary.relationships_created == 23 + 121 + 138
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (:Unit {name: $u})-[r:SUPPORTS]->(t:Task) "
        "RETURN t.number AS n, r.via AS via ORDER BY toInteger(t.number)",
        u="团市委",
    )
    assert [(r["n"], r["via"]) for r in records] == [
        ("1", "未保委成员单位"),
        ("2", "未保委成员单位"),
        ("6", "未保委成员单位"),
        ("7", "未保委其他成员单位"),
        ("9", None),
        ("10", None),
        ("15", "未保委成员单位"),
        ("17", None),
    ]


def test_edited_document_leaves_exactly_its_new_edges(empty_neo4j: Any, tmp_path: Path) -> None:
    text = Path(example_path()).read_text(encoding="utf-8")
    plan = tmp_path / "anshun_2023.txt"
    plan.write_text(text, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(text, encoding="utf-8")
    docs = [read_workplan(plan), read_workplan(other)]
    push_documents(empty_neo4j, [document_rows(d) for d in docs])
    # Task 9 loses 团市委; task 23's lead changes to 市公安局; 市关工委 disappears from task 10.
    edited = (
        text.replace(
            "市卫生健康局、团市委、市妇联、市残联、市关工委 )", "市卫生健康局、市妇联、市残联 )"
        )
        .replace(
            "( 牵头单位:市人民检察院;责任单位:市中级人民法院、市公安局、市司法局、团市委)",
            "( 牵头单位:市公安局;责任单位:市中级人民法院、市司法局、团市委)",
        )
        .replace("团市委、市妇联、市残联、市关工委)", "团市委、市妇联、市残联)")
    )
    plan.write_text(edited, encoding="utf-8")
    new = read_workplan(plan)
    summary = push_documents(empty_neo4j, [document_rows(new), document_rows(docs[1])])
    assert summary.documents_unchanged == 1
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (u:Unit)-[r]->(t:Task {doc_id: $d}) RETURN u.name AS u, type(r) AS r, t.number AS n",
        d="anshun_2023",
    )
    stored = sorted((r["u"], r["r"], r["n"]) for r in records)
    expected = sorted(
        (
            a.unit,
            {"lead": "LEADS", "support": "SUPPORTS", "responsible": "RESPONSIBLE_FOR"}[a.role],
            t.number,
        )
        for t in new.tasks
        for a in t.assignments
    )
    assert stored == expected
    assert len(stored) == 121 - 4
    assert ("团市委", "SUPPORTS", "9") not in stored
    assert ("市公安局", "LEADS", "23") in stored
    # the untouched copy keeps all of its edges
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (:Unit)-[r]->(:Task {doc_id: 'other'}) RETURN count(r) AS n"
    )
    assert records[0]["n"] == 121


def test_orphan_units_are_removed(empty_neo4j: Any, tmp_path: Path) -> None:
    plan = tmp_path / "p.txt"
    plan.write_text("要点\n一、任务\n1.甲。（牵头单位：市科协）\n", encoding="utf-8")
    push_documents(empty_neo4j, [document_rows(read_workplan(plan))])
    plan.write_text("要点\n一、任务\n1.甲。（牵头单位：市妇联）\n", encoding="utf-8")
    push_documents(empty_neo4j, [document_rows(read_workplan(plan))])
    records, _, _ = empty_neo4j.execute_query("MATCH (u:Unit) RETURN u.name AS name")
    assert [r["name"] for r in records] == ["市妇联"]


def test_batch_size_gives_the_same_graph(empty_neo4j: Any) -> None:
    doc = read_workplan(example_path())
    push_documents(empty_neo4j, [document_rows(doc)], batch_size=7)
    assert counts(empty_neo4j)["SUPPORTS"] == 42


def test_dry_run_needs_no_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", example_path(), "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "documents": 1,
        "tasks": 23,
        "units": 31,
        "relationships": 259,
        "dry_run": True,
    }


def test_wrong_password_is_one_line(
    neo4j_server: Neo4jServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["push", example_path(), "--uri", neo4j_server.uri, "--password", "not-it"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"dutygraph: error: Neo4j at {neo4j_server.uri} refused the user name or password; "
        "check --user/--password or NEO4J_USERNAME/NEO4J_PASSWORD\n"
    )
    assert "not-it" not in err


def test_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.neo4j_server import free_port

    uri = f"bolt://127.0.0.1:{free_port()}"
    code = main(["push", example_path(), "--uri", uri, "--password", "secret-pw"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"dutygraph: error: cannot reach Neo4j at {uri}; "
        "start it (tools/neo4j/serve) or check --uri/NEO4J_URI\n"
    )
    assert "secret-pw" not in err


def test_missing_database_is_one_line(
    neo4j_server: Neo4jServer, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "cypher",
        "RETURN 1 AS x",
        "--uri",
        neo4j_server.uri,
        "--password",
        neo4j_server.password,
        "--database",
        "nosuchdb",
    ]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        f"dutygraph: error: database nosuchdb does not exist on {neo4j_server.uri}; "
        "check --database/NEO4J_DATABASE\n"
    )


def test_cypher_reads_and_refuses_writes(
    empty_neo4j: Any, neo4j_server: Neo4jServer, capsys: pytest.CaptureFixture[str]
) -> None:
    push_documents(empty_neo4j, [document_rows(read_workplan(example_path()))])
    base = conn_args(neo4j_server)
    query = (
        "MATCH (:Unit {name: $u})-[:SUPPORTS]->(t:Task) RETURN t.number AS number "
        "ORDER BY toInteger(t.number)"
    )
    assert main(["cypher", query, "-p", "u", "团市委", *base, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"number": "9"},
        {"number": "10"},
        {"number": "17"},
    ]
    assert main(["cypher", "CREATE (n:Intruder) RETURN n", *base]) == 1
    assert capsys.readouterr().err == (
        "dutygraph: error: this command only reads; the query tried to write; "
        "use dutygraph push to change the graph\n"
    )
    assert "Intruder" not in counts(empty_neo4j)


def test_store_error_class() -> None:
    assert StoreError("x").exit_code == 1


def test_concurrent_pushes_leave_a_consistent_graph(
    empty_neo4j: Any, neo4j_server: Neo4jServer, tmp_path: Path
) -> None:
    import subprocess
    import sys

    text = Path(example_path()).read_text(encoding="utf-8")
    procs = []
    for side in ("a", "b"):
        folder = tmp_path / side
        folder.mkdir()
        for i in range(8):
            (folder / f"{side}{i}.txt").write_text(text, encoding="utf-8")
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "dutygraph",
                    "push",
                    str(folder),
                    *conn_args(neo4j_server),
                    "--no-expand-collectives",
                    "--json",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert [json.loads(out)["documents"] for out, _ in results] == [8, 8]
    assert counts(empty_neo4j) == {
        "Document": 16,
        "Task": 16 * 23,
        "Unit": 31,
        "IN": 16 * 23,
        "LEADS": 16 * 17,
        "SUPPORTS": 16 * 42,
        "RESPONSIBLE_FOR": 16 * 62,
    }


def test_push_docs_per_transaction(
    empty_neo4j: Any,
    neo4j_server: Neo4jServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = Path(example_path()).read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(seed, encoding="utf-8")
    args = ["push", str(tmp_path), *conn_args(neo4j_server), "--no-expand-collectives", "--json"]
    assert main([*args, "--docs-per-transaction", "2"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["documents"], first["documents_unchanged"]) == (3, 0)
    assert (first["nodes_created"], first["relationships_created"]) == (3 + 3 * 23 + 31, 3 * 144)
    assert counts(empty_neo4j)["RESPONSIBLE_FOR"] == 3 * 62
    assert main([*args, "--docs-per-transaction", "2"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["documents_unchanged"], again["relationships_created"]) == (3, 0)


def test_push_docs_per_transaction_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", example_path(), "--docs-per-transaction", "0", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "Invalid value for '--docs-per-transaction': 0 is not in the range x>=1." in err


def test_push_writes_task_deadline_due_and_leader(empty_neo4j: Any) -> None:
    from dutygraph import parse_workplan

    doc = parse_workplan(
        "X市2024年工作要点\n一、任务\n"
        "1.甲。（牵头单位：市民政局；完成时限：6月底前；责任领导：张三）\n"
        "2.乙。（牵头单位：市教育局；时间节点：长期坚持）\n"
        "3.丙。（牵头单位：市妇联；完成时限：适时）\n"
        "4.丁。（牵头单位：团市委）\n",
        doc_id="d",
    )
    push_documents(empty_neo4j, [document_rows(doc)])
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (t:Task) RETURN t.uid AS uid, t.deadline AS deadline, t.due AS due, "
        "t.leader AS leader, [k IN ['deadline', 'due', 'leader'] WHERE k IN keys(t)] AS keys "
        "ORDER BY uid"
    )
    assert [r.data() for r in records] == [
        {
            "uid": "d#1",
            "deadline": "6月底前",
            "due": "2024-06-30",
            "leader": "张三",
            "keys": ["deadline", "due", "leader"],
        },
        {
            "uid": "d#2",
            "deadline": "长期坚持",
            "due": "ongoing",
            "leader": None,
            "keys": [
                "deadline",
                "due",
            ],
        },
        {"uid": "d#3", "deadline": "适时", "due": None, "leader": None, "keys": ["deadline"]},
        {"uid": "d#4", "deadline": None, "due": None, "leader": None, "keys": []},
    ]
    # A date compares as text: the tasks due by June.
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (t:Task) WHERE t.due <> 'ongoing' AND t.due <= $by RETURN t.uid AS uid",
        by="2024-06-30",
    )
    assert [r["uid"] for r in records] == ["d#1"]
