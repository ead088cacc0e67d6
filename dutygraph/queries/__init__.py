"""The named-query catalog: each entry a literal Cypher text and an in-memory twin.

>>> from dutygraph.queries.sample import sample_graph
>>> [r["number"] for r in run_query("gaps", sample_graph(), {"kind": "no-lead"})]
['3']
"""

from dutygraph.queries.ask import QUESTIONS, Interpretation, ask, interpret
from dutygraph.queries.catalog import CATALOG, catalog, catalog_rows, get, run_query
from dutygraph.queries.resolve import prepare_params, resolve_task, resolve_unit
from dutygraph.queries.spec import Param, QuerySpec
from dutygraph.queries.summary import SUMMARIZED, Summary, stream_query, summarize_query

__all__ = [
    "CATALOG",
    "QUESTIONS",
    "SUMMARIZED",
    "Interpretation",
    "Param",
    "QuerySpec",
    "Summary",
    "ask",
    "catalog",
    "catalog_rows",
    "get",
    "interpret",
    "prepare_params",
    "resolve_task",
    "resolve_unit",
    "run_query",
    "stream_query",
    "summarize_query",
]
