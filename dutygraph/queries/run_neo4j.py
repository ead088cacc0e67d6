"""Run catalog entries against Neo4j, in READ access mode, with rows equal to the in-memory ones.

The function takes a driver (the caller opens it). Parameters resolve exactly as on the
in-memory graph: a unit against the unit names stored, a task against the stored tasks with
that uid or number; an entry without such a parameter reads nothing before its own Cypher. The
Cypher text runs with parameters only; the entry's ``finish`` step makes the final rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from dutygraph.errors import QueryError
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import ROLES
from dutygraph.queries.catalog import get
from dutygraph.queries.gaps import GAP_KINDS, GAP_LABELS
from dutygraph.queries.resolve import prepare_params, task_number
from dutygraph.queries.spec import Row, natural_key, round_row
from dutygraph.queries.summary import (
    CONCENTRATED_HHI,
    SECTION_NUMBERS,
    Summary,
    canonical_key,
    summary_kinds,
    summary_roles,
)
from dutygraph.queries.summary_cypher import GAPS_TOP, PLANS_SPLIT, STREAMS, SUMMARIES

__all__ = [
    "merge_gap_parts",
    "packed",
    "prepare_params_neo4j",
    "run_query_neo4j",
    "store_sections",
    "store_tasks",
    "store_units",
    "stream_query_neo4j",
    "summarize_query_neo4j",
]

_UNITS = "MATCH (u:Unit) RETURN u.name AS name ORDER BY name"
_SECTIONS = """
MATCH (t:Task) WHERE t.section IS NOT NULL AND t.section <> ''
RETURN DISTINCT t.section AS section, coalesce(t.section_title, '') AS title
"""
_TASKS = "MATCH (t:Task) RETURN t.uid AS uid, t.number AS number"
# The tasks a reference can denote: the one with that uid (index seek) and those with that
# number.
_TASK_CANDIDATES = """
CALL {
  MATCH (t:Task {uid: $text}) RETURN t
  UNION
  MATCH (t:Task) WHERE toString(t.number) = $number RETURN t
}
RETURN t.uid AS uid, t.number AS number
"""


def _read(driver: Any, database: str | None, query: str, params: Mapping[str, Any]) -> list[Row]:
    def work(tx: Any) -> list[Row]:
        return [record.data() for record in tx.run(query, dict(params))]

    with driver.session(database=database, notifications_min_severity="OFF") as session:
        rows: list[Row] = session.execute_read(work)
    return rows


_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_COLUMNS: dict[str, list[str]] = {}  # catalog Cypher text -> its columns (EXPLAIN, cached)


def packed(query: str, columns: list[str]) -> str:
    """``query`` wrapped to return all its rows as one record: a list of value lists.

    The driver handles each record separately (about 0.1 ms each in pure Python), so a query
    returning 245,000 rows spends most of its time there; one record of lists takes a tenth of
    that. The rows keep their order: ``collect`` takes the subquery's rows as they come.

    >>> print(packed("MATCH (u:Unit) RETURN u.name AS name ORDER BY name", ["name"]))
    CALL {
    MATCH (u:Unit) RETURN u.name AS name ORDER BY name
    }
    RETURN collect([name]) AS rows
    """
    for column in columns:
        if not _IDENTIFIER_RE.fullmatch(column):
            raise ValueError(f"cannot pack a query whose column {column!r} is not an identifier")
    return f"CALL {{\n{query.strip()}\n}}\nRETURN collect([{', '.join(columns)}]) AS rows"


def _read_packed(
    driver: Any, database: str | None, query: str, params: Mapping[str, Any]
) -> list[Row]:
    """The rows of a catalog query (literal text), fetched as one record (see :func:`packed`)."""

    def work(tx: Any) -> list[Row]:
        if query not in _COLUMNS:
            result = tx.run(f"EXPLAIN {query}", dict(params))
            _COLUMNS[query] = list(result.keys())
            result.consume()
        columns = _COLUMNS[query]
        record = tx.run(packed(query, columns), dict(params)).single()
        return [dict(zip(columns, values, strict=True)) for values in record["rows"]]

    with driver.session(database=database, notifications_min_severity="OFF") as session:
        rows: list[Row] = session.execute_read(work)
    return rows


def _pairs(rows: list[Row]) -> list[tuple[str, str]]:
    return sorted(((r["uid"], str(r["number"])) for r in rows), key=lambda t: natural_key(t[0]))


def store_units(driver: Any, database: str | None = None) -> list[str]:
    """The unit names stored in Neo4j, sorted.

    Example (with a driver on a store that ``dutygraph push`` filled)::

        "团市委" in store_units(driver)
    """
    return [r["name"] for r in _read(driver, database, _UNITS, {})]


def store_sections(driver: Any, database: str | None = None) -> list[tuple[str, str]]:
    """``(section, section title)`` of the stored tasks, each once, in natural order (as
    :func:`~dutygraph.queries.resolve.graph_sections` on the in-memory graph).

    Example::

        store_sections(driver)[:2]  # [('一', '加强统筹谋划'), ('二', '加强家庭保护')]
    """
    rows = _read(driver, database, _SECTIONS, {})
    found = {(str(r["section"]), str(r["title"])) for r in rows}
    return sorted(found, key=lambda x: (natural_key(x[0]), x[1]))


def store_tasks(
    driver: Any, database: str | None = None, reference: str | None = None
) -> list[tuple[str, str]]:
    """``(uid, number)`` of the stored tasks, by uid in natural order; with ``reference``
    (a uid or a number as users write it, ``第9项``) only the tasks it can denote.

    Example::

        store_tasks(driver, reference="第9项")  # [('anshun_2023#9', '9')]
    """
    if reference is None:
        return _pairs(_read(driver, database, _TASKS, {}))
    text = str(reference).strip()
    params = {"text": text, "number": task_number(text)}
    return _pairs(_read(driver, database, _TASK_CANDIDATES, params))


def prepare_params_neo4j(
    driver: Any,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """The parameters of the catalog entry ``name``, prepared as :func:`prepare_params` does
    on the in-memory graph, reading from the store only what a unit or task parameter needs.

    Example (with a driver on a store that ``dutygraph push`` filled)::

        prepare_params_neo4j(driver, "units-of", {"task": "第9项"})["task"]  # 'anshun_2023#9'
    """
    spec = get(name)
    given = dict(params or {})
    units: list[str] = []
    tasks: list[tuple[str, str]] = []
    sections: list[str] = []
    for p in spec.params:
        value = given.get(p.name, p.default)
        if value is None:
            continue
        if p.type in ("unit", "units") and not units:
            units = store_units(driver, database)
        if p.type == "section":
            sections = [s for s, _ in store_sections(driver, database)]
        if p.type == "task":
            tasks = store_tasks(driver, database, str(value))
            if not tasks:  # unknown: the full list, for the error's range of numbers
                tasks = store_tasks(driver, database)
    return prepare_params(
        spec, params, units=units, tasks=tasks, gazetteer=gazetteer, sections=sections
    )


def run_query_neo4j(
    driver: Any,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Row]:
    """Run the catalog entry ``name`` in Neo4j (READ access) and return its final rows.

    Example (with a driver on a store that ``dutygraph push`` filled)::

        rows = run_query_neo4j(driver, "tasks-of", {"unit": "团市委", "role": "support"})
    """
    spec = get(name)
    prepared = prepare_params_neo4j(driver, name, params, database=database, gazetteer=gazetteer)
    return spec.finish_rows(_read_packed(driver, database, spec.cypher, prepared), prepared)


def _summary_params(name: str, prepared: Mapping[str, Any], top: int) -> dict[str, Any]:
    """The parameters of a summary statement: the entry's, ``top`` and the vocabularies."""
    return {
        **prepared,
        "top": top,
        "kinds": summary_kinds(prepared),
        "all_kinds": list(GAP_KINDS),
        "roles": summary_roles(prepared),
        "role_pairs": [[a, b] for a in ROLES for b in ROLES],
        "concentrated": CONCENTRATED_HHI,
        "section_numbers": dict(SECTION_NUMBERS),
    }


def _summary_from_record(name: str, record: Mapping[str, Any], extra: Any) -> Summary:
    if name == "gaps":
        kinds, counts = record["kinds"], record["counts"]
        return Summary(
            name,
            sum(counts),
            tuple(
                {"kind": k, "label": GAP_LABELS[k], "findings": n}
                for k, n in zip(kinds, counts, strict=True)
            ),
            tuple(
                {"doc_id": doc, "findings": n, **dict(zip(kinds, per, strict=True))}
                for doc, n, per in record["plans"]
            ),
            tuple(
                round_row(dict(zip(STREAMS["gaps"].returns, r, strict=True)))
                for rows in extra
                for r in rows
            ),
        )
    if name == "tasks-of":
        counts = tuple({"role": r, "direct": d, "derived": v} for r, d, v in record["counts"])
        plans = tuple(
            {"doc_id": doc, "assignments": n, "lead": a, "support": b, "responsible": c}
            for doc, n, a, b, c in record["plans"]
        )
    elif name == "sections":
        keys = ("sections", "tasks", "no_lead", "sections_no_lead", "concentrated")
        counts = (dict(zip(keys, record["counts"], strict=True)),)
        plans = tuple(
            {"doc_id": doc, "sections": s, "tasks": t, "no_lead": n, "concentrated": c}
            for doc, s, t, n, c in record["plans"]
        )
    else:
        counts = tuple(
            {"role_a": a, "role_b": b, "pairs": p, "tasks": n} for a, b, p, n in record["counts"]
        )
        plans = ()
    top = tuple(round_row(dict(zip(STREAMS[name].returns, r, strict=True))) for r in record["top"])
    return Summary(name, record["total"], counts, plans, top)




def summarize_query_neo4j(
    driver: Any,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    top: int = 10,
    database: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Summary:
    """The summary of entry ``name`` (see :mod:`dutygraph.queries.summary`), computed in
    Neo4j (READ access): equal to :func:`~dutygraph.queries.summary.summarize_query`'s.

    Example (with a driver on a store that ``dutygraph push`` filled)::

        summarize_query_neo4j(driver, "gaps", top=5).counts[0]["findings"]
    """
    canonical_key(name)
    if top < 0:
        raise QueryError(f"top must be 0 or more, not {top}")
    prepared = prepare_params_neo4j(driver, name, params, database=database, gazetteer=gazetteer)
    query_params = _summary_params(name, prepared, top)
    if name == "gaps":
        found = _gaps_summary(driver, database, query_params)
        return Summary(found.query, found.total, found.counts, found.plans, found.top, prepared)

    def work(tx: Any) -> Summary:
        record = tx.run(SUMMARIES[name].cypher, query_params).single()
        return _summary_from_record(name, record, None)

    with driver.session(database=database, notifications_min_severity="OFF") as session:
        found = session.execute_read(work)
    return Summary(found.query, found.total, found.counts, found.plans, found.top, prepared)


def _read_one(driver: Any, database: str | None, query: str, params: Mapping[str, Any]) -> Row:
    """The one record of a read-only query, as a dict."""

    def work(tx: Any) -> Row:
        return dict(tx.run(query, dict(params)).single().data())

    with driver.session(database=database, notifications_min_severity="OFF") as session:
        row: Row = session.execute_read(work)
    return row


def _gaps_summary(driver: Any, database: str | None, params: Mapping[str, Any]) -> Summary:
    """The ``gaps`` summary: its counts over the plans before the middle plan id and over the
    rest side by side (each part one transaction, so the server works on two cores: the one
    pass over every task's edges is most of the time), merged, then the rows shown."""
    split = _read_one(driver, database, PLANS_SPLIT.cypher, {})["split"]
    parts = [(None, split), (split, None)] if split is not None else [(None, None)]
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        found = list(
            pool.map(
                lambda bounds: _read_one(
                    driver,
                    database,
                    SUMMARIES["gaps"].cypher,
                    {**params, "lo": bounds[0], "hi": bounds[1]},
                ),
                parts,
            )
        )
    record = merge_gap_parts(found, int(params["top"]))
    docs = sorted({doc for per_kind in record["docs"] for doc in per_kind})
    top = _read_one(driver, database, GAPS_TOP.cypher, {**params, "docs": docs})["top"]
    return _summary_from_record("gaps", {**record, "kinds": params["kinds"]}, top)


def merge_gap_parts(parts: list[Row], top: int) -> Row:
    """One ``gaps`` summary record from the records of parts of the plans, in plan id order
    (the plans of a later part all come after those of an earlier one): counts summed, the
    ``top`` plans with most findings of all, and for each kind the plans of every part
    until one holds ``top`` findings of it (a superset of the plans holding the first
    ``top``, which is all the rows shown need).

    >>> a = {"counts": [2, 0], "plans": [["p1", 2, [2, 0]]], "docs": [["p1"], []]}
    >>> b = {"counts": [1, 1], "plans": [["p2", 2, [1, 1]]], "docs": [["p2"], ["p2"]]}
    >>> merge_gap_parts([a, b], 1)
    {'counts': [3, 1], 'plans': [['p1', 2, [2, 0]]], 'docs': [['p1'], ['p2']]}
    """
    counts = [sum(column) for column in zip(*(p["counts"] for p in parts), strict=True)]
    plans = sorted((plan for p in parts for plan in p["plans"]), key=lambda x: (-x[1], x[0]))
    docs: list[list[str]] = []
    for kind in range(len(counts)):
        chosen: list[str] = []
        held = 0
        for p in parts:
            if held >= top:
                break
            chosen += p["docs"][kind]
            held += p["counts"][kind]
        docs.append(chosen)
    return {"counts": counts, "plans": [list(x) for x in plans[:top]], "docs": docs}


def stream_query_neo4j(
    driver: Any,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
    gazetteer: Gazetteer | None = None,
    fetch_size: int = 1000,
) -> Iterator[Row]:
    """Every row of entry ``name`` from a Neo4j cursor (READ access), in the canonical order
    (:func:`~dutygraph.queries.summary.canonical_key`), yielded as the driver receives them
    (``fetch_size`` records at a time): the rows are never all held in memory.

    Example (with a driver on a store that ``dutygraph push`` filled)::

        for row in stream_query_neo4j(driver, "gaps"):
            print(row["kind"], row["uid"])
    """
    canonical_key(name)
    prepared = prepare_params_neo4j(driver, name, params, database=database, gazetteer=gazetteer)
    query_params = _summary_params(name, prepared, 0)
    with driver.session(
        database=database,
        default_access_mode="READ",  # neo4j.READ_ACCESS
        fetch_size=fetch_size,
        notifications_min_severity="OFF",
    ) as session:
        result = session.run(STREAMS[name].cypher, query_params)
        columns = list(result.keys())
        for record in result:
            yield round_row(dict(zip(columns, record.values(), strict=True)))
