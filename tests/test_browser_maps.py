"""The map in a real headless Chromium: counts, click, search, filters, no requests, no XSS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dutygraph.views.maps import write_map
from tests.browser import (
    HOSTILE_LEAD,
    HOSTILE_PWN,
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


def test_a_large_map_opens_with_a_precomputed_layout(browser: Any, tmp_path: Path) -> None:
    graph = large_graph(tasks=1400, units=200)
    path = write_map(tmp_path / "large.html", graph)
    opened = open_map(browser, path)
    page = opened.page
    assert page.evaluate("() => window.dutygraph.nodes.length") == 1600
    assert page.evaluate("() => window.dutygraph.network.physics.options.enabled") is False
    assert "布局已用 networkx 预先计算" in page.inner_text("#dg-layout-note")
    assert page.evaluate("() => window.dutygraph.select('unit:市第7局')") is True
    tasks = page.evaluate("() => window.dutygraph.highlightedTasks()")
    expected = sorted({t for _, t in graph.out_edges("unit:市第7局")})
    assert tasks == expected
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
