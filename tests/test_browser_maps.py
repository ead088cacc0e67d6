"""The map in a real headless Chromium: one plan (click, side panel, search by alias and title,
filters that re-fit, the URL hash, PNG export, ego rings), many plans (the unit overview, plan
views, role filters), no requests, no XSS."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from benchmarks.run import corpus_graph
from dutygraph.views.maps import map_data, write_map
from dutygraph.views.maps.style import section_colors
from tests.browser import (
    HOSTILE_LEAD,
    HOSTILE_PWN,
    HOSTILE_SECTION,
    HOSTILE_SUPPORT,
    HOSTILE_TITLE,
    OpenMap,
    hostile_graph,
    large_graph,
    launch_browser,
    node_point,
    open_map,
    seed_graph,
)

pytestmark = pytest.mark.browser

TWY = "unit:团市委"
TWY_TASKS = sorted(f"task:anshun_2023#{n}" for n in (4, 5, 9, 10, 17, 23))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_browser()


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_map(tmp_path_factory.mktemp("map") / "seed.html", seed_graph())


@pytest.fixture(scope="module")
def seed_page(browser: Any, seed_file: Path) -> Iterator[OpenMap]:
    opened = open_map(browser, seed_file)
    yield opened
    opened.close()


@pytest.fixture
def seed(seed_page: OpenMap) -> Iterator[OpenMap]:
    """The seed map (opened once per module), back to its first state: all shown, none chosen."""
    seed_page.page.click("#dg-reset")
    seed_page.page.mouse.move(1, 1)
    yield seed_page
    assert seed_page.errors == [] and seed_page.dialogs == []


def test_seed_map_renders_every_node_and_edge(seed: OpenMap) -> None:
    counts = seed.page.evaluate(
        """() => {
            const d = window.dutygraph;
            const kinds = {};
            d.nodes.forEach((n) => { kinds[n.kind] = (kinds[n.kind] || 0) + 1; });
            const roles = {};
            d.edges.forEach((e) => { roles[e.role] = (roles[e.role] || 0) + 1; });
            const drawn = Object.keys(d.network.getPositions()).length;
            return {nodes: d.nodes.length, edges: d.edges.length, kinds, roles, drawn,
                    physics: d.network.physics.options.enabled};
        }"""
    )
    assert counts == {
        "nodes": 54,
        "edges": 121,
        "kinds": {"unit": 31, "task": 23},
        "roles": {"lead": 17, "support": 42, "responsible": 62},
        "drawn": 54,
        "physics": False,
    }
    assert seed.page.locator("#dg-progress").is_hidden()


def test_clicking_a_unit_highlights_exactly_its_tasks(seed: OpenMap) -> None:
    page = seed.page
    page.mouse.click(*node_point(page, TWY))
    assert page.evaluate("() => window.dutygraph.state.selected") == TWY
    assert page.evaluate("() => window.dutygraph.highlightedTasks()") == TWY_TASKS
    dimmed = page.evaluate(
        """() => window.dutygraph.nodes.get({filter: (n) => n.kind === "task"})
                 .filter((n) => !n.dimmed).map((n) => n.id).sort()"""
    )
    assert dimmed == TWY_TASKS
    edges = page.evaluate(
        "() => window.dutygraph.edges.get({filter: (e) => !e.dimmed}).map((e) => e.to).sort()"
    )
    assert edges == TWY_TASKS
    info = page.locator("#dg-info")
    assert (
        info.is_visible()
        and "团市委" in info.inner_text()
        and "9. 做好重点对象关爱" in (info.inner_text())
    )
    page.mouse.click(*_empty_point(page))
    assert page.evaluate("() => window.dutygraph.state.selected") is None
    assert page.evaluate("() => window.dutygraph.nodes.get({filter: (n) => n.dimmed}).length") == 0


@pytest.mark.parametrize(
    ("typed", "unit"),
    [("共青团安顺市委", "团市委"), ("市卫生健康委", "市卫生健康局"), (" 市 妇联 ", "市妇联")],
)
def test_search_finds_a_unit_by_alias(seed: OpenMap, typed: str, unit: str) -> None:
    page = seed.page
    page.fill("#dg-search-input", typed)
    page.press("#dg-search-input", "Enter")
    assert page.evaluate("() => window.dutygraph.state.selected") == f"unit:{unit}"
    assert page.inner_text("#dg-search-status").startswith(f"找到：{unit}")


def test_search_reports_an_unknown_name(seed: OpenMap) -> None:
    seed.page.fill("#dg-search-input", "市体育局")
    seed.page.press("#dg-search-input", "Enter")
    assert seed.page.inner_text("#dg-search-status") == "图中没有“市体育局”"
    assert seed.page.evaluate("() => window.dutygraph.state.selected") is None


def test_filters_by_role_and_section(seed: OpenMap) -> None:
    page = seed.page
    visible = """() => [window.dutygraph.edges.get({filter: (e) => !e.hidden}).length,
                       window.dutygraph.nodes.get({filter: (n) => !n.hidden && n.kind === "task"})
                         .map((n) => n.number)]"""
    page.uncheck("input[name=dg-role][value=support]")
    edges, tasks = page.evaluate(visible)
    assert edges == 17 + 62 and len(tasks) == 23
    for section in "一二三四六七":
        page.uncheck(f'input[name=dg-section][value="anshun_2023::{section}"]')
    edges, tasks = page.evaluate(visible)
    assert sorted(tasks) == ["16", "17"] and edges == 2
    units = page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => !n.hidden && n.kind === 'unit'})"
        ".map((n) => n.name)"
    )
    assert units == ["市委网信办"]
    page.click("#dg-reset")
    assert page.evaluate(visible)[0] == 121


def test_tooltips_show_the_clause_as_text(seed: OpenMap) -> None:
    page = seed.page
    page.mouse.move(*node_point(page, "task:anshun_2023#7"))
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert "任务 7 · 加强家庭教育指导" in text and "牵头单位" in text and "市妇联" in text


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_the_page_makes_no_network_request(browser: Any, seed_file: Path, bypass_csp: bool) -> None:
    opened = open_map(browser, seed_file, bypass_csp=bypass_csp)
    opened.page.mouse.click(*node_point(opened.page, TWY))
    opened.page.mouse.move(*node_point(opened.page, "task:anshun_2023#9"))
    opened.page.wait_for_timeout(300)
    assert opened.other_requests == []
    assert opened.errors == []
    opened.close()


def test_the_request_recorder_sees_requests(browser: Any, tmp_path: Path) -> None:
    """A control: a page that does fetch something is caught (so zero above means zero)."""
    page_file = tmp_path / "fetching.html"
    page_file.write_text('<img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    context = browser.new_context()
    seen: list[str] = []

    def route(route: Any, request: Any) -> None:
        seen.append(request.url)
        route.continue_() if request.url == page_file.as_uri() else route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_timeout(200)
    context.close()
    assert seen == [page_file.as_uri(), "http://127.0.0.1:9/x.png"]


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_names_are_shown_as_text(browser: Any, tmp_path: Path, bypass_csp: bool) -> None:
    path = write_map(tmp_path / "hostile.html", hostile_graph())
    opened = open_map(browser, path, bypass_csp=bypass_csp)
    page = opened.page
    for node in (f"unit:{HOSTILE_LEAD}", f"unit:{HOSTILE_PWN}", "task:h#1"):
        page.mouse.move(*node_point(page, node))
        page.wait_for_timeout(250)
    page.mouse.click(*node_point(page, f"unit:{HOSTILE_SUPPORT}"))
    page.fill("#dg-search-input", HOSTILE_LEAD)
    page.press("#dg-search-input", "Enter")
    assert page.evaluate("() => window.dutygraph.state.selected") == f"unit:{HOSTILE_LEAD}"
    assert opened.dialogs == []
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('img, b, i').length") == 0
    assert page.evaluate("() => document.scripts.length") == 3
    assert page.title() == f"<i>要点</i>{HOSTILE_TITLE} · 责任网络图"
    assert page.inner_text("#dg-info-title") == HOSTILE_LEAD
    tips = page.evaluate(
        "() => window.dutygraph.nodes.get().map((n) => n.title.textContent).join('\\n')"
    )
    assert HOSTILE_SUPPORT in tips and HOSTILE_TITLE.strip("\u2028") in tips
    options = page.evaluate(
        "() => Array.from(document.querySelectorAll('#dg-names option')).map((o) => o.value)"
    )
    assert HOSTILE_PWN in options
    assert opened.other_requests == []
    opened.close()


def test_a_large_map_opens_on_its_units(browser: Any, tmp_path: Path) -> None:
    graph = large_graph(tasks=1400, units=200)
    path = write_map(tmp_path / "large.html", graph)
    opened = open_map(browser, path)
    page = opened.page
    assert page.evaluate("() => window.dutygraph.nodes.length") == 200
    assert page.evaluate("() => window.dutygraph.network.physics.options.enabled") is False
    assert "先显示单位总览" in page.inner_text("#dg-layout-note")
    assert page.evaluate("() => window.dutygraph.select('unit:市第7局')") is True
    items = page.eval_on_selector_all("#dg-info-body li", "(xs) => xs.map((x) => x.dataset.node)")
    expected = sorted({t for _, t in graph.out_edges("unit:市第7局")})
    assert sorted(items) == expected
    assert opened.other_requests == [] and opened.errors == []
    opened.close()


def test_the_readme_screenshot_tool(browser: Any, tmp_path: Path) -> None:
    from tools.screenshot_map import screenshot

    png = screenshot(tmp_path / "map.png", browser=browser)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000


def _empty_point(page: Any) -> tuple[float, float]:
    """A point of the map canvas with no node or edge under it."""
    found = page.evaluate(
        """() => {
            const net = window.dutygraph.network;
            const box = document.getElementById("dg-map").getBoundingClientRect();
            for (let y = 10; y < box.height; y += 23) {
                for (let x = 10; x < box.width; x += 23) {
                    const p = {x, y};
                    if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === undefined) {
                        return [x + box.left, y + box.top];
                    }
                }
            }
            return null;
        }"""
    )
    assert found is not None
    return float(found[0]), float(found[1])


# --------------------------------------------------------------------------- one plan: panel,
# search by title, re-fit, the URL's hash, export, the ego map


def test_clicking_a_task_shows_its_details_in_the_side_panel(seed: OpenMap) -> None:
    page = seed.page
    page.mouse.click(*node_point(page, "task:anshun_2023#21"))
    assert page.evaluate("() => window.dutygraph.state.selected") == "task:anshun_2023#21"
    assert page.inner_text("#dg-info-title") == "任务 21 · 打击涉未成年人犯罪"
    body = page.inner_text("#dg-info-body")
    assert "文件\t安顺市2023年度未成年人保护工作要点" in body.replace("\n", "\t")
    items = page.eval_on_selector_all("#dg-info-body li", "(xs) => xs.map((x) => x.textContent)")
    assert items == ["市人民检察院", "市中级人民法院", "市公安局"]  # as written, in that order
    box = page.locator("#dg-info").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 300  # in the side panel


def test_search_finds_a_task_by_its_title(seed: OpenMap) -> None:
    page = seed.page
    page.fill("#dg-search-input", "家庭教育指导")
    page.press("#dg-search-input", "Enter")
    assert page.evaluate("() => window.dutygraph.state.selected") == "task:anshun_2023#7"
    assert page.inner_text("#dg-search-status") == (
        "找到任务：7. 加强家庭教育指导〔安顺市2023年度未成年人保护工作要点〕"
    )
    page.fill("#dg-search-input", "加强")
    page.press("#dg-search-input", "Enter")
    status = page.inner_text("#dg-search-status")
    titles = [d["title"] for _, d in seed_graph().nodes(data=True) if "加强" in d.get("title", "")]
    assert status == f"有 {len(titles)} 项任务含“加强”"
    listed = page.eval_on_selector_all("#dg-info-body li", "(xs) => xs.map((x) => x.textContent)")
    assert len(listed) == len(titles) and all(
        x.endswith("〔安顺市2023年度未成年人保护工作要点〕") for x in listed
    )


def _visible_box(page: Any) -> dict[str, float]:
    """The DOM bounding box of the visible nodes' centres, and the map's size."""
    box: dict[str, float] = page.evaluate(
        """() => {
            const d = window.dutygraph, net = d.network;
            const ids = d.nodes.getIds({filter: (n) => !n.hidden});
            const pts = ids.map((id) => net.canvasToDOM(net.getPosition(id)));
            const el = document.getElementById("dg-map");
            return {left: Math.min(...pts.map((p) => p.x)), right: Math.max(...pts.map((p) => p.x)),
                    top: Math.min(...pts.map((p) => p.y)), bottom: Math.max(...pts.map((p) => p.y)),
                    width: el.clientWidth, height: el.clientHeight, scale: net.getScale()};
        }"""
    )
    return box


def test_filters_refit_the_view(seed: OpenMap) -> None:
    page = seed.page
    before = _visible_box(page)
    for section in "一二三四六七":
        page.uncheck(f'input[name=dg-section][value="anshun_2023::{section}"]')
    after = _visible_box(page)
    assert after["scale"] > before["scale"] * 1.15
    assert after["left"] >= 0 and after["right"] <= after["width"]
    assert after["top"] >= 0 and after["bottom"] <= after["height"]
    # the few nodes left fill the view: they span at least a third of it one way
    assert (after["right"] - after["left"]) > after["width"] / 3 or (
        after["bottom"] - after["top"]
    ) > after["height"] / 3


def test_the_hash_holds_the_selection_and_filters(browser: Any, seed_file: Path) -> None:
    opened = open_map(browser, seed_file, hash="#unit=共青团安顺市委&roles=lead,support")
    page = opened.page
    assert page.evaluate("() => window.dutygraph.state.selected") == TWY
    roles = page.eval_on_selector_all(
        "input[name=dg-role]", "(xs) => xs.filter((x) => x.checked).map((x) => x.value)"
    )
    assert roles == ["lead", "support"]
    assert page.evaluate("() => window.dutygraph.edges.get({filter: (e) => !e.hidden}).length") == (
        17 + 42
    )
    page.mouse.click(*node_point(page, "unit:市妇联"))
    _hash_has(page, "unit=市妇联")
    page.uncheck('input[name=dg-section][value="anshun_2023::一"]')
    _hash_has(page, "section=anshun_2023::二,anshun_2023::三")
    page.go_back()
    page.wait_for_function("() => !location.hash.includes('section=')")
    assert page.is_checked('input[name=dg-section][value="anshun_2023::一"]')
    page.go_back()
    page.wait_for_function(f"() => window.dutygraph.state.selected === {TWY!r}")
    page.go_forward()
    page.wait_for_function("() => window.dutygraph.state.selected === 'unit:市妇联'")
    assert opened.other_requests == [] and opened.errors == []
    opened.close()


def test_png_export_downloads_the_map(seed: OpenMap, tmp_path: Path) -> None:
    page = seed.page
    with page.expect_download() as info:
        page.click("#dg-export")
    download = info.value
    assert download.suggested_filename == "dutygraph-map.png"
    path = tmp_path / "map.png"
    download.save_as(path)
    data = path.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    canvas = page.evaluate(
        "() => { const c = document.querySelector('#dg-map canvas'); return [c.width, c.height]; }"
    )
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and [width, height] == canvas
    assert len(data) > 20_000  # a drawing, not a blank canvas
    assert seed.other_requests == []


def test_ego_map_pins_marks_and_rings_the_unit(browser: Any, tmp_path: Path) -> None:
    graph = seed_graph()
    full = {n["id"]: n["color"] for n in map_data(graph)["nodes"] if n["kind"] == "task"}
    path = write_map(tmp_path / "ego.html", graph, unit="团市委", depth=2)
    opened = open_map(browser, path)
    page = opened.page
    x, y = node_point(page, TWY)
    box = page.locator("#dg-map").bounding_box()
    assert box is not None
    assert abs(x - (box["x"] + box["width"] / 2)) < box["width"] * 0.05
    assert abs(y - (box["y"] + box["height"] / 2)) < box["height"] * 0.05
    center = page.evaluate(f"() => window.dutygraph.nodes.get({TWY!r})")
    assert center["focus"] is True and center["shadow"]["enabled"] is True
    assert center["font"]["multi"] == "markdown" and center["label"] == "*团市委*"
    rings = page.evaluate(
        """() => window.dutygraph.nodes.get().map((n) => {
            const p = window.dutygraph.network.getPosition(n.id);
            return [n.ring, Math.round(Math.hypot(p.x, p.y))];
        })"""
    )
    radius: dict[int, set[int]] = {}
    for ring, r in rings:
        radius.setdefault(ring, set()).add(r)
    assert radius[0] == {0} and radius[1] == {260} and min(radius[2]) >= 519
    tasks = page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => n.kind === 'task'})"
        ".map((n) => [n.id, n.color])"
    )
    assert {t: c for t, c in tasks} == {t: full[t] for t, _ in tasks}  # same colours
    page.mouse.click(*node_point(page, TWY))
    assert page.evaluate("() => window.dutygraph.highlightedTasks()") == TWY_TASKS
    assert opened.other_requests == [] and opened.errors == []
    opened.close()


def test_hostile_text_in_the_hash_stays_text(browser: Any, tmp_path: Path) -> None:
    path = write_map(tmp_path / "hostile.html", hostile_graph())
    hostile = "#unit=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&plan=%3Cb%3E"
    opened = open_map(browser, path, hash=hostile)
    page = opened.page
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('img, b, i').length") == 0
    assert opened.dialogs == [] and opened.other_requests == []
    opened.close()


# --------------------------------------------------------------------------- many plans


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    graph = corpus_graph(3054)
    return write_map(tmp_path_factory.mktemp("corpus") / "corpus.html", graph), graph


@pytest.fixture
def corpus(browser: Any, corpus_file: tuple[Path, Any]) -> Iterator[OpenMap]:
    opened = open_map(browser, corpus_file[0])
    yield opened
    assert opened.errors == [] and opened.dialogs == [] and opened.other_requests == []
    opened.close()


def test_many_plans_open_on_a_readable_unit_overview(
    corpus: OpenMap, corpus_file: tuple[Path, Any]
) -> None:
    page, graph = corpus.page, corpus_file[1]
    units = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "unit")
    shown = page.evaluate(
        """() => { const d = window.dutygraph, s = d.network.getScale();
            return {ids: d.nodes.getIds().sort(), kinds: [...new Set(d.nodes.map((n) => n.kind))],
                    labels: d.nodes.get().filter((n) => !n.label).length,
                    biggest: Math.max(...d.nodes.map((n) => n.font.size)) * s,
                    sizes: [...new Set(d.nodes.map((n) => n.size))].length,
                    links: d.edges.get().every((e) => e.link)}; }"""
    )
    assert shown["ids"] == units and shown["kinds"] == ["unit"]  # no task, no red block
    assert shown["labels"] == 0 and shown["biggest"] >= 16 and shown["sizes"] > 10
    assert shown["links"] is True
    assert "先显示单位总览" in page.inner_text("#dg-layout-note")
    assert page.locator("#dg-plan option").count() == 1 + 165
    assert page.locator("#dg-sections label.dg-row:visible").count() == 0


def test_clicking_a_unit_on_the_overview_lists_its_tasks_with_their_plans(
    corpus: OpenMap, corpus_file: tuple[Path, Any]
) -> None:
    page, graph = corpus.page, corpus_file[1]
    page.mouse.click(*node_point(page, "unit:市教育局"))
    assert page.evaluate("() => window.dutygraph.state.selected") == "unit:市教育局"
    items = page.eval_on_selector_all(
        "#dg-info-body ul:not(.dg-plans) li", "(xs) => xs.map((x) => x.textContent)"
    )
    per_role = Counter(d["type"] for _, _, d in graph.out_edges("unit:市教育局", data=True))
    assert len(items) == sum(min(n, 150) for n in per_role.values())  # 150 a role at most
    more = page.eval_on_selector_all(
        "#dg-info-body p.dg-more", "(xs) => xs.map((x) => x.textContent)"
    )
    assert more == [
        f"另有 {n - 150} 项未列出：选择一份文件或查找任务名称，可缩小范围。"
        for role in ("LEADS", "SUPPORTS", "RESPONSIBLE_FOR")
        if (n := per_role[role]) > 150
    ]
    names = page.evaluate("() => window.dutygraph.data.plans.map((p) => p.name)")
    assert all(re.fullmatch(r"\d+\. .+〔(.+)〕", x) for x in items)
    assert {re.fullmatch(r"\d+\. .+〔(.+)〕", x)[1] for x in items} <= set(names)  # type: ignore[index]
    _hash_has(page, "unit=市教育局")
    plans = page.eval_on_selector_all(
        "#dg-info-body ul.dg-plans li", "(xs) => xs.map((x) => [x.dataset.plan, x.textContent])"
    )
    per_plan = Counter(graph.nodes[t]["doc_id"] for _, t in graph.out_edges("unit:市教育局"))
    assert len(plans) == min(len(per_plan), 150)
    first, text = plans[0]
    assert per_plan[first] == max(per_plan.values()) and text.endswith(f"（{per_plan[first]}）")
    page.click(f'#dg-info-body ul.dg-plans li[data-plan="{first}"]')
    _hash_has(page, f"unit=市教育局&plan={first}")
    shown = page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => n.kind === 'task'}).map((n) => n.plan)"
    )
    assert set(shown) == {first}
    assert page.evaluate("() => window.dutygraph.state.selected") == "unit:市教育局"
    assert len(page.evaluate("() => window.dutygraph.highlightedTasks()")) == len(
        {t for _, t in graph.out_edges("unit:市教育局") if graph.nodes[t]["doc_id"] == first}
    )


def test_choosing_a_plan_opens_its_tasks(corpus: OpenMap, corpus_file: tuple[Path, Any]) -> None:
    page, graph = corpus.page, corpus_file[1]
    plan = "plan_000003"
    page.select_option("#dg-plan", plan)
    tasks = sorted(n for n, d in graph.nodes(data=True) if d.get("doc_id") == plan)
    units = sorted({u for t in tasks for u in graph.predecessors(t) if u.startswith("unit:")})
    ids = page.evaluate("() => window.dutygraph.nodes.getIds().sort()")
    assert ids == sorted(tasks + units)
    rows = page.eval_on_selector_all(
        "#dg-sections label.dg-row",
        "(xs) => xs.filter((x) => !x.hidden).map((x) => x.dataset.plan)",
    )
    sections = {graph.nodes[t]["section"] for t in tasks}
    assert rows == [plan] * len(sections)
    colours = page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => n.kind === 'task'})"
        ".map((n) => [n.section, n.color.background])"
    )
    assert all(c == section_colors(*key.split("::"))[0] for key, c in colours)
    layout = page.evaluate(
        """() => window.dutygraph.nodes.get().map((n) => {
            const p = window.dutygraph.network.getPosition(n.id);
            return [n.kind, n.order, p.x, p.y, n.label]; })"""
    )
    column = sorted((order, x, y, label) for kind, order, x, y, label in layout if kind == "task")
    assert {x for _, x, _, _ in column} == {0}  # the tasks in document order, top to bottom
    assert [y for _, _, y, _ in column] == sorted(y for _, _, y, _ in column)
    assert not any("〔" in label for *_, label in column)  # one plan: no plan name in labels
    beside = sorted(y for kind, _, _, y, _ in layout if kind == "unit")
    assert all(b - a >= 61.9 for a, b in pairwise(beside))
    _hash_has(page, f"plan={plan}")
    box = _visible_box(page)
    assert box["left"] >= 0 and box["right"] <= box["width"]
    page.go_back()
    page.wait_for_function("() => window.dutygraph.nodes.get().every((n) => n.kind === 'unit')")


def test_search_for_a_task_title_across_plans(
    corpus: OpenMap, corpus_file: tuple[Path, Any]
) -> None:
    page, graph = corpus.page, corpus_file[1]
    title = next(d["title"] for _, d in graph.nodes(data=True) if d["kind"] == "task")
    count = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "task" and title in d["title"])
    page.fill("#dg-search-input", title)
    page.press("#dg-search-input", "Enter")
    assert page.inner_text("#dg-search-status") == f"有 {count} 项任务含“{title}”"
    first = page.locator("#dg-info-body li").first
    target = first.get_attribute("data-node")
    first.click()
    assert page.evaluate("() => window.dutygraph.state.selected") == target
    plan = graph.nodes[target]["doc_id"]
    assert page.input_value("#dg-plan") == plan
    _hash_has(page, f"task={target[5:]}&plan={plan}")
    assert page.inner_text("#dg-info-title").startswith(f"任务 {graph.nodes[target]['number']} · ")


def _hash_has(page: Any, text: str) -> None:
    """Wait until the URL's hash (decoded) holds ``text``."""
    page.wait_for_function(
        "(t) => decodeURIComponent(location.hash).includes(t)", arg=text, timeout=5_000
    )


def test_hostile_plan_names_are_text_in_the_menu(browser: Any, tmp_path: Path) -> None:
    path = write_map(tmp_path / "hostile2.html", hostile_graph(plans=2))
    opened = open_map(browser, path)
    page = opened.page
    options = page.eval_on_selector_all("#dg-plan option", "(xs) => xs.map((x) => x.textContent)")
    name = f"<i>要点</i>{HOSTILE_TITLE}".replace("\u2028", "")
    assert options[0] == "全部文件" and len(options) == 3
    assert all(o.startswith(name[:19]) for o in options[1:])
    page.select_option("#dg-plan", "h2")
    assert page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => !n.hidden})"
        ".filter((n) => n.kind === 'task').map((n) => n.id)"
    ) == ["task:h2#1"]
    rows = page.eval_on_selector_all(
        "#dg-sections label.dg-row", "(xs) => xs.filter((x) => !x.hidden).map((x) => x.textContent)"
    )
    assert len(rows) == 1 and HOSTILE_SECTION in rows[0]
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('img, b, i').length") == 0
    assert opened.dialogs == [] and opened.other_requests == [] and opened.errors == []
    opened.close()


def test_a_few_plans_in_one_map_filter_by_plan_and_section(browser: Any, tmp_path: Path) -> None:
    graph = corpus_graph(300)
    data = map_data(graph)
    assert data["mode"] == "full" and len(data["plans"]) > 3
    path = write_map(tmp_path / "few.html", graph)
    opened = open_map(browser, path)
    page = opened.page
    plan = data["plans"][1]
    legend = page.eval_on_selector_all(
        "#dg-sections label.dg-row", "(xs) => xs.map((x) => [x.dataset.plan, x.textContent])"
    )
    assert [p for p, _ in legend] == [s["plan"] for s in data["sections"]]
    assert all(
        text.startswith(f"{data['plans'][[p['id'] for p in data['plans']].index(p)]['name']} · ")
        for p, text in legend
    )
    page.select_option("#dg-plan", plan["id"])
    shown = page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => !n.hidden && n.kind === 'task'})"
        ".map((n) => n.plan)"
    )
    assert set(shown) == {plan["id"]} and len(shown) == plan["tasks"]
    labels = page.evaluate(
        "() => window.dutygraph.nodes.get({filter: (n) => !n.hidden && n.kind === 'task'})"
        ".map((n) => n.label)"
    )
    assert all(label.endswith(f"〔{plan['name']}〕") for label in labels)
    box = _visible_box(page)
    assert box["left"] >= 0 and box["right"] <= box["width"]
    _hash_has(page, f"plan={plan['id']}")
    assert opened.other_requests == [] and opened.errors == []
    opened.close()


def test_no_tooltip_covers_a_clicked_task(seed: OpenMap) -> None:
    page = seed.page
    x, y = node_point(page, "task:anshun_2023#7")
    page.mouse.move(x, y)
    page.wait_for_timeout(400)
    page.mouse.click(x, y)
    page.mouse.move(x + 2, y + 1)
    page.wait_for_timeout(400)
    assert page.inner_text("#dg-info-title") == "任务 7 · 加强家庭教育指导"
    assert page.evaluate(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return t === null || getComputedStyle(t).visibility === 'hidden'; }"
    )


def test_a_role_filter_on_the_overview_keeps_links_of_those_roles(
    corpus: OpenMap, corpus_file: tuple[Path, Any]
) -> None:
    page = corpus.page
    links = page.evaluate("() => window.dutygraph.data.links")
    page.uncheck("input[name=dg-role][value=lead]")
    page.uncheck("input[name=dg-role][value=responsible]")
    shown = page.evaluate("() => window.dutygraph.edges.getIds().sort()")
    assert shown == sorted(x["id"] for x in links if "support" in x["pairs"])
    _hash_has(page, "roles=support")
    page.click("#dg-reset")
    assert page.evaluate("() => window.dutygraph.edges.length") == len(links)
