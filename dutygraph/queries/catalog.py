"""The one catalog of named queries, and running an entry on the in-memory graph.

Every entry has a literal Cypher text (Neo4j 5, ``$params`` only) and an in-memory twin; see
:mod:`dutygraph.queries.spec`. To run an entry against Neo4j, prepare the parameters with
:func:`~dutygraph.queries.resolve.prepare_params` (unit names and task numbers read from the
store), run ``spec.cypher`` with them, and pass the records (as dicts) through
``spec.finish_rows(rows, params)``: the rows then equal :func:`run_query`'s.

>>> [spec.name for spec in catalog()]  # doctest: +NORMALIZE_WHITESPACE
['tasks-of', 'units-of', 'unit-profile', 'gaps', 'risks', 'due', 'overload', 'partners',
 'brokers', 'sections', 'section-tasks', 'shared-tasks']
>>> from dutygraph.queries.sample import sample_graph
>>> run_query("units-of", sample_graph(), {"task": "2", "role": "lead"})[0]["unit"]
'团市委'
>>> get("gap")
Traceback (most recent call last):
...
dutygraph.errors.QueryError: unknown query gap; did you mean gaps? (dutygraph queries lists them)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from dutygraph.errors import QueryError
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.queries.due import DUE
from dutygraph.queries.gaps import GAPS, RISKS
from dutygraph.queries.load import OVERLOAD, SECTIONS
from dutygraph.queries.lookup import SECTION_TASKS, TASKS_OF, UNIT_PROFILE, UNITS_OF
from dutygraph.queries.network import BROKERS, PARTNERS, SHARED_TASKS
from dutygraph.queries.resolve import (
    graph_sections,
    graph_tasks,
    graph_units,
    prepare_params,
    suggest,
)
from dutygraph.queries.spec import QuerySpec, Row

__all__ = ["CATALOG", "catalog", "catalog_rows", "get", "run_query"]

#: Every named query, in the order they are listed.
CATALOG: dict[str, QuerySpec] = {
    spec.name: spec
    for spec in (
        TASKS_OF,
        UNITS_OF,
        UNIT_PROFILE,
        GAPS,
        RISKS,
        DUE,
        OVERLOAD,
        PARTNERS,
        BROKERS,
        SECTIONS,
        SECTION_TASKS,
        SHARED_TASKS,
    )
}


def catalog() -> list[QuerySpec]:
    """The catalog's entries, in listing order."""
    return list(CATALOG.values())


def catalog_rows() -> list[Row]:
    """The catalog as rows (name, title, parameters with defaults, description) for listing.

    >>> catalog_rows()[3]["params"]
    'k=5 kind=any'
    """
    return [
        {
            "name": spec.name,
            "title": spec.title,
            "params": " ".join(
                f"{p.name}" if p.required else f"{p.name}={_show(p.default)}" for p in spec.params
            ),
            "description": spec.description,
        }
        for spec in catalog()
    ]


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def get(name: str) -> QuerySpec:
    """The entry called ``name``; an unknown name raises :class:`QueryError`."""
    spec = CATALOG.get(name.strip())
    if spec is None:
        close = suggest(name, list(CATALOG), limit=2)
        guess = f"did you mean {', '.join(close)}? " if close else ""
        raise QueryError(f"unknown query {name}", hint=f"{guess}(dutygraph queries lists them)")
    return spec


def run_query(
    name: str,
    graph: nx.MultiDiGraph,
    params: Mapping[str, Any] | None = None,
    *,
    gazetteer: Gazetteer | None = None,
) -> list[Row]:
    """Run a catalog entry on the in-memory graph and return its final rows.

    ``params`` may hold strings (as from the command line) or typed values; missing ones take
    their defaults. Unit names go through ``gazetteer`` (default: the shipped one).
    """
    spec = get(name)
    prepared = prepare_params(
        spec,
        params,
        units=graph_units(graph),
        tasks=graph_tasks(graph),
        gazetteer=gazetteer,
        sections=[s for s, _ in graph_sections(graph)],
    )
    return spec.finish_rows(spec.run(graph, prepared), prepared)
