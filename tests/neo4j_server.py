"""Start and stop the real Neo4j of ``tools/neo4j/serve`` for tests."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "tools" / "neo4j" / "serve"
PASSWORD = "dutygraph-test"


@dataclass
class Neo4jServer:
    """A Neo4j the tests may use: its Bolt URI and credentials, and the process when ours."""

    uri: str
    user: str
    password: str
    database: str | None
    process: subprocess.Popen[str] | None = None
    data: Path | None = None

    def stop(self) -> None:
        """Stop our server (SIGTERM) and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def required() -> bool:
    return os.environ.get("DUTYGRAPH_REQUIRE_NEO4J") == "1"


def unavailable(reason: str) -> None:
    if required():
        pytest.fail(f"Neo4j is required (DUTYGRAPH_REQUIRE_NEO4J=1) but {reason}")
    pytest.skip(f"no Neo4j: {reason}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    data: Path, port: int | None = None, timeout: float = 600, extra: Sequence[str] = ()
) -> Neo4jServer:
    """Run ``tools/neo4j/serve`` (with ``extra`` options such as ``--page-cache 2g``) and wait
    for its READY line (the first run builds it)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [str(SERVE), "--port", str(port), "--data", str(data), "--password", PASSWORD, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"tools/neo4j/serve exited with {proc.returncode}: {err.strip()}")
        if sel.select(timeout=1):
            line = proc.stdout.readline()
            if line.startswith("READY "):
                return Neo4jServer(line.split()[1], "neo4j", PASSWORD, None, proc, data)
    proc.kill()
    raise RuntimeError(f"tools/neo4j/serve printed no READY line in {timeout:.0f} s")


def external_server() -> Neo4jServer | None:
    """The server named by ``NEO4J_URI`` (and ``NEO4J_USERNAME``/``PASSWORD``/``DATABASE``)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Neo4jServer(
        uri,
        os.environ.get("NEO4J_USERNAME", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE") or None,
    )
