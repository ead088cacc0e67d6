"""The Chinese font of every output: Noto Sans SC, shipped by a Python package, never the system's.

The font file comes from the ``pylopdf-fonts-zh-cn`` package on PyPI (a core dependency; 0.1.1:
``NotoSansSC-Regular.otf``, Noto Sans SC 2.004 Regular by Adobe and Google, SIL Open Font
License 1.1; the wheel is 17 MB with Noto Serif SC beside it, the sans file 8.3 MB; chosen over
``mplfonts``, 85 MB with SimHei, which is not freely licensed, and ``noto-cjk``, which publishes
no SC package). Charts register it with matplotlib
(:mod:`dutygraph.views.charts`), so no system font and no state of matplotlib's font cache
matters. HTML pages embed a subset of it: :func:`font_face_css` subsets the font to exactly the
characters a page contains, as WOFF2 in a ``data:`` URL inside an ``@font-face`` rule, and
:data:`FONT_STACK` names that face first, so a page draws its Chinese on any viewer, offline,
with no request (the pages' Content-Security-Policy allows ``font-src data:``).

Only characters outside ASCII are embedded (ASCII is left to the viewer's own sans-serif), and
only those the font has. The subset keeps the copyright and licence names of the font (OFL 1.1:
embedding in a document is allowed; the document is not bound by the licence).

>>> font_face_css("<h1>市教育局</h1>").split(",")[0]
'@font-face{font-family:"dutygraph-cjk";src:url(data:font/woff2;base64'
"""

from __future__ import annotations

import base64
import functools
import html
import io
from pathlib import Path

from dutygraph.errors import DutygraphError

__all__ = [
    "FONT_FAMILY",
    "FONT_PACKAGE",
    "FONT_STACK",
    "MissingFontError",
    "bundled_font_path",
    "font_face_css",
    "page_characters",
    "subset_woff2",
]

#: The PyPI distribution that ships the font file.
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
#: The CSS family name of the embedded face.
FONT_FAMILY = "dutygraph-cjk"
#: The ``font-family`` value of every page: the embedded face first, then local CJK faces.
FONT_STACK = (
    f'"{FONT_FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)
#: Name records kept in a subset: names, version, copyright (0), licence and its URL (13, 14).
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


class MissingFontError(DutygraphError):
    """No font can draw the Chinese text of a chart or page."""


def bundled_font_path() -> Path:
    """The bundled Noto Sans SC file, or :class:`MissingFontError` naming the reinstall.

    >>> bundled_font_path().name
    'NotoSansSC-Regular.otf'
    """
    hint = f"reinstall it: pip install --force-reinstall {FONT_PACKAGE}"
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        raise MissingFontError(
            f"the package {FONT_PACKAGE}, which ships the Chinese font, is not installed",
            hint=f"pip install {FONT_PACKAGE}",
        ) from None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():
        raise MissingFontError(
            "the bundled Chinese font file is missing", path=str(path), hint=hint
        )
    return path


@functools.cache
def _font_bytes() -> bytes:
    """The font file, read once."""
    return bundled_font_path().read_bytes()


@functools.cache
def _font_chars() -> frozenset[str]:
    """Every character the bundled font draws."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes()), lazy=True)
    return frozenset(chr(c) for c in font.getBestCmap())


def page_characters(text: str) -> str:
    """The characters outside ASCII in ``text`` (HTML references resolved) that the bundled
    font draws, in code point order: what :func:`font_face_css` embeds for a page.

    >>> page_characters("<p>市教育局 &amp; 市民政局 &#x1F600;</p>")
    '局市政教民育'
    """
    have = _font_chars()
    return "".join(sorted({ch for ch in html.unescape(text) if ord(ch) > 0x7F} & have))


@functools.lru_cache(maxsize=32)
def subset_woff2(characters: str) -> bytes:
    """The bundled font cut down to ``characters`` (and nothing else), as WOFF2 bytes.

    Hinting is dropped and charstrings are desubroutinized (smaller once compressed); the
    layout features a browser applies by default (``vert`` for vertical text among them) are
    kept. The result is the same for the same characters: no timestamp changes it.

    >>> from fontTools.ttLib import TTFont
    >>> font = TTFont(io.BytesIO(subset_woff2("牵头")))
    >>> font.flavor, sorted(font.getBestCmap()) == [ord("头"), ord("牵")]
    ('woff2', True)
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = list(_NAME_IDS)
    options.name_languages = [0x409]
    # a fresh parse of the cached bytes: cheaper than copying a parsed font (subsetting mutates
    # it); the full font's bounding box is kept, as recomputing it costs more than the subset
    font = TTFont(io.BytesIO(_font_bytes()), recalcTimestamp=False, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in characters])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule for :data:`FONT_FAMILY` holding exactly the characters of ``text``
    that need it (:func:`page_characters`), or ``""`` when there are none.

    Put it in the page's ``<style>`` and :data:`FONT_STACK` in ``font-family``; the page's policy
    must allow ``font-src data:``. Bold text is drawn by the browser from the one regular face.

    >>> font_face_css('<p title="x">ASCII only: 1 &lt; 2</p>')
    ''
    >>> "/* Noto Sans SC subset, (c) Adobe, SIL Open Font License 1.1 */" in font_face_css("市")
    True
    """
    characters = page_characters(text)
    if not characters:
        return ""
    data = base64.b64encode(subset_woff2(characters)).decode("ascii")
    return (
        f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff2;base64,{data}) '
        'format("woff2");font-weight:400;font-style:normal}'
        "/* Noto Sans SC subset, (c) Adobe, SIL Open Font License 1.1 */\n"
    )
