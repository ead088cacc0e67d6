"""Take the README's screenshot of the reference plan's map (``docs/map.png``).

Usage: ``python tools/screenshot_map.py [OUT.png]``. Needs the ``playwright`` package and
Debian's ``chromium`` at /usr/bin/chromium (never ``playwright install``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "map.png"


def screenshot(
    out: Path = DEFAULT_OUT, *, browser: Any = None, width: int = 1500, height: int = 950
) -> Path:
    """Draw the seed map, open it in ``browser`` (or a new headless Chromium), save a PNG."""
    from dutygraph import build_graph, example_path, read_workplan
    from dutygraph.files import write_atomic
    from dutygraph.views.maps import write_map

    with tempfile.TemporaryDirectory() as tmp:
        page_file = write_map(Path(tmp) / "seed.html", build_graph([read_workplan(example_path())]))
        if browser is None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                own = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    png = _shoot(own, page_file, width, height)
                finally:
                    own.close()
        else:
            png = _shoot(browser, page_file, width, height)
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(out, png)


def _shoot(browser: Any, page_file: Path, width: int, height: int) -> bytes:
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "() => Boolean(window.dutygraph && window.dutygraph.state.ready)", timeout=60_000
        )
        page.wait_for_timeout(300)
        return bytes(page.screenshot(type="png"))
    finally:
        context.close()


if __name__ == "__main__":
    print(screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
