"""Push documents into Neo4j: constraints first, then one write transaction per document.

What is written: ``(:Document {id, title, issuer, date, doc_no, source, sha256, load_hash})``,
``(:Task {uid, doc_id, number, section, section_title, title, text, deadline, due, leader})``
with ``(:Task)-[:IN]->(:Document)``, ``(:Unit {name, kind, collective})`` and the assignment
edges ``(:Unit)-[:LEADS|SUPPORTS|RESPONSIBLE_FOR {doc_id, as_written, span_start, span_end,
clause, via}]->(:Task)``. A task's ``deadline`` and ``leader`` are as written, ``due`` is an
ISO date string (``'2024-06-30'``, so it compares as text) or ``'ongoing'``; a property the
plan does not give is absent (null), as is ``via`` on a direct edge.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx

from dutygraph.errors import StoreError
from dutygraph.extras import require
from dutygraph.graph.build import REL_TYPES
from dutygraph.graph.records import Assignment, Document, Task

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
    # Only edges derived from collectives have a via: overload finds them through these.
    "CREATE INDEX dutygraph_leads_via IF NOT EXISTS FOR ()-[r:LEADS]-() ON (r.via)",
    "CREATE INDEX dutygraph_supports_via IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.via)",
    "CREATE INDEX dutygraph_responsible_via IF NOT EXISTS FOR ()-[r:RESPONSIBLE_FOR]-() ON (r.via)",
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
# The same steps for a group of documents in one transaction (push_documents with
# docs_per_transaction > 1): every statement covers all of the group's changed documents.
_LOAD_HASHES = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.load_hash AS load_hash"
)
_OLD_UNITS_MANY = (
    "UNWIND $ids AS id MATCH (u:Unit)-[]->(t:Task {doc_id: id}) "
    "RETURN collect(DISTINCT u.name) AS names"
)
_DELETE_TASKS_MANY = "UNWIND $ids AS id MATCH (t:Task {doc_id: id}) DETACH DELETE t"
_MERGE_DOCUMENTS = "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d += row.props"
_CREATE_TASKS_MANY = (
    "UNWIND $rows AS row MATCH (d:Document {id: row.doc_id}) "
    "CREATE (t:Task) SET t = row CREATE (t)-[:IN]->(d)"
)
# Edges of a group, compact: one row per task ([uid, [[unit, as_written, span_start, span_end,
# clause index, via], ...]]) and each clause text once ($clauses): a third of the bytes to
# encode and one task lookup per task. The properties set are those of _CREATE_EDGES (doc_id
# is the task's, as in document_rows).
# Properties inline in CREATE (a fifth faster than SET r = {...}); a null via is not stored,
# as with SET.
_EDGE_PROPS = (
    "{doc_id: t.doc_id, as_written: e[1], span_start: e[2], span_end: e[3], "
    "clause: $clauses[e[4]], via: e[5]}"
)
_CREATE_EDGES_MANY = {
    rel: "UNWIND $rows AS row MATCH (t:Task {uid: row[0]}) UNWIND row[1] AS e "
    f"MATCH (u:Unit {{name: e[0]}}) CREATE (u)-[r:{rel} {_EDGE_PROPS}]->(t)"
    for rel in ("LEADS", "SUPPORTS", "RESPONSIBLE_FOR")
}

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


def _task_row(doc_id: str, t: Task) -> Row:
    """A task's properties; ``deadline``, ``due`` and ``leader`` only when the plan gives them
    (Neo4j stores no null, and a document without them keeps the load hash it had before)."""
    row: Row = {
        "uid": t.uid,
        "doc_id": doc_id,
        "number": t.number,
        "section": t.section,
        "section_title": t.section_title,
        "title": t.title,
        "text": t.text,
    }
    for key in _TASK_ATTRIBUTES:
        value = getattr(t, key)
        if value is not None:
            row[key] = value
    return row


_TASK_ATTRIBUTES = ("deadline", "due", "leader")


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
    tasks = [_task_row(doc.id, t) for t in doc.tasks]
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


def _unit_rows(groups: Iterable[list[Row]]) -> list[Row]:
    """The unit rows of several documents, in order, without repeats: a later copy of a row
    sets what the earlier one would, so only the last copy of each is kept."""
    last: dict[tuple[Any, ...], int] = {}
    rows = [row for g in groups for row in g]
    for i, row in enumerate(rows):
        last[(row["name"], row["kind"], row["collective"])] = i
    return [rows[i] for i in sorted(last.values())]


@dataclass
class _GroupWrite:
    """What one group's transaction sends, prepared before it starts (see push_documents)."""

    group: Sequence[DocumentRows]
    digests: list[str]
    docs: list[Row]
    units: list[Row]
    tasks: list[Row]
    edges: dict[str, list[tuple[list[list[Any]], list[str]]]]


def _prepare(
    group: Sequence[DocumentRows], batch_size: int, digests: list[str] | None = None
) -> _GroupWrite:
    digests = digests if digests is not None else [rows.load_hash() for rows in group]
    edges: dict[str, list[tuple[list[list[Any]], list[str]]]] = {}
    for rel in _CREATE_EDGES_MANY:
        rows = [e for g in group for e in g.edges.get(rel, [])]
        edges[rel] = [_compact_edges(batch) for batch in _batches(rows, batch_size)]
    return _GroupWrite(
        group,
        digests,
        [
            {"id": g.doc_id, "props": {**g.props, "load_hash": d}}
            for g, d in zip(group, digests, strict=True)
        ],
        _unit_rows(g.units for g in group),
        [t for g in group for t in g.tasks],
        edges,
    )


def _write_group(tx: Any, prepared: _GroupWrite, batch_size: int) -> tuple[list[bool], list[Any]]:
    """The body of one transaction over several documents; returns (changed per document,
    counters). Each document ends up exactly as :func:`_write_document` would leave it."""
    group, digests = prepared.group, prepared.digests
    stored = {r["id"]: r["load_hash"] for r in tx.run(_LOAD_HASHES, ids=[g.doc_id for g in group])}
    changed = [stored.get(g.doc_id) != d for g, d in zip(group, digests, strict=True)]
    if not any(changed):
        return changed, []
    if not all(changed):  # write only the changed ones
        todo = [(g, d) for g, d, c in zip(group, digests, changed, strict=True) if c]
        prepared = _prepare([g for g, _ in todo], batch_size, [d for _, d in todo])
    ids = [g.doc_id for g in prepared.group]
    counters = []
    old_units = tx.run(_OLD_UNITS_MANY, ids=ids).single()["names"]
    counters.append(tx.run(_DELETE_TASKS_MANY, ids=ids).consume().counters)
    for batch in _batches(prepared.docs, batch_size):
        counters.append(tx.run(_MERGE_DOCUMENTS, rows=list(batch)).consume().counters)
    for batch in _batches(prepared.units, batch_size):
        counters.append(tx.run(_MERGE_UNITS, rows=list(batch)).consume().counters)
    for batch in _batches(prepared.tasks, batch_size):
        counters.append(tx.run(_CREATE_TASKS_MANY, rows=list(batch)).consume().counters)
    for rel, statement in _CREATE_EDGES_MANY.items():
        for by_task, clauses in prepared.edges[rel]:
            counters.append(tx.run(statement, rows=by_task, clauses=clauses).consume().counters)
    counters.append(tx.run(_DELETE_ORPHANS, names=old_units).consume().counters)
    return changed, counters


def _compact_edges(rows: Sequence[Row]) -> tuple[list[list[Any]], list[str]]:
    """Edge rows as :data:`_CREATE_EDGES_MANY` takes them: grouped by task, in order, with
    each clause text listed once."""
    clauses: dict[str, int] = {}
    by_task: dict[str, list[list[Any]]] = {}
    for row in rows:
        p = row["props"]
        at = clauses.setdefault(p["clause"], len(clauses))
        edge = [row["unit"], p["as_written"], p["span_start"], p["span_end"], at, p["via"]]
        by_task.setdefault(row["uid"], []).append(edge)
    return [[uid, edges] for uid, edges in by_task.items()], list(clauses)


def _groups(
    documents: Iterable[DocumentRows], size: int, max_rows: int
) -> Iterator[list[DocumentRows]]:
    """Documents in groups of at most ``size`` (fewer once ``max_rows`` edges are reached),
    never two with the same id in one group."""
    group: list[DocumentRows] = []
    ids: set[str] = set()
    edges = 0
    for rows in documents:
        if group and (rows.doc_id in ids or len(group) >= size or edges >= max_rows):
            yield group
            group, ids, edges = [], set(), 0
        group.append(rows)
        ids.add(rows.doc_id)
        edges += sum(len(e) for e in rows.edges.values())
    if group:
        yield group


def push_documents(
    driver: Any,
    documents: Iterable[DocumentRows],
    *,
    database: str | None = None,
    batch_size: int = 1000,
    progress: Callable[[DocumentRows], None] | None = None,
    docs_per_transaction: int = 1,
) -> PushSummary:
    """Write documents (as :func:`document_rows`) to Neo4j, one transaction each.

    Constraints are ensured first. An unchanged document is skipped and counted in
    ``documents_unchanged``. A failure raises (the failed document's transaction is rolled
    back; documents written before it stay written).

    ``docs_per_transaction`` > 1 writes up to that many documents per transaction (fewer when
    they hold more than ten batches of edges), with every statement covering the whole group:
    much faster for many small documents. Each document is still written whole or not at all
    (a group commits or rolls back as one, and is retried as one after a transient failure);
    what a failure leaves written is then the groups before the failed one. The graph written
    is the same; ``properties_set`` may count fewer, as a unit named by several documents of a
    group is set once.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if docs_per_transaction < 1:
        raise ValueError("docs_per_transaction must be at least 1")
    ensure_constraints(driver, database)
    summary = PushSummary()
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        if docs_per_transaction == 1:
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
        # The next group is prepared (hashes, compact rows) in a thread while the server
        # writes this one: the main thread then mostly waits on the socket.
        with ThreadPoolExecutor(max_workers=1) as ahead:
            groups = _groups(documents, docs_per_transaction, batch_size * 10)
            coming = next((ahead.submit(_prepare, g, batch_size) for g in groups), None)
            while coming is not None:
                prepared = coming.result()
                coming = next((ahead.submit(_prepare, g, batch_size) for g in groups), None)
                flags, counters = session.execute_write(_write_group, prepared, batch_size)
                summary.documents += len(prepared.group)
                summary.documents_unchanged += flags.count(False)
                for c in counters:
                    summary.add(c)
                if progress is not None:
                    for rows in prepared.group:
                        progress(rows)
    return summary


@contextlib.contextmanager
def neo4j_errors(uri: str, database: str | None = None) -> Iterator[None]:
    """Turn the driver's errors into one-line :class:`StoreError` messages (no password)."""
    ex = require("neo4j.exceptions", "neo4j")

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
