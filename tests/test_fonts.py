"""The Chinese font of every output (:mod:`dutygraph.views.fonts`, :mod:`dutygraph.views.charts`).

Charts draw in the Noto Sans SC that a Python package ships, whatever fonts the system has and
whatever matplotlib's font cache holds, with no warning; installed fonts are used only when
asked. HTML pages embed a WOFF2 subset holding exactly the characters outside ASCII they contain.
"""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager

from dutygraph import build_graph, example_path, read_workplan
from dutygraph.analysis import analyze
from dutygraph.graph.records import Document
from dutygraph.views import fonts
from dutygraph.views.charts import (
    CJKFont,
    MissingFontError,
    bundled_font,
    figure_svg,
    find_cjk_font,
    load_chart,
    missing_glyphs,
)
from dutygraph.views.maps import render_map
from dutygraph.views.maps.template import vis_assets
from dutygraph.views.matrix import matrix_html, responsibility_matrix
from dutygraph.views.report import render_report

ROOT = Path(__file__).resolve().parent.parent
FACE = re.compile(
    r'@font-face\{font-family:"dutygraph-cjk";src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)'
    r' format\("woff2"\);font-weight:400;font-style:normal\}'
    r"/\* Noto Sans SC subset, \(c\) Adobe, SIL Open Font License 1\.1 \*/\n"
)
BUNDLED = str(fonts.bundled_font_path())


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return read_workplan(example_path())


@pytest.fixture
def own_font_list(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """matplotlib's font list as it is now, restored after the test (fonts a test registers
    must not outlive it)."""
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", list(manager.ttflist))
    yield
    manager._findfont_cached.cache_clear()


# --- charts -------------------------------------------------------------------------------


def test_charts_use_the_bundled_font() -> None:
    font = find_cjk_font("市教育局市民政局团市委")
    assert font == bundled_font() == CJKFont("Noto Sans SC", BUNDLED)
    assert BUNDLED.endswith("/pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf")
    assert missing_glyphs(font.path, "市教育局市民政局团市委未保委办公室") == []
    # registered with matplotlib, first among fonts of its name
    prop = font_manager.FontProperties(family="Noto Sans SC")
    assert font_manager.findfont(prop, fallback_to_default=False) == BUNDLED
    assert font_manager.get_font(BUNDLED).style_name == "Regular"


def test_load_chart_in_the_bundled_font_with_no_warning(
    seed_doc: Document, caplog: pytest.LogCaptureFixture
) -> None:
    rows = analyze([seed_doc]).overload
    with caplog.at_level(logging.INFO), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = load_chart(rows, top=10)
        fig.savefig(io.BytesIO(), format="png")
        svg = figure_svg(fig, label='负荷"<x>')
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []
    ax = fig.axes[0]
    labels = ax.get_yticklabels()
    assert [t.get_text() for t in labels][:2] == ["市教育局", "市民政局"] and len(labels) == 10
    texts = [*labels, ax.title, ax.xaxis.label, *ax.get_legend().get_texts()]
    assert {str(font_manager.findfont(t.get_fontproperties())) for t in texts} == {BUNDLED}
    assert {t.get_fontweight() for t in texts} == {"normal"}
    flagged = [t.get_text() for t in labels if t.get_color() == "#a61b1b"]
    assert flagged == [r["unit"] for r in rows[:10] if r["flag"]] and len(flagged) == 7
    assert svg.startswith('<svg role="img" aria-label="负荷&quot;&lt;x&gt;"')
    assert "<!--" not in svg and "<?xml" not in svg and "http" not in svg


NO_SYSTEM_FONT = """
import io, json, logging, subprocess, warnings
import matplotlib
from matplotlib import font_manager

logged = []
handler = logging.Handler(logging.WARNING)
handler.emit = lambda record: logged.append(record.getMessage())
logging.getLogger("matplotlib").addHandler(handler)

# a font list with matplotlib's own fonts only: a machine without any system font, or a
# cache built before a CJK font was installed
data = matplotlib.get_data_path()
manager = font_manager.fontManager
known = sorted({e.name for e in manager.ttflist if not e.fname.startswith(data)})
manager.ttflist = [e for e in manager.ttflist if e.fname.startswith(data)]
fc_list = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout

from dutygraph import example_path, read_workplan
from dutygraph.analysis import analyze
from dutygraph.views.charts import find_cjk_font, load_chart, use_cjk_font

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    use_cjk_font()
    fig = load_chart(analyze([read_workplan(example_path())]).overload)
    fig.savefig(io.BytesIO(), format="png")
    ax = fig.axes[0]
    texts = [*ax.get_yticklabels(), ax.title, ax.xaxis.label]
    used = sorted({str(font_manager.findfont(t.get_fontproperties())) for t in texts})
print(json.dumps({
    "fc_list": fc_list,
    "font": find_cjk_font().path,
    "system": find_cjk_font("系统", system=True).path,
    "rc": matplotlib.rcParams["font.family"],
    "used": used,
    "warnings": [str(w.message) for w in caught],
    "logged": logged,
}, ensure_ascii=False))
"""


def test_a_chart_on_a_machine_without_cjk_fonts(tmp_path: Path) -> None:
    """In a fresh process with an empty matplotlib cache, a fontconfig that knows no font, and
    a font list holding matplotlib's own fonts only: the chart is drawn in the bundled font,
    with no warning."""
    conf = tmp_path / "fonts.conf"
    conf.write_text("<?xml version='1.0'?>\n<fontconfig></fontconfig>\n", encoding="utf-8")
    env = {
        **os.environ,
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
        "FONTCONFIG_FILE": str(conf),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", NO_SYSTEM_FONT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "fc_list": "",
        "font": BUNDLED,
        "system": BUNDLED,
        "rc": ["Noto Sans SC", "DejaVu Sans"],
        "used": [BUNDLED],
        "warnings": [],
        "logged": [],
    }


def test_installed_fonts_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_font_list: None
) -> None:
    """An installed font (here one that fontconfig lists) is used with ``system=True``, and
    not by default."""
    installed = tmp_path / "fonts" / "Installed-SC.otf"
    installed.parent.mkdir()
    installed.write_bytes(Path(BUNDLED).read_bytes())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fc_list = bin_dir / "fc-list"
    fc_list.write_text(f"#!/bin/sh\necho '{installed}: '\n", encoding="utf-8")
    fc_list.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert find_cjk_font("默认用包内字体", families=()) == CJKFont("Noto Sans SC", BUNDLED)
    asked = find_cjk_font("按要求用系统字体", families=(), system=True)
    assert asked == CJKFont("Noto Sans SC", str(installed))


def test_a_missing_package_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pylopdf_fonts_zh_cn

    gone = tmp_path / "NotoSansSC-Regular.otf"
    monkeypatch.setattr(pylopdf_fonts_zh_cn, "sans_path", lambda: gone)
    message = (
        f"{gone}: the bundled Chinese font file is missing; reinstall it: "
        "pip install --force-reinstall pylopdf-fonts-zh-cn"
    )
    with pytest.raises(MissingFontError) as raised:
        find_cjk_font("包内字体文件不见了")
    assert str(raised.value) == message


def test_a_glyph_no_font_has_is_a_clear_error() -> None:
    with pytest.raises(MissingFontError) as raised:
        find_cjk_font("市\U0010fffd局")
    assert str(raised.value) == (
        "no font can draw \U0010fffd (U+10FFFD) (the closest, Noto Sans SC, lacks them); "
        "install a font with these characters (e.g. fonts-noto-cjk-extra) or rename the unit "
        "with an alias"
    )


def test_missing_glyphs_of_the_default_font() -> None:
    dejavu = font_manager.findfont("DejaVu Sans")
    assert missing_glyphs(dejavu, "市教育局 ABC 市") == ["市", "教", "育", "局"]


def test_a_chart_in_a_font_without_chinese_is_refused() -> None:
    dejavu = CJKFont("DejaVu Sans", font_manager.findfont("DejaVu Sans"))
    rows = [{"unit": "市教育局", "lead": 1, "support": 0, "responsible": 0, "load": 3}]
    with pytest.raises(
        MissingFontError, match=r"DejaVu Sans cannot draw 市教育局.*leave font= out"
    ):
        load_chart(rows, font=dejavu)


# --- HTML pages ---------------------------------------------------------------------------


def embedded(page: str) -> TTFont:
    """The one font face a page embeds, decoded."""
    (data,) = FACE.findall(page)
    return TTFont(io.BytesIO(base64.b64decode(data)))


def cmap_of(font: TTFont) -> set[str]:
    return {chr(c) for c in font.getBestCmap()}


def beyond_ascii(text: str) -> set[str]:
    return {ch for ch in html.unescape(text) if ord(ch) > 0x7F}


@pytest.fixture(scope="module")
def map_page(seed_doc: Document) -> str:
    return render_map(build_graph([seed_doc]))


@pytest.fixture(scope="module")
def report_page(seed_doc: Document) -> str:
    return render_report([seed_doc])


@pytest.fixture(scope="module")
def matrix_page(seed_doc: Document) -> str:
    return matrix_html(*responsibility_matrix(analyze([seed_doc]).queried), title="分工矩阵")


def test_the_map_embeds_exactly_its_characters(map_page: str) -> None:
    # vis-network's own UI strings (locales of the editing toolbar the map leaves off) are not
    # text of the page
    text = map_page.replace(vis_assets()[0], "")
    assert cmap_of(embedded(map_page)) == beyond_ascii(text)
    assert {"市", "教", "育", "局", "（", "）", "：", "；", "…", "·"} <= beyond_ascii(text)
    assert not beyond_ascii(vis_assets()[0]) <= cmap_of(embedded(map_page))
    assert 'body { display: flex; font-family: "dutygraph-cjk", "Noto Sans CJK SC"' in map_page
    assert '"face":"\\"dutygraph-cjk\\", \\"Noto Sans CJK SC\\"' in map_page  # canvas labels


def test_the_report_embeds_exactly_its_characters(report_page: str) -> None:
    (srcdoc,) = re.findall(r'srcdoc="([^"]*)"', report_page)
    outside = report_page.replace(srcdoc, "")
    assert cmap_of(embedded(outside)) == beyond_ascii(outside)
    assert "\u201c" in beyond_ascii(outside)  # the quotes the style sheet puts around evidence
    frame = html.unescape(srcdoc)
    assert cmap_of(embedded(frame)) == beyond_ascii(frame.replace(vis_assets()[0], ""))
    assert '<style>\n@font-face{font-family:"dutygraph-cjk"' in outside
    assert 'body { font-family: "dutygraph-cjk", "Noto Sans CJK SC"' in outside


def test_the_matrix_page_embeds_exactly_its_characters(matrix_page: str) -> None:
    assert cmap_of(embedded(matrix_page)) == beyond_ascii(matrix_page)
    assert 'body { font-family: "dutygraph-cjk", "Noto Sans CJK SC"' in matrix_page


def test_every_page_allows_fonts_from_data_urls_only(
    map_page: str, report_page: str, matrix_page: str
) -> None:
    for page in (map_page, report_page, matrix_page):
        (policy,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
        directives = [d.strip() for d in html.unescape(policy).split(";")]
        assert directives[0] == "default-src 'none'" and "font-src data:" in directives


def test_the_subset_keeps_the_licence_and_is_reproducible(matrix_page: str) -> None:
    font = embedded(matrix_page)
    names = {n.nameID: n.toUnicode() for n in font["name"].names}
    assert names[0] == "© 2014-2021 Adobe (http://www.adobe.com/)."
    assert names[1] == "Noto Sans SC" and names[14] == "http://scripts.sil.org/OFL"
    assert names[13].startswith("This Font Software is licensed under the SIL Open Font License")
    assert sorted(names) == [0, 1, 2, 3, 4, 5, 6, 13, 14]
    assert "vert" in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    characters = fonts.page_characters(matrix_page)
    fonts.subset_woff2.cache_clear()
    again = fonts.subset_woff2(characters)
    assert again == base64.b64decode(FACE.findall(matrix_page)[0])


def test_the_embedded_font_is_small(map_page: str, report_page: str, matrix_page: str) -> None:
    """Under 200 bytes of page per embedded character (WOFF2 in base64), plus a fixed 6 kB."""
    for page in (map_page, report_page, matrix_page):
        for data in FACE.findall(html.unescape(page)):
            chars = len(cmap_of(TTFont(io.BytesIO(base64.b64decode(data)))))
            assert len(data) < 200 * chars + 6_000, (chars, len(data))


def test_a_page_without_chinese_embeds_no_font() -> None:
    assert fonts.font_face_css('<p title="x">ASCII only: 1 &lt; 2</p>') == ""
    assert fonts.page_characters("市\U0010fffd局") == "局市"  # what the font lacks is left out
