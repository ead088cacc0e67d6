"""``tools/neo4j/serve`` options: the page cache and pass-through Neo4j settings.

The server runs on a data folder of its own; a bad option fails before Neo4j starts.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.neo4j_server import PASSWORD, SERVE, free_port, start_server, unavailable

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module", autouse=True)
def java() -> None:
    if shutil.which("java") is None:
        unavailable("java is not installed")


def test_page_cache_and_settings_reach_neo4j(tmp_path: Path) -> None:
    import neo4j

    server = start_server(
        tmp_path,
        extra=["--page-cache", "48m", "--setting", "db.transaction.timeout=7m"],
    )
    try:
        with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, PASSWORD)) as driver:
            records, _, _ = driver.execute_query(
                "SHOW SETTINGS YIELD name, value "
                "WHERE name IN ['server.memory.pagecache.size', 'db.transaction.timeout'] "
                "RETURN name, value ORDER BY name"
            )
        assert [(r["name"], r["value"]) for r in records] == [
            ("db.transaction.timeout", "7m"),
            ("server.memory.pagecache.size", "48.00MiB"),
        ]
    finally:
        server.stop()
    assert server.process is not None and server.process.returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--setting", "no-equals-sign"], "--setting needs KEY=VALUE, got no-equals-sign"),
        (["--page-cache"], "usage: [--port N]"),
        (["--colour", "red"], "unknown option --colour; usage: [--port N]"),
    ],
)
def test_bad_options_fail_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    proc = subprocess.run(
        [str(SERVE), "--port", str(free_port()), "--data", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith(f"neo4j serve: {message}")
    assert "READY" not in proc.stdout


def test_an_unknown_neo4j_setting_is_refused(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            *(str(SERVE), "--port", str(free_port()), "--data", str(tmp_path)),
            *("--setting", "db.no_such_setting=1"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "db.no_such_setting" in proc.stderr.strip().splitlines()[-1]
