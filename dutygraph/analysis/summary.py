"""The main job in one call: a plan's coordination gaps and load ranking (and its graph).

>>> from dutygraph import example_path, read_workplan
>>> result = analyze([read_workplan(example_path())])
>>> result.summary["tasks"], result.summary["tasks_without_lead"]
(23, 8)
>>> [r["unit"] for r in result.overload[:2]]
['市教育局', '市民政局']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from dutygraph.graph.build import build_graph
from dutygraph.graph.collectives import expand_collectives
from dutygraph.graph.records import Document
from dutygraph.queries import run_query

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyze` found: headline figures, gap rows, load rows, the graph as written
    and the graph queried (collectives expanded, when asked), and risk rows (kept apart from
    the gaps, so that no total mixes them)."""

    summary: dict[str, Any]
    gaps: list[dict[str, Any]]
    overload: list[dict[str, Any]]
    graph: nx.MultiDiGraph
    queried: nx.MultiDiGraph
    risks: list[dict[str, Any]]


def analyze(
    documents: Sequence[Document],
    *,
    expand: bool = True,
    members: Mapping[str, Sequence[str]] | None = None,
    k: int = 5,
    top: int | None = None,
) -> Analysis:
    """Build the graph of ``documents`` (collectives expanded unless ``expand`` is false) and run
    the ``gaps``, ``risks`` and ``overload`` catalog entries on it (all count direct
    assignments). ``summary["tasks_with_gaps"]`` counts each task once, whatever its gaps."""
    graph = build_graph(documents)
    queried = expand_collectives(graph, members) if expand else graph
    gaps = run_query("gaps", queried, {"k": k})
    risks = run_query("risks", queried)
    params: dict[str, Any] = {} if top is None else {"top": top}
    overload = run_query("overload", queried, params)
    tasks = [t for d in documents for t in d.tasks]
    by_kind = Counter(r["kind"] for r in gaps)
    no_lead = sum(1 for t in tasks if not t.leads)
    summary = {
        "documents": len(documents),
        "tasks": len(tasks),
        "units": len({a.unit for t in tasks for a in t.assignments}),
        "assignments": sum(len(t.assignments) for t in tasks),
        "tasks_without_lead": no_lead,
        "share_without_lead": round(no_lead / len(tasks), 4) if tasks else 0.0,
        "gaps_by_kind": dict(sorted(by_kind.items())),
        "tasks_with_gaps": len({r["uid"] for r in gaps}),
        "risks_by_kind": dict(sorted(Counter(r["kind"] for r in risks).items())),
        "tasks_with_risks": len({r["uid"] for r in risks}),
        "warnings": sum(len(d.warnings) for d in documents),
        "members_source": queried.graph.get("members_source"),
    }
    return Analysis(summary, gaps, overload, graph, queried, risks)
