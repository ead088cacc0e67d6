"""The report in a real headless Chromium: offline (no request at all), the seed's headline
figures on screen, the 需要关注 box and the most loaded units in the first 900 px (one plan and
165 generated plans), the map fitted in its frame, the matrix's task column in view when it
scrolls sideways, a visible chart, and hostile text inert."""

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


def open_report(
    browser: Any, path: Path, *, bypass_csp: bool = False, width: int = 1400
) -> OpenMap:
    """Open the report with every request intercepted: the file itself loads, all else aborts.

    The map's frame (sandboxed, so a different origin) only lays out once it is on screen, as
    in a reader's browser: scroll to it and wait for it to be ready.
    """
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
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


# ------------------------------------------------------------------ a report a leader can act on

FOLD = 900
FITTED = """() => {
    const net = window.dutygraph.network;
    const canvas = document.querySelector('#dg-map canvas');
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const ids = Object.keys(net.getPositions());
    const outside = ids.filter((id) => {
        const p = net.canvasToDOM(net.getPosition(id));
        return p.x < 0 || p.y < 0 || p.x > w || p.y > h;
    });
    return {scale: net.getScale(), nodes: ids.length, outside: outside.length};
}"""


@pytest.fixture(scope="module")
def many(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenMap]:
    from tests.test_report import generated

    path = write_report(tmp_path_factory.mktemp("many") / "report.html", generated(165))
    opened = open_report(browser, path)
    yield opened
    opened.close()


def first_screen(page: Any, selector: str) -> dict[str, float]:
    """The element's box with the page scrolled to the top."""
    page.evaluate("() => window.scrollTo(0, 0)")
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return {"top": box["y"], "bottom": box["y"] + box["height"], "width": box["width"]}


@pytest.mark.parametrize("report", ["seed", "many"])
def test_what_needs_action_is_above_the_fold(report: str, request: pytest.FixtureRequest) -> None:
    opened: OpenMap = request.getfixturevalue(report)
    page = opened.page
    for selector in (
        "#dg-attention",
        "#att-no-lead",
        "#att-overload",
        "#att-gaps",
        "#dg-top-units",
        "#fig-tasks",
        "#fig-no-lead",
    ):
        box = first_screen(page, selector)
        assert box["top"] >= 0 and box["bottom"] <= FOLD, (selector, box)
        assert page.locator(selector).is_visible()
    assert page.locator("#dg-attention h2").inner_text() == "需要关注"
    rows = page.locator("#dg-top-units tbody tr").all_inner_texts()
    assert len(rows) == 5
    assert first_screen(page, "#dg-sources")["top"] > FOLD


def test_seed_top_units_on_the_first_screen(seed: OpenMap) -> None:
    first_screen(seed.page, "#dg-top-units")
    names = seed.page.locator("#dg-top-units tbody td:first-child").all_inner_texts()
    assert names == ["市教育局", "市民政局", "市公安局", "市卫生健康局", "市人民检察院"]


def test_many_plans_first_screen_has_the_per_plan_table_not_the_file_list(many: OpenMap) -> None:
    page = many.page
    assert first_screen(page, "#dg-plan-table")["top"] < FOLD
    assert page.locator("#dg-sources details").get_attribute("open") is None
    assert page.locator("#dg-sources li").first.is_visible() is False
    assert page.locator("#dg-plan-table tbody tr").count() == 165
    assert "plan_0000" not in page.locator("#dg-attention").inner_text()


def test_attention_links_lead_to_their_detail(seed: OpenMap) -> None:
    page = seed.page
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("#att-no-lead a").click()
    page.wait_for_function("() => location.hash === '#gap-no-lead'")
    box = page.locator("#gap-no-lead").bounding_box()
    assert box is not None and -1 <= box["y"] < 50
    assert page.evaluate("() => location.hash") == "#gap-no-lead"


@pytest.mark.parametrize("report", ["seed", "many"])
def test_the_embedded_map_opens_fitted(report: str, request: pytest.FixtureRequest) -> None:
    opened: OpenMap = request.getfixturevalue(report)
    opened.page.locator("#dg-map-frame").scroll_into_view_if_needed()
    frame = map_frame(opened.page)
    fit = frame.evaluate(FITTED)
    assert fit["scale"] != 1 and fit["outside"] == 0 and fit["nodes"] > 50, fit


@pytest.mark.parametrize("report", ["seed", "many"])
def test_reports_make_no_request(report: str, request: pytest.FixtureRequest) -> None:
    opened: OpenMap = request.getfixturevalue(report)
    assert opened.routed == [opened.url] and opened.other_requests == []
    assert opened.errors == [] and opened.dialogs == []


STICKY = """(sel) => {
    const box = document.querySelector(sel);
    const cell = box.querySelector('tbody tr td');
    const before = cell.getBoundingClientRect().left - box.getBoundingClientRect().left;
    box.scrollLeft = box.scrollWidth;
    const r = cell.getBoundingClientRect(), b = box.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
    return {overflow: box.scrollWidth - box.clientWidth, scrolled: box.scrollLeft,
            before: Math.round(before), after: Math.round(r.left - b.left),
            hit: hit === cell || cell.contains(hit), text: cell.innerText};
}"""


def test_seed_matrix_task_columns_stay_in_view(browser: Any, tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.html", [_seed()], include_map=False, include_chart=False)
    opened = open_report_plain(browser, path, width=1000)
    try:
        page = opened.page
        page.locator("#dg-matrix .scroll").scroll_into_view_if_needed()
        moved = page.evaluate(STICKY, "#dg-matrix .scroll")
        assert moved["overflow"] > 100 and moved["scrolled"] > 100, moved
        assert moved["before"] == moved["after"] <= 1 and moved["hit"] and moved["text"] == "1"
        task = page.evaluate(
            """() => { const c = document.querySelector('#dg-matrix tbody tr td.k3');
                       const r = c.getBoundingClientRect();
                       const hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
                       return [c.innerText, hit === c || c.contains(hit)]; }"""
        )
        assert task == ["加强理论学习", True]
        totals = page.locator("#dg-matrix thead tr.totals td.k3").inner_text()
        assert totals == "合计（项）"
        assert opened.other_requests == []
    finally:
        opened.close()


def test_many_plans_unit_column_stays_in_view(many: OpenMap) -> None:
    page = many.page
    page.locator("#dg-matrix .scroll").scroll_into_view_if_needed()
    moved = page.evaluate(STICKY, "#dg-matrix .scroll")
    assert moved["overflow"] > 2000 and moved["scrolled"] > 2000, moved
    assert moved["before"] == moved["after"] <= 1 and moved["hit"]
    assert moved["text"] == page.locator("#dg-top-units tbody td").first.inner_text()


def open_report_plain(
    browser: Any, path: Path, *, width: int = 1400, bypass_csp: bool = False
) -> OpenMap:
    """Open a report without a map, every request but the file's aborted."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    page = context.new_page()
    opened = OpenMap(page, path.resolve().as_uri())

    def route(route: Any, request: Any) -> None:
        opened.routed.append(request.url)
        if request.url == opened.url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(opened.url)
    return opened


def test_hostile_plans_stay_text_in_the_box_and_tables(browser: Any, tmp_path: Path) -> None:
    docs = [parse_workplan(HOSTILE_TEXT, doc_id=d) for d in ("h", "h2")]
    path = write_report(tmp_path / "hostile.html", docs, include_map=False, include_chart=False)
    opened = open_report_plain(browser, path, bypass_csp=True)  # only escaping protects
    try:
        page = opened.page
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(PWNED) is None and opened.errors == []
        assert page.evaluate("() => document.images.length + document.scripts.length") == 0
        plans = page.locator("#dg-plan-table tbody td:first-child").all_inner_texts()
        assert plans == ["关于印发<imgsrc=xonerro…（h）", "关于印发<imgsrc=xonerro…（h2）"]
        box = page.locator("#dg-attention").inner_text()
        assert (
            "分布在 2 份文件中，最多的是 关于印发<imgsrc=xonerro…（h2） 1 项、"
            "关于印发<imgsrc=xonerro…（h） 1 项"
        ) in box
        assert "<imgsrc=xonerror=alert（1）>局" in box
        assert "<imgsrc=xonerror=alert（1）>局" in page.locator("#dg-matrix").inner_text()
        assert opened.other_requests == []
    finally:
        opened.close()


def test_standalone_matrix_keeps_the_task_column_and_opens_plans(
    browser: Any, tmp_path: Path
) -> None:
    """``dutygraph matrix -o x.html``: the seed's task columns stay in view; several plans open
    short (every plan's table closed) and a plan's table opens on a click."""
    from dutygraph import build_graph
    from dutygraph.views.matrix import write_matrix
    from tests.test_report import generated

    seed_path = write_matrix(tmp_path / "seed.html", build_graph([_seed()]))
    opened = open_report_plain(browser, seed_path, width=900)
    try:
        moved = opened.page.evaluate(STICKY, ".scroll")
        assert moved["overflow"] > 100 and moved["before"] == moved["after"] <= 1, moved
        assert moved["hit"] and moved["text"] == "1" and opened.other_requests == []
    finally:
        opened.close()
    plans_path = write_matrix(tmp_path / "plans.html", build_graph(generated(20)))
    opened = open_report_plain(browser, plans_path)
    try:
        page = opened.page
        height = page.evaluate("() => document.documentElement.scrollHeight")
        assert height < 2 * 900 + 20 * 40, height
        group = page.locator("details.plan").first
        assert group.locator("table").is_visible() is False
        group.locator("summary").click()
        assert group.locator("tbody tr").first.is_visible()
        assert group.locator("thead tr.totals td.k3").inner_text() == "合计（项）"
        assert opened.other_requests == [] and opened.errors == []
    finally:
        opened.close()
