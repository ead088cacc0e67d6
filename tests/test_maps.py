"""The map page's content: data, styling, options, escaping, no external resources; the CLI."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from dutygraph import parse_workplan
from dutygraph.cli import cli, main
from dutygraph.errors import InputError, QueryError
from dutygraph.graph.build import build_graph
from dutygraph.views.maps import LAYOUT_THRESHOLD, map_data, render_map, write_map
from dutygraph.views.maps.style import ROLE_STYLES, UNIT_STYLES, wrap_label
from dutygraph.views.maps.template import inline_script, script_json
from tests.browser import (
    HOSTILE_LEAD,
    HOSTILE_PWN,
    HOSTILE_SUPPORT,
    HOSTILE_TITLE,
    hostile_graph,
    large_graph,
    seed_graph,
)
from tests.helpers import SEED, run_cli

GAP_TASKS = {"1", "2", "3", "4", "5", "6", "7", "8", "13", "14", "15", "19", "20"}
DATA_RE = re.compile(r'<script type="application/json" id="dg-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return seed_graph()


@pytest.fixture(scope="module")
def seed_html(seed: nx.MultiDiGraph) -> str:
    return render_map(seed)


def embedded(page: str) -> dict[str, Any]:
    """The data the page embeds, as the page's script reads it."""
    (text,) = DATA_RE.findall(page)
    data: dict[str, Any] = json.loads(text)
    return data


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        assert not [name for name, _ in attrs if name.startswith("on")], (tag, attrs)


def element_tags(page: str) -> Counter[str]:
    """How many elements of each tag the page's HTML holds (no event-handler attributes)."""
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_seed_map_embeds_every_unit_task_and_assignment(seed_html: str) -> None:
    data = embedded(seed_html)
    kinds = [n["kind"] for n in data["nodes"]]
    assert (kinds.count("unit"), kinds.count("task"), len(data["nodes"])) == (31, 23, 54)
    roles = [e["role"] for e in data["edges"]]
    assert (roles.count("lead"), roles.count("support"), roles.count("responsible")) == (17, 42, 62)
    assert len({e["id"] for e in data["edges"]}) == 121
    assert [s["section"] for s in data["sections"]] == list("一二三四五六七")
    assert data["layout"] == {"physics": True, "threshold": LAYOUT_THRESHOLD, "nodes": 54}
    assert "23 项任务 · 31 个单位 · 121 条分工" in seed_html


def test_the_page_is_self_contained(seed_html: str) -> None:
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", seed_html, re.I)
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?(?:https?:)?//", seed_html, re.I)
    assert "bootstrap" not in seed_html.lower() and "cdnjs" not in seed_html
    assert seed_html.count("<script") == 3 and seed_html.count("</script>") == 3
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', seed_html)
    assert csp and csp.group(1).startswith("default-src &#x27;none&#x27;; script-src &#x27;sha256-")
    assert "vis-network" in seed_html and "data:image/png" not in seed_html


def test_styles_by_kind_role_section_and_gap(seed_html: str) -> None:
    data = embedded(seed_html)
    nodes = by_id(data["nodes"])
    assert nodes["unit:团市委"]["shape"] == UNIT_STYLES["mass"].shape == "star"
    assert nodes["unit:市委宣传部"]["shape"] == "diamond"
    assert nodes["unit:未保委成员单位"]["shape"] == "hexagon"
    assert nodes["unit:未保委成员单位"]["shapeProperties"] == {"borderDashes": [5, 4]}
    sizes = {n["name"]: n["size"] for n in data["nodes"] if n["kind"] == "unit"}
    assert sizes["市民政局"] == sizes["市教育局"] == max(sizes.values())  # load 24 each
    assert sizes["市医保局"] < sizes["团市委"] < sizes["市民政局"]
    tasks = [n for n in data["nodes"] if n["kind"] == "task"]
    assert {n["number"] for n in tasks if n["gaps"]} == GAP_TASKS
    assert by_id(tasks)["task:anshun_2023#7"]["gaps"] == ["multi-lead", "collective-only"]
    colors = {n["section"]: n["color"]["background"] for n in tasks}
    assert len(set(colors.values())) == 7
    for edge in data["edges"]:
        style = ROLE_STYLES[edge["role"]]
        assert (edge["dashes"], edge["width"], edge["color"]["color"]) == (
            style.dashes,
            style.width,
            style.color,
        )


def test_tooltips_carry_the_clause_and_the_text(seed_html: str) -> None:
    nodes = by_id(embedded(seed_html)["nodes"])
    tip = nodes["task:anshun_2023#7"]["tip"]
    assert tip["head"] == "任务 7 · 加强家庭教育指导"
    rows = dict(tip["rows"])
    assert rows["牵头"] == "市妇联、市教育局、市民政局" and rows["配合"] == "未保委其他成员单位"
    assert "牵头单位" in rows["分工原文"] and tip["body"].startswith("7.")
    unit = dict(nodes["unit:市卫生健康局"]["tip"]["rows"])
    assert unit["文中写作"] == "市卫生健康委" and unit["类别"] == "政府部门"
    edge = embedded(seed_html)["edges"][0]
    assert dict(edge["tip"]["rows"])["分工原文"].startswith("牵头单位")


def test_search_index_holds_aliases(seed_html: str) -> None:
    search = embedded(seed_html)["search"]
    assert search["names"]["市卫生健康委"] == "市卫生健康局"
    assert search["names"]["团市委"] == "团市委"
    assert ["^共青团.{1,8}?市委$", "团市委"] in search["patterns"]


def test_labels_wrap_chinese() -> None:
    assert wrap_label("市人力资源社会保障局", 6) == "市人力资源\n社会保障局"
    assert wrap_label("市妇联", 6) == "市妇联"
    assert all(
        len(line) <= 9 for line in wrap_label("关于进一步加强未成年人保护工作的意见", 6).split("\n")
    )


@pytest.mark.parametrize(
    "text",
    [HOSTILE_LEAD, HOSTILE_SUPPORT, "</script><!--<script>", "a\u2028b\u2029c", "&amp;<>'\""],
)
def test_script_json_escapes_for_a_script_element(text: str) -> None:
    out = script_json({"k": [text]})
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(out) == {"k": [text]}


def test_inline_script_cannot_close_its_element() -> None:
    assert (
        inline_script('x = "</SCRIPT><!-- <script>"') == 'x = "\\x3c/SCRIPT>\\x3c!-- \\x3cscript>"'
    )


@pytest.mark.parametrize("source", ["records", "parsed"])
def test_hostile_names_are_escaped_everywhere(source: str) -> None:
    if source == "records":
        graph = hostile_graph()
        names = [HOSTILE_LEAD, HOSTILE_SUPPORT, HOSTILE_PWN]
    else:
        doc = parse_workplan(
            "要点\n一、任务\n1.甲。（牵头单位：市<script>alert(1)</script>局；"
            "配合单位：<img src=x onerror=alert(1)>局）\n",
            doc_id="h",
        )
        graph = build_graph([doc])
        names = [d["name"] for _, d in graph.nodes(data=True) if d["kind"] == "unit"]
    page = render_map(graph)
    assert page.count("<script") == 3 and page.count("</script>") == 3
    tags = element_tags(page)
    assert tags["script"] == 3 and not {"img", "b", "i"} & set(tags)
    assert "alert(1)</script>" not in page
    data = embedded(page)
    assert sorted(n["name"] for n in data["nodes"] if n["kind"] == "unit") == sorted(names)
    for name in names:
        assert f'<option value="{_attr(name)}">' in page
    if source == "records":
        assert f"<title>{_attr('<i>要点</i>' + HOSTILE_TITLE)} · 责任网络图</title>" in page
        assert "&lt;b onmouseover=&quot;window.__pwned=1&quot;&gt;社会&lt;/b&gt;" in page
        assert "\u2028" not in DATA_RE.findall(page)[0] and "\\u2028" in DATA_RE.findall(page)[0]


def _attr(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_section_role_and_ego_selection(seed: nx.MultiDiGraph) -> None:
    five = map_data(seed, section="五")
    assert sorted(n["number"] for n in five["nodes"] if n["kind"] == "task") == ["16", "17"]
    assert {n["name"] for n in five["nodes"] if n["kind"] == "unit"} == {
        "市委网信办",
        "市教育局",
        "市公安局",
        "市文体广电旅游局",
        "市大数据局",
        "团市委",
    }
    leads = map_data(seed, roles="lead")
    assert {e["role"] for e in leads["edges"]} == {"lead"} and len(leads["edges"]) == 17
    assert sum(n["kind"] == "task" for n in leads["nodes"]) == 23
    ego = map_data(seed, unit="共青团安顺市委", depth=1)
    assert ego["focus"] == {"unit": "unit:团市委", "depth": 1}
    tasks = sorted(int(n["number"]) for n in ego["nodes"] if n["kind"] == "task")
    assert tasks == [4, 5, 9, 10, 17, 23]
    assert [n["name"] for n in ego["nodes"] if n["kind"] == "unit"] == ["团市委"]
    assert len(map_data(seed, unit="团市委", depth=2)["nodes"]) > len(ego["nodes"])
    with pytest.raises(InputError, match="no section 十; sections are 一（加强统筹谋划）"):
        map_data(seed, section="十")
    with pytest.raises(InputError, match="unknown role boss"):
        map_data(seed, roles="lead,boss")
    with pytest.raises(QueryError, match="unknown unit 市体育局"):
        map_data(seed, unit="市体育局")


def test_expanded_collectives_are_drawn_fainter(seed: nx.MultiDiGraph) -> None:
    data = map_data(seed, expand_collectives=True)
    derived = [e for e in data["edges"] if e["via"]]
    assert derived and len(data["edges"]) == 121 + len(derived)
    assert {e["via"] for e in derived} == {"未保委成员单位", "未保委其他成员单位"}
    assert all(e["color"]["opacity"] < 0.5 for e in derived)
    assert "已展开集合单位" in render_map(seed, expand_collectives=True)


def test_large_maps_open_on_the_unit_overview() -> None:
    graph = large_graph(tasks=1400, units=200)
    data = map_data(graph)
    assert data["mode"] == "overview"
    assert data["layout"] == {"physics": False, "threshold": 1500, "nodes": 1600}
    assert data["options"]["physics"] == {"enabled": False}
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) > 1500
    units = [n for n in data["nodes"] if n["kind"] == "unit"]
    assert all(abs(u["x"]) <= 550 and abs(u["y"]) <= 550 for u in units)
    top = max(units, key=lambda u: u["load"])
    low = min(units, key=lambda u: u["load"])
    assert top["size"] == 28.0 and top["font"]["size"] == 26 and low["size"] < top["size"]
    assert data["links"] and all(x["from"] < x["to"] for x in data["links"])
    assert set(data["edges"][0]) == {"id", "from", "to", "role", "via", "order", "clause"}
    page = render_map(graph)
    assert "此图有 1,600 个节点，超过 1,500 个：先显示单位总览" in page


def test_unit_links_weigh_shared_tasks_by_role(seed: nx.MultiDiGraph) -> None:
    from dutygraph.views.maps.layout import unit_links

    links = {(x["from"], x["to"]): x for x in unit_links(seed)}
    # Both lead task 7 (3), both support task 9 (1), 市教育局 leads and 市妇联 supports task 10
    # ((3 + 1) / 2), both are responsible for task 20 (2): four tasks, weight 8.
    pair = links[("unit:市妇联", "unit:市教育局")]
    assert (pair["weight"], pair["tasks"], pair["role"]) == (8.0, 4, "lead")
    assert pair["pairs"] == ["lead", "lead+support", "responsible", "support"]
    per_unit = Counter(u for x in unit_links(seed) for u in (x["from"], x["to"]))
    partners = {
        u: {v for t in seed.successors(u) for v in seed.predecessors(t)} - {u}
        for u, d in seed.nodes(data=True)
        if d["kind"] == "unit"
    }
    assert all(per_unit[u] >= min(6, len(p)) for u, p in partners.items())
    assert len(links) < sum(len(p) for p in partners.values()) / 2  # the weakest are left out


def test_plan_names_and_section_keys_and_colours() -> None:
    from benchmarks.run import corpus_graph
    from dutygraph.views.maps.style import plan_names, section_colors

    graph = corpus_graph(600)
    data = map_data(graph)
    docs = {d["id"]: d for _, d in graph.nodes(data=True) if d["kind"] == "document"}
    names = plan_names(docs)
    assert len(set(names.values())) == len(names) > 1
    assert [p["name"] for p in data["plans"]] == list(names.values())
    keys = [s["key"] for s in data["sections"]]
    assert len(keys) == len(set(keys)) and all("::" in k for k in keys)
    numbers = Counter(s["section"] for s in data["sections"])
    assert numbers["一"] == len(docs)  # every plan's 一 is its own legend row
    task = next(n for n in data["nodes"] if n["kind"] == "task")
    assert task["planName"] == names[task["plan"]]
    assert task["label"].endswith(f"〔{task['planName']}〕")
    assert task["tip"]["rows"][0] == ["文件", task["planName"]]
    # colours come from the (plan, section) key: the same in a filtered and an ego map
    one = next(iter(docs))
    ego = map_data(graph, unit="市教育局", depth=2)
    for view in (ego, map_data(graph, section=f"{one}::二", layout_threshold=10**6)):
        for n in view["nodes"]:
            if n["kind"] == "task":
                plan, number = n["section"].split("::")
                fill, border = section_colors(plan, number)
                assert n["color"]["background"] == fill
                assert n["color"]["border"] == ("#d62728" if n["gaps"] else border)


def test_a_tasks_units_are_listed_in_document_order(seed: nx.MultiDiGraph) -> None:
    data = map_data(seed)
    kinds = [n["kind"] for n in data["nodes"]]  # units last: drawn over tasks, clicked first
    assert kinds == ["task"] * 23 + ["unit"] * 31
    task = next(n for n in data["nodes"] if n["id"] == "task:anshun_2023#21")
    edges = sorted(
        (e for e in data["edges"] if e["to"] == "task:anshun_2023#21"), key=lambda e: e["order"]
    )
    spans = [e["order"] for e in edges]
    assert spans == sorted(spans) and len(set(spans)) == len(spans)
    responsible = next(r[1] for r in task["tip"]["rows"] if r[0] == "责任").split("、")
    in_text = [
        seed.nodes[u]["name"]
        for u, _, d in sorted(
            seed.in_edges("task:anshun_2023#21", data=True), key=lambda e: e[2]["span_start"]
        )
        if d["type"] == "RESPONSIBLE_FOR"
    ]
    assert responsible == in_text


def test_ego_map_rings_by_hops(seed: nx.MultiDiGraph) -> None:
    one = map_data(seed, unit="团市委")
    assert one["mode"] == "ego" and one["layout"]["physics"] is False
    center = next(n for n in one["nodes"] if n["id"] == "unit:团市委")
    assert (center["x"], center["y"], center["fixed"], center["focus"]) == (0.0, 0.0, True, True)
    assert center["label"] == "*团市委*" and center["font"]["multi"] == "markdown"
    tasks = [n for n in one["nodes"] if n["kind"] == "task"]
    assert {n["ring"] for n in tasks} == {1} and len(one["nodes"]) == 7
    assert {round((n["x"] ** 2 + n["y"] ** 2) ** 0.5) for n in tasks} == {260}
    # clockwise from the top: lead tasks first, then responsible, then support
    roles = {e["to"]: e["role"] for e in one["edges"]}
    angle = {
        n["id"]: __import__("math").atan2(n["x"], -n["y"]) % (2 * __import__("math").pi)
        for n in tasks
    }
    ranked = sorted(angle, key=angle.__getitem__)
    order = {"lead": 0, "responsible": 1, "support": 2}
    assert [order[roles[t]] for t in ranked] == sorted(order[roles[t]] for t in ranked)
    two = map_data(seed, unit="团市委", depth=2)
    expected = {"unit:团市委"} | {t for _, t in seed.out_edges("unit:团市委")}
    expected |= {u for t in list(expected) if t.startswith("task:") for u in seed.predecessors(t)}
    assert {n["id"] for n in two["nodes"]} == expected
    assert {n["ring"] for n in two["nodes"]} == {0, 1, 2}


def test_small_maps_settle_then_stop(seed: nx.MultiDiGraph) -> None:
    data = map_data(seed)
    physics = data["options"]["physics"]
    assert physics["enabled"] and physics["stabilization"]["enabled"]
    assert all("x" not in n for n in data["nodes"])
    assert map_data(seed, layout_threshold=50)["layout"]["physics"] is False


def test_write_map_is_atomic(tmp_path: Path, seed: nx.MultiDiGraph) -> None:
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    path = write_map(target, seed, title="图")
    assert path == target and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    with pytest.raises(InputError, match="cannot write the file"):
        write_map(tmp_path / "missing" / "map.html", seed)


run = run_cli


def test_cli_map_writes_and_prints_the_path(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, stdout, _ = run(
        "map",
        "--input",
        SEED,
        "-o",
        str(out),
        "--section",
        "五",
        "--role",
        "lead,support",
        "--title",
        "网络保护",
    )
    assert (code, stdout) == (0, f"{out}\n")
    data = embedded(out.read_text(encoding="utf-8"))
    assert data["title"] == "网络保护" and len(data["edges"]) == 11


def test_cli_map_ego_and_expand(tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    code, _, _ = run(
        "map",
        "--input",
        SEED,
        "-o",
        str(out),
        "--unit",
        "市卫生健康委",
        "--depth",
        "1",
        "--expand-collectives",
    )
    assert code == 0 and embedded(out.read_text(encoding="utf-8"))["focus"]["unit"] == (
        "unit:市卫生健康局"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "map.png"],
            "Invalid value for '-o' / '--output': map.png must end in .html or .htm",
        ),
        (
            ["-o", "m.html", "--role", "boss"],
            "unknown role boss; roles are lead, support, responsible",
        ),
        (["-o", "m.html", "--depth", "0"], "Invalid value for '--depth'"),
    ],
)
def test_cli_map_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["map", "--input", SEED, *args])
    assert result.exit_code == 2 and message in result.stderr


def test_cli_map_unknown_section_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["map", "--input", SEED, "-o", str(tmp_path / "m.html"), "--section", "十"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("dutygraph: error: no section 十") and err.count("\n") == 1
    assert not (tmp_path / "m.html").exists()


def test_browser_tests_skip_without_chromium_unless_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tests.browser as tb

    monkeypatch.setattr(tb, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("DUTYGRAPH_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not at /nonexistent/chromium"):
        next(tb.launch_browser())
    monkeypatch.setenv("DUTYGRAPH_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="DUTYGRAPH_REQUIRE_BROWSER=1 requires"):
        next(tb.launch_browser())
