"""Shared fixtures: the bundled example plan (``seed_doc``, ``seed_graph``), and a real Neo4j
for the tests that need one.

``NEO4J_URI`` (with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) points the
tests at an existing server — they wipe its graph. Otherwise the session starts
``tools/neo4j/serve`` on a free port with a temporary data folder. Without Java/Maven the tests
that need Neo4j are skipped, unless ``DUTYGRAPH_REQUIRE_NEO4J=1`` (set by ``.ci/run``), which
turns that into a failure.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from dutygraph import Document, build_graph, read_workplan
from tests.helpers import SEED
from tests.neo4j_server import Neo4jServer, external_server, start_server, unavailable


@pytest.fixture(autouse=True)
def _wide_piped_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables printed to a pipe are 160 columns wide whatever the terminal running the tests
    (pytest-xdist workers, CI): tests that want a narrow table set ``COLUMNS`` themselves."""
    monkeypatch.setenv("COLUMNS", "160")


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    """The bundled example, parsed once per test session (records are frozen)."""
    return read_workplan(SEED)


@pytest.fixture
def seed_graph(seed_doc: Document) -> nx.MultiDiGraph:
    """The bundled example's graph, built anew for each test (graphs are mutable)."""
    return build_graph([seed_doc])


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    server = external_server()
    if server is not None:
        yield server
        return
    if shutil.which("java") is None:
        unavailable("java is not installed")
    try:
        server = start_server(Path(tmp_path_factory.mktemp("neo4j")))
    except RuntimeError as exc:
        unavailable(str(exc))
        raise
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jServer) -> Iterator[Any]:
    neo4j = pytest.importorskip("neo4j") if not _required() else __import__("neo4j")
    with neo4j.GraphDatabase.driver(
        neo4j_server.uri,
        auth=(neo4j_server.user, neo4j_server.password),
        notifications_min_severity="OFF",
    ) as driver:
        driver.verify_connectivity()
        yield driver


@pytest.fixture
def empty_neo4j(neo4j_driver: Any, neo4j_server: Neo4jServer) -> Any:
    """The driver, after deleting every node of the test database."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_server.database)
    return neo4j_driver


def _required() -> bool:
    from tests.neo4j_server import required

    return required()
