"""Measure dutygraph at scale, side by side, in one run; see BENCHMARKS.md for the figures.

    python benchmarks/run.py [--quick | --smoke] [--json] [--sizes 10000 100000 1000000]
    python benchmarks/run.py [--quick] --only loaders --json    # just the loaders side by side

What it measures (on a corpus from :mod:`benchmarks.corpus`, written to ``--workdir``):

- parsing: MB/s and documents/s on one core and on all cores, next to a plain regex baseline
  that reads only labelled clauses (and how many of the expected assignments each finds);
- ingesting the corpus (``dutygraph ingest``: files/s, first run and unchanged re-run) and, in a
  full run, a directory of 100,000 small files;
- graph building (assignments/s) and peak RSS at each size, each in a fresh process;
- every catalog query's latency in memory and in Neo4j at each size (in Neo4j also split into
  the server's part, preparing parameters, fetching rows and the finish step);
- loading Neo4j: relationships/s of our loader (documents grouped per transaction, and one per
  document) against a row-by-row MERGE loader and against the loader people would otherwise
  use, neo4j-graphrag's KG writer (the ``bench`` extra; its graph is checked to be push's), on
  the same 100 documents in every mode, and the ratios; and what the server alone can write
  (its "write floor", no client involved);
- map generation time and file size at 200 / 2,000 / 20,000 nodes; and, in headless Chromium,
  a map of the generated plans (3,054 nodes; the full run also 20,000): file opened → drawn and
  idle, click a unit → highlighted, search a unit (``map_3k_*``, ``map_20k_ready_s``); with
  ``--sigma DIR`` the same graph drawn whole by sigma.js, for comparison.

Neo4j: ``NEO4J_URI`` (with ``NEO4J_USERNAME``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``) names a
server — **its graph is wiped**, as the tests do — else ``tools/neo4j/serve`` is started on a free
port with ``--page-cache 2g`` and ``NEO4J_SERVE_JAVA_OPTS="-XX:TieredStopAtLevel=4 -Xmx4g"``
(unless set). ``--no-neo4j``
skips those figures. Times are wall-clock; the load average is recorded at the start and end,
since other work on the machine slows every figure.

With ``--json`` one JSON object is printed on stdout (headline keys first, then ``details``);
progress goes to stderr.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_corpus  # noqa: E402

# The loaders are compared on the same first documents in --quick and in the full run, enough
# that the grouped push is not dominated by its fixed costs per call (on 8 documents --quick
# gave 6.5-11.4x against row by row, the full run 24.9x on 200).
LOADER_SAMPLE_DOCS = 100
MODES: dict[str, dict[str, Any]] = {
    "smoke": {
        "sizes": [2_000],
        "parse_docs": 20,
        "map_nodes": [200],
        "browser_map_nodes": [],
        "row_by_row_docs": 2,
        "ingest_small_files": 0,
    },
    "quick": {
        "sizes": [10_000, 50_000],
        "parse_docs": 300,
        "map_nodes": [200, 2_000],
        "browser_map_nodes": [3_054],
        "row_by_row_docs": LOADER_SAMPLE_DOCS,
        "ingest_small_files": 0,
    },
    "full": {
        "sizes": [10_000, 100_000, 1_000_000],
        "parse_docs": 2_000,
        "map_nodes": [200, 2_000, 20_000],
        "browser_map_nodes": [3_054, 20_000],
        "row_by_row_docs": LOADER_SAMPLE_DOCS,
        "ingest_small_files": 100_000,
    },
}
DOCS_PER_TRANSACTION = 100
GROUPED_REPEATS = 3  # runs of push grouped in each round of bench_loaders
PEER_SIZE = 100_000  # assignments written by push and by the peer, side by side, at most
PAGE_CACHE = "2g"  # of the Neo4j that run.py starts
QUERY_PARAMS: dict[str, dict[str, Any]] = {  # unit names: the corpus names them all
    "tasks-of": {"unit": "市教育局"},
    "units-of": {"task": ""},  # the first task of the corpus, filled in at run time
    "unit-profile": {"unit": "市民政局"},
    "gaps": {},
    "overload": {},
    "partners": {"unit": "团市委"},
    "brokers": {},
    "sections": {},
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
        java_version = java.splitlines()[0] if java else None
    except OSError:
        java_version = None
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "java": java_version,
    }


def _load() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


# --------------------------------------------------------------------------- parsing

_BASELINE_LABELS = "牵头单位|牵头部门|配合单位|配合部门|责任单位|责任部门|协办单位|参与单位"
_BASELINE_RE = re.compile(
    rf"({_BASELINE_LABELS})\s*[:：]\s*((?:(?!{_BASELINE_LABELS})[^；;（）()\n。])*)"
)
_BASELINE_SPLIT = re.compile(r"[、，,\s]+")
_BASELINE_ROLE = {
    "牵": "lead",
    "配": "support",
    "协": "support",
    "参": "support",
    "责": "responsible",
}


def regex_baseline(text: str) -> list[tuple[str, str]]:
    """The plain baseline: (role, name as written) from labelled clauses only, no structure,
    no unlabelled forms, no first-listed rule, no collectives kept whole."""
    out = []
    for m in _BASELINE_RE.finditer(text):
        role = _BASELINE_ROLE[m.group(1)[0]]
        out += [(role, n) for n in _BASELINE_SPLIT.split(m.group(2)) if n]
    return out


def _parse_chunk(texts: list[str]) -> int:
    from dutygraph import parse_workplan

    return sum(len(parse_workplan(t, doc_id="d").assignments) for t in texts)


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """The best of ``repeat`` runs: (wall seconds, CPU seconds of this process)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def _parse_child(corpus: str, n_docs: str) -> None:
    """In a fresh process (a small heap, as in an ingest worker): parse ``n_docs`` documents
    once each, after warming up on others; the regex baseline on the same texts; then the same
    documents on all cores."""
    from dutygraph import parse_workplan

    n = int(n_docs)
    files = sorted(Path(corpus).glob("plan_*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files[: n + 40]]
    warm, texts = texts[n:], texts[:n]
    size = sum(len(t.encode("utf-8")) for t in texts)
    for t in warm:
        parse_workplan(t, doc_id="warm")
    one, one_cpu = _best(lambda: [parse_workplan(t, doc_id="d") for t in texts], 1)
    base, base_cpu = _best(lambda: [regex_baseline(t) for t in texts], 3)
    cores = os.cpu_count() or 1
    chunks = [texts[i : i + 25] for i in range(0, len(texts), 25)]
    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_parse_chunk, [warm[k::cores] for k in range(cores)]))  # start, warm up
        start = time.perf_counter()
        list(pool.map(_parse_chunk, chunks))
        allc = time.perf_counter() - start
    result = {
        "documents": len(texts),
        "megabytes": round(size / 1e6, 2),
        "one_core_mb_per_s": round(size / one_cpu / 1e6, 2),
        "one_core_docs_per_s": round(len(texts) / one_cpu, 1),
        "one_core_wall_mb_per_s": round(size / one / 1e6, 2),
        "all_cores_mb_per_s": round(size / allc / 1e6, 2),
        "all_cores_docs_per_s": round(len(texts) / allc, 1),
        "cores": cores,
        "baseline_mb_per_s": round(size / base_cpu / 1e6, 2),
        "baseline_wall_mb_per_s": round(size / base / 1e6, 2),
        "speedup_vs_baseline": round(base_cpu / one_cpu, 3),
    }
    print(json.dumps(result))


def parse_recall(corpus: Path, n_docs: int, expected: dict[str, set[Any]]) -> dict[str, Any]:
    """How many of the generator's expected (unit, role) pairs per document each finds."""
    from dutygraph import parse_workplan
    from dutygraph.graph.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    ours_ok = base_found = base_ok = total = exact = 0
    files = sorted(corpus.glob("plan_*.txt"))[:n_docs]
    for f in files:
        text = f.read_text(encoding="utf-8")
        want = expected.get(f.stem, set())
        doc = parse_workplan(text, doc_id=f.stem)
        got = {(a.unit, a.role) for a in doc.assignments}
        ours_ok += len(want & got)
        exact += got == want
        b = {(gaz.resolve(n).name, r) for r, n in regex_baseline(text)}
        base_found += len(b)
        base_ok += len(want & b)
        total += len(want)
    return {
        "documents": len(files),
        "recall_ours": round(ours_ok / total, 4) if total else None,
        "documents_exact_ours": exact,
        "recall_baseline": round(base_ok / total, 4) if total else None,
        "precision_baseline": round(base_ok / base_found, 4) if base_found else None,
    }


def read_expected(corpus: Path) -> dict[str, set[Any]]:
    out: dict[str, set[Any]] = {}
    with open(corpus / "expected.jsonl", encoding="utf-8") as fh:
        for line in fh:
            e = json.loads(line)
            out.setdefault(e["doc"], set()).add((e["unit"], e["role"]))
    return out


# --------------------------------------------------------------------------- ingest


def bench_ingest(files_dir: Path, cache: Path) -> dict[str, Any]:
    from dutygraph.extract.ingest import ingest

    start = time.perf_counter()
    first = ingest([files_dir], cache)
    t1 = time.perf_counter() - start
    start = time.perf_counter()
    again = ingest([files_dir], cache)
    t2 = time.perf_counter() - start
    n = first.read
    return {
        "files": n,
        "first_s": round(t1, 2),
        "first_files_per_s": round(n / t1, 1),
        "unchanged_s": round(t2, 2),
        "unchanged_files_per_s": round(n / t2, 1),
        "first": first.counts(),
        "unchanged": again.counts(),
        "assignments": first.assignments,
        "cache_mb": round(sum(f.stat().st_size for f in cache.rglob("*.json")) / 1e6, 1),
    }


def _ingest_child(files_dir: str, cache: str) -> None:
    """In a fresh process: ingest and report the main process's peak RSS."""
    result = bench_ingest(Path(files_dir), Path(cache))
    result["main_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


# --------------------------------------------------------------------------- build + queries


def _docs_upto(cache: Path, assignments: int) -> Iterator[Any]:
    from dutygraph.extract.ingest import load_cached

    n = 0
    for doc in load_cached(cache):
        if n >= assignments:
            return
        n += len(doc.assignments)
        yield doc


def _rss_now_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _build_child(cache: str, assignments: str, queries: str) -> None:
    """In a fresh process: load documents, build the graph, time it and the queries."""
    from dutygraph import build_graph
    from dutygraph.queries import run_query

    start = time.perf_counter()
    docs = list(_docs_upto(Path(cache), int(assignments)))
    load_s = time.perf_counter() - start
    n_asg = sum(len(d.assignments) for d in docs)
    rss_docs = _rss_now_mb()
    start = time.perf_counter()
    graph = build_graph(docs)
    build_s = time.perf_counter() - start
    out: dict[str, Any] = {
        "documents": len(docs),
        "assignments": n_asg,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "load_s": round(load_s, 2),
        "build_s": round(build_s, 2),
        "assignments_per_s": round(n_asg / build_s),
        "rss_after_load_mb": round(rss_docs),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "queries_s": {},
    }
    if queries == "1":
        for name, params in query_params(docs[0].tasks[0].uid).items():
            start = time.perf_counter()
            rows = run_query(name, graph, params)
            out["queries_s"][name] = round(time.perf_counter() - start, 3)
            out["queries_s"][name + ":rows"] = len(rows)
        out["peak_rss_with_queries_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
    print(json.dumps(out))


def _map_child(cache: str, nodes: str) -> None:
    """In a fresh process: a graph of about ``nodes`` nodes, rendered as a map."""
    from dutygraph import build_graph
    from dutygraph.extract.ingest import load_cached
    from dutygraph.views.maps import render_map

    docs: list[Any] = []
    units: set[str] = set()
    tasks = 0
    for doc in load_cached(Path(cache)):
        docs.append(doc)
        tasks += len(doc.tasks)
        units.update(u.name for u in doc.units)
        if len(docs) + tasks + len(units) >= int(nodes):
            break
    graph = build_graph(docs)
    start = time.perf_counter()
    page = render_map(graph)
    t = time.perf_counter() - start
    print(
        json.dumps(
            {
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "seconds": round(t, 2),
                "html_mb": round(len(page.encode("utf-8")) / 1e6, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def child(kind: str, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run ``_<kind>_child(*args)`` in a fresh Python process and return its JSON."""
    code = f"from benchmarks.run import _{kind}_child as f; import sys; f(*sys.argv[1:])"
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} child failed: {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- Neo4j


_WIPE = (
    "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS",
)


class Neo4j:
    """A driver on the server of ``NEO4J_URI``, or on one we start (and stop)."""

    def __init__(self, data: Path) -> None:
        import neo4j

        from tests.neo4j_server import external_server, start_server

        self.server = external_server()
        self.ours = self.server is None
        if self.server is None:
            os.environ.setdefault("NEO4J_SERVE_JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Xmx4g")
            start = time.perf_counter()
            # The 1M store is about 600 MB: a page cache that holds it, as a server for a
            # province's archive would have.
            self.server = start_server(data, extra=["--page-cache", PAGE_CACHE])
            self.start_s = round(time.perf_counter() - start, 1)
        else:
            self.start_s = 0.0
        self.database = self.server.database
        self.driver = neo4j.GraphDatabase.driver(
            self.server.uri,
            auth=(self.server.user, self.server.password),
            notifications_min_severity="OFF",
        )
        self.driver.verify_connectivity()

    def wipe(self) -> None:
        from dutygraph.loaders.push import ensure_constraints

        ensure_constraints(self.driver, self.database)
        # Relationships first, then nodes: detaching a unit node with 100,000 relationships in
        # one batch exceeds the server's transaction memory.
        with self.driver.session(database=self.database) as s:
            for statement in _WIPE:
                s.run(statement).consume()

    def close(self) -> None:
        self.driver.close()
        if self.ours and self.server is not None:
            self.server.stop()


def _rows_for(cache: Path, upto: int, start_after: int = 0) -> list[Any]:
    from dutygraph.loaders.push import document_rows

    rows, n = [], 0
    for doc in _docs_upto(cache, upto):
        if n >= start_after:
            rows.append(document_rows(doc))
        n += len(doc.assignments)
    return rows


def _first_rows(cache: Path, count: int) -> list[Any]:
    from dutygraph.extract.ingest import load_cached
    from dutygraph.loaders.push import document_rows

    return [document_rows(doc) for doc in itertools.islice(load_cached(cache), count)]


def _rels(rows: Sequence[Any]) -> int:
    return sum(len(e) for r in rows for e in r.edges.values())


_ROW_NODE = {
    "doc": "MERGE (d:Document {id: $id}) SET d += $props",
    "task": "MATCH (d:Document {id: $doc}) MERGE (t:Task {uid: $uid}) SET t += $props "
    "MERGE (t)-[:IN]->(d)",
    "unit": "MERGE (u:Unit {name: $name}) SET u.kind = $kind, u.collective = $collective",
}
_ROW_EDGE = {
    rel: f"MERGE (u:Unit {{name: $unit}}) MERGE (t:Task {{uid: $uid}}) "
    f"MERGE (u)-[r:{rel}]->(t) SET r += $props"
    for rel in ("LEADS", "SUPPORTS", "RESPONSIBLE_FOR")
}


def row_by_row(driver: Any, database: str | None, rows: Sequence[Any]) -> int:
    """The naive loader: one MERGE statement per row, each its own auto-commit transaction."""
    n = 0
    with driver.session(database=database) as s:
        for doc in rows:
            s.run(_ROW_NODE["doc"], id=doc.doc_id, props=doc.props).consume()
            for t in doc.tasks:
                s.run(_ROW_NODE["task"], doc=doc.doc_id, uid=t["uid"], props=t).consume()
            for u in doc.units:
                s.run(_ROW_NODE["unit"], **u).consume()
            for rel, edges in doc.edges.items():
                for e in edges:
                    c = s.run(_ROW_EDGE[rel], unit=e["unit"], uid=e["uid"], props=e["props"])
                    n += c.consume().counters.relationships_created
    return n


# --------------------------------------------------------------------------- the peer loader

# What people who do not use dutygraph would load the same graph with: neo4j-graphrag's KG
# writer (``pip install neo4j-graphrag``, the ``bench`` extra). Its relationship statement calls
# ``apoc.merge.relationship``, so the server needs APOC core (tools/neo4j bundles it). Its own
# bookkeeping: every node it writes also carries ``__KGBuilder__``, and each node not labelled
# ``Document`` (nor ``Chunk``) ``__Entity__``; a ``__tmp_internal_id`` property, removed at the
# end of its run; and the index ``__entity__tmp_internal_id``.
PEER_LABELS = frozenset({"__KGBuilder__", "__Entity__"})
# push's own bookkeeping, not part of the graph's schema: a document's hash of its rows.
PUSH_ONLY_PROPERTIES = frozenset({"load_hash"})


def peer_graph(rows: Sequence[Any]) -> Any:
    """The documents, tasks, units and edges that :func:`push_documents` writes for ``rows``
    (``DocumentRows``), as neo4j-graphrag's ``Neo4jGraph``: a unit named by several documents
    is one node whose properties are those push leaves (a later known kind wins over
    ``unknown``), and null properties are left out, as Neo4j stores none.

    >>> from dutygraph import example_path, read_workplan
    >>> from dutygraph.loaders.push import document_rows
    >>> g = peer_graph([document_rows(read_workplan(example_path()))])
    >>> len(g.nodes), len(g.relationships)
    (55, 144)
    >>> sorted({r.type for r in g.relationships})
    ['IN', 'LEADS', 'RESPONSIBLE_FOR', 'SUPPORTS']
    """
    from neo4j_graphrag.components.types import (
        Neo4jGraph,
        Neo4jNode,
        Neo4jRelationship,
    )

    def present(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if v is not None}

    nodes: list[Any] = []
    rels: list[Any] = []
    units: dict[str, dict[str, Any]] = {}
    for doc in rows:
        doc_node = f"doc:{doc.doc_id}"
        nodes.append(
            Neo4jNode(
                id=doc_node, label="Document", properties=present({"id": doc.doc_id, **doc.props})
            )
        )
        for task in doc.tasks:
            nodes.append(
                Neo4jNode(id=f"task:{task['uid']}", label="Task", properties=present(task))
            )
            rels.append(
                Neo4jRelationship(
                    start_node_id=f"task:{task['uid']}", end_node_id=doc_node, type="IN"
                )
            )
        for unit in doc.units:
            known = units.get(unit["name"])
            kind = unit["kind"]
            if kind == "unknown" and known is not None:
                kind = known["kind"]
            units[unit["name"]] = {**unit, "kind": kind}
        for rel, edges in doc.edges.items():
            for e in edges:
                rels.append(
                    Neo4jRelationship(
                        start_node_id=f"unit:{e['unit']}",
                        end_node_id=f"task:{e['uid']}",
                        type=rel,
                        properties=present(e["props"]),
                    )
                )
    nodes += [Neo4jNode(id=f"unit:{n}", label="Unit", properties=u) for n, u in units.items()]
    return Neo4jGraph(nodes=nodes, relationships=rels)


def peer_write(driver: Any, database: str | None, graph: Any) -> None:
    """Write ``graph`` with neo4j-graphrag's ``Neo4jWriter`` as its documentation shows (its
    default batch size, 1000); its ``FAILURE`` status raises here."""
    import asyncio

    from neo4j_graphrag.components.kg_writer import Neo4jWriter

    writer = Neo4jWriter(driver, neo4j_database=database)
    result = asyncio.run(writer.run(graph))
    if result.status != "SUCCESS":
        raise RuntimeError(f"neo4j-graphrag's writer failed: {result.metadata}")


def graph_snapshot(driver: Any, database: str | None) -> dict[str, Any]:
    """What a loader left in the database, without the peer's labels nor push's ``load_hash``:
    nodes per label, relationships per type, and a multiset of every node (labels, properties)
    and relationship (start key, type, properties, end key), as counts of JSON strings."""
    from collections import Counter

    def key(x: Any) -> str:
        return json.dumps(x, sort_keys=True, ensure_ascii=False)

    labels: Counter[str] = Counter()
    types: Counter[str] = Counter()
    nodes: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    with driver.session(database=database) as s:
        for rec in s.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
            names = sorted(set(rec["labels"]) - PEER_LABELS)
            labels.update(names)
            props = {k: v for k, v in rec["props"].items() if k not in PUSH_ONLY_PROPERTIES}
            nodes[key([names, props])] += 1
        for rec in s.run(
            "MATCH (a)-[r]->(b) RETURN coalesce(a.name, a.uid) AS a, type(r) AS type, "
            "properties(r) AS props, coalesce(b.uid, b.id) AS b"
        ):
            types[rec["type"]] += 1
            rels[key([rec["a"], rec["type"], rec["props"], rec["b"]])] += 1
    return {"labels": labels, "types": types, "nodes": nodes, "relationships": rels}


def snapshot_differences(ours: dict[str, Any], theirs: dict[str, Any], show: int = 3) -> list[str]:
    """What differs between two :func:`graph_snapshot` results, as short lines (none: equal).

    >>> from collections import Counter
    >>> a = {"labels": Counter(Unit=2), "types": Counter(), "nodes": Counter(x=2),
    ...      "relationships": Counter()}
    >>> b = {**a, "labels": Counter(Unit=1), "nodes": Counter(x=1)}
    >>> for line in snapshot_differences(a, b):
    ...     print(line)
    nodes per label: push {'Unit': 2}, peer {'Unit': 1}
    node only in push: x
    """
    out = []
    for part, what in (("labels", "nodes per label"), ("types", "relationships per type")):
        if ours[part] != theirs[part]:
            out.append(f"{what}: push {dict(ours[part])}, peer {dict(theirs[part])}")
    for part, what in (("nodes", "node"), ("relationships", "relationship")):
        out += [f"{what} only in push: {x}" for x in list(ours[part] - theirs[part])[:show]]
        out += [f"{what} only in peer: {x}" for x in list(theirs[part] - ours[part])[:show]]
    return out


def _peer_once(driver: Any, database: str | None, neo: Neo4j, sample: Sequence[Any]) -> list[float]:
    """One timed run of the peer on an emptied database: [seconds in all, of which converting
    the rows into its graph objects]."""
    neo.wipe()
    start = time.perf_counter()
    graph = peer_graph(sample)
    converted = time.perf_counter() - start
    peer_write(driver, database, graph)
    return [time.perf_counter() - start, converted]


def bench_loaders(
    neo: Neo4j, cache: Path, sample_docs: int, runs: int = 4, warmups: int = 4
) -> dict[str, Any]:
    """The loaders side by side on the same first ``sample_docs`` documents, each run on an
    emptied graph, in rounds so that all of them see the same load on a shared machine.

    First our push one document per transaction, once (after a warm-up on two other
    documents: the server plans each statement once after the graph was wiped). Then
    ``warmups`` rounds, not counted, of row by row on those two documents, our push grouped
    ``DOCS_PER_TRANSACTION`` documents per transaction and the peer (neo4j-graphrag's writer,
    with its own driver: it sets the driver's user agent) on the sample: the server's JIT
    makes the first runs of each 2-10x slower, the peer's for longer. Then ``runs`` rounds
    of: row by row on one of ``runs`` parts of the sample (the parts together are the sample,
    so its time is their sum), push grouped (``GROUPED_REPEATS`` times: a few tenths of a
    second each) and the peer on the whole sample; for these two the median counts.

    The graph the peer wrote is checked against the one the grouped push wrote: any
    difference raises.
    """
    import statistics

    import neo4j

    from dutygraph.loaders.push import push_documents

    assert neo.server is not None
    db = neo.database
    sample = _first_rows(cache, sample_docs + 2)
    sample, warm = sample[:sample_docs], sample[sample_docs:]
    if not sample:
        return {}
    n = _rels(sample)
    for dpt in (0, 1):  # 0: row by row
        neo.wipe()
        if dpt:
            push_documents(neo.driver, warm, database=db, docs_per_transaction=dpt)
        else:
            row_by_row(neo.driver, db, warm)
    neo.wipe()
    start = time.perf_counter()
    push_documents(neo.driver, sample, database=db)
    t_doc = time.perf_counter() - start
    parts = [sample[k::runs] for k in range(runs)]
    row_parts: list[float] = []
    created = 0
    grouped: list[float] = []
    peer: list[list[float]] = []
    pushed: dict[str, Any] = {}
    auth = (neo.server.user, neo.server.password)
    with neo4j.GraphDatabase.driver(
        neo.server.uri, auth=auth, notifications_min_severity="OFF"
    ) as driver:
        for round_ in range(warmups + runs):
            neo.wipe()
            if round_ < warmups:
                row_by_row(neo.driver, db, warm)
            else:
                start = time.perf_counter()
                created += row_by_row(neo.driver, db, parts[round_ - warmups])
                row_parts.append(time.perf_counter() - start)
            # push grouped takes a few tenths of a second, where a pause of the machine
            # weighs: GROUPED_REPEATS runs a round, the median of all counted runs counts
            for repeat in range(GROUPED_REPEATS):
                neo.wipe()
                start = time.perf_counter()
                push_documents(
                    neo.driver, sample, database=db, docs_per_transaction=DOCS_PER_TRANSACTION
                )
                grouped.append(time.perf_counter() - start)
                if round_ == 0 and repeat == 0:
                    pushed = graph_snapshot(neo.driver, db)
            peer.append(_peer_once(driver, db, neo, sample))
    differences = snapshot_differences(pushed, graph_snapshot(neo.driver, db))
    if differences:
        raise RuntimeError(
            "the peer did not write the graph push wrote:\n" + "\n".join(differences)
        )
    t_row = sum(row_parts)
    t_group = statistics.median(grouped[warmups * GROUPED_REPEATS :])
    t_peer = statistics.median(t for t, _ in peer[warmups:])
    return {
        "documents": len(sample),
        "relationships": n,
        "row_by_row_created": created,
        "row_by_row_s": round(t_row, 2),
        "row_by_row_parts_s": [round(t, 2) for t in row_parts],
        "row_by_row_rels_per_s": round(n / t_row),
        "per_document_s": round(t_doc, 2),
        "per_document_rels_per_s": round(n / t_doc),
        "warmup_rounds": warmups,
        "grouped_repeats": GROUPED_REPEATS,
        "grouped_s": round(t_group, 2),
        "grouped_rels_per_s": round(n / t_group),
        "grouped_runs_s": [round(t, 2) for t in grouped],
        "peer_s": round(t_peer, 2),
        "peer_convert_s": round(statistics.median(c for _, c in peer[warmups:]), 2),
        "peer_rels_per_s": round(n / t_peer),
        "peer_runs_s": [round(t, 2) for t, _ in peer],
        "peer_batch_size": 1000,
        "peer_same_graph_as_push": True,
        "nodes_per_label": dict(sorted(pushed["labels"].items())),
        "relationships_per_type": dict(sorted(pushed["types"].items())),
        "grouped_speedup_vs_row_by_row": round(t_row / t_group, 1),
        "per_document_speedup_vs_row_by_row": round(t_row / t_doc, 1),
        "grouped_speedup_vs_peer": round(t_peer / t_group, 1),
    }


def bench_peer_at_size(neo: Neo4j, cache: Path, size: int) -> dict[str, Any]:
    """Push and the peer on the documents of the first ``size`` assignments, as an archive is
    loaded (the loader sample of :func:`bench_loaders` is a hundred documents, where fixed
    costs weigh): each once on an emptied graph, the server already warm from the sample
    rounds; the peer's graph is checked against push's (a difference raises)."""
    import neo4j

    from dutygraph.loaders.push import push_documents

    assert neo.server is not None
    db = neo.database
    rows = _rows_for(cache, size)
    n = _rels(rows)
    log(f"neo4j: push and the peer on {len(rows)} documents, {n} relationships")
    neo.wipe()
    start = time.perf_counter()
    push_documents(neo.driver, rows, database=db, docs_per_transaction=DOCS_PER_TRANSACTION)
    t_push = time.perf_counter() - start
    pushed = graph_snapshot(neo.driver, db)
    auth = (neo.server.user, neo.server.password)
    with neo4j.GraphDatabase.driver(
        neo.server.uri, auth=auth, notifications_min_severity="OFF"
    ) as driver:
        t_peer, t_convert = _peer_once(driver, db, neo, rows)
    differences = snapshot_differences(pushed, graph_snapshot(neo.driver, db))
    if differences:
        raise RuntimeError(
            "the peer did not write the graph push wrote:\n" + "\n".join(differences)
        )
    neo.wipe()
    return {
        "documents": len(rows),
        "relationships": n,
        "push_s": round(t_push, 2),
        "push_rels_per_s": round(n / t_push),
        "peer_s": round(t_peer, 2),
        "peer_convert_s": round(t_convert, 2),
        "peer_rels_per_s": round(n / t_peer),
        "peer_same_graph_as_push": True,
        "push_speedup_vs_peer": round(t_peer / t_push, 1),
    }


def bench_neo4j(
    neo: Neo4j,
    cache: Path,
    sizes: Sequence[int],
    sample_docs: int,
    query_runs: int,
    loader_runs: int = 4,
    work: Path | None = None,
) -> dict[str, Any]:
    """The loaders side by side, then push at each size with the queries after each, the
    server's write floor, and (with ``work``) the bulk import of the largest size into a
    second store, checked against the pushed one."""
    from benchmarks.bulk_import import bench_bulk, store_counts
    from benchmarks.summaries import measure as measure_summaries
    from dutygraph.loaders.push import push_documents

    out: dict[str, Any] = {"server_start_s": neo.start_s, "sizes": {}}
    db = neo.database
    out["same_sample"] = bench_loaders(neo, cache, sample_docs, loader_runs)
    out["peer_at_size"] = bench_peer_at_size(neo, cache, min(PEER_SIZE, max(sizes)))
    neo.wipe()
    done = 0
    first_task = next(_docs_upto(cache, 1)).tasks[0].uid
    for size in sizes:
        rows = _rows_for(cache, size, start_after=done)
        n = _rels(rows)
        log(f"neo4j: pushing {len(rows)} documents, {n} relationships (to {size})")
        start = time.perf_counter()
        summary = push_documents(
            neo.driver, rows, database=db, docs_per_transaction=DOCS_PER_TRANSACTION
        )
        t = time.perf_counter() - start
        done = size
        del rows
        entry: dict[str, Any] = {
            "documents": summary.documents,
            "assignment_relationships": n,
            "relationships_created": summary.relationships_created,
            "push_s": round(t, 2),
            "push_rels_per_s": round(n / t),
            "push_all_rels_per_s": round(summary.relationships_created / t),
        }
        entry["queries"] = neo4j_queries(neo.driver, db, first_task, query_runs)
        entry["summaries"] = measure_summaries(
            neo.driver,
            database=db,
            unit=QUERY_PARAMS["tasks-of"]["unit"],
            partner=QUERY_PARAMS["partners"]["unit"],
            # twice the query rounds: gaps' two halves are a statement of their own, which the
            # server compiles and warms up over its first runs (best of 2 at 1M: 0.97 s;
            # of 4: 0.55 s)
            rounds=query_runs * 2,
        )
        out["sizes"][str(size)] = entry
    out["write_floor"] = neo4j_write_floor(neo.driver, db)
    if work is not None:
        rows = _rows_for(cache, max(sizes))
        log(f"neo4j: bulk import of {len(rows)} documents, {_rels(rows)} relationships")
        reference = store_counts(neo.driver, db)
        out["bulk"] = bench_bulk(rows, work, reference=reference, page_cache=PAGE_CACHE)
    return out


def query_params(first_task: str) -> dict[str, dict[str, Any]]:
    """The parameters each catalog query runs with."""
    return {k: {**v, "task": first_task} if "task" in v else v for k, v in QUERY_PARAMS.items()}


def neo4j_queries(
    driver: Any, database: str | None, first_task: str, runs: int = 2
) -> dict[str, Any]:
    """Each catalog query through :func:`dutygraph.queries.run_neo4j.run_query_neo4j`, as users run
    it: ``total_s`` is the whole call (the last of ``runs``; the first also plans), ``server_s``
    the server's own time for the query (its Cypher with the same parameters, every row
    computed but only their count sent back), ``first_s`` the first call."""
    from dutygraph.queries.catalog import get
    from dutygraph.queries.run_neo4j import run_query_neo4j

    out: dict[str, Any] = {}
    for name, params in query_params(first_task).items():
        times, rows = [], []
        for _ in range(runs):
            start = time.perf_counter()
            rows = run_query_neo4j(driver, name, params, database=database)
            times.append(time.perf_counter() - start)
        out[name] = {
            "first_s": round(times[0], 3),
            "total_s": round(times[-1], 3),
            "server_s": _server_seconds(driver, database, get(name).cypher, name, params),
            **_call_parts(driver, database, name, params),
            "rows": len(rows),
        }
    return out


def _call_parts(
    driver: Any, database: str | None, name: str, params: dict[str, Any]
) -> dict[str, float]:
    """Where one ``run_query_neo4j`` call spends its time, step by step: preparing the
    parameters, fetching the rows (the server's work and the transfer), the finish step."""
    from dutygraph.queries.catalog import get
    from dutygraph.queries.run_neo4j import _read_packed, prepare_params_neo4j

    spec = get(name)
    start = time.perf_counter()
    prepared = prepare_params_neo4j(driver, name, params, database=database)
    prepared_at = time.perf_counter()
    rows = _read_packed(driver, database, spec.cypher, prepared)
    fetched_at = time.perf_counter()
    spec.finish_rows(rows, prepared)
    return {
        "prepare_s": round(prepared_at - start, 3),
        "fetch_s": round(fetched_at - prepared_at, 3),
        "finish_s": round(time.perf_counter() - fetched_at, 3),
    }


# What the server alone can do, whatever the client: relationships created between existing
# nodes in one statement and one transaction, bare and with the properties of an assignment
# (copied from stored LEADS edges, so the strings have their real lengths).
_FLOOR_CREATE = {
    "bare": "MATCH (u:Unit)-[r:LEADS]->(t:Task) WITH u, t LIMIT $n "
    "CREATE (u)-[:DUTYGRAPH_BENCH_FLOOR]->(t)",
    "with_properties": "MATCH (u:Unit)-[r:LEADS]->(t:Task) WITH u, r, t LIMIT $n "
    "CREATE (u)-[:DUTYGRAPH_BENCH_FLOOR {doc_id: r.doc_id, as_written: r.as_written, "
    "span_start: r.span_start, span_end: r.span_end, clause: r.clause}]->(t)",
}
_FLOOR_DELETE = (
    "MATCH ()-[f:DUTYGRAPH_BENCH_FLOOR]->() CALL (f) { DELETE f } IN TRANSACTIONS OF 20000 ROWS"
)


def neo4j_write_floor(driver: Any, database: str | None, n: int = 100_000) -> dict[str, Any]:
    """Relationships per second the server creates on its own (see ``_FLOOR_CREATE``), each
    variant run twice (the second counts), the scratch relationships deleted after each."""
    out: dict[str, Any] = {}
    with driver.session(database=database, notifications_min_severity="OFF") as s:
        for variant, statement in _FLOOR_CREATE.items():
            rate = 0
            for _ in range(2):
                start = time.perf_counter()
                with s.begin_transaction() as tx:
                    created = tx.run(statement, n=n).consume().counters.relationships_created
                    tx.commit()
                seconds = time.perf_counter() - start
                rate = round(created / seconds) if created else 0
                s.run(_FLOOR_DELETE).consume()
            out[f"{variant}_rels_per_s"] = rate
            out["relationships"] = created
    return out


def _server_seconds(
    driver: Any, database: str | None, cypher: str, name: str, params: dict[str, Any]
) -> float:
    """The server's time for one catalog query (parameters prepared as the library does)."""
    from dutygraph.queries.run_neo4j import prepare_params_neo4j

    prepared = prepare_params_neo4j(driver, name, params, database=database)
    counted = f"CALL {{\n{cypher}\n}}\nRETURN count(*) AS rows"
    with driver.session(database=database, notifications_min_severity="OFF") as s:
        s.run(counted, prepared).consume()  # planned once
        start = time.perf_counter()
        s.run(counted, prepared).consume()
        return round(time.perf_counter() - start, 3)


# --------------------------------------------------------------------------- maps in Chromium

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: The unit clicked and searched in the browser figures (named by every generated plan set).
MAP_UNIT = "市教育局"


def corpus_graph(nodes: int, *, seed: int = 1) -> Any:
    """The graph of the first generated plans (parsed here) with about ``nodes`` map nodes."""
    from benchmarks.corpus import iter_documents
    from dutygraph import build_graph, parse_workplan

    docs: list[Any] = []
    units: set[str] = set()
    tasks = 0
    for gen in iter_documents(10**9, seed=seed):
        doc = parse_workplan(gen.text, doc_id=gen.doc_id)
        docs.append(doc)
        tasks += len(doc.tasks)
        units.update(a.unit for a in doc.assignments)
        if tasks + len(units) >= nodes:
            break
    return build_graph(docs)


_MEASURE_CLICK = """async (id) => {
    const d = window.dutygraph, net = d.network;
    const p = net.canvasToDOM(net.getPosition(id));
    const box = document.getElementById("dg-map").getBoundingClientRect();
    return [p.x + box.left, p.y + box.top, net.getNodeAt(p)];
}"""

_AFTER_DRAW = """() => new Promise((resolve) => {
    const net = window.dutygraph.network;
    net.once("afterDrawing", () => resolve(performance.now()));
    net.redraw();
})"""

_MEASURE_SEARCH = """async (name) => {
    const d = window.dutygraph, net = d.network;
    const drawn = new Promise((resolve) => net.once("afterDrawing", resolve));
    const t0 = performance.now();
    document.getElementById("dg-search-input").value = name;
    document.getElementById("dg-search").requestSubmit();
    net.redraw();
    await drawn;
    return [performance.now() - t0, d.state.selected];
}"""


_MEASURE_OTHERS = """async () => {
    const d = window.dutygraph, net = d.network, out = {};
    const step = async (name, action) => {
        const drawn = new Promise((resolve) => net.once("afterDrawing", resolve));
        const t0 = performance.now();
        action();
        net.redraw();
        await drawn;
        out[name] = performance.now() - t0;
    };
    await step("clear", () => d.clear());
    const lead = document.querySelector("input[name=dg-role][value=lead]");
    await step("role_filter", () => { lead.click(); });
    await step("role_filter_back", () => { lead.click(); });
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) {
        const drawn = new Promise((resolve) => net.once("afterDrawing", resolve));
        net.moveTo({scale: net.getScale() * 1.25});
        await drawn;
    }
    out.zoom_5_steps = performance.now() - t0;
    const plan = document.getElementById("dg-plan");
    if (plan) {
        await step("open_plan", () => {
            plan.value = d.data.plans[0].id;
            plan.dispatchEvent(new Event("change"));
        });
    }
    return out;
}"""


def measure_map_page(browser: Any, path: Path, unit: str, rounds: int = 3) -> dict[str, Any]:
    """Median open → drawn-and-idle, click a unit → highlighted, and search, in ``browser``;
    ``other_ms``: clearing, a role filter (off and on), five zoom steps and opening a plan."""
    import statistics

    ready, click, search = [], [], []
    others: list[dict[str, float]] = []
    for _ in range(rounds):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function(
            "() => Boolean(window.dutygraph && window.dutygraph.state.ready)", timeout=120_000
        )
        page.evaluate(_AFTER_DRAW)
        ready.append(time.perf_counter() - start)
        node = f"unit:{unit}"
        x, y, hit = page.evaluate(_MEASURE_CLICK, node)
        if hit != node:
            raise RuntimeError(f"{hit} covers {node} on the map")
        page.evaluate(
            """() => { window.__t0 = null; window.__t1 = null;
                document.getElementById("dg-map").addEventListener("pointerdown",
                    () => { window.__t0 = performance.now(); }, {capture: true, once: true});
                window.dutygraph.network.on("afterDrawing", () => {
                    if (window.__t0 !== null && window.__t1 === null &&
                        window.dutygraph.state.selected) { window.__t1 = performance.now(); }
                }); }"""
        )
        page.mouse.click(x, y)
        page.wait_for_function("() => window.__t1 !== null", timeout=30_000)
        t0, t1, selected = page.evaluate(
            "() => [window.__t0, window.__t1, window.dutygraph.state.selected]"
        )
        if selected != node:
            raise RuntimeError(f"the click selected {selected}, not {node}")
        click.append(t1 - t0)
        page.evaluate("() => window.dutygraph.clear()")
        ms, selected = page.evaluate(_MEASURE_SEARCH, unit)
        if selected != node:
            raise RuntimeError(f"the search selected {selected}, not {node}")
        search.append(ms)
        others.append(page.evaluate(_MEASURE_OTHERS))
        context.close()
    steps = {k: round(statistics.median(o[k] for o in others)) for k in others[0]}
    return {
        "ready_s": round(statistics.median(ready), 2),
        "click_ms": round(statistics.median(click)),
        "search_ms": round(statistics.median(search)),
        "ready_runs_s": [round(x, 2) for x in ready],
        "click_runs_ms": [round(x) for x in click],
        "search_runs_ms": [round(x) for x in search],
        "other_ms": steps,
    }


def _mapbrowser_child(nodes: str, rounds: str = "3") -> None:
    """In a fresh process: a map of about ``nodes`` nodes, written and measured in Chromium."""
    from playwright.sync_api import sync_playwright

    from dutygraph.views.maps import write_map

    graph = corpus_graph(int(nodes))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = write_map(Path(tmp) / "map.html", graph)
        write_s = time.perf_counter() - start
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                out = measure_map_page(browser, path, MAP_UNIT, int(rounds))
            finally:
                browser.close()
        out |= {
            "nodes": sum(1 for _, d in graph.nodes(data=True) if d["kind"] != "document"),
            "edges": sum(1 for _, _, d in graph.edges(data=True) if d.get("role")),
            "plans": sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "document"),
            "write_s": round(write_s, 2),
            "html_mb": round(path.stat().st_size / 1e6, 2),
        }
    print(json.dumps(out))


_SIGMA_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>html,body{margin:0;height:100%}#m{position:absolute;left:300px;right:0;top:0;bottom:0}</style>
</head><body><div id="m"></div>
<script>@@GRAPHOLOGY@@</script><script>@@SIGMA@@</script>
<script type="application/json" id="d">@@DATA@@</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById("d").textContent);
  var g = new graphology.MultiDirectedGraph();
  D.nodes.forEach(function (n) { g.addNode(n.id, n); });
  D.edges.forEach(function (e) { g.addEdge(e[0], e[1], {color: e[2], size: e[3]}); });
  var hl = null;
  var r = new Sigma(g, document.getElementById("m"), {
    renderEdgeLabels: false, labelRenderedSizeThreshold: 6, hideEdgesOnMove: true,
    nodeReducer: function (n, a) {
      return hl === null || hl.has(n) ? a : Object.assign({}, a, {color: "#eee", label: ""});
    },
    edgeReducer: function (e, a) {
      return hl === null || (hl.has(g.source(e)) && hl.has(g.target(e))) ? a
        : Object.assign({}, a, {hidden: true});
    }});
  function select(id) {
    hl = new Set(g.neighbors(id)); hl.add(id); window.state.selected = id; r.refresh();
  }
  r.on("clickNode", function (p) { select(p.node); });
  window.state = {selected: null};
  window.sigmaMap = {renderer: r, graph: g, select: select,
    point: function (id) {
      var a = r.getNodeDisplayData(id), v = r.framedGraphToViewport(a);
      var b = document.getElementById("m").getBoundingClientRect();
      return [v.x + b.left, v.y + b.top];
    }};
  // sigma renders in its constructor; two frames later the page is drawn and idle
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { window.state.ready = true; });
  });
})();
</script></body></html>"""


def measure_sigma(browser: Any, graph: Any, sigma_dir: Path, unit: str) -> dict[str, Any]:
    """The whole graph (every task and unit) drawn by sigma.js (WebGL) at the positions our
    layout computes: open → drawn, click a unit → highlighted, a search (select + refresh).

    ``sigma_dir`` holds ``sigma.min.js`` and ``graphology.umd.min.js`` (``npm pack sigma
    graphology``); they are not vendored, this is the comparison BENCHMARKS.md reports.
    """
    from dutygraph.views.maps.layout import precompute_layout
    from dutygraph.views.maps.style import ROLE_STYLES
    from dutygraph.views.maps.template import inline_script, script_json

    pos = precompute_layout(graph)
    nodes = [
        {
            "id": n,
            "x": pos[n][0],
            "y": -pos[n][1],
            "size": 6 if d["kind"] == "unit" else 3,
            "label": d.get("name") or d.get("title"),
            "color": "#4f8fd9" if d["kind"] == "unit" else "#e08a2e",
        }
        for n, d in graph.nodes(data=True)
        if d["kind"] != "document"
    ]
    rel = {"LEADS": "lead", "SUPPORTS": "support", "RESPONSIBLE_FOR": "responsible"}
    edges = [
        [u, t, ROLE_STYLES[rel[d["type"]]].color, 1]
        for u, t, d in graph.edges(data=True)
        if d.get("type") in rel
    ]
    page_text = (
        _SIGMA_PAGE.replace(
            "@@GRAPHOLOGY@@",
            inline_script((sigma_dir / "graphology.umd.min.js").read_text(encoding="utf-8")),
        )
        .replace(
            "@@SIGMA@@", inline_script((sigma_dir / "sigma.min.js").read_text(encoding="utf-8"))
        )
        .replace("@@DATA@@", script_json({"nodes": nodes, "edges": edges}))
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sigma.html"
        path.write_text(page_text, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(path.as_uri())
        try:
            page.wait_for_function("() => window.state && window.state.ready", timeout=60_000)
        except Exception as exc:
            raise RuntimeError(f"sigma did not draw: {errors}") from exc
        ready = time.perf_counter() - start
        x, y = page.evaluate("(id) => window.sigmaMap.point(id)", f"unit:{unit}")
        page.evaluate(
            """() => { window.__t0 = null; window.__t1 = null;
                document.getElementById("m").addEventListener("mousedown",
                    () => { window.__t0 = performance.now(); }, {capture: true, once: true});
                window.sigmaMap.renderer.on("afterRender", () => {
                    if (window.__t0 !== null && window.__t1 === null && window.state.selected) {
                        window.__t1 = performance.now(); } }); }"""
        )
        page.mouse.click(x, y)
        page.wait_for_function("() => window.__t1 !== null", timeout=30_000)
        click_ms, selected = page.evaluate(
            "() => [window.__t1 - window.__t0, window.state.selected]"
        )
        context.close()
    return {
        "ready_s": round(ready, 2),
        "click_ms": round(click_ms),
        "clicked": selected,
        "errors": errors,
        "html_mb": round(len(page_text.encode("utf-8")) / 1e6, 2),
    }


def _sigma_child(nodes: str, sigma_dir: str) -> None:
    """In a fresh process: the ~``nodes`` graph drawn whole by sigma.js, measured."""
    from playwright.sync_api import sync_playwright

    graph = corpus_graph(int(nodes))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            out = measure_sigma(browser, graph, Path(sigma_dir), MAP_UNIT)
        finally:
            browser.close()
    print(json.dumps(out, ensure_ascii=False))


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    mode.add_argument("--smoke", action="store_true", help="tiny sizes, for the tests")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--sizes", type=int, nargs="+", help="assignment counts (default by mode)")
    ap.add_argument("--map-nodes", type=int, nargs="+", help="map sizes (default by mode)")
    ap.add_argument(
        "--browser-map-nodes",
        type=int,
        nargs="*",
        help="maps measured in headless Chromium (default by mode: 3,054; full also 20,000)",
    )
    ap.add_argument(
        "--sigma",
        help="a folder with sigma.min.js and graphology.umd.min.js (npm pack): also measure "
        "the whole graph drawn by sigma.js, for comparison",
    )
    ap.add_argument("--ingest-files", type=int, help="small files for the ingest test")
    ap.add_argument(
        "--sample-docs", type=int, help="documents for the loader comparison (default by mode)"
    )
    ap.add_argument("--workdir", help="keep the corpus and caches here (default: a temp dir)")
    ap.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j figures")
    ap.add_argument(
        "--only",
        choices=["loaders"],
        help="loaders: only the Neo4j loaders side by side on the mode's sample "
        "(row by row, push, the neo4j-graphrag peer)",
    )
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    name = "smoke" if args.smoke else "quick" if args.quick else "full"
    cfg = dict(MODES[name])
    sizes = sorted(args.sizes or cfg["sizes"])
    map_nodes = args.map_nodes or cfg["map_nodes"]
    small_files = cfg["ingest_small_files"] if args.ingest_files is None else args.ingest_files
    began = time.perf_counter()
    tmp = None
    if args.workdir:
        work = Path(args.workdir)
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="dutygraph-bench-")
        work = Path(tmp)
    result: dict[str, Any] = {"mode": name, "machine": machine(), "load_start": _load()}
    neo: Neo4j | None = None
    if args.only == "loaders":
        try:
            sample_docs = args.sample_docs or cfg["row_by_row_docs"]
            result |= only_loaders(work, sample_docs, name, args.seed)
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        result["load_end"] = _load()
        result["seconds"] = round(time.perf_counter() - began, 1)
        output = {"mode": name, "only": "loaders"} | loader_headline(result) | {"details": result}
        print(json.dumps(output, ensure_ascii=False, indent=None if args.json else 2))
        return 0
    try:
        corpus = work / "corpus"
        if not (corpus / "expected.jsonl").exists():
            log(f"corpus: writing documents up to {max(sizes)} assignments")
            start = time.perf_counter()
            counts = write_corpus(corpus, 10**9, seed=args.seed, max_assignments=max(sizes))
            result["corpus"] = {**counts, "seconds": round(time.perf_counter() - start, 1)}
        if not args.no_neo4j:  # start it now: it boots while we parse
            log("neo4j: connecting / starting")
            neo = Neo4j(work / "neo4j")
        log("parse")
        parse = child("parse", str(corpus), str(cfg["parse_docs"]))
        expected = read_expected(corpus)
        parse.update(parse_recall(corpus, cfg["parse_docs"], expected))
        del expected
        result["parse"] = parse
        log(f"parse: {parse['one_core_mb_per_s']} MB/s one core")
        cache = work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        log("ingest")
        result["ingest"] = child("ingest", str(corpus), str(cache))
        if small_files:
            small = work / "small"
            if not small.exists():
                log(f"ingest: writing {small_files} small files")
                write_corpus(small, small_files, seed=args.seed + 1, profile="small")
            shutil.rmtree(work / "small-cache", ignore_errors=True)
            log("ingest: the directory of small files")
            result["ingest_small"] = child("ingest", str(small), str(work / "small-cache"))
        result["build"] = {}
        for size in sizes:
            log(f"build + in-memory queries at {size}")
            result["build"][str(size)] = child("build", str(cache), str(size), "1")
        result["maps"] = {}
        for n in map_nodes:
            log(f"map at {n} nodes")
            result["maps"][str(n)] = child("map", str(cache), str(n))
        result["browser_maps"] = {}
        browser_nodes = (
            cfg["browser_map_nodes"] if args.browser_map_nodes is None else args.browser_map_nodes
        )
        for n in browser_nodes:
            log(f"map in Chromium at {n} nodes")
            rounds = "3"
            result["browser_maps"][str(n)] = child("mapbrowser", str(n), rounds)
            if args.sigma:
                log(f"the same graph whole in sigma.js at {n} nodes")
                result["browser_maps"][f"{n}_sigma"] = child("sigma", str(n), args.sigma)
        if neo is not None:
            log("neo4j: loaders and queries")
            result["neo4j"] = bench_neo4j(
                neo,
                cache,
                sizes,
                args.sample_docs or cfg["row_by_row_docs"],
                1 if name == "smoke" else 2,
                1 if name == "smoke" else 4,
                work,
            )
    finally:
        if neo is not None:
            neo.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    result["load_end"] = _load()
    result["seconds"] = round(time.perf_counter() - began, 1)
    output = headline(result, sizes) | {"details": result}
    if args.json:
        print(json.dumps(output, ensure_ascii=False))
    else:
        print(json.dumps(output, ensure_ascii=False, indent=2))
    return 0


def only_loaders(work: Path, sample_docs: int, mode: str, seed: int) -> dict[str, Any]:
    """``--only loaders``: the corpus's first documents ingested, then :func:`bench_loaders`."""
    from dutygraph.extract.ingest import ingest

    corpus = work / "corpus"
    out: dict[str, Any] = {}
    if not (corpus / "expected.jsonl").exists():
        log(f"corpus: writing {sample_docs + 2} documents")
        out["corpus"] = write_corpus(corpus, sample_docs + 2, seed=seed)
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    ingest([corpus], cache)
    log("neo4j: connecting / starting")
    neo = Neo4j(work / "neo4j")
    try:
        log("neo4j: loaders side by side")
        out["neo4j"] = {
            "server_start_s": neo.start_s,
            "same_sample": bench_loaders(neo, cache, sample_docs, 1 if mode == "smoke" else 4),
        }
    finally:
        neo.close()
    return out


def loader_headline(result: dict[str, Any]) -> dict[str, Any]:
    """The headline keys of the loaders side by side (:func:`bench_loaders`)."""
    sample = (result.get("neo4j") or {}).get("same_sample") or {}
    # push and the peer at size when measured there (an archive's load), else on the sample
    at_size = (result.get("neo4j") or {}).get("peer_at_size") or {}
    return {
        "push_speedup_vs_row_by_row": sample.get("grouped_speedup_vs_row_by_row"),
        "push_speedup_vs_peer": at_size.get(
            "push_speedup_vs_peer", sample.get("grouped_speedup_vs_peer")
        ),
        "peer_rels_per_s": at_size.get("peer_rels_per_s", sample.get("peer_rels_per_s")),
        "push_speedup_vs_peer_sample": sample.get("grouped_speedup_vs_peer"),
        "loader_sample_documents": sample.get("documents"),
    }


def headline(result: dict[str, Any], sizes: Sequence[int]) -> dict[str, Any]:
    """The keys CI and BENCHMARKS.md read."""
    largest = str(max(sizes))
    build = result["build"][largest]
    neo = result.get("neo4j") or {}
    push = (neo.get("sizes") or {}).get(largest) or {}
    bulk = neo.get("bulk") or {}
    summaries = push.get("summaries") or {}
    maps = result.get("browser_maps") or {}
    push_rate = push.get("push_rels_per_s")
    bulk_rate = bulk.get("end_to_end_assignments_per_s")
    return {
        "mode": result["mode"],
        "parse_mb_per_s": result["parse"]["one_core_mb_per_s"],
        "parse_mb_per_s_all_cores": result["parse"]["all_cores_mb_per_s"],
        "parse_docs_per_s": result["parse"]["one_core_docs_per_s"],
        "parse_speedup_vs_regex_baseline": result["parse"]["speedup_vs_baseline"],
        "build_assignments_per_s": build["assignments_per_s"],
        "build_size": int(largest),
        "peak_rss_mb_1m": result["build"].get("1000000", {}).get("peak_rss_mb"),
        "peak_rss_mb_largest": build["peak_rss_mb"],
        "largest_size": int(largest),
        "push_rels_per_s": push.get("push_rels_per_s"),
        "push_all_rels_per_s": push.get("push_all_rels_per_s"),
        **loader_headline(result),
        "bulk_import_rels_per_s": bulk.get("import_rels_per_s"),
        "bulk_importer_rels_per_s": bulk.get("importer_rels_per_s"),
        "bulk_end_to_end_s": bulk.get("end_to_end_s"),
        "bulk_speedup_vs_push": round(bulk_rate / push_rate, 1)
        if bulk_rate and push_rate
        else None,
        "neo4j_write_floor_rels_per_s": (neo.get("write_floor") or {}).get(
            "with_properties_rels_per_s"
        ),
        # gaps as users get it by default (the summary), every row streamed, every row fetched
        # and sorted at once (run_query_neo4j, the library call the analysis uses)
        "neo4j_gaps_s": summaries.get("gaps", {}).get("summary_s"),
        "neo4j_gaps_all_s": summaries.get("gaps", {}).get("all_s"),
        "neo4j_gaps_rows_s": (push.get("queries") or {}).get("gaps", {}).get("total_s"),
        "neo4j_overload_s": (push.get("queries") or {}).get("overload", {}).get("total_s"),
        "neo4j_gaps_server_s": (push.get("queries") or {}).get("gaps", {}).get("server_s"),
        "neo4j_overload_server_s": (push.get("queries") or {}).get("overload", {}).get("server_s"),
        "ingest_files_per_s": result["ingest"]["first_files_per_s"],
        "map_3k_ready_s": maps.get("3054", {}).get("ready_s"),
        "map_3k_click_ms": maps.get("3054", {}).get("click_ms"),
        "map_3k_search_ms": maps.get("3054", {}).get("search_ms"),
        "map_20k_ready_s": maps.get("20000", {}).get("ready_s"),
        "load_start": result["load_start"],
        "load_end": result["load_end"],
        "seconds": result["seconds"],
    }


if __name__ == "__main__":
    sys.exit(main())
