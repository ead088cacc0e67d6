"""A Neo4j that stops in the middle of a push: no partial document, and a second push completes.

This module runs its own server (it stops and restarts it), on a data folder of its own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dutygraph import example_path
from tests.neo4j_server import Neo4jServer, free_port, start_server, unavailable

pytestmark = pytest.mark.neo4j

N_DOCS = 60
TASKS, EDGES = 23, 121  # per copy of the example, collectives not expanded


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    text = Path(example_path()).read_text(encoding="utf-8")
    for i in range(N_DOCS):
        (folder / f"plan_{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    if shutil.which("java") is None:
        unavailable("java is not installed")
    data, port = Path(tmp_path_factory.mktemp("neo4j-faults")), free_port()
    yield data, port


def driver_for(server: Neo4jServer) -> Any:
    import neo4j

    return neo4j.GraphDatabase.driver(
        server.uri, auth=(server.user, server.password), notifications_min_severity="OFF"
    )


def per_document(driver: Any) -> dict[str, tuple[int, int]]:
    records, _, _ = driver.execute_query(
        "MATCH (d:Document) OPTIONAL MATCH (t:Task)-[:IN]->(d) "
        "OPTIONAL MATCH (u:Unit)-[r]->(t) "
        "RETURN d.id AS id, count(DISTINCT t) AS tasks, count(r) AS edges"
    )
    return {r["id"]: (r["tasks"], r["edges"]) for r in records}


def push(server: Neo4jServer, corpus: Path, retry: str = "2") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dutygraph",
            "push",
            str(corpus),
            "--uri",
            server.uri,
            "--password",
            server.password,
            "--no-expand-collectives",
            "--batch-size",
            "20",
            "--retry-seconds",
            retry,
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_server_stopped_mid_push(own_server: tuple[Path, int], corpus: Path) -> None:
    data, port = own_server
    try:
        server = start_server(data, port)
    except RuntimeError as exc:
        unavailable(str(exc))
        raise
    try:
        proc = push(server, corpus)
        with driver_for(server) as driver:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(per_document(driver)) < 3:
                time.sleep(0.05)
        assert proc.poll() is None, "the push ended before the server could be stopped"
        server.stop()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, (out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("dutygraph: error: "), err
        assert "Traceback" not in err and server.password not in err
    finally:
        server.stop()

    server = start_server(data, port)
    try:
        with driver_for(server) as driver:
            stored = per_document(driver)
            assert 3 <= len(stored) < N_DOCS
            assert set(stored.values()) == {(TASKS, EDGES)}  # every stored document is whole
            proc = push(server, corpus)
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err
            stored = per_document(driver)
            assert len(stored) == N_DOCS
            assert set(stored.values()) == {(TASKS, EDGES)}
            records, _, _ = driver.execute_query("MATCH (u:Unit) RETURN count(u) AS n")
            assert records[0]["n"] == 31
    finally:
        server.stop()


def test_server_restarted_mid_push_is_retried(own_server: tuple[Path, int], corpus: Path) -> None:
    """A transient failure (the server restarts) within --retry-seconds: the push completes;
    a server stopped after the push keeps every document."""
    data, port = own_server
    server = start_server(data, port)
    try:
        with driver_for(server) as driver:
            driver.execute_query("MATCH (n) DETACH DELETE n")
        proc = push(server, corpus, retry="240")
        with driver_for(server) as driver:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(per_document(driver)) < 3:
                time.sleep(0.05)
        assert proc.poll() is None, "the push ended before the server could be restarted"
        server.stop()
        server = start_server(data, port)
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert json.loads(out.strip().splitlines()[-1])["documents"] == N_DOCS
        with driver_for(server) as driver:
            stored = per_document(driver)
        assert len(stored) == N_DOCS
        assert set(stored.values()) == {(TASKS, EDGES)}
        # stopped after the push: everything is still there on the next start
        server.stop()
        server = start_server(data, port)
        with driver_for(server) as driver:
            assert per_document(driver) == stored
            records, _, _ = driver.execute_query("MATCH (u:Unit) RETURN count(u) AS n")
            assert records[0]["n"] == 31
    finally:
        server.stop()
