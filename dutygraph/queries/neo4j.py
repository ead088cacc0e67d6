"""Run catalog entries against Neo4j, in READ access mode, with rows equal to the in-memory ones.

The function takes a driver (the caller opens it). Unit names and task numbers are read from
the store so parameters resolve exactly as on the in-memory graph; the Cypher text runs with
parameters only; the entry's ``finish`` step makes the final rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.queries.catalog import get
from dutygraph.queries.resolve import prepare_params
from dutygraph.queries.spec import Row, natural_key

__all__ = ["run_query_neo4j", "store_names"]

_UNITS = "MATCH (u:Unit) RETURN u.name AS name ORDER BY name"
_TASKS = "MATCH (t:Task) RETURN t.uid AS uid, t.number AS number"


def _read(driver: Any, database: str | None, query: str, params: Mapping[str, Any]) -> list[Row]:
    def work(tx: Any) -> list[Row]:
        return [record.data() for record in tx.run(query, dict(params))]

    with driver.session(database=database, notifications_min_severity="OFF") as session:
        rows: list[Row] = session.execute_read(work)
    return rows


def store_names(
    driver: Any, database: str | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The unit names and ``(uid, number)`` task pairs stored in Neo4j."""
    units = [r["name"] for r in _read(driver, database, _UNITS, {})]
    tasks = [(r["uid"], str(r["number"])) for r in _read(driver, database, _TASKS, {})]
    return units, sorted(tasks, key=lambda t: natural_key(t[0]))


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
    units, tasks = store_names(driver, database)
    prepared = prepare_params(spec, params, units=units, tasks=tasks, gazetteer=gazetteer)
    return spec.finish_rows(_read(driver, database, spec.cypher, prepared), prepared)
