"""Push documents into Neo4j: constraints first, then one write transaction per document.

A document's transaction replaces its tasks and edges, so a changed document leaves no stale
edge; a document whose rows are unchanged (same ``load_hash``) is skipped, so pushing it again
creates nothing. Writes are batched ``UNWIND $rows`` statements with literal Cypher; all values
travel as parameters. The functions take a driver and never create one.

>>> from dutygraph import example_path, read_workplan
>>> rows = document_rows(read_workplan(example_path()))
>>> len(rows.tasks), len(rows.edges["LEADS"]), len(rows.units)
(23, 17, 31)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx

from dutygraph.errors import StoreError
from dutygraph.graph.build import REL_TYPES
from dutygraph.graph.records import Assignment, Document

__all__ = [
    "CONSTRAINTS",
    "DocumentRows",
    "PushSummary",
    "derived_assignments",
    "document_rows",
    "ensure_constraints",
    "neo4j_errors",
    "push_documents",
    "unit_kinds",
]

CONSTRAINTS = (
    "CREATE CONSTRAINT dutygraph_unit_name IF NOT EXISTS FOR (u:Unit) REQUIRE u.name IS UNIQUE",
    "CREATE CONSTRAINT dutygraph_task_uid IF NOT EXISTS FOR (t:Task) REQUIRE t.uid IS UNIQUE",
    "CREATE CONSTRAINT dutygraph_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
    "CREATE INDEX dutygraph_task_doc IF NOT EXISTS FOR (t:Task) ON (t.doc_id)",
)

_ALREADY_EXISTS = (
    "EquivalentSchemaRuleAlreadyExists",
    "ConstraintAlreadyExists",
    "IndexAlreadyExists",
)
_LOAD_HASH = "MATCH (d:Document {id: $id}) RETURN d.load_hash AS load_hash"
_OLD_UNITS = "MATCH (u:Unit)-[]->(t:Task {doc_id: $id}) RETURN collect(DISTINCT u.name) AS names"
_DELETE_TASKS = "MATCH (t:Task {doc_id: $id}) DETACH DELETE t"
_MERGE_DOCUMENT = "MERGE (d:Document {id: $id}) SET d += $props"
_CREATE_TASKS = (
    "UNWIND $rows AS row MATCH (d:Document {id: $id}) "
    "CREATE (t:Task) SET t = row CREATE (t)-[:IN]->(d)"
)
_MERGE_UNITS = (
    "UNWIND $rows AS row MERGE (u:Unit {name: row.name}) "
    "SET u.kind = CASE WHEN row.kind = 'unknown' THEN coalesce(u.kind, row.kind) "
    "ELSE row.kind END, u.collective = row.collective"
)
_CREATE_EDGES = {
    "LEADS": "UNWIND $rows AS row MATCH (u:Unit {name: row.unit}) MATCH (t:Task {uid: row.uid}) "
    "CREATE (u)-[r:LEADS]->(t) SET r = row.props",
    "SUPPORTS": "UNWIND $rows AS row MATCH (u:Unit {name: row.unit}) "
    "MATCH (t:Task {uid: row.uid}) CREATE (u)-[r:SUPPORTS]->(t) SET r = row.props",
    "RESPONSIBLE_FOR": "UNWIND $rows AS row MATCH (u:Unit {name: row.unit}) "
    "MATCH (t:Task {uid: row.uid}) CREATE (u)-[r:RESPONSIBLE_FOR]->(t) SET r = row.props",
}
_DELETE_ORPHANS = "UNWIND $names AS name MATCH (u:Unit {name: name}) WHERE NOT (u)--() DELETE u"

Row = dict[str, Any]


@dataclass
class PushSummary:
    """Counters of a push, summed over documents.

    >>> s = PushSummary(documents=1, nodes_created=3)
    >>> s.as_dict()["nodes_created"]
    3
    """

    documents: int = 0
    documents_unchanged: int = 0
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0

    def add(self, counters: Any) -> None:
        """Add a Neo4j ``SummaryCounters``."""
        for name in (
            "nodes_created",
            "nodes_deleted",
            "relationships_created",
            "relationships_deleted",
            "properties_set",
        ):
            setattr(self, name, getattr(self, name) + getattr(counters, name))

    def as_dict(self) -> dict[str, int]:
        """The counters as a plain dict (for ``--json``)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class DocumentRows:
    """What one document writes: its properties, task rows, unit rows and edge rows by type."""

    doc_id: str
    props: Row
    tasks: list[Row]
    units: list[Row]
    edges: dict[str, list[Row]] = field(default_factory=dict)

    def load_hash(self) -> str:
        """A hash of every row, to tell an unchanged document from a changed one."""
        payload = json.dumps(
            [self.props, self.tasks, self.units, self.edges], ensure_ascii=False, sort_keys=True
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _edge_row(uid: str, doc_id: str, a: Assignment) -> Row:
    return {
        "unit": a.unit,
        "uid": uid,
        "props": {
            "doc_id": doc_id,
            "as_written": a.as_written,
            "span_start": a.span[0],
            "span_end": a.span[1],
            "clause": a.clause,
            "via": a.via,
        },
    }


def document_rows(
    doc: Document,
    derived: Iterable[tuple[str, Assignment]] = (),
    kinds: Mapping[str, str] | None = None,
) -> DocumentRows:
    """The rows one document writes; ``derived`` adds (task uid, assignment) pairs such as edges
    from expanded collectives (their ``via`` set), ``kinds`` the kinds of units the document
    itself does not name (see :func:`unit_kinds`)."""
    props = {
        "title": doc.title,
        "issuer": doc.issuer,
        "date": doc.date,
        "doc_no": doc.doc_no,
        "source": doc.source,
        "sha256": doc.sha256,
    }
    tasks = [
        {
            "uid": t.uid,
            "doc_id": doc.id,
            "number": t.number,
            "section": t.section,
            "section_title": t.section_title,
            "title": t.title,
            "text": t.text,
        }
        for t in doc.tasks
    ]
    kinds = {**(kinds or {}), **{u.name: u.kind for u in doc.units}}
    units: dict[str, Row] = {}
    edges: dict[str, list[Row]] = {rel: [] for rel in REL_TYPES.values()}
    seen: set[tuple[str, str, str, str | None]] = set()
    pairs = [(t.uid, a) for t in doc.tasks for a in t.assignments]
    for uid, a in [*pairs, *derived]:
        rel = REL_TYPES[a.role]
        if (a.unit, uid, rel, a.via) in seen:
            continue
        seen.add((a.unit, uid, rel, a.via))
        edges[rel].append(_edge_row(uid, doc.id, a))
        units.setdefault(
            a.unit,
            {"name": a.unit, "kind": kinds.get(a.unit, "unknown"), "collective": a.collective},
        )
    return DocumentRows(doc.id, props, tasks, list(units.values()), edges)


def unit_kinds(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each unit's kind (party, government, …) in a graph."""
    return {
        d["name"]: d.get("unit_kind", "unknown")
        for _, d in graph.nodes(data=True)
        if d.get("kind") == "unit"
    }


def derived_assignments(graph: nx.MultiDiGraph, doc_id: str) -> list[tuple[str, Assignment]]:
    """The derived edges (``via`` set, e.g. from expanded collectives) of one document in a
    graph, as (task uid, assignment) pairs for :func:`document_rows`."""
    pairs = []
    for u, t, data in graph.edges(data=True):
        if data.get("via") is None or data.get("doc_id") != doc_id or "role" not in data:
            continue
        unit = graph.nodes[u]
        a = Assignment(
            unit=unit["name"],
            as_written=data["as_written"],
            role=data["role"],
            collective=bool(unit.get("collective")),
            span=(data["span_start"], data["span_end"]),
            clause=data["clause"],
            via=data["via"],
        )
        pairs.append((graph.nodes[t]["uid"], a))
    return sorted(pairs, key=lambda p: (p[0], p[1].unit, p[1].role, p[1].via or ""))


def ensure_constraints(driver: Any, database: str | None = None) -> None:
    """Create the uniqueness constraints and the task index (idempotent).

    Raises :class:`StoreError` when the server is older than Neo4j 5.
    """
    agent = driver.get_server_info().agent or ""
    version = agent.split("/", 1)[-1]
    major = version.split(".", 1)[0]
    if major.isdigit() and int(major) < 5:
        raise StoreError(
            f"{agent} is too old for dutygraph's constraints",
            hint="use Neo4j 5 or later (tools/neo4j/serve starts one)",
        )
    from neo4j.exceptions import ClientError

    with driver.session(database=database, notifications_min_severity="OFF") as session:
        for statement in CONSTRAINTS:
            try:
                session.run(statement).consume()
            except ClientError as exc:
                # Another process created the same rule between our check and our create.
                if not (exc.code or "").endswith(_ALREADY_EXISTS):
                    raise


def _batches(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _write_document(tx: Any, rows: DocumentRows, batch_size: int) -> tuple[bool, list[Any]]:
    """The body of one document's transaction; returns (changed, counters)."""
    digest = rows.load_hash()
    record = tx.run(_LOAD_HASH, id=rows.doc_id).single()
    if record is not None and record["load_hash"] == digest:
        return False, []
    counters = []
    old_units = tx.run(_OLD_UNITS, id=rows.doc_id).single()["names"]
    counters.append(tx.run(_DELETE_TASKS, id=rows.doc_id).consume().counters)
    props = {**rows.props, "load_hash": digest}
    counters.append(tx.run(_MERGE_DOCUMENT, id=rows.doc_id, props=props).consume().counters)
    for batch in _batches(rows.units, batch_size):
        counters.append(tx.run(_MERGE_UNITS, rows=list(batch)).consume().counters)
    for batch in _batches(rows.tasks, batch_size):
        counters.append(tx.run(_CREATE_TASKS, rows=list(batch), id=rows.doc_id).consume().counters)
    for rel, edge_rows in rows.edges.items():
        for batch in _batches(edge_rows, batch_size):
            counters.append(tx.run(_CREATE_EDGES[rel], rows=list(batch)).consume().counters)
    counters.append(tx.run(_DELETE_ORPHANS, names=old_units).consume().counters)
    return True, counters


def push_documents(
    driver: Any,
    documents: Iterable[DocumentRows],
    *,
    database: str | None = None,
    batch_size: int = 1000,
    progress: Callable[[DocumentRows], None] | None = None,
) -> PushSummary:
    """Write documents (as :func:`document_rows`) to Neo4j, one transaction each.

    Constraints are ensured first. An unchanged document is skipped and counted in
    ``documents_unchanged``. A failure raises (the failed document's transaction is rolled
    back; documents written before it stay written).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ensure_constraints(driver, database)
    summary = PushSummary()
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        for rows in documents:
            changed, counters = session.execute_write(_write_document, rows, batch_size)
            summary.documents += 1
            if not changed:
                summary.documents_unchanged += 1
            for c in counters:
                summary.add(c)
            if progress is not None:
                progress(rows)
    return summary


@contextlib.contextmanager
def neo4j_errors(uri: str, database: str | None = None) -> Iterator[None]:
    """Turn the driver's errors into one-line :class:`StoreError` messages (no password)."""
    from neo4j import exceptions as ex

    db = database or "the default database"
    try:
        yield
    except ex.AuthError as exc:
        raise StoreError(
            f"Neo4j at {uri} refused the user name or password",
            hint="check --user/--password or NEO4J_USERNAME/NEO4J_PASSWORD",
        ) from exc
    except ex.ServiceUnavailable as exc:
        raise StoreError(
            f"cannot reach Neo4j at {uri}",
            hint="start it (tools/neo4j/serve) or check --uri/NEO4J_URI",
        ) from exc
    except ex.ConfigurationError as exc:
        raise StoreError(f"bad Neo4j connection settings for {uri}: {exc}") from exc
    except ex.ClientError as exc:
        code = exc.code or ""
        if code.endswith("DatabaseNotFound"):
            raise StoreError(
                f"database {db} does not exist on {uri}",
                hint="check --database/NEO4J_DATABASE",
            ) from exc
        if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or "Write" in code:
            raise StoreError(
                "this command only reads; the query tried to write",
                hint="use dutygraph push to change the graph",
            ) from exc
        raise StoreError(f"Neo4j refused the query: {exc.message}", hint=code) from exc
    except ex.Neo4jError as exc:
        raise StoreError(f"Neo4j failed: {exc.message}", hint=exc.code) from exc
    except ex.DriverError as exc:
        raise StoreError(f"Neo4j driver failed: {exc}") from exc
