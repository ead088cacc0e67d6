"""Bulk import: ``write_import`` + ``tools/neo4j/import`` give the graph ``push`` writes.

One export of a mix of documents (the bundled example, real plans, collectives expanded, tasks
with deadlines and leaders, hostile text, a document given twice), one import into a new data
folder, one extra server on it (with the schema file): compared node by node and edge by edge
with a push of the same rows into the session server, then the parity checks of
test_neo4j_parity on the imported store, then pushes of a changed and an unchanged document.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from dutygraph import build_graph, parse_workplan, read_workplan
from dutygraph.graph.collectives import expand_collectives
from dutygraph.graph.records import Assignment, Document, Task, Unit
from dutygraph.loaders.bulk import write_import
from dutygraph.loaders.push import (
    DocumentRows,
    derived_assignments,
    document_rows,
    push_documents,
    unit_kinds,
)
from tests.helpers import SEED
from tests.neo4j_server import ROOT, SERVE, Neo4jServer, free_port, start_server
from tests.test_neo4j_parity import DUE_PLAN, assert_parity

pytestmark = pytest.mark.neo4j

IMPORT = ROOT / "tools" / "neo4j" / "import"
REAL = ROOT / "tests" / "fixtures" / "real"
LONG_CLAUSE = "牵头单位：" + "长" * 300_000 + '，"引号"、逗号,\n换行\\反斜杠'


def hostile(version: int) -> Document:
    """A plan whose text is built to break CSV: quotes, commas, line breaks, backslashes,
    empty strings, spaces at both ends, a very long clause; version 1 names a unit that
    version 2 drops (push deletes it)."""
    doc_id = 'evil,"doc"\\x'
    odd = '市"引号"局, \\局'  # spaces at both ends are in as_written and texts
    units = [
        Assignment(odd, ' "as" \n written ', "lead", False, (0, 3), 'clause, "q"\r\nline2\\'),
        Assignment("市空局", "", "support", False, (4, 4), ""),
        Assignment("市教育局", "市教育局", "responsible", False, (5, 9), LONG_CLAUSE),
    ]
    if version == 1:
        units.append(Assignment("只在旧版的局", "旧", "support", False, (9, 10), "旧,条款"))
    tasks = (
        Task(
            uid=f"{doc_id}#1",
            doc_id=doc_id,
            number="1",
            section="",
            section_title=' 标题, "带引号" ',
            title="",
            text='第一行\n第二行\r\n第三行\r"quoted", comma \\ back',
            span=(0, 10),
            assignments=tuple(units),
            deadline="" if version == 2 else "2024年6月底",
            due="2024-06-30",
            leader='张"三"',
        ),
        Task(
            uid=f"{doc_id}#2",
            doc_id=doc_id,
            number="2",
            section="一",
            section_title="",
            title="t2",
            text="  leading and trailing \x00 nul, \ufeffbom, 𠀀 astral, \t tab  ",
            span=(10, 20),
            assignments=(Assignment(odd, odd, "support", False, (11, 12), "c2"),),
        ),
    )
    return Document(
        id=doc_id,
        title=f'标题 "v{version}", 逗号\n换行',
        text="",
        issuer="",
        date=None,
        doc_no='第"1"号',
        source="C:\\plans\\evil.txt",
        sha256="",
        tasks=tasks,
        units=(Unit(odd, "government"), Unit("市空局", "unknown")),
    )


def rows_of(docs: list[Document]) -> tuple[list[DocumentRows], nx.MultiDiGraph]:
    """The rows push writes with collectives expanded (as ``push`` does), and the graph."""
    graph = expand_collectives(build_graph(docs))
    kinds = unit_kinds(graph)
    return [document_rows(d, derived_assignments(graph, d.id), kinds) for d in docs], graph


def snapshot(driver: Any) -> tuple[Counter[Any], Counter[Any]]:
    """Every node (labels, properties with their types) and every edge (type, endpoint keys,
    properties with their types), as multisets."""

    def typed(props: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(sorted((k, type(v).__name__, v) for k, v in props.items()))

    def key(labels: list[str], props: dict[str, Any]) -> tuple[Any, ...]:
        name = {"Document": "id", "Task": "uid", "Unit": "name"}[labels[0]]
        return (labels[0], props[name])

    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    edges, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN labels(a) AS la, properties(a) AS pa, type(r) AS t, "
        "properties(r) AS p, labels(b) AS lb, properties(b) AS pb"
    )
    return (
        Counter((tuple(sorted(r["l"])), typed(r["p"])) for r in nodes),
        Counter(
            (r["t"], key(r["la"], r["pa"]), key(r["lb"], r["pb"]), typed(r["p"])) for r in edges
        ),
    )


def schema(driver: Any) -> set[tuple[str, str]]:
    records, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, state WHERE name STARTS WITH 'dutygraph' "
        "RETURN name, type, state"
    )
    constraints, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name, type RETURN name, type")
    return {(r["name"], r["state"]) for r in records} | {
        (r["name"], r["type"]) for r in constraints
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The mixed documents exported, imported into a new data folder, and a server on it."""
    import neo4j

    docs = [
        read_workplan(SEED),
        read_workplan(REAL / "jili_2018_117.txt"),
        read_workplan(REAL / "lishan_2023_fengong.txt"),
        read_workplan(REAL / "guangzhou_rencai_2012.txt"),
        parse_workplan(DUE_PLAN, doc_id="due"),
    ]
    rows, graph = rows_of(docs)
    old, new = document_rows(hostile(1)), document_rows(hostile(2))
    rows = [old, *rows, new]  # the later version of the hostile plan wins, as with push
    base = tmp_path_factory.mktemp("bulk")
    done = write_import(rows, base / "export")
    result = subprocess.run(
        [str(IMPORT), "--data", str(base / "data"), str(base / "export")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    server = start_server(base / "data", extra=["--schema", str(base / "export/schema.cypher")])
    try:
        with neo4j.GraphDatabase.driver(
            server.uri,
            auth=(server.user, server.password),
            notifications_min_severity="OFF",
        ) as driver:
            yield {
                "rows": rows,
                "graph": graph,
                "docs": docs,
                "done": done,
                "import": result,
                "driver": driver,
                "server": server,
                "base": base,
            }
    finally:
        server.stop()


def test_the_import_gives_the_graph_push_writes(imported: dict[str, Any], empty_neo4j: Any) -> None:
    done, result = imported["done"], imported["import"]
    # The importer's own figures: every node and relationship written.
    nodes, rels = sum(done.nodes.values()), sum(done.relationships.values())
    assert "IMPORT DONE in " in result.stdout
    assert f"  {nodes} nodes\n  {rels} relationships\n" in result.stdout
    assert result.stdout.rstrip().endswith(
        f"Next: tools/neo4j/serve --data {imported['base'] / 'data'} "
        f"--schema {imported['base'] / 'export' / 'schema.cypher'}"
    )
    # Values with line breaks: the files are read as multiline.
    assert done.arguments[-1] == "--multiline-fields=true"
    summary = push_documents(empty_neo4j, imported["rows"])
    assert summary.documents == 7
    pushed, bulk = snapshot(empty_neo4j), snapshot(imported["driver"])
    assert bulk[0] == pushed[0]
    assert bulk[1] == pushed[1]
    assert sum(bulk[0].values()) == nodes and sum(bulk[1].values()) == rels
    # Hostile values survive byte for byte, with their types; absent stays absent.
    task = imported["driver"].execute_query(
        "MATCH (t:Task {uid: $uid}) RETURN properties(t) AS p", uid='evil,"doc"\\x#1'
    )[0][0]["p"]
    assert task["text"] == '第一行\n第二行\r\n第三行\r"quoted", comma \\ back'
    assert (task["section"], task["title"], task["deadline"]) == ("", "", "")
    edge = imported["driver"].execute_query(
        "MATCH (:Unit {name: '市教育局'})-[r:RESPONSIBLE_FOR]->(:Task {doc_id: $d}) "
        "RETURN r.clause AS c, r.via AS via, r.span_start AS s",
        d='evil,"doc"\\x',
    )[0][0]
    assert (edge["c"] == LONG_CLAUSE, edge["via"], edge["s"]) == (True, None, 5)
    # The unit only the replaced version named is gone, as push deletes it.
    gone = "MATCH (u:Unit {name: '只在旧版的局'}) RETURN count(u) AS n"
    assert imported["driver"].execute_query(gone)[0][0]["n"] == 0
    # Constraints and indexes: those push creates, online.
    assert schema(imported["driver"]) == schema(empty_neo4j)
    assert ("dutygraph_task_doc", "ONLINE") in schema(imported["driver"])


def test_parity_on_the_imported_store(imported: dict[str, Any]) -> None:
    docs = [*imported["docs"], hostile(2)]
    graph = expand_collectives(build_graph(docs))
    assert assert_parity(imported["driver"], graph) >= 20


def test_a_later_push_updates_the_import_in_place(
    imported: dict[str, Any], empty_neo4j: Any
) -> None:
    driver = imported["driver"]
    changed_doc = parse_workplan(DUE_PLAN.replace("市档案局", "市档案馆"), doc_id="due")
    changed, _ = rows_of([changed_doc])
    push_documents(empty_neo4j, [*imported["rows"], *changed])  # push-only store
    summary = push_documents(driver, changed)
    assert (summary.documents, summary.documents_unchanged) == (1, 0)
    assert snapshot(driver) == snapshot(empty_neo4j)
    leads = "MATCH (u:Unit)-[:LEADS]->(:Task {uid: 'due#7'}) RETURN collect(u.name) AS names"
    assert driver.execute_query(leads)[0][0]["names"] == ["市档案馆"]
    # Pushing every imported document again creates nothing.
    unchanged = [r for r in imported["rows"][1:] if r.doc_id != "due"]
    again = push_documents(driver, unchanged)
    assert (again.documents_unchanged, again.nodes_created, again.relationships_created) == (
        5,
        0,
        0,
    )


def test_import_refuses_while_a_server_holds_the_data(imported: dict[str, Any]) -> None:
    server: Neo4jServer = imported["server"]
    count = "MATCH (n) RETURN count(n) AS n"
    before = imported["driver"].execute_query(count)[0][0]["n"]
    result = subprocess.run(
        [str(IMPORT), "--data", str(server.data), str(imported["base"] / "export")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"neo4j import: a server holds {server.data} (database neo4j is in use); stop it first\n"
    )
    assert imported["driver"].execute_query(count)[0][0]["n"] == before  # untouched


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "no CSVDIR given; usage: tools/neo4j/import [--data DIR] [--max-off-heap SIZE] CSVDIR",
        ),
        (["--colour"], "unknown option --colour; usage: tools/neo4j/import [--data DIR]"),
        (
            ["{tmp}"],
            "{tmp} is not a complete dutygraph export (no dutygraph-import.json); write "
            "it with: dutygraph export --format neo4j-import {tmp}",
        ),
        (["{tmp}/none"], "{tmp}/none is not a folder"),
    ],
)
def test_import_usage_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    result = subprocess.run([str(IMPORT), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"neo4j import: {message.format(tmp=tmp_path)}")
    assert result.stderr.count("\n") == 1


def test_serve_refuses_a_missing_schema_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(str(SERVE), "--port", str(free_port()), "--data", str(tmp_path / "d")),
            *("--schema", str(tmp_path / "none.cypher")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "READY" not in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"neo4j serve: --schema {tmp_path / 'none.cypher'}: no such file"


def test_an_importer_failure_is_one_line_naming_the_cause(
    imported: dict[str, Any], tmp_path: Path
) -> None:
    broken = tmp_path / "export"
    shutil.copytree(imported["base"] / "export", broken)
    with (broken / "leads.csv").open("a", encoding="utf-8") as fh:
        fh.write('"无此单位","due#1","due","x",1,2,"c",\n')
    result = subprocess.run(
        [str(IMPORT), "--data", str(tmp_path / "data"), str(broken)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "neo4j import: the importer failed (exit 70): "
        "无此单位 (Unit)-[LEADS]->due#1 (Task) referring to missing node 无此单位"
    )


def big_plan(tasks: int) -> Document:
    """One plan whose tasks file holds more text than the importer's read buffer (4,194,304
    characters), every task text with line breaks, quotes and commas."""

    def task(i: int) -> Task:
        lead = Assignment("市民政局", "市民政局", "lead", False, (0, 4), "牵头单位：市民政局")
        text = (
            f'{i}.加强统筹，"推进"工作。\n'
            + "推动落实各项保护措施，" * 40
            + f"\n（牵头单位：市民政局）{i}"
        )
        return Task(
            uid=f"big#{i}",
            doc_id="big",
            number=str(i),
            section="一",
            section_title="标题",
            title=f"任务{i}",
            text=text,
            span=(0, 10),
            assignments=(lead,),
        )

    return Document(
        id="big",
        title="大",
        text="",
        issuer="",
        date=None,
        doc_no="",
        source="big.txt",
        sha256="",
        tasks=tuple(task(i) for i in range(1, tasks + 1)),
        units=(Unit("市民政局", "government"),),
    )


def test_a_tasks_file_larger_than_the_read_buffer_imports(tmp_path: Path) -> None:
    # Neo4j 5.26's v2 multiline reader (--multiline-fields=FILES) fails on such a file with
    # "Weird input data, found CR outside a text cell"; an archive's plans make one.
    done = write_import([document_rows(big_plan(12_000))], tmp_path / "export")
    assert len((tmp_path / "export" / "tasks.csv").read_text(encoding="utf-8")) > 4_194_304
    result = subprocess.run(
        [str(IMPORT), "--data", str(tmp_path / "data"), str(tmp_path / "export")],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "  12002 nodes\n  24000 relationships\n" in result.stdout
    assert done.relationships == {
        "IN": 12_000,
        "LEADS": 12_000,
        "SUPPORTS": 0,
        "RESPONSIBLE_FOR": 0,
    }
