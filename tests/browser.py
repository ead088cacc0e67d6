"""Helpers for the map tests: graphs to draw, and a real headless Chromium to draw them in.

The browser is Debian's ``chromium`` driven by the ``playwright`` package (never
``playwright install``: its browser download is not used). Without either, browser tests skip
with the reason — unless ``DUTYGRAPH_REQUIRE_BROWSER=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import importlib.util
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from dutygraph import build_graph, read_workplan
from dutygraph.graph.records import Assignment, Document, Role, Task, Unit
from tests.helpers import SEED

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
READY = "() => Boolean(window.dutygraph && window.dutygraph.state.ready)"

HOSTILE_LEAD = "市<script>alert(1)</script>局"
HOSTILE_SUPPORT = "<img src=x onerror=alert(1)>局"
HOSTILE_PWN = '<img src=x onerror="window.__pwned=1">办'
HOSTILE_TITLE = "</script><script>window.__pwned=1</script>标题\u2028"
HOSTILE_SECTION = '<b onmouseover="window.__pwned=1">社会</b>'
HOSTILE_CLAUSE = f"牵头单位：{HOSTILE_LEAD}；配合单位：{HOSTILE_SUPPORT}、{HOSTILE_PWN}"


def seed_graph() -> nx.MultiDiGraph:
    """The reference plan's graph (23 tasks, 31 units, 121 assignments)."""
    return build_graph([read_workplan(SEED)])


def hostile_graph(plans: int = 1) -> nx.MultiDiGraph:
    """One task whose units, title, section, clause and document title are hostile markup
    (``plans`` documents of it, ids ``h``, ``h2``, …: a map with a plan menu)."""
    text = f"1.{HOSTILE_TITLE}。（{HOSTILE_CLAUSE}）"
    names: list[tuple[str, Role]] = [
        (HOSTILE_LEAD, "lead"),
        (HOSTILE_SUPPORT, "support"),
        (HOSTILE_PWN, "support"),
    ]
    assignments = tuple(
        Assignment(
            name,
            name,
            role,
            False,
            (text.index(name), text.index(name) + len(name)),
            HOSTILE_CLAUSE,
        )
        for name, role in names
    )
    task = Task(
        "h#1", "h", "1", "一", HOSTILE_SECTION, HOSTILE_TITLE, text, (0, len(text)), assignments
    )
    docs = []
    for i in range(1, plans + 1):
        doc_id = "h" if i == 1 else f"h{i}"
        docs.append(
            Document(
                id=doc_id,
                title=f"<i>要点</i>{HOSTILE_TITLE}",
                text=text,
                tasks=(replace(task, uid=f"{doc_id}#1", doc_id=doc_id) if i > 1 else task,),
                units=tuple(Unit(name, "unknown") for name, _ in names),
            )
        )
    return build_graph(docs)


def large_graph(tasks: int = 1800, units: int = 300, seed: int = 3) -> nx.MultiDiGraph:
    """A synthetic plan far past the layout threshold: ``tasks`` tasks over ``units`` units."""
    rng = random.Random(seed)
    names = [f"市第{i}局" for i in range(units)]
    items = []
    for i in range(1, tasks + 1):
        chosen = rng.sample(names, rng.randint(1, 5))
        support: list[Role] = ["support"]
        roles: list[Role] = ["lead", *support * (len(chosen) - 1)]
        clause = f"牵头单位：{chosen[0]}"
        items.append(
            Task(
                f"big#{i}",
                "big",
                str(i),
                "一二三四五六七八"[i % 8],
                f"部分{i % 8}",
                f"任务{i}",
                f"{i}.任务{i}。（{clause}）",
                (0, 0),
                tuple(
                    Assignment(n, n, r, False, (0, 0), clause)
                    for n, r in zip(chosen, roles, strict=True)
                ),
            )
        )
    doc = Document(
        id="big",
        title="大型计划",
        text="",
        tasks=tuple(items),
        units=tuple(Unit(n, "government") for n in names),
    )
    return build_graph([doc])


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or ``None``."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install 'dutygraph[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)"
    return None


def launch_browser() -> Iterator[Any]:
    """Yield a headless Chromium, or skip (fail under DUTYGRAPH_REQUIRE_BROWSER=1)."""
    reason = browser_missing()
    if reason is not None:
        if os.environ.get("DUTYGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and DUTYGRAPH_REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OpenMap:
    """A map page opened in the browser, with everything it asked for and every dialog."""

    page: Any
    url: str
    routed: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def other_requests(self) -> list[str]:
        """Requests other than the initial load of the file (seen by the route or as events)."""
        return [u for u in (*self.routed, *self.requested) if u.split("#", 1)[0] != self.url]

    def close(self) -> None:
        self.page.context.close()


def open_map(browser: Any, path: Path, *, bypass_csp: bool = False, hash: str = "") -> OpenMap:
    """Open the map file (with ``hash``, e.g. ``#unit=团市委``), intercepting every request (all
    but the file itself are aborted)."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp, accept_downloads=True
    )
    page = context.new_page()
    opened = OpenMap(page, path.resolve().as_uri())

    def route(route: Any, request: Any) -> None:
        opened.routed.append(request.url)
        if request.url.split("#", 1)[0] == opened.url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    def console(message: Any) -> None:
        if message.type == "error":
            opened.errors.append(message.text)

    context.on("request", lambda r: opened.requested.append(r.url))
    page.on("dialog", dialog)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("console", console)
    page.goto(opened.url + hash)
    page.wait_for_function(READY, timeout=60_000)
    return opened


def node_point(page: Any, node: str) -> tuple[float, float]:
    """The page coordinates of a node's centre, checking that a click there hits that node."""
    x, y, hit = page.evaluate(
        """(id) => {
            const net = window.dutygraph.network;
            const p = net.canvasToDOM(net.getPosition(id));
            const box = document.getElementById("dg-map").getBoundingClientRect();
            return [p.x + box.left, p.y + box.top, net.getNodeAt(p)];
        }""",
        node,
    )
    assert hit == node, f"another node ({hit}) covers {node}"
    return x, y
