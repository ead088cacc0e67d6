"""``dutygraph export``: every format of the seed reads back to the same nodes, edges and roles."""

from __future__ import annotations

import csv
import json
import re
import shlex
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from dutygraph import build_graph, parse_workplan, read_workplan
from dutygraph.cli import cli, main
from dutygraph.errors import InputError
from dutygraph.graph.collectives import expand_collectives
from dutygraph.queries import run_query
from dutygraph.views.export import EXPORT_FORMATS, export_graph, unit_projection
from tests.helpers import SEED

ROLE_COUNTS = {"lead": 17, "support": 42, "responsible": 62}
GRAPH_FORMATS = (".graphml", ".gexf", ".net", ".csv", ".json")


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return build_graph([read_workplan(SEED)])


@pytest.fixture(scope="module")
def parallel() -> nx.MultiDiGraph:
    """市民政局 leads and supports the same task: two parallel edges."""
    doc = parse_workplan(
        "1.做好困境儿童关爱。建设儿童之家。（牵头单位：市民政局；配合单位：市民政局、团市委）\n",
        doc_id="p",
    )
    graph = build_graph([doc])
    assert graph.number_of_edges("unit:市民政局", "task:p#1") == 2
    return graph


# -- readers: each returns a MultiDiGraph whose unit→task edges carry ``role`` ----------------


def read_csv_pair(paths: list[Path]) -> nx.MultiDiGraph:
    nodes_path, edges_path = paths
    graph = nx.MultiDiGraph()
    with nodes_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            graph.add_node(row.pop("id"), **{k: v for k, v in row.items() if v != ""})
    with edges_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            u, v = row.pop("source"), row.pop("target")
            graph.add_edge(u, v, key=row.pop("key", None), **{k: x for k, x in row.items() if x})
    return graph


def read_graphml(paths: list[Path]) -> nx.MultiDiGraph:
    """GraphML edge ids are e0, e1 …; the graph's edge key is the ``key`` attribute."""
    (path,) = paths
    raw = nx.read_graphml(path, force_multigraph=True)
    if not raw.is_directed():  # the projection
        return raw
    assert all(re.fullmatch(r"e\d+", str(k)) for *_, k in raw.edges(keys=True))
    graph = nx.MultiDiGraph()
    graph.graph.update(raw.graph)
    graph.add_nodes_from(raw.nodes(data=True))
    for u, v, data in raw.edges(data=True):
        attrs = dict(data)
        graph.add_edge(u, v, key=attrs.pop("key", None), **attrs)
    return graph


def read_pajek(paths: list[Path]) -> nx.MultiDiGraph:
    graph = nx.read_pajek(paths[0], encoding="utf-8-sig")
    for *_, data in graph.edges(data=True):
        if data.get("l") in ROLE_COUNTS:
            data["role"] = data["l"]
    return graph


def read_single(reader: Callable[[Path], Any]) -> Callable[[list[Path]], nx.MultiDiGraph]:
    def read(paths: list[Path]) -> nx.MultiDiGraph:
        (path,) = paths
        graph = reader(path)
        return graph if graph.is_multigraph() else nx.MultiDiGraph(graph)

    return read


READERS: dict[str, Callable[[list[Path]], nx.MultiDiGraph]] = {
    ".graphml": read_graphml,
    ".gexf": read_single(nx.read_gexf),
    ".net": read_pajek,
    ".csv": read_csv_pair,
    ".json": read_single(
        lambda p: nx.node_link_graph(json.loads(p.read_text(encoding="utf-8")), edges="links")
    ),
}


def read_dl(path: Path) -> tuple[list[str], dict[tuple[str, str], float]]:
    """A small reader of UCINET DL full matrices with embedded labels: labels, nonzero cells."""
    text = path.read_text(encoding="utf-8")
    header, data = re.split(r"(?im)^data:\s*$", text, maxsplit=1)
    size = re.search(r"(?i)\bn\s*=\s*(\d+)", header)
    assert size and re.search(r"(?i)format\s*=\s*fullmatrix", header)
    assert re.search(r"(?im)^labels embedded:?\s*$", header)
    columns, *rows = [shlex.split(line) for line in data.strip().splitlines()]
    assert len(columns) == len(rows) == int(size.group(1))
    assert [r[0] for r in rows] == columns
    cells = {}
    for label, *values in rows:
        assert len(values) == len(columns)
        cells.update(
            {(label, c): float(v) for c, v in zip(columns, values, strict=True) if v != "0"}
        )
    return columns, cells


# -- what must survive -----------------------------------------------------------------------


def role_edges(graph: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
    return Counter(
        (u, v, d["role"]) for u, v, d in graph.edges(data=True) if d.get("role") in ROLE_COUNTS
    )


def unit_names(graph: nx.Graph) -> set[str]:
    return {n.removeprefix("unit:") for n in graph if n.startswith("unit:")}


@pytest.mark.parametrize("suffix", GRAPH_FORMATS)
def test_seed_reads_back(seed: nx.MultiDiGraph, tmp_path: Path, suffix: str) -> None:
    paths = export_graph(seed, tmp_path / f"seed{suffix}")
    back = READERS[suffix](paths)
    assert set(back) == set(seed)
    kinds = Counter(n.split(":", 1)[0] for n in back)
    assert kinds == {"task": 23, "unit": 31, "doc": 1}
    assert role_edges(back) == role_edges(seed)
    assert Counter(r for *_, r in role_edges(back).elements()) == ROLE_COUNTS
    assert back.number_of_edges() == seed.number_of_edges() == 17 + 42 + 62 + 23
    assert {"团市委", "市卫生健康局", "未保委成员单位", "市人民检察院"} <= unit_names(back)
    assert unit_names(back) == unit_names(seed)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".csv", ".json"])
def test_attributes_survive(seed: nx.MultiDiGraph, tmp_path: Path, suffix: str) -> None:
    back = READERS[suffix](export_graph(seed, tmp_path / f"seed{suffix}"))
    task = back.nodes["task:anshun_2023#9"]
    original = seed.nodes["task:anshun_2023#9"]
    assert (task["title"], task["text"], task["section_title"]) == (
        original["title"],
        original["text"],
        original["section_title"],
    )
    unit = back.nodes["unit:未保委成员单位"]
    assert (unit["name"], unit["label"], str(unit["collective"])) == (
        "未保委成员单位",
        "未保委成员单位",
        "True",
    )
    doc = back.nodes["doc:anshun_2023"]
    assert (doc["doc_id"], doc["title"]) == ("anshun_2023", "安顺市2023年度未成年人保护工作要点")
    edges = [
        d for u, v, d in back.edges(data=True) if (u, v) == ("unit:团市委", "task:anshun_2023#9")
    ]
    (edge,) = edges
    assert edge["role"] == "support" and edge["as_written"] == "团市委"
    assert edge["clause"].startswith("牵头单位: 市民政局;配合单位:")
    assert int(edge["span_end"]) - int(edge["span_start"]) == 3
    # A null via: left out by GraphML and GEXF, an empty cell in CSV, null in JSON.
    assert edge.get("via") is None and ("via" in edge) == (suffix == ".json")
    assert edge.get("rel_type" if suffix == ".gexf" else "type") == "SUPPORTS"


@pytest.mark.parametrize("suffix", GRAPH_FORMATS)
def test_parallel_edges_survive(parallel: nx.MultiDiGraph, tmp_path: Path, suffix: str) -> None:
    back = READERS[suffix](export_graph(parallel, tmp_path / f"p{suffix}"))
    assert role_edges(back) == role_edges(parallel)
    assert sorted(role_edges(back)) == [
        ("unit:团市委", "task:p#1", "support"),
        ("unit:市民政局", "task:p#1", "lead"),
        ("unit:市民政局", "task:p#1", "support"),
    ]
    if suffix != ".net":  # Pajek has no edge keys
        assert set(back["unit:市民政局"]["task:p#1"]) == {"LEADS", "SUPPORTS"}


def test_gexf_for_gephi(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(seed, tmp_path / "seed.gexf")
    edges = [e for e in ET.parse(path).getroot().iter() if e.tag.endswith("}edge")]
    assert Counter(e.get("kind") for e in edges) == {
        "LEADS": 17,
        "SUPPORTS": 42,
        "RESPONSIBLE_FOR": 62,
        "IN": 23,
    }
    assert Counter(e.get("label") for e in edges)["lead"] == 17
    assert "市卫生健康局" in path.read_text(encoding="utf-8")


def test_pajek_text(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(seed, tmp_path / "seed.net")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf*Network dutygraph\n*Vertices 55\n")
    lines = raw.decode("utf-8-sig").splitlines()
    assert '"unit:团市委"' in {line.split(" ", 1)[1] for line in lines[2:57]}
    assert lines[57] == "*Arcs" and lines[58].endswith(' 1 l "lead"')


@pytest.mark.parametrize("suffix", GRAPH_FORMATS)
def test_projection_reads_back(seed: nx.MultiDiGraph, tmp_path: Path, suffix: str) -> None:
    paths = export_graph(seed, tmp_path / f"units{suffix}", projection=True)
    back = READERS[suffix](paths)
    expected = unit_projection(seed)
    assert set(back) == set(expected) and len(back) == 31
    weights = Counter({frozenset((u, v)): float(d["weight"]) for u, v, d in back.edges(data=True)})
    assert weights == {
        frozenset((u, v)): float(d["weight"]) for u, v, d in expected.edges(data=True)
    }


def test_ucinet_dl_is_the_projection(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(seed, tmp_path / "units.dl")
    labels, cells = read_dl(path)
    assert len(labels) == 31 and set(labels) == unit_names(seed)
    assert all(cells[a, b] == cells[b, a] for a, b in cells)
    # Weights are the shared tasks the ``partners`` query counts, independently.
    shared = {
        (r["unit_a"], r["unit_b"]): float(r["shared"]) for r in run_query("partners", seed, {})
    }
    assert {(a, b): w for (a, b), w in cells.items() if a < b} == shared
    assert cells["市人民检察院", "市公安局"] == 5.0  # tasks 5, 14, 21, 22 and 23
    assert '"团市委"' in path.read_text(encoding="utf-8")


def test_expanded_collectives(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    expanded = expand_collectives(seed)
    derived = [d for *_, d in expanded.edges(data=True) if d.get("via")]
    assert derived
    back = READERS[".graphml"](export_graph(expanded, tmp_path / "x.graphml"))
    assert role_edges(back) == role_edges(expanded)
    assert Counter(d.get("via") for *_, d in back.edges(data=True) if d.get("via")) == Counter(
        d["via"] for d in derived
    )
    assert json.loads(back.graph["members"]) == expanded.graph["members"]
    data = json.loads((export_graph(expanded, tmp_path / "x.json")[0]).read_text("utf-8"))
    assert data["graph"]["members"] == expanded.graph["members"]


def test_unknown_extension_in_the_library(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot export to \.png; use \.graphml, .* or \.dl"):
        export_graph(seed, tmp_path / "seed.png")
    assert list(tmp_path.iterdir()) == []


# -- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", EXPORT_FORMATS)
def test_cli_prints_the_paths(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"plan{suffix}"
    result = CliRunner().invoke(cli, ["export", "--input", SEED, "-o", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        written = [tmp_path / "plan.nodes.csv", tmp_path / "plan.edges.csv"]
    else:
        written = [out]
    assert result.stdout == "".join(f"{p}\n" for p in written)
    assert all(p.stat().st_size > 500 for p in written)
    assert sorted(tmp_path.iterdir()) == sorted(written)  # no temporary files left


def test_cli_projection_and_collectives(tmp_path: Path) -> None:
    out = tmp_path / "units.json"
    args = ["export", "--input", SEED, "-o", str(out), "--projection"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    plain = READERS[".json"]([out])
    assert len(plain) == 31 and all(n.startswith("unit:") for n in plain)
    assert CliRunner().invoke(cli, [*args, "--expand-collectives"]).exit_code == 0
    expanded = READERS[".json"]([out])
    assert expanded.number_of_edges() > plain.number_of_edges()


@pytest.mark.parametrize("name", ["graph.png", "graph", "graph.csv.txt"])
def test_cli_bad_extension_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # The extension is checked before the input is read: the missing input is not reported.
    code = main(["export", "--input", "no/such/plan.txt", "-o", str(tmp_path / name)])
    err = capsys.readouterr().err
    assert code == 2
    (message,) = [line for line in err.splitlines() if line.startswith("Error:")]
    assert message.startswith("Error: Invalid value for '-o' / '--output': ")
    assert message.endswith("; use .graphml, .gexf, .net, .csv, .json or .dl")
    assert "cannot export to" in message and "no/such" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".gexf", ".graphml", ".csv", ".json", ".net"])
def test_every_exported_edge_has_a_role(seed: nx.MultiDiGraph, tmp_path: Path, suffix: str) -> None:
    paths = export_graph(seed, tmp_path / f"seed{suffix}")
    if suffix == ".gexf":
        edges = [e for e in ET.parse(paths[0]).getroot().iter() if e.tag.endswith("}edge")]
        roles = Counter(e.get("label") for e in edges)
    elif suffix == ".graphml":
        back = nx.read_graphml(paths[0])
        roles = Counter(d.get("role") for *_, d in back.edges(data=True))
    elif suffix == ".csv":
        text = paths[1].read_text(encoding="utf-8-sig").splitlines()
        column = text[0].split(",").index("role")
        roles = Counter(line.split(",")[column] for line in text[1:])
    elif suffix == ".json":
        data = json.loads(paths[0].read_text(encoding="utf-8"))
        roles = Counter(e.get("role") for e in data["links"])
    else:
        lines = paths[0].read_text(encoding="utf-8-sig").splitlines()
        arcs = lines[lines.index("*Arcs") + 1 :]
        roles = Counter(line.split(" l ")[1].strip('"') for line in arcs)
    assert roles == {"lead": 17, "support": 42, "responsible": 62, "in": 23}
