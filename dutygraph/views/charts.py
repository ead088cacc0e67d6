"""Charts for the notebook and the report: the load ranking as a bar chart, in a CJK font.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a label such as 市教育局 would be
drawn as empty boxes, with nothing but a warning. :func:`find_cjk_font` therefore looks for an
installed font that has every glyph a chart needs — by family name first (Noto Sans CJK SC,
Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, …), then among the files ``fc-list
:lang=zh`` names — and raises :class:`MissingFontError`, naming the fix, when there is none.
:func:`load_chart` draws the ``overload`` rows in that font; :func:`figure_svg` turns a figure
into an ``<svg>`` element to inline in an HTML page (text as paths, so the page needs no font).

>>> from matplotlib import font_manager
>>> dejavu = font_manager.findfont("DejaVu Sans")
>>> missing_glyphs(dejavu, "团市委 A1")
['团', '市', '委']
>>> cjk_rc(CJKFont("Noto Sans CJK SC", "/fonts/NotoSansCJK.ttc"))["font.family"]
['Noto Sans CJK SC', 'DejaVu Sans']
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any, cast

from dutygraph.errors import DutygraphError

__all__ = [
    "CJK_FAMILIES",
    "CJKFont",
    "MissingFontError",
    "cjk_rc",
    "figure_svg",
    "find_cjk_font",
    "load_chart",
    "missing_glyphs",
    "use_cjk_font",
]

#: Font families with Chinese glyphs, most wanted first. A name also matches its regional
#: variants: ``Noto Sans CJK`` matches ``Noto Sans CJK JP``.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "Noto Sans CJK",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
#: Characters every chart needs: a font lacking them is not a Chinese font.
SAMPLE = "市教育局民政团委妇联牵头配合责任负荷单位"
_FIX = (
    "install one: apt-get install fonts-noto-cjk (Debian/Ubuntu), dnf install "
    "google-noto-sans-cjk-fonts (Fedora), or copy a CJK .ttf/.otf/.ttc into ~/.fonts"
)
_ROLE_COLORS = {"lead": "#c0392b", "responsible": "#239b56", "support": "#2f7fd0"}
_ROLE_LABELS = {"lead": "牵头", "responsible": "责任", "support": "配合"}


class MissingFontError(DutygraphError):
    """No installed font can draw the Chinese text of a chart."""


@dataclass(frozen=True)
class CJKFont:
    """An installed font with Chinese glyphs: its matplotlib family name and its file."""

    family: str
    path: str


def missing_glyphs(path: str | os.PathLike[str], text: str) -> list[str]:
    """The characters of ``text`` (spaces aside) that the font file at ``path`` cannot draw."""
    from matplotlib import font_manager

    font = font_manager.get_font(path)
    seen: dict[str, None] = {}
    for ch in text:
        if not ch.isspace() and ch not in seen and font.get_char_index(ord(ch)) == 0:
            seen[ch] = None
    return list(seen)


def _matches(name: str, family: str) -> bool:
    return name == family or name.startswith(family + " ")


def _by_family(families: Sequence[str]) -> Iterator[CJKFont]:
    """Fonts matplotlib knows, in the order of ``families`` (regular weight preferred)."""
    from matplotlib import font_manager

    entries = font_manager.fontManager.ttflist
    for family in families:
        names = sorted({e.name for e in entries if _matches(e.name, family)})
        for name in names:
            prop = font_manager.FontProperties(family=name)
            try:
                path = font_manager.findfont(prop, fallback_to_default=False)
            except ValueError:
                continue
            yield CJKFont(name, str(path))


def _by_fontconfig() -> Iterator[CJKFont]:
    """Fonts ``fc-list :lang=zh`` names, registered with matplotlib on the way."""
    from matplotlib import font_manager

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for path in sorted({line.split(":", 1)[0].strip() for line in out.splitlines()} - {""}):
        try:
            font_manager.fontManager.addfont(path)
            family = str(font_manager.get_font(path).family_name)
        except (OSError, RuntimeError, ValueError):
            continue
        yield CJKFont(family, path)


@functools.cache
def _find(text: str, families: tuple[str, ...]) -> CJKFont:
    needed = SAMPLE + text
    best: tuple[CJKFont, list[str]] | None = None
    for source in (_by_family(families), _by_fontconfig()):
        for font in source:
            try:
                missing = missing_glyphs(font.path, needed)
            except (OSError, RuntimeError, ValueError):
                continue
            if not missing:
                return font
            if best is None or len(missing) < len(best[1]):
                best = (font, missing)
    if best is not None and not set(best[1]) & set(SAMPLE):
        chars = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in best[1])
        raise MissingFontError(
            f"no installed font can draw {chars} (the closest, {best[0].family}, lacks them)",
            hint="install a font with these characters (e.g. fonts-noto-cjk-extra) or rename "
            "the unit with an alias",
        )
    raise MissingFontError(
        "no font with Chinese glyphs found for the chart (matplotlib would draw boxes)",
        hint=_FIX,
    )


def find_cjk_font(text: str = "", *, families: Sequence[str] = CJK_FAMILIES) -> CJKFont:
    """An installed font that can draw ``text`` and common Chinese, or :class:`MissingFontError`.

    Fonts are tried by family name in the order of ``families``, then every file that
    ``fc-list :lang=zh`` lists (those are added to matplotlib's font list). The answer is
    cached per ``text``.
    """
    return _find(text, tuple(families))


def cjk_rc(font: CJKFont) -> dict[str, Any]:
    """matplotlib settings that draw text in ``font`` (DejaVu Sans for what it lacks)."""
    return {
        "font.family": [font.family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "dutygraph",
    }


def use_cjk_font(text: str = "") -> CJKFont:
    """Find a font for ``text`` (:func:`find_cjk_font`) and make it the default of every later
    matplotlib figure, pandas plots included (for notebooks); return it."""
    import matplotlib

    font = find_cjk_font(text)
    matplotlib.rcParams.update(cast(Any, cjk_rc(font)))
    return font


@contextmanager
def _cjk(text: str, font: CJKFont | None) -> Iterator[CJKFont]:
    import matplotlib

    chosen = font or find_cjk_font(text)
    missing = missing_glyphs(chosen.path, text)
    if missing:
        raise MissingFontError(
            f"{chosen.family} cannot draw {''.join(missing)}", path=chosen.path, hint=_FIX
        )
    with matplotlib.rc_context(cast(Any, cjk_rc(chosen))):
        yield chosen


def load_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    top: int = 15,
    title: str | None = None,
    weights: Mapping[str, float] | None = None,
    font: CJKFont | None = None,
) -> Any:
    """The ``overload`` rows as a horizontal bar chart (a matplotlib ``Figure``).

    Each bar is a unit's load, split by role (lead, responsible, support, each times its
    ``weights``, by default the ``overload`` query's); the heaviest unit is on top. Units
    flagged as overloaded have a bold red label; a dashed line marks the median unit's load.
    Nothing is drawn on screen: show the figure in a notebook, or pass it to :func:`figure_svg`.
    """
    from matplotlib.figure import Figure

    from dutygraph.analysis.metrics import load_weights

    shown = list(rows[:top])
    w = dict(weights or load_weights())
    names = [str(r["unit"]) for r in shown]
    title = title or f"单位负荷排名（前 {len(shown)} 位）"
    xlabel = "负荷＝牵头×{lead:g}＋责任×{responsible:g}＋配合×{support:g}".format(**w)
    texts = "".join(names) + title + xlabel + "".join(_ROLE_LABELS.values()) + "中位数"
    with _cjk(texts, font) as chosen:
        fig = Figure(figsize=(8, 0.42 * max(len(shown), 3) + 1.4), dpi=100, layout="constrained")
        ax = fig.add_subplot()
        left = [0.0] * len(shown)
        for role in ("lead", "responsible", "support"):
            widths = [float(r[role]) * w[role] for r in shown]
            ax.barh(
                range(len(shown)),
                widths,
                left=left,
                color=_ROLE_COLORS[role],
                label=f"{_ROLE_LABELS[role]}×{w[role]:g}",
                height=0.7,
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for i, r in enumerate(shown):
            ax.text(float(r["load"]) + 0.3, i, f"{r['load']:g}", va="center", fontsize=9)
        ax.set_yticks(range(len(shown)), labels=names)
        ax.tick_params(axis="both", labelfontfamily=chosen.family)
        for label, r in zip(ax.get_yticklabels(), shown, strict=True):
            if r.get("flag"):
                label.set_color("#a61b1b")
                label.set_fontweight("bold")
        median = _median_load(shown)
        if median is not None:
            ax.axvline(
                median, color="#6b7782", linestyle="--", linewidth=1, label=f"中位数 {median:g}"
            )
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left", fontsize=12)
        ax.legend(loc="lower right", frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.08)
    return fig


def _median_load(rows: Sequence[Mapping[str, Any]]) -> float | None:
    """The median unit's load, from any row's load and ratio (``ratio = load / median``).

    >>> _median_load([{"load": 24, "ratio": 4.8}])
    5.0
    """
    for r in rows:
        if r.get("ratio"):
            return round(float(r["load"]) / float(r["ratio"]), 2)
    return None


def figure_svg(fig: Any, *, label: str = "") -> str:
    """``fig`` as an ``<svg>`` element to inline in HTML: text drawn as paths, no XML prolog,
    comments or metadata, stable ids; ``label`` becomes its accessible name (escaped)."""
    import html

    import matplotlib

    out = StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "dutygraph"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg, count=2)
    attrs = f' role="img" aria-label="{html.escape(label)}"' if label else ""
    return svg.replace("<svg", f"<svg{attrs}", 1)
