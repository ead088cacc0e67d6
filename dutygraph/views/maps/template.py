"""The map's own HTML page: one self-contained file, nothing fetched, all text escaped.

pyvis's templates load vis-network and Bootstrap from CDNs even in ``in_line`` mode, so the map
uses this page instead: vis-network's script (the copy bundled in the pyvis package) and the part
of its style sheet the map uses are inlined, the Chinese font is a subset embedded as a ``data:``
URL (:func:`dutygraph.views.fonts.font_face_css`), and a Content-Security-Policy
(``default-src 'none'``, scripts allowed by hash only, fonts from ``data:`` only) forbids every
request and any script that is not one of ours.

Text meets the page in two contexts, each with its escaping: :func:`html.escape` for HTML
(headings, legend, menus) and :func:`script_json` for data inside ``<script>``.

>>> script_json({"name": "市<script>alert(1)</script>局"})
'{"name":"市\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e局"}'
>>> fill("<h1>@@TITLE@@</h1>", TITLE="@@X@@")
'<h1>@@X@@</h1>'
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from importlib import resources
from typing import Any

__all__ = ["PAGE", "fill", "inline_script", "page_csp", "script_json", "vis_assets"]

_VIS_DIR = "lib/vis-9.1.2"
_VIS_CSS_KEEP = re.compile(r"vis-tooltip|vis-overlay|vis-active")


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028 and U+2029 escaped.

    Chinese stays readable (no ``\\uXXXX`` for CJK), and no text can close the element or start
    a comment.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def inline_script(code: str) -> str:
    """``code`` made safe to inline in ``<script>``: no ``</script``, no ``<!--``.

    Both only occur inside string literals in well-formed code, where ``\\x3c`` means ``<``.

    >>> inline_script('var s = "</script>";')
    'var s = "\\\\x3c/script>";'
    """
    return re.sub(r"<(?=/?script|!--)", r"\\x3c", code, flags=re.IGNORECASE)


@functools.cache
def vis_assets() -> tuple[str, str]:
    """vis-network's script and the rules of its style sheet the map uses, from pyvis.

    The rest of ``vis-network.css`` styles the navigation buttons, the manipulation toolbar and
    the configurator, which the map leaves off; those rules carry 200 kB of inline images.
    """
    lib = resources.files("pyvis").joinpath(_VIS_DIR)
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    rules = re.findall(r"[^{}]+\{[^{}]*\}", css)
    kept = "".join(r for r in rules if _VIS_CSS_KEEP.search(r.split("{", 1)[0]))
    return inline_script(js), kept


def fill(template: str, **parts: str) -> str:
    """Put ``parts`` into ``@@NAME@@`` slots in one pass (inserted text is never re-read)."""
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], template)


def page_csp(*scripts: str) -> str:
    """A Content-Security-Policy allowing exactly ``scripts`` (by SHA-256) and no requests.

    >>> page_csp("x")[:39]
    "default-src 'none'; script-src 'sha256-"
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dutygraph @@VERSION@@">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>@@CSS@@</style>
</head>
<body>
<aside id="dg-panel">
<h1 id="dg-title">@@TITLE@@</h1>
<p id="dg-stats">@@STATS@@</p>
@@NOTICE@@
<form id="dg-search" role="search" autocomplete="off">
<input id="dg-search-input" type="search" list="dg-names" placeholder="查找单位（名称或别称）或任务"
 aria-label="查找单位或任务"><button type="submit">查找</button>
</form>
<datalist id="dg-names">@@NAME_OPTIONS@@</datalist>
<p id="dg-search-status" aria-live="polite"></p>
<section id="dg-info" hidden><h2 id="dg-info-title"></h2><div id="dg-info-body"></div></section>
@@PLAN_FILTER@@
<section><h2>分工（连线）</h2>@@ROLE_FILTERS@@</section>
<section><h2>单位（形状、颜色；大小＝负荷）</h2>@@UNIT_LEGEND@@</section>
<section id="dg-sections"><h2>任务（按文件和部分着色）</h2>@@SECTION_FILTERS@@</section>
<p class="dg-hint">点击单位，突出其全部任务；点击任务，左侧显示详情；点击空白处复原。
悬停查看分工原文。网址（#…）记录所选单位和筛选，可直接分享。</p>
<p class="dg-buttons"><button type="button" id="dg-reset">全部显示</button>
<button type="button" id="dg-export">导出 PNG</button></p>
</aside>
<main id="dg-map" aria-label="责任网络图"></main>
<script>@@VIS_JS@@</script>
<script type="application/json" id="dg-data">@@DATA@@</script>
<script>@@APP_JS@@</script>
</body>
</html>
"""

CSS = """
html, body { margin: 0; height: 100%; }
[hidden] { display: none !important; }
body { display: flex; font-family: @@FONT@@; color: #1d2733; background: #fbfbfa; }
#dg-panel { width: 300px; flex: none; overflow-y: auto; padding: 14px 16px; box-sizing: border-box;
  border-right: 1px solid #dde1e5; background: #ffffff; font-size: 13px; line-height: 1.45;
  overflow-wrap: anywhere; }
#dg-map { flex: 1; height: 100%; min-width: 0; position: relative; }
h1 { font-size: 17px; margin: 0 0 4px; line-height: 1.35; }
h2 { font-size: 13px; margin: 12px 0 5px; color: #46525e; }
h3 { font-size: 12px; margin: 8px 0 2px; }
#dg-stats { margin: 0 0 8px; color: #5b6873; }
.dg-notice { background: #fff6dc; border: 1px solid #e9cf7a; padding: 6px 8px; border-radius: 4px; }
#dg-progress { color: #5b6873; }
#dg-search { display: flex; gap: 4px; }
#dg-search input { flex: 1; min-width: 0; padding: 5px 6px; font: inherit;
  border: 1px solid #b9c1c9; border-radius: 4px; }
button { font: inherit; padding: 4px 10px; border: 1px solid #9aa5b0; border-radius: 4px;
  background: #f3f5f7; cursor: pointer; }
#dg-search-status { min-height: 1.2em; margin: 4px 0; color: #33414d; }
#dg-plan { width: 100%; font: inherit; padding: 3px; }
.dg-buttons { display: flex; gap: 6px; }
#dg-info { max-height: 45vh; overflow-y: auto; }
label.dg-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; cursor: pointer; }
div.dg-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.dg-row svg { flex: none; }
.dg-count { color: #7b8791; margin-left: auto; }
.dg-swatch { width: 14px; height: 12px; border-radius: 2px; flex: none; box-sizing: border-box; }
.dg-hint { color: #6b7782; font-size: 12px; }
#dg-info { background: #f5f8fb; border: 1px solid #d4dde6; border-radius: 4px;
  padding: 2px 8px 6px; }
#dg-info ul { margin: 0; padding-left: 18px; }
#dg-info li { cursor: pointer; }
.dg-role-lead { color: #c0392b; } .dg-role-support { color: #2f7fd0; }
.dg-role-responsible { color: #239b56; }
div.vis-tooltip { white-space: normal; max-width: 380px; font-family: inherit; font-size: 12.5px;
  background: #ffffff; border-color: #9aa5b0; padding: 7px 9px; line-height: 1.5; }
.dg-tip-head { font-weight: 700; margin-bottom: 3px; }
.dg-tip-row { display: flex; gap: 6px; }
.dg-tip-key { color: #6b7782; flex: none; }
.dg-tip-val { white-space: pre-wrap; }
.dg-tip-body { margin-top: 5px; padding-top: 5px; border-top: 1px solid #e3e6ea; color: #33414d;
  white-space: pre-wrap; }
"""
