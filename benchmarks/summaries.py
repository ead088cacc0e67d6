"""Time the summaries (default output) and the ``--all`` streams of the large answers in Neo4j.

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=secret \\
        python benchmarks/summaries.py [--rounds 2] [--unit 市教育局] [--partner 团市委] [--json]

Read only: the store is not written (filled beforehand, e.g. by ``dutygraph push`` or by
``benchmarks/run.py``). For each of ``gaps``, ``tasks-of UNIT``, ``sections`` and
``partners PARTNER``: ``summary_s``, the wall time of
:func:`~dutygraph.queries.run_neo4j.summarize_query_neo4j` end to end (parameters, Cypher,
rows made; a driver already open, as ``run_query_neo4j`` is timed by ``benchmarks/run.py``),
and ``all_s``, the time to take every row of
:func:`~dutygraph.queries.run_neo4j.stream_query_neo4j` from the cursor (``rows`` of them), with
the first row's time (``first_row_s``). Each figure is the best of ``--rounds`` runs (the first
run warms the page cache). :func:`measure` is what ``benchmarks/run.py`` can call.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any

from dutygraph.queries.run_neo4j import stream_query_neo4j, summarize_query_neo4j

__all__ = ["CASES", "measure"]

#: name → parameters, with ``{unit}``/``{partner}`` filled from the options.
CASES: dict[str, dict[str, str]] = {
    "gaps": {},
    "tasks-of": {"unit": "{unit}"},
    "sections": {},
    "partners": {"unit": "{partner}"},
}


def _params(template: Mapping[str, str], unit: str, partner: str) -> dict[str, str]:
    return {k: v.format(unit=unit, partner=partner) for k, v in template.items()}


def measure(
    driver: Any,
    *,
    database: str | None = None,
    unit: str = "市教育局",
    partner: str = "团市委",
    rounds: int = 2,
    top: int = 10,
) -> dict[str, dict[str, Any]]:
    """Best-of-``rounds`` seconds per entry: ``summary_s``, ``all_s``, ``first_row_s``,
    ``rows`` (and the summary's ``total``, which equals ``rows``)."""
    out: dict[str, dict[str, Any]] = {}
    for name, template in CASES.items():
        params = _params(template, unit, partner)
        best: dict[str, Any] = {}
        for _ in range(rounds):
            start = time.perf_counter()
            summary = summarize_query_neo4j(driver, name, params, top=top, database=database)
            summary_s = time.perf_counter() - start
            start = time.perf_counter()
            rows, first = 0, None
            for _row in stream_query_neo4j(driver, name, params, database=database):
                rows += 1
                if first is None:
                    first = time.perf_counter() - start
            all_s = time.perf_counter() - start
            found = {
                "summary_s": round(summary_s, 3),
                "all_s": round(all_s, 3),
                "first_row_s": round(first, 3) if first is not None else None,
                "rows": rows,
                "total": summary.total,
            }
            best = {
                k: min(v, best[k]) if k.endswith("_s") and best.get(k) is not None else v
                for k, v in found.items()
            }
        out[name] = best
    return out


def main(argv: list[str] | None = None) -> int:
    """Run :func:`measure` on the server of ``NEO4J_URI`` and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--unit", default="市教育局")
    parser.add_argument("--partner", default="团市委")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from neo4j import GraphDatabase

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    database = os.environ.get("NEO4J_DATABASE") or None
    with GraphDatabase.driver(uri, auth=auth) as driver:
        figures = measure(
            driver,
            database=database,
            unit=args.unit,
            partner=args.partner,
            rounds=args.rounds,
            top=args.top,
        )
    figures["load_average"] = {"end": list(os.getloadavg())}  # type: ignore[dict-item]
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        for name, f in figures.items():
            print(name, f, file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
