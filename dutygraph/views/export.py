"""Export the graph for Gephi, Pajek, UCINET, spreadsheets and other programs.

:func:`export_graph` picks the format by the file's extension. Every file is UTF-8 with the
Chinese text as is, and written atomically.

``.graphml``
    GraphML (networkx writer): all node, edge and graph attributes. Edge ids are ``e0``,
    ``e1`` … (unique: Gephi drops an edge whose id repeats) and the multigraph key (``LEADS``,
    ``SUPPORTS`` …, which tells parallel edges apart) is the edge attribute ``key``.
``.gexf``
    GEXF 1.2 for Gephi: ``role`` is an edge attribute and the edge label; the edge's ``kind``
    (Gephi's edge type, so that parallel edges stay apart) is the relationship type; GEXF keeps
    an edge's ``type`` for directed/undirected, so the graph's ``type`` is the ``rel_type``
    attribute here.
``.net``
    Pajek, written here: a UTF-8 byte order mark (Pajek reads UTF-8 only after one), then
    ``*Network``, ``*Vertices`` with each node's id as its quoted label, and ``*Arcs`` with
    the role (``in`` for task→document) as the line label ``l "lead"``. Pajek has no other
    attributes. A ``"`` in a label becomes ``'`` (Pajek has no escape for it).
``.csv``
    Two files beside each other, ``<stem>.nodes.csv`` (``id`` then the attributes) and
    ``<stem>.edges.csv`` (``source``, ``target``, ``key`` then the attributes), UTF-8 with a
    byte order mark so that Excel shows the Chinese; an absent value is an empty cell.
``.json``
    node-link JSON with the edges under ``"links"``: read it back with
    ``networkx.node_link_graph(data, edges="links")``. ``null`` stays ``null``.
``.dl``
    UCINET DL of the unit–unit projection, always: ``format = fullmatrix`` with ``labels
    embedded`` (a first row of column labels, each row led by its label; every label quoted),
    cells the number of tasks two units share, the diagonal 0.

With ``projection=True`` the other formats also write that projection (an undirected graph of
the units, ``weight`` the shared tasks) instead of the unit–task graph. Derived edges of
expanded collectives count in the projection like any other.

Attributes: GraphML and GEXF cannot store ``None``, so a null attribute (``via`` of a direct
edge, a document without ``doc_no``, a task without ``deadline``, ``due`` or ``leader``) is
**left out** of that element — read back, it is
missing, which ``.get()`` reads as ``None`` (an empty string would read back as a value). CSV
leaves the cell empty, JSON writes ``null``. Lists and mappings (the ``members`` of an expanded
graph) become JSON text. A document node's own ``id`` attribute is written as ``doc_id``, since
node-link, CSV and GEXF use ``id`` for the node id.

>>> import tempfile, pathlib
>>> from dutygraph.queries.sample import sample_graph
>>> with tempfile.TemporaryDirectory() as tmp:
...     paths = export_graph(sample_graph(), pathlib.Path(tmp) / "plan.csv")
...     [p.name for p in paths]
['plan.nodes.csv', 'plan.edges.csv']
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from dutygraph.errors import InputError
from dutygraph.files import write_atomic
from dutygraph.graph.build import ROLE_OF_REL

__all__ = ["EXPORT_FORMATS", "export_format", "export_graph", "unit_projection"]

#: The extensions :func:`export_graph` writes.
EXPORT_FORMATS = (".graphml", ".gexf", ".net", ".csv", ".json", ".dl")

_NODE_ORDER = (
    "kind",
    "label",
    "bipartite",
    "name",
    "unit_kind",
    "collective",
    "uid",
    "doc_id",
    "number",
    "section",
    "section_title",
    "title",
    "text",
    "deadline",
    "due",
    "leader",
)
_EDGE_ORDER = (
    "type",
    "role",
    "doc_id",
    "as_written",
    "span_start",
    "span_end",
    "clause",
    "via",
    "weight",
)


def export_format(path: str | os.PathLike[str]) -> str:
    """The format of ``path`` (its extension); any other extension raises :class:`InputError`.

    >>> export_format("plan.GEXF")
    '.gexf'
    >>> export_format("plan.png")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: plan.png: cannot export to .png; use .graphml, .gexf, .net, .csv, .json or .dl
    """  # noqa: E501
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        choices = ", ".join(EXPORT_FORMATS[:-1]) + f" or {EXPORT_FORMATS[-1]}"
        raise InputError(
            f"cannot export to {suffix or 'a file without extension'}; use {choices}",
            path=str(path),
        )
    return suffix


def unit_projection(graph: nx.MultiDiGraph) -> nx.Graph:
    """The unit–unit graph: two units are joined when they share a task, ``weight`` the number
    of tasks they share (whatever their roles). Every unit of ``graph`` is a node, with its
    attributes.

    >>> from dutygraph.queries.sample import sample_graph
    >>> p = unit_projection(sample_graph())
    >>> p["unit:团市委"]["unit:市教育局"]["weight"], p.nodes["unit:团市委"]["name"]
    (1, '团市委')
    """
    projection = nx.Graph()
    projection.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if d.get("kind") == "unit")
    units_of: dict[str, set[str]] = {}
    for u, t, data in graph.edges(data=True):
        if data.get("type") in ROLE_OF_REL:
            units_of.setdefault(t, set()).add(u)
    for units in units_of.values():
        for a, b in itertools.combinations(sorted(units), 2):
            weight = projection.edges[a, b]["weight"] + 1 if projection.has_edge(a, b) else 1
            projection.add_edge(a, b, weight=weight)
    return projection


def _label(data: Mapping[str, Any], node: str) -> str:
    if data.get("kind") == "unit":
        return str(data.get("name", node))
    if data.get("kind") == "task":
        return f"{data.get('number', '')} {data.get('title', '')}".strip()
    return str(data.get("title") or node)


def _value(value: Any) -> Any:
    if isinstance(value, list | tuple | set | dict):
        items = sorted(value) if isinstance(value, set) else value
        return json.dumps(items, ensure_ascii=False, sort_keys=True)
    return value


def _clean(data: Mapping[str, Any], *, native: bool) -> dict[str, Any]:
    """Attributes ready to write: ``None`` dropped and non-scalars as JSON text (unless
    ``native``, for JSON)."""
    if native:
        return dict(data)
    return {k: _value(v) for k, v in data.items() if v is not None}


def _prepared(graph: nx.Graph, *, native: bool = False) -> nx.Graph:
    """A copy to write: node ``label`` added, a document's ``id`` as ``doc_id``, values
    cleaned (see :func:`_clean`)."""
    out = graph.__class__()
    out.graph.update(_clean(graph.graph, native=native))
    for node, data in graph.nodes(data=True):
        attrs = dict(data)
        if attrs.get("kind") == "document" and "id" in attrs:
            attrs.setdefault("doc_id", attrs.pop("id"))
        attrs.setdefault("label", _label(data, node))
        out.add_node(node, **_clean(attrs, native=native))
    if graph.is_multigraph():
        for u, v, key, data in graph.edges(keys=True, data=True):
            out.add_edge(u, v, key=key, **_clean(_with_role(data), native=native))
    else:
        edges = graph.edges(data=True)
        out.add_edges_from((u, v, _clean(_with_role(d), native=native)) for u, v, d in edges)
    return out


def _with_role(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Every edge carries a role: a task's ``IN`` edge to its document has the role ``in``.

    >>> dict(_with_role({"type": "IN"}))
    {'type': 'IN', 'role': 'in'}
    """
    if "role" in data or data.get("type") != "IN":
        return data
    return {**data, "role": "in"}


def _graphml(graph: nx.Graph) -> bytes:
    prepared = _prepared(graph)
    if prepared.is_multigraph():  # unique edge ids (Gephi drops repeated ones), key as data
        keyed = prepared.__class__()
        keyed.graph.update(prepared.graph)
        keyed.add_nodes_from(prepared.nodes(data=True))
        for i, (u, v, key, data) in enumerate(prepared.edges(keys=True, data=True)):
            keyed.add_edge(u, v, key=f"e{i}", **data)
            keyed.edges[u, v, f"e{i}"]["key"] = key
        prepared = keyed
    buf = io.BytesIO()
    nx.write_graphml(prepared, buf, encoding="utf-8")
    return buf.getvalue()


def _gexf(graph: nx.Graph) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    prepared = _prepared(graph)
    for *_, data in prepared.edges(data=True):
        if "type" in data:
            data["rel_type"] = data.pop("type")
        if "role" in data or "rel_type" in data:
            data["label"] = data.get("role", data.get("rel_type"))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(prepared)
    elements = writer.xml.findall("graph/edges/edge")
    edges = list(prepared.edges(data=True))
    if len(elements) != len(edges):  # pragma: no cover - networkx writes one element per edge
        raise RuntimeError("GEXF writer skipped edges")
    for element, (*_, data) in zip(elements, edges, strict=True):
        if "rel_type" in data:
            element.set("kind", str(data["rel_type"]))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _quoted(text: Any) -> str:
    """A label in double quotes, as Pajek and UCINET read it.

    >>> _quoted('市"民政"局')
    '"市\\'民政\\'局"'
    """
    return '"' + " ".join(str(text).replace('"', "'").split()) + '"'


def _pajek(graph: nx.Graph) -> str:
    number = {node: i for i, node in enumerate(graph, start=1)}
    lines = ["*Network dutygraph", f"*Vertices {len(number)}"]
    lines += [f"{i} {_quoted(node)}" for node, i in number.items()]
    if graph.is_directed():
        lines.append("*Arcs")
        for u, v, data in graph.edges(data=True):
            label = _with_role(data).get("role") or data.get("type") or ""
            lines.append(f"{number[u]} {number[v]} 1 l {_quoted(label)}")
    else:
        lines.append("*Edges")
        for u, v, data in graph.edges(data=True):
            lines.append(f"{number[u]} {number[v]} {data.get('weight', 1)}")
    return "\ufeff" + "\n".join(lines) + "\n"


def _columns(
    rows: Iterable[Mapping[str, Any]], first: tuple[str, ...], order: tuple[str, ...]
) -> list[str]:
    present = {k for r in rows for k in r} - set(first)
    return [*first, *(k for k in order if k in present), *sorted(present - set(order))]


def _csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _cells(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: "" if v is None else _value(v) for k, v in row.items()}


def _csv(graph: nx.Graph, path: Path) -> list[Path]:
    prepared = _prepared(graph, native=True)
    nodes = [_cells({"id": n, **d}) for n, d in prepared.nodes(data=True)]
    if prepared.is_multigraph():
        edges = [
            _cells({"source": u, "target": v, "key": k, **d})
            for u, v, k, d in prepared.edges(keys=True, data=True)
        ]
        first: tuple[str, ...] = ("source", "target", "key")
    else:
        edges = [_cells({"source": u, "target": v, **d}) for u, v, d in prepared.edges(data=True)]
        first = ("source", "target")
    stem = path.with_suffix("")
    node_path, edge_path = Path(f"{stem}.nodes.csv"), Path(f"{stem}.edges.csv")
    node_text = _csv_text(nodes, _columns(nodes, ("id",), _NODE_ORDER))
    edge_text = _csv_text(edges, _columns(edges, first, _EDGE_ORDER))
    return [
        write_atomic(node_path, node_text, encoding="utf-8-sig"),
        write_atomic(edge_path, edge_text, encoding="utf-8-sig"),
    ]


def _node_link(graph: nx.Graph) -> str:
    prepared = _prepared(graph, native=True)
    multi = prepared.is_multigraph()
    links = (
        [
            {"source": u, "target": v, "key": k, **d}
            for u, v, k, d in prepared.edges(keys=True, data=True)
        ]
        if multi
        else [{"source": u, "target": v, **d} for u, v, d in prepared.edges(data=True)]
    )
    data = {
        "directed": prepared.is_directed(),
        "multigraph": multi,
        "graph": dict(prepared.graph),
        "nodes": [{"id": n, **d} for n, d in prepared.nodes(data=True)],
        "links": links,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _ucinet_dl(projection: nx.Graph) -> str:
    """The projection as a UCINET DL full matrix with embedded, quoted labels.

    >>> g = nx.Graph()
    >>> g.add_nodes_from([("unit:团市委", {"name": "团市委"}), ("unit:市妇联", {"name": "市妇联"})])
    >>> g.add_edge("unit:团市委", "unit:市妇联", weight=2)
    >>> print(_ucinet_dl(g), end="")
    dl n=2
    format = fullmatrix
    labels embedded:
    data:
    "团市委" "市妇联"
    "团市委" 0 2
    "市妇联" 2 0
    """
    nodes = list(projection)
    labels = [_quoted(projection.nodes[n].get("name", n)) for n in nodes]
    lines = [f"dl n={len(nodes)}", "format = fullmatrix", "labels embedded:", "data:"]
    lines.append(" ".join(labels))
    for a, label in zip(nodes, labels, strict=True):
        cells = (
            projection.edges[a, b].get("weight", 1) if projection.has_edge(a, b) and a != b else 0
            for b in nodes
        )
        lines.append(" ".join([label, *map(str, cells)]))
    return "\n".join(lines) + "\n"


_WRITERS: dict[str, Callable[[nx.Graph], bytes | str]] = {
    ".graphml": _graphml,
    ".gexf": _gexf,
    ".net": _pajek,
    ".json": _node_link,
    ".dl": _ucinet_dl,
}


def export_graph(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], *, projection: bool = False
) -> list[Path]:
    """Write ``graph`` in the format of ``path``'s extension and return the paths written.

    ``projection`` writes the unit–unit projection (:func:`unit_projection`) instead; ``.dl``
    always does. ``.csv`` writes two files (nodes and edges), the others one.
    """
    fmt = export_format(path)
    target = Path(path)
    data: nx.Graph = unit_projection(graph) if projection or fmt == ".dl" else graph
    if fmt == ".csv":
        return _csv(data, target)
    return [write_atomic(target, _WRITERS[fmt](data))]
