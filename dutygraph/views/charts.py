"""Charts for the notebook and the report: the load ranking as a bar chart, in a Chinese font.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a label such as 市教育局 would be
drawn as empty boxes, with nothing but a warning. Charts therefore use the Noto Sans SC file that
the ``pylopdf-fonts-zh-cn`` package ships (:mod:`dutygraph.views.fonts`: version, licence and
size there): :func:`bundled_font` registers it with matplotlib's font manager directly, so it is
found whatever fonts the system has and whatever state matplotlib's font cache is in, and it is
the default answer of :func:`find_cjk_font`. Installed fonts are looked at only when asked
(``system=True``: by family name — Noto Sans CJK SC, Source Han Sans, WenQuanYi, SimHei, …, then
the files ``fc-list :lang=zh`` names) or when the bundled font lacks a character of a label.
:func:`load_chart` draws the ``overload`` rows in that font; :func:`figure_svg` turns a figure
into an ``<svg>`` element to inline in an HTML page (text as paths, so the page needs no font).

>>> from matplotlib import font_manager
>>> dejavu = font_manager.findfont("DejaVu Sans")
>>> missing_glyphs(dejavu, "团市委 A1")
['团', '市', '委']
>>> bundled_font().family
'Noto Sans SC'
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

from dutygraph.views.fonts import FONT_PACKAGE, MissingFontError, bundled_font_path

__all__ = [
    "CJK_FAMILIES",
    "CJKFont",
    "MissingFontError",
    "bundled_font",
    "cjk_rc",
    "figure_svg",
    "find_cjk_font",
    "load_chart",
    "missing_glyphs",
    "use_cjk_font",
]

#: Installed font families with Chinese glyphs, most wanted first, for ``system=True``. A name
#: also matches its regional variants: ``Noto Sans CJK`` matches ``Noto Sans CJK JP``.
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
_FIX = f"reinstall the package that ships the font: pip install --force-reinstall {FONT_PACKAGE}"
_ROLE_COLORS = {"lead": "#c0392b", "responsible": "#239b56", "support": "#2f7fd0"}
_ROLE_LABELS = {"lead": "牵头", "responsible": "责任", "support": "配合"}


@dataclass(frozen=True)
class CJKFont:
    """A font with Chinese glyphs: its matplotlib family name and its file."""

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


def _register(path: str, *, first: bool = False) -> None:
    """Make the font file at ``path`` known to matplotlib; ``first``: ahead of every other font.

    Registering again is a no-op, so a font manager rebuilt since (a fresh cache) gets it back.
    matplotlib picks the first of equally good fonts: first place means this file wins over an
    installed font that has the same family name.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if any(e.fname == path for e in manager.ttflist):
        return
    manager.addfont(path)  # appends, and empties findfont's cache
    if first:
        mine = [e for e in manager.ttflist if e.fname == path]
        manager.ttflist = mine + [e for e in manager.ttflist if e.fname != path]


def bundled_font() -> CJKFont:
    """The Noto Sans SC file shipped by ``pylopdf-fonts-zh-cn``, registered with matplotlib.

    Raises :class:`MissingFontError` only if that package's file is gone.

    >>> from matplotlib import font_manager
    >>> font = bundled_font()
    >>> font.family, font_manager.findfont("Noto Sans SC") == font.path
    ('Noto Sans SC', True)
    """
    from matplotlib import font_manager

    path = str(bundled_font_path())
    _register(path, first=True)
    return CJKFont(str(font_manager.get_font(path).family_name), path)


def _is_bundled(path: str) -> bool:
    try:
        return path == str(bundled_font_path())
    except MissingFontError:
        return False


def _matches(name: str, family: str) -> bool:
    return name == family or name.startswith(family + " ")


def _by_family(families: Sequence[str], bundled: str) -> Iterator[CJKFont]:
    """Installed fonts matplotlib knows, in the order of ``families`` (regular weight
    preferred); the bundled file (path ``bundled``) is not among them."""
    from matplotlib import font_manager

    entries = [e for e in font_manager.fontManager.ttflist if e.fname != bundled]
    for family in families:
        for name in sorted({e.name for e in entries if _matches(e.name, family)}):
            regular = [e for e in entries if e.name == name and e.weight in (400, "normal")]
            for e in regular or [e for e in entries if e.name == name]:
                yield CJKFont(name, str(e.fname))
                break


def _by_fontconfig(bundled: str) -> Iterator[CJKFont]:
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
        if path == bundled:
            continue
        try:
            _register(path)
            family = str(font_manager.get_font(path).family_name)
        except (OSError, RuntimeError, ValueError):
            continue
        yield CJKFont(family, path)


def _candidates(families: tuple[str, ...], system: bool) -> Iterator[CJKFont]:
    """The bundled font, then installed ones; installed ones first when ``system``."""
    if not system:
        yield bundled_font()
    try:
        bundled = str(bundled_font_path())
    except MissingFontError:
        bundled = ""
    yield from _by_family(families, bundled)
    yield from _by_fontconfig(bundled)
    if system and bundled:
        yield bundled_font()


@functools.cache
def _find(text: str, families: tuple[str, ...], system: bool) -> CJKFont:
    needed = SAMPLE + text
    best: tuple[CJKFont, list[str]] | None = None
    for font in _candidates(families, system):
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
            f"no font can draw {chars} (the closest, {best[0].family}, lacks them)",
            hint="install a font with these characters (e.g. fonts-noto-cjk-extra) or rename "
            "the unit with an alias",
        )
    raise MissingFontError(
        "no font with Chinese glyphs found for the chart (matplotlib would draw boxes)",
        hint=_FIX,
    )


def find_cjk_font(
    text: str = "", *, families: Sequence[str] = CJK_FAMILIES, system: bool = False
) -> CJKFont:
    """A font that can draw ``text`` and common Chinese, or :class:`MissingFontError`.

    The bundled Noto Sans SC (:func:`bundled_font`) comes first; installed fonts are tried
    only for characters it lacks — by family name in the order of ``families``, then every
    file that ``fc-list :lang=zh`` lists (those are added to matplotlib's font list). With
    ``system=True`` installed fonts come first and the bundled one is the fallback. The
    answer is cached per ``text``.

    >>> find_cjk_font("市教育局").family
    'Noto Sans SC'
    """
    font = _find(text, tuple(families), system)
    _register(font.path, first=_is_bundled(font.path))
    return font


def cjk_rc(font: CJKFont) -> dict[str, Any]:
    """matplotlib settings that draw text in ``font`` (DejaVu Sans for what it lacks)."""
    return {
        "font.family": [font.family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "dutygraph",
    }


def use_cjk_font(text: str = "", *, system: bool = False) -> CJKFont:
    """Find a font for ``text`` (:func:`find_cjk_font`, installed fonts first if ``system``) and
    make it the default of every later matplotlib figure, pandas plots included (for
    notebooks); return it."""
    import matplotlib

    font = find_cjk_font(text, system=system)
    matplotlib.rcParams.update(cast(Any, cjk_rc(font)))
    return font


@contextmanager
def _cjk(text: str, font: CJKFont | None) -> Iterator[CJKFont]:
    import matplotlib

    chosen = font or find_cjk_font(text)
    missing = missing_glyphs(chosen.path, text)
    if not missing:
        _register(chosen.path, first=_is_bundled(chosen.path))
    if missing:
        raise MissingFontError(
            f"{chosen.family} cannot draw {''.join(missing)}",
            path=chosen.path,
            hint="leave font= out: the bundled font, or an installed one, draws them",
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
    flagged as overloaded have a red label (in the regular weight: the font has no bold); a
    dashed line marks the median unit's load.
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
