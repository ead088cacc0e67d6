"""Take the screenshots of the map in ``docs/``: the reference plan's map (the README's), an ego
map and the overview of many generated plans.

Usage: ``python tools/screenshot_map.py [OUT.png] [--unit 团市委 [--depth 2]] [--plans N]``
(``--plans`` draws the first N plans of ``benchmarks/corpus.py``'s generated corpus instead of
the reference plan; ``--colors 128`` writes a palette PNG, a few times smaller). Needs the
``playwright`` package and Debian's ``chromium`` at /usr/bin/chromium (never
``playwright install``).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from collections.abc import Sequence
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
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "map.png"


def screenshot(
    out: Path = DEFAULT_OUT,
    *,
    browser: Any = None,
    width: int = 1500,
    height: int = 950,
    graph: Any = None,
    colors: int | None = None,
    **options: Any,
) -> Path:
    """Draw ``graph`` (default: the seed plan) with the map ``options`` (e.g. ``unit``), open it
    in ``browser`` (or a new headless Chromium) and save a PNG (``colors``: a palette of that
    many colours)."""
    from dutygraph import build_graph, example_path, read_workplan
    from dutygraph.files import write_atomic
    from dutygraph.views.maps import write_map

    if graph is None:
        graph = build_graph([read_workplan(example_path())])
    with tempfile.TemporaryDirectory() as tmp:
        page_file = write_map(Path(tmp) / "map.html", graph, **options)
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
    if colors is not None:
        from PIL import Image

        buffer = io.BytesIO()
        Image.open(io.BytesIO(png)).convert("RGB").quantize(colors).save(
            buffer, "PNG", optimize=True
        )
        png = buffer.getvalue()
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


def main(argv: Sequence[str] | None = None) -> Path:
    """The command line (see the module's description)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--unit")
    ap.add_argument("--depth", type=int, default=1)
    ap.add_argument("--plans", type=int, help="the first N generated plans")
    ap.add_argument("--colors", type=int)
    ap.add_argument("--width", type=int, default=1500)
    ap.add_argument("--height", type=int, default=950)
    args = ap.parse_args(argv)
    graph = None
    if args.plans:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from benchmarks.corpus import iter_documents
        from dutygraph import build_graph, parse_workplan

        graph = build_graph(
            [parse_workplan(d.text, doc_id=d.doc_id) for d in iter_documents(args.plans)]
        )
    options: dict[str, Any] = {"unit": args.unit, "depth": args.depth} if args.unit else {}
    return screenshot(
        args.out,
        graph=graph,
        colors=args.colors,
        width=args.width,
        height=args.height,
        **options,
    )


if __name__ == "__main__":
    print(main())
