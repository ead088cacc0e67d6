"""``build_graph``: the networkx schema of docs/ARCHITECTURE.md §3 on the reference plan."""

from __future__ import annotations

import networkx as nx
from networkx.algorithms import bipartite

from dutygraph import Document, build_graph


def test_seed_graph_schema(seed_doc: Document) -> None:
    doc = seed_doc
    g = build_graph([doc])
    kinds = nx.get_node_attributes(g, "kind")
    units = [n for n, k in kinds.items() if k == "unit"]
    tasks = [n for n, k in kinds.items() if k == "task"]
    assert len(tasks) == 23
    assert len(units) == len({a.unit for a in doc.assignments}) == 31
    assert all(n.startswith("unit:") for n in units) and all(n.startswith("task:") for n in tasks)
    assert "doc:anshun_2023" in g
    rels = [d["type"] for _, _, d in g.edges(data=True)]
    assert rels.count("IN") == 23
    assert (rels.count("LEADS"), rels.count("SUPPORTS"), rels.count("RESPONSIBLE_FOR")) == (
        17,
        42,
        62,
    )
    edge = g.edges["unit:市卫生健康局", "task:anshun_2023#11", "SUPPORTS"]
    assert edge["as_written"] == "市卫生健康委"
    assert doc.text[edge["span_start"] : edge["span_end"]] == "市卫生健康委"
    assert edge["doc_id"] == "anshun_2023" and edge["via"] is None
    assert g.nodes["unit:团市委"]["unit_kind"] == "mass"
    assert g.nodes["unit:未保委成员单位"]["collective"] is True
    assert g.nodes["task:anshun_2023#7"]["section_title"] == "加强家庭保护"
    simple = nx.Graph(g.subgraph(units + tasks))
    projected = bipartite.projected_graph(simple, units)
    assert projected.has_edge("unit:团市委", "unit:市民政局")
