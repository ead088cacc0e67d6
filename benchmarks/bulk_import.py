"""The bulk path timed step by step: export the importer's files, run Neo4j's offline importer
(``tools/neo4j/import``), start a server on the imported store, build the schema.

Used by ``benchmarks/run.py`` after the pushes, on the same documents as the largest push, so
the imported store can be checked against the pushed one (nodes by label, relationships by
type, equal or the run fails).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMPORT = ROOT / "tools" / "neo4j" / "import"

_COUNTS = {
    "nodes": "MATCH (n) RETURN labels(n)[0] AS key, count(*) AS n",
    "relationships": "MATCH ()-[r]->() RETURN type(r) AS key, count(*) AS n",
}
_DURATION_RE = re.compile(r"(\d+)(ms|h|m|s)")


def importer_seconds(output: str) -> float | None:
    """The importer's own time from its ``IMPORT DONE in …`` line.

    >>> importer_seconds("IMPORT DONE in 1m 8s 912ms. \\nImported:")
    68.912
    >>> importer_seconds("nothing") is None
    True
    """
    match = re.search(r"IMPORT DONE in ([^.\n]+)", output)
    if match is None:
        return None
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    seconds = sum(int(n) * scale[unit] for n, unit in _DURATION_RE.findall(match.group(1)))
    return round(seconds, 3)


def store_counts(driver: Any, database: str | None) -> dict[str, dict[str, int]]:
    """Nodes by (first) label and relationships by type."""
    out: dict[str, dict[str, int]] = {}
    with driver.session(database=database) as s:
        for what, query in _COUNTS.items():
            out[what] = {r["key"]: r["n"] for r in s.run(query)}
    return out


def create_schema(driver: Any, database: str | None) -> None:
    """Push's constraints and indexes, then wait until every index is online."""
    from dutygraph.loaders.push import ensure_constraints

    ensure_constraints(driver, database)
    with driver.session(database=database) as s:
        s.run("CALL db.awaitIndexes(3600)").consume()


def bench_bulk(
    rows: Sequence[Any],
    work: Path,
    *,
    reference: dict[str, dict[str, int]] | None,
    page_cache: str,
) -> dict[str, Any]:
    """Export ``rows`` (``DocumentRows``), import them into a new data folder, start a server
    on it, build the schema; the seconds of each step and the store's counts. With
    ``reference`` (the pushed store's :func:`store_counts`) the counts must be equal."""
    import neo4j

    from dutygraph.loaders.bulk import write_import
    from tests.neo4j_server import start_server

    csv_dir, data = work / "bulk-csv", work / "bulk-neo4j"
    shutil.rmtree(csv_dir, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    start = time.perf_counter()
    export = write_import(rows, csv_dir)
    export_s = time.perf_counter() - start
    start = time.perf_counter()
    proc = subprocess.run(
        [str(IMPORT), "--data", str(data), str(csv_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    import_s = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"tools/neo4j/import failed: {proc.stderr.strip()[-2000:]}")
    engine_s = importer_seconds(proc.stdout + proc.stderr)
    relationships = sum(export.relationships.values())
    nodes = sum(export.nodes.values())
    start = time.perf_counter()
    server = start_server(data, extra=["--page-cache", page_cache])
    start_s = time.perf_counter() - start
    try:
        with neo4j.GraphDatabase.driver(
            server.uri, auth=(server.user, server.password), notifications_min_severity="OFF"
        ) as driver:
            start = time.perf_counter()
            create_schema(driver, server.database)
            schema_s = time.perf_counter() - start
            counts = store_counts(driver, server.database)
    finally:
        server.stop()
    if reference is not None and counts != reference:
        raise RuntimeError(
            f"the imported store differs from the pushed one: {counts} != {reference}"
        )
    assignments = relationships - export.relationships.get("IN", 0)
    end_to_end = export_s + import_s + schema_s
    return {
        "documents": export.nodes.get("Document", 0),
        "nodes": nodes,
        "tasks": export.nodes.get("Task", 0),
        "relationships": relationships,
        "assignment_relationships": assignments,
        "csv_mb": round(sum(p.stat().st_size for p in export.files) / 1e6, 1),
        "export_s": round(export_s, 2),
        "import_s": round(import_s, 2),
        "importer_reported_s": engine_s,
        "server_start_s": round(start_s, 2),
        "schema_s": round(schema_s, 2),
        "end_to_end_s": round(end_to_end, 2),
        "end_to_end_with_start_s": round(end_to_end + start_s, 2),
        "import_rels_per_s": round(relationships / import_s),
        "importer_rels_per_s": round(relationships / engine_s) if engine_s else None,
        "end_to_end_assignments_per_s": round(assignments / end_to_end),
        "same_counts_as_push": reference is not None,
    }
