"""The report in a real headless Chromium: offline (no request at all), the seed's headline
figures on screen, a visible chart, the map drawn in its frame, and hostile text inert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dutygraph import example_path, parse_workplan, read_workplan
from dutygraph.views.report import write_report
from tests.browser import READY, OpenMap, launch_browser

pytestmark = pytest.mark.browser

HOSTILE_TITLE = "关于印发<img src=x onerror=window.__pwned=1>的通知"
REPORT_TITLE = "</title><script>window.__pwned=2</script><b>简报</b>"
HOSTILE_TEXT = (
    f"{HOSTILE_TITLE}\n一、任务\n1.甲。（牵头单位：市<script>alert(1)</script>局；"
    "配合单位：<img src=x onerror=alert(1)>局）\n"
)
PWNED = "() => window.__pwned === undefined ? null : window.__pwned"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_browser()


def open_report(browser: Any, path: Path, *, bypass_csp: bool = False) -> OpenMap:
    """Open the report with every request intercepted: the file itself loads, all else aborts.

    The map's frame (sandboxed, so a different origin) only lays out once it is on screen, as
    in a reader's browser: scroll to it and wait for it to be ready.
    """
    context = browser.new_context(viewport={"width": 1300, "height": 900}, bypass_csp=bypass_csp)
    page = context.new_page()
    opened = OpenMap(page, path.resolve().as_uri())

    def route(route: Any, request: Any) -> None:
        opened.routed.append(request.url)
        if request.url == opened.url:
            route.continue_()
        else:
            route.abort()

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    context.on("request", lambda r: opened.requested.append(r.url))
    page.on("dialog", dialog)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
    page.goto(opened.url)
    page.locator("#dg-map-frame").scroll_into_view_if_needed()
    map_frame(page).wait_for_function(READY, timeout=60_000)
    return opened


def map_frame(page: Any) -> Any:
    (frame,) = [f for f in page.frames if f.parent_frame is page.main_frame]
    return frame


@pytest.fixture(scope="module")
def seed(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenMap]:
    path = write_report(tmp_path_factory.mktemp("report") / "report.html", [_seed()])
    opened = open_report(browser, path)
    yield opened
    opened.close()


def _seed() -> Any:
    return read_workplan(example_path())


def test_report_makes_no_request(seed: OpenMap) -> None:
    assert seed.routed == [seed.url]
    assert seed.other_requests == []
    assert seed.errors == [] and seed.dialogs == []


def test_headline_figures_are_on_screen(seed: OpenMap) -> None:
    page = seed.page
    figures = {
        card: page.locator(f"#{card} .num").inner_text()
        for card in ("fig-tasks", "fig-units", "fig-assignments", "fig-no-lead")
    }
    assert figures == {
        "fig-tasks": "23",
        "fig-units": "31",
        "fig-assignments": "121",
        "fig-no-lead": "35%",
    }
    for card in figures:
        assert page.locator(f"#{card}").is_visible()
    text = page.locator("body").inner_text()
    assert "23 项任务中有 8 项（35%）没有牵头单位" in text
    assert "8/23" in text


def test_chart_is_drawn(seed: OpenMap) -> None:
    chart = seed.page.locator("#dg-chart svg")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 300
    bars = seed.page.evaluate(
        """() => [...document.querySelectorAll('#dg-chart svg path')]
              .filter((p) => { const r = p.getBoundingClientRect();
                               return r.width > 20 && r.height > 8; }).length"""
    )
    assert bars >= 15


def test_map_frame_draws_every_node(seed: OpenMap) -> None:
    frame = map_frame(seed.page)
    counts = frame.evaluate(
        """() => {
            const d = window.dutygraph;
            const canvas = document.querySelector('#dg-map canvas');
            return {nodes: d.nodes.length, edges: d.edges.length,
                    drawn: Object.keys(d.network.getPositions()).length,
                    canvas: canvas.width > 300 && canvas.height > 300};
        }"""
    )
    assert counts == {"nodes": 54, "edges": 121, "drawn": 54, "canvas": True}
    box = seed.page.locator("#dg-map-frame").bounding_box()
    assert box is not None and box["width"] > 800 and box["height"] > 600
    assert frame.evaluate("() => document.getElementById('dg-title').textContent").startswith(
        "安顺市2023年度未成年人保护工作要点"
    )


def drawn_by(target: Any, selector: str) -> dict[str, int]:
    """How many glyphs of the element's own text Chromium drew with each font, by PostScript
    name, ``custom:`` for a web font (the DevTools protocol's platform fonts of a node);
    ``target`` is the page or the map's frame (a process of its own: sandboxed)."""
    page = target if hasattr(target, "context") else target.page
    cdp = page.context.new_cdp_session(target)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]
    node = cdp.send("DOM.querySelector", {"nodeId": root["nodeId"], "selector": selector})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    cdp.detach()
    drawn: dict[str, int] = {}
    for f in fonts:
        name = ("custom:" if f["isCustomFont"] else "") + f["postScriptName"]
        drawn[name] = drawn.get(name, 0) + int(f["glyphCount"])
    return drawn


def test_chinese_is_drawn_in_the_embedded_font(seed: OpenMap) -> None:
    """The page's and the map frame's own face is loaded, and every character beyond ASCII of
    the titles is drawn with it, whatever CJK fonts the machine has (ASCII is the system's)."""
    page, frame = seed.page, map_frame(seed.page)
    faces = "() => [...document.fonts].map(f => [f.family, f.status, f.weight])"
    for doc in (page, frame):
        assert doc.evaluate(faces) == [["dutygraph-cjk", "loaded", "400"]]
        assert doc.evaluate("() => document.fonts.check('12px dutygraph-cjk', '市教育局')")
    for doc in (page, frame):
        title = str(doc.evaluate("() => document.getElementById('dg-title').innerText"))
        assert title.startswith("安顺市2023年度未成年人保护工作要点")
        wide = sum(1 for ch in title if ord(ch) > 0x7F)
        drawn = drawn_by(doc, "#dg-title")
        assert drawn.pop("custom:NotoSansSC-Regular") == wide
        assert sum(drawn.values()) == len(title) - wide, drawn
    assert drawn_by(page, "#dg-matrix th.u") == {"custom:NotoSansSC-Regular": 4}  # 市教育局


def test_hostile_report_runs_nothing(browser: Any, tmp_path: Path) -> None:
    doc = parse_workplan(HOSTILE_TEXT, doc_id="h")
    assert doc.title == HOSTILE_TITLE
    path = write_report(tmp_path / "hostile.html", [doc], title=REPORT_TITLE)
    # The policy would stop injected scripts anyway: bypass it, so only escaping protects.
    opened = open_report(browser, path, bypass_csp=True)
    try:
        page, frame = opened.page, map_frame(opened.page)
        assert opened.dialogs == [] and opened.errors == []
        assert page.evaluate(PWNED) is None and frame.evaluate(PWNED) is None
        assert page.evaluate("() => document.scripts.length") == 0
        assert page.evaluate("() => document.images.length") == 0
        assert frame.evaluate("() => document.images.length") == 0
        assert page.title() == REPORT_TITLE
        assert HOSTILE_TITLE in page.locator(".sources").inner_text()
        assert frame.evaluate("() => document.title").startswith(HOSTILE_TITLE)
        text = page.locator("#dg-gaps").inner_text()
        assert "市<script>alert(1)</script>局" in text
        assert "<img src=x onerror=alert(1)>局" in text
        assert opened.other_requests == []
    finally:
        opened.close()
