"""Reading work-plan files: encodings, .docx, .html, .pdf, directories and bad input."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dutygraph.errors import InputError
from dutygraph.extract.read import (
    SUPPORTED_SUFFIXES,
    SourceText,
    decode_bytes,
    iter_paths,
    read_source,
    read_sources,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "dutygraph" / "examples" / "anshun_2023.txt"

PLAN = (
    "安顺市2023年度未成年人保护工作要点\n"
    "一、加强统筹谋划\n"
    "1.加强理论学习。深入学习贯彻党的二十大精神。（牵头单位：未保委办公室；配合单位：未保委成员单位）\n"
    "2.完善工作机制。修订市未保委工作制度。（牵头单位：市民政局）\n"
)
OCR_HINT = "run OCR first (e.g. ocrmypdf) and read the result"
SUPPORTED = "supported: .txt .text .md .docx .html .htm .pdf .xlsx .xls .csv .doc .wps .rtf .odt"


def whole(message: str | Path) -> str:
    """A ``match=`` pattern for exactly this error text."""
    return "^" + re.escape(str(message)) + "$"


def write(directory: Path, name: str, data: bytes | str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- plain text and encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_read_text_in_each_encoding(tmp_path: Path, codec: str, encoding: str) -> None:
    data = PLAN.encode(codec)
    path = write(tmp_path, "plan.txt", data)
    source = read_source(path)
    assert source == SourceText(
        path=str(path),
        text=PLAN,
        format="txt",
        encoding=encoding,
        meta={},
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_decode_big5_traditional() -> None:
    text = (
        "各縣（區）未成年人保護委員會，市未保委成員單位：現將工作要點印發給你們，請認真抓好落實。"
    )
    assert decode_bytes(text.encode("big5")) == (text, "big5")


def test_decode_short_gbk_prefers_gb18030() -> None:
    # charset-normalizer ranks cp949 first for this short text; the GB18030 tie wins.
    assert decode_bytes("加强理论学习。牵头单位：市教育局".encode("gbk")) == (
        "加强理论学习。牵头单位：市教育局",
        "gb18030",
    )


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
def test_decode_normalises_line_endings(codec: str) -> None:
    text, _ = decode_bytes("一、总体要求\r\n1.加强学习。\r2.完善机制。\n".encode(codec))
    assert text == "一、总体要求\n1.加强学习。\n2.完善机制。\n"


def test_decode_strips_bom() -> None:
    assert decode_bytes(b"\xef\xbb\xbf\xe4\xb8\x80") == ("一", "utf-8-sig")
    assert decode_bytes(b"\xfe\xff\x4e\x00") == ("一", "utf-16")


def test_decode_empty_bytes() -> None:
    assert decode_bytes(b"") == ("", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + os.urandom(64),
        "正文".encode() + b"\x00" + "正文".encode(),
    ],
    ids=["all-bytes", "png", "zip", "utf8-with-nul"],
)
def test_decode_binary_is_refused(data: bytes) -> None:
    message = "data.bin: looks like a binary file, not text; save it as UTF-8 text"
    with pytest.raises(InputError, match=whole(message)):
        decode_bytes(data, path="data.bin")


def test_decode_control_characters_are_refused() -> None:
    message = "<bytes>: looks like a binary file, not text; save it as UTF-8 text"
    with pytest.raises(InputError, match=whole(message)):
        decode_bytes(b"\x01\x02\x03\x04text" * 10)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [(b"\xff\xfeA", "utf-16"), (b"\xff\xfe\x00\xd8", "utf-16"), (b"\xef\xbb\xbf\xff", "utf-8-sig")],
)
def test_decode_bom_that_lies(data: bytes, encoding: str) -> None:
    message = (
        f"x.txt: starts with a {encoding} byte-order mark but is not valid {encoding}; "
        "save it as UTF-8 text"
    )
    with pytest.raises(InputError, match=whole(message)):
        decode_bytes(data, path="x.txt")


@settings(deadline=None, max_examples=300)
@given(st.binary(max_size=512))
def test_decode_arbitrary_bytes_returns_text_or_input_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except InputError as err:
        assert err.path == "<bytes>"
        assert err.hint == "save it as UTF-8 text"
    else:
        assert isinstance(text, str)
        assert isinstance(encoding, str)
        assert "\r" not in text


_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t")


@settings(deadline=None)
@given(st.text(_TEXT_CHARS, max_size=200).filter(lambda s: not s.startswith("\ufeff")))
def test_decode_utf8_text_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_read_txt_pipe_table_metadata(tmp_path: Path) -> None:
    head = (
        "索 引 号: | 000014349/2023-1326445 | 是否有效: | |\n"
        "发布机构: | 安顺市民政局 | 发文日期: | 2023-03-31 |\n"
        "名 称: | 关于印发工作要点的通知 | ||\n"
        "文 号: |\n"
    )
    path = write(tmp_path, "plan.txt", head + PLAN)
    source = read_source(path)
    assert source.text == head + PLAN
    assert source.meta == {
        "索引号": "000014349/2023-1326445",
        "发布机构": "安顺市民政局",
        "发文日期": "2023-03-31",
        "名称": "关于印发工作要点的通知",
    }


def test_read_txt_label_lines_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.md", "名称：关于印发工作要点的通知\n成文日期：2023-03-30\n" + PLAN)
    source = read_source(path)
    assert (source.format, source.encoding) == ("txt", "utf-8")
    assert source.meta == {"名称": "关于印发工作要点的通知", "成文日期": "2023-03-30"}


def test_read_real_example() -> None:
    source = read_source(EXAMPLE)
    assert source.path == str(EXAMPLE)
    assert (source.format, source.encoding) == ("txt", "utf-8")
    assert source.meta["索引号"] == "000014349/2023-1326445"
    assert source.meta["名称"].startswith("关于印发")
    assert "文号" not in source.meta
    assert "发布机构" not in source.meta
    assert "发文日期" not in source.meta
    assert source.text == EXAMPLE.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert source.sha256 == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "PLAN.TXT", PLAN))
    assert (source.format, source.text) == ("txt", PLAN)


def test_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "docs/plan.text", PLAN)
    monkeypatch.chdir(tmp_path)
    assert read_source("docs/plan.text").path == "docs/plan.text"


# -- unusable files ----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError, match=whole(f"{path}: no such file; check the path")) as info:
        read_source(path)
    assert (info.value.path, info.value.exit_code) == (str(path), 2)


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    message = f"{tmp_path}: is a directory, not a file; pass the files inside it"
    with pytest.raises(InputError, match=whole(message)):
        read_source(tmp_path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("plan.ppt", "unsupported file type '.ppt'"),
        ("plan.PPTX", "unsupported file type '.pptx'"),
        ("README", "has no file suffix"),
    ],
)
def test_unsupported_suffix(tmp_path: Path, name: str, message: str) -> None:
    path = write(tmp_path, name, PLAN)
    with pytest.raises(InputError, match=whole(f"{path}: {message}; {SUPPORTED}")):
        read_source(path)


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, "empty" + suffix, b"")
    message = f"{path}: is empty; check that it was saved completely"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


@pytest.mark.parametrize("data", [" \n\t\r\n", "\u3000\u3000\n".encode("gb18030")])
def test_whitespace_only_file(tmp_path: Path, data: str | bytes) -> None:
    path = write(tmp_path, "blank.txt", data)
    message = f"{path}: contains no text; check that it is the right file"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


def test_binary_file_with_txt_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.txt", bytes(range(256)) * 8)
    message = f"{path}: looks like a binary file, not text; save it as UTF-8 text"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


# -- .docx -------------------------------------------------------------------------------------


def docx_bytes(build: list[tuple[str, object]]) -> bytes:
    """A .docx from ("p", text) and ("table", rows) items; a row cell may hold a list of
    paragraphs, and a row may be a single string that spans the whole row."""
    document = docx.Document()
    for kind, content in build:
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        rows = list(content)  # type: ignore[call-overload]
        width = max(len(row) for row in rows if not isinstance(row, str))
        table = document.add_table(rows=len(rows), cols=width)
        for row_index, row in enumerate(rows):
            if isinstance(row, str):
                merged = table.cell(row_index, 0).merge(table.cell(row_index, width - 1))
                merged.text = row
                continue
            for cell, value in zip(table.rows[row_index].cells, row, strict=False):
                paragraphs = value if isinstance(value, list) else [value]
                cell.text = paragraphs[0]
                for extra in paragraphs[1:]:
                    cell.add_paragraph(extra)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path: Path) -> None:
    data = docx_bytes(
        [("p", "前言"), ("table", [["甲", "乙"], ["丙", ""]]), ("p", "一、加强统筹谋划")]
    )
    source = read_source(write(tmp_path, "plan.docx", data))
    assert source.text == "前言\n甲 | 乙\n丙 | \n一、加强统筹谋划"
    assert (source.format, source.encoding, source.meta) == ("docx", None, {})
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_docx_task_table_becomes_numbered_items(tmp_path: Path) -> None:
    rows: list[object] = [
        "安顺市2023年度未成年人保护工作任务分工",
        ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
        "一、加强统筹谋划",
        ["1", ["加强理论学习。", "深入学习贯彻党的二十大精神。"], "未保委办公室",
         ["市教育局", "市民政局"], "2023年底"],
        ["2", "完善工作机制。", "市民政局", "", ""],
        ["序 号", "重点任务", "牵头 单位", "配合单位", "完成时限"],  # header repeated on a new page
        ["", "建立协调机制", "", "各成员单位", ""],
        ["4.", "", "市妇联", "", ""],  # no task: left out
    ]  # fmt: skip
    data = docx_bytes([("p", "各成员单位："), ("table", rows), ("p", "附件")])
    source = read_source(write(tmp_path, "plan.docx", data))
    assert source.text.split("\n") == [
        "各成员单位：",
        "安顺市2023年度未成年人保护工作任务分工",
        "一、加强统筹谋划",
        "1.加强理论学习。深入学习贯彻党的二十大精神。（牵头单位：未保委办公室；配合单位：市教育局、市民政局；完成时限：2023年底）",
        "2.完善工作机制。（牵头单位：市民政局）",
        "3.建立协调机制（配合单位：各成员单位）",
        "附件",
    ]


def test_docx_task_table_vertical_merge_and_responsible_column(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["工作内容", "责任单位", "备注"], strict=True):
        cell.text = text
    table.cell(1, 0).text = "（一）开展专项行动。"
    table.cell(2, 0).text = "（二）加强宣传。"
    merged = table.cell(1, 1).merge(table.cell(2, 1))
    merged.text = "市公安局"
    buffer = io.BytesIO()
    document.save(buffer)
    source = read_source(write(tmp_path, "plan.docx", buffer.getvalue()))
    assert source.text.split("\n") == [
        "1.（一）开展专项行动。（责任单位：市公安局）",
        "2.（二）加强宣传。（责任单位：市公安局）",
    ]


def test_docx_label_value_table_is_not_a_task_table(tmp_path: Path) -> None:
    rows = [["牵头单位", "市教育局"], ["配合单位", "市民政局"]]
    source = read_source(write(tmp_path, "plan.docx", docx_bytes([("table", rows)])))
    assert source.text == "牵头单位 | 市教育局\n配合单位 | 市民政局"


def test_docx_metadata_table(tmp_path: Path) -> None:
    rows = [["索 引 号：", "000014349/2023-1326445"], ["文　　号：", ""]]
    data = docx_bytes([("table", rows), ("p", PLAN)])
    source = read_source(write(tmp_path, "plan.docx", data))
    assert source.meta == {"索引号": "000014349/2023-1326445"}


def test_docx_corrupt(tmp_path: Path) -> None:
    message = (
        "not a valid .docx file; open it in Word or WPS and save it as .docx "
        "(an old .doc file must be converted)"
    )
    path = write(tmp_path, "plan.docx", "这不是Word文件")
    with pytest.raises(InputError, match=whole(f"{path}: {message}")):
        read_source(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    path = write(tmp_path, "other.docx", buffer.getvalue())
    with pytest.raises(InputError, match=whole(f"{path}: {message}")):
        read_source(path)


def test_docx_without_text(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.docx", docx_bytes([("p", "  ")]))
    message = f"{path}: contains no text; check that it is the right file"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


# -- .html -------------------------------------------------------------------------------------

GOV_PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于印发工作要点的通知_安顺市民政局</title>
<style>.TRS_Editor p {{ margin: 0 }}</style>
<script type="text/javascript">var title = "脚本内容";</script>
</head>
<body>
<header><div class="logo">安顺市人民政府</div></header>
<nav><ul><li>首页</li><li>政务公开</li></ul></nav>
<div class="xxgk"><table>
  <tr><td>索 引 号：</td><td>000014349/2023-1326445</td><td>是否有效：</td><td></td></tr>
  <tr><td>发布机构：</td><td>安顺市民政局</td><td>发文日期：</td><td>2023-03-31</td></tr>
  <tr><td>名　　称：</td>
      <td colspan="3">关于印发《安顺市2023年度未成年人保护工作要点》的通知</td></tr>
  <tr><td>文&nbsp;&nbsp;号：</td><td colspan="3"></td></tr>
</table></div>
<div id="zoom"><div class="TRS_Editor">
<p>各县(区)未成年人保护委员会，市未保委成员单位：</p>
<p>　　现将《安顺市2023年度未成年人保护工作要点》印发给你们，
请结合实际认真抓好贯彻落实。</p>
<p>一、加强统筹谋划</p>
<p>1.加强理论学习。（牵头单位：未保委办公室，配合单位：未保委成员单位）</p>
<div>2.完善工作机制。<br>健全工作制度。</div>
<table><tr><th>序号</th><th>任务</th></tr><tr><td>3</td><td>建立<b>协调</b>机制。</td></tr></table>
<script>document.write("脚本内容");</script>
</div></div>
<footer>版权所有：安顺市人民政府</footer>
</body></html>
"""
GOV_META = {
    "索引号": "000014349/2023-1326445",
    "发布机构": "安顺市民政局",
    "发文日期": "2023-03-31",
    "名称": "关于印发《安顺市2023年度未成年人保护工作要点》的通知",
}
GOV_BODY = [
    "各县(区)未成年人保护委员会，市未保委成员单位：",
    "现将《安顺市2023年度未成年人保护工作要点》印发给你们，请结合实际认真抓好贯彻落实。",
    "一、加强统筹谋划",
    "1.加强理论学习。（牵头单位：未保委办公室，配合单位：未保委成员单位）",
    "2.完善工作机制。",
    "健全工作制度。",
    "序号 | 任务",
    "3 | 建立协调机制。",
]
GOV_TEXT = "\n".join([*(f"{key}: {value}" for key, value in GOV_META.items()), *GOV_BODY])


@pytest.mark.parametrize(
    ("charset", "codec", "encoding"),
    [("utf-8", "utf-8", "utf-8"), ("gb2312", "gb18030", "gb18030"), ("GBK", "gbk", "gb18030")],
)
def test_html_government_page(tmp_path: Path, charset: str, codec: str, encoding: str) -> None:
    data = GOV_PAGE.format(charset=charset).replace("\n", "\r\n").encode(codec)
    source = read_source(write(tmp_path, "plan.html", data))
    assert source.text == GOV_TEXT
    assert (source.format, source.encoding, source.meta) == ("html", encoding, GOV_META)
    assert "脚本内容" not in source.text
    assert "首页" not in source.text


def test_html_wrong_declared_charset_falls_back_to_detection(tmp_path: Path) -> None:
    data = GOV_PAGE.format(charset="utf-8").encode("gb18030")
    source = read_source(write(tmp_path, "plan.htm", data))
    assert (source.encoding, source.text) == ("gb18030", GOV_TEXT)


def test_html_without_charset_or_with_unknown_one(tmp_path: Path) -> None:
    page = GOV_PAGE.format(charset="x-unknown")
    assert read_source(write(tmp_path, "a.html", page.encode("gb18030"))).encoding == "gb18030"
    assert read_source(write(tmp_path, "b.HTML", page.encode("utf-8"))).encoding == "utf-8"


def test_html_without_container_renders_whole_page(tmp_path: Path) -> None:
    page = GOV_PAGE.format(charset="utf-8").replace('id="zoom"', "").replace("TRS_Editor", "x")
    source = read_source(write(tmp_path, "plan.html", page))
    assert source.meta == GOV_META
    assert source.text.split("\n") == [
        "索 引 号： | 000014349/2023-1326445 | 是否有效： |",
        "发布机构： | 安顺市民政局 | 发文日期： | 2023-03-31",
        "名　　称： | 关于印发《安顺市2023年度未成年人保护工作要点》的通知",
        "文 号： |",
        *GOV_BODY,
    ]


def test_html_meta_tags_fill_missing_metadata(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8">
    <meta name="ArticleTitle" content="关于印发工作要点的通知">
    <meta name="PubDate" content="2023-03-31 10:20">
    <meta name="ContentSource" content="安顺市民政局">
    </head><body><h1>页面标题</h1>
    <div class="article"><p>名称：正文里的名称</p><p>1.加强理论学习。</p></div></body></html>"""
    source = read_source(write(tmp_path, "plan.html", page))
    assert source.meta == {
        "名称": "关于印发工作要点的通知",
        "发文日期": "2023-03-31 10:20",
        "发布机构": "安顺市民政局",
    }
    assert source.text == (
        "发布机构: 安顺市民政局\n发文日期: 2023-03-31 10:20\n名称: 关于印发工作要点的通知\n"
        "名称：正文里的名称\n1.加强理论学习。"
    )


def test_html_metadata_inside_container_is_not_repeated(tmp_path: Path) -> None:
    page = """<html><body><div class="content">
    <ul><li><b>发布机构：</b>安顺市民政局</li></ul>
    <table><tr><td>名 称</td><td>工作要点</td></tr></table>
    <p>1.加强理论学习。</p></div>
    <div class="content">短</div></body></html>"""
    source = read_source(write(tmp_path, "plan.html", page))
    assert source.meta == {"发布机构": "安顺市民政局", "名称": "工作要点"}
    assert source.text == "发布机构：安顺市民政局\n名 称 | 工作要点\n1.加强理论学习。"


def test_html_layout_table_around_metadata(tmp_path: Path) -> None:
    page = """<html><body><table><tr><td>
    <table><tr><td>索引号：0001/2023-1</td></tr><tr><td>发文日期：</td><td></td></tr></table>
    </td><td><p>栏目</p><p>首页</p></td></tr></table>
    <div id="zoom"><p>1.加强理论学习。</p></div></body></html>"""
    source = read_source(write(tmp_path, "plan.html", page))
    assert source.meta == {"索引号": "0001/2023-1"}
    assert source.text == "索引号: 0001/2023-1\n1.加强理论学习。"


def test_html_deeply_nested(tmp_path: Path) -> None:
    divs = "<div>" * 5000 + "1.加强理论学习。" + "</div>" * 5000
    assert read_source(write(tmp_path, "divs.html", divs)).text == "1.加强理论学习。"
    path = write(tmp_path, "tables.html", "<table><tr><td>" * 1000 + "文本")
    message = f"{path}: has tables nested too deeply to read; save the page's text as UTF-8 text"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


def test_html_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "page.html", b"<html>\x00\x01\x02" * 20)
    message = f"{path}: looks like a binary file, not text; save it as UTF-8 text"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


def test_html_without_text(tmp_path: Path) -> None:
    path = write(tmp_path, "page.html", "<html><script>x()</script><body> </body></html>")
    message = f"{path}: contains no text; check that it is the right file"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


# -- .pdf --------------------------------------------------------------------------------------

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def make_pdf(
    contents: Sequence[bytes],
    *,
    font: bytes = HELVETICA,
    font_objects: Sequence[bytes] = (),
    trailer: bytes = b"",
    extra: Sequence[bytes] = (),
) -> bytes:
    """A PDF written by hand: object 1 catalog, 2 pages, 3 font ``/F1``, then ``font_objects``
    (4, 5, …), then a page and its content stream per page, then ``extra``."""
    first = 4 + len(font_objects)
    pages = [first + 2 * index for index in range(len(contents))]
    kids = b" ".join(b"%d 0 R" % page for page in pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        font,
        *font_objects,
    ]
    for page, content in zip(pages, contents, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page + 1)
        )
        objects.append(pdf_stream(content))
    objects.extend(extra)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def cjk_pdf(text: str, *, to_unicode: bool = True) -> bytes:
    """One page of CJK text in a Type0 Identity-H font, with a /ToUnicode map if asked."""
    codes = {char: index + 1 for index, char in enumerate(dict.fromkeys(text))}
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + b"%d beginbfchar\n" % len(codes)
        + b"".join(b"<%04X> <%04X>\n" % (code, ord(char)) for char, code in codes.items())
        + b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    descendant = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
    )
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
    font += b"/DescendantFonts [4 0 R] " + (b"/ToUnicode 5 0 R >>" if to_unicode else b">>")
    shown = b"".join(b"%04X" % codes[char] for char in text)
    content = b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % shown
    return make_pdf([content], font=font, font_objects=[descendant, pdf_stream(cmap)])


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes) -> bytes:
    """A PDF under the standard security handler, revision 2 (40-bit RC4)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    padded = (user_password + pad)[:32]
    owner = rc4(hashlib.md5(b"owner" + pad[:27]).digest()[:5], padded)
    file_id = b"0123456789abcdef"
    key = hashlib.md5(padded + owner + struct.pack("<i", -4) + file_id).digest()[:5]
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (
        owner.hex().encode(),
        rc4(key, pad).hex().encode(),
    )
    trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return make_pdf([b"BT /F1 24 Tf 72 720 Td (Secret) Tj ET"], trailer=trailer, extra=[encrypt])


def test_pdf_text_of_every_page(tmp_path: Path) -> None:
    data = make_pdf(
        [b"BT /F1 24 Tf 72 720 Td (Work plan 2023) Tj ET", b"BT /F1 24 Tf 72 720 Td (Task 1) Tj ET"]
    )
    source = read_source(write(tmp_path, "plan.pdf", data))
    assert source == SourceText(
        str(tmp_path / "plan.pdf"), "Work plan 2023\nTask 1", "pdf", None, {}, source.sha256
    )
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_cjk_text_layer(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "plan.PDF", cjk_pdf("安顺市未成年人保护工作要点")))
    assert source.text == "安顺市未成年人保护工作要点"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.pdf", make_pdf([b"0 0 m 100 100 l S"]))
    message = f"{path}: has no text layer (scanned?); {OCR_HINT}"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


def test_pdf_glyph_codes_without_unicode(tmp_path: Path) -> None:
    path = write(tmp_path, "cid.pdf", cjk_pdf("安顺市未成年人保护", to_unicode=False))
    message = f"{path}: has text without a Unicode mapping ((cid:…) glyphs); {OCR_HINT}"
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4\nnot really a pdf", "纯文本".encode(), make_pdf([b"BT"])[:120]]
)
def test_pdf_corrupt(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "bad.pdf", data)
    hint = "check that the file is complete, or export it as PDF again"
    with pytest.raises(InputError, match=whole(f"{path}: not a valid PDF file; {hint}")):
        read_source(path)


def test_pdf_encrypted(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.pdf", encrypted_pdf(b"secret"))
    hint = "remove the password (e.g. qpdf --decrypt) and read the result"
    with pytest.raises(InputError, match=whole(f"{path}: is encrypted; {hint}")):
        read_source(path)


# -- directories and many files ----------------------------------------------------------------


def test_iter_paths_expands_directories(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.DOCX",
        "sub/c.md",
        "sub/deeper/d.html",
        "z.pdf",
        ".hidden.txt",
        ".git/e.txt",
        "~$a.docx",
        "slides.pptx",
        "notes",
    ]:
        write(tmp_path, name, PLAN)
    root = str(tmp_path)
    assert list(iter_paths([tmp_path])) == [
        os.path.join(root, "a.DOCX"),
        os.path.join(root, "b.txt"),
        os.path.join(root, "sub", "c.md"),
        os.path.join(root, "sub", "deeper", "d.html"),
        os.path.join(root, "z.pdf"),
    ]
    explicit: list[str | Path] = [
        tmp_path / "slides.pptx",
        tmp_path / "b.txt",
        str(tmp_path / "b.txt"),
    ]
    assert list(iter_paths(explicit)) == [str(explicit[0]), str(explicit[1])]
    assert list(iter_paths(str(tmp_path / "sub"))) == [
        os.path.join(root, "sub", "c.md"),
        os.path.join(root, "sub", "deeper", "d.html"),
    ]


def test_iter_paths_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "gone"
    message = f"{path}: no such file or directory; check the path"
    with pytest.raises(InputError, match=whole(message)):
        list(iter_paths([path]))


def test_iter_paths_directory_without_supported_files(tmp_path: Path) -> None:
    write(tmp_path, "docs/slides.pptx", b"x")
    write(tmp_path, "docs/.plan.txt", PLAN)
    docs = tmp_path / "docs"
    message = f"{docs}: no supported files in {docs}; {SUPPORTED}"
    with pytest.raises(InputError, match=whole(message)):
        list(iter_paths([docs]))


def test_read_sources_keeps_good_files_and_reports_each_bad_one(tmp_path: Path) -> None:
    good_txt = write(tmp_path, "plans/1-good.txt", PLAN.encode("gb18030"))
    good_docx = write(tmp_path, "plans/2-good.docx", docx_bytes([("p", PLAN)]))
    good_html = write(tmp_path, "plans/3-good.html", GOV_PAGE.format(charset="utf-8"))
    good_pdf = write(tmp_path, "plans/4-good.pdf", cjk_pdf("工作要点"))
    write(tmp_path, "plans/bad/binary.txt", bytes(range(256)))
    write(tmp_path, "plans/bad/empty.md", b"")
    write(tmp_path, "plans/bad/corrupt.docx", b"PK\x03\x04broken")
    write(tmp_path, "plans/bad/scan.pdf", make_pdf([b"0 0 m 10 10 l S"]))
    write(tmp_path, "plans/ignored.pptx", b"x")
    missing = tmp_path / "missing.txt"

    sources, errors = read_sources([tmp_path / "plans", missing, good_txt])

    assert [source.path for source in sources] == [
        str(good_txt),
        str(good_docx),
        str(good_html),
        str(good_pdf),
    ]
    assert [source.format for source in sources] == ["txt", "docx", "html", "pdf"]
    assert [source.encoding for source in sources] == ["gb18030", None, "utf-8", None]
    bad = os.path.join(str(tmp_path), "plans", "bad")
    assert [(err.path, err.message) for err in errors] == [
        (os.path.join(bad, "binary.txt"), "looks like a binary file, not text"),
        (os.path.join(bad, "corrupt.docx"), "not a valid .docx file"),
        (os.path.join(bad, "empty.md"), "is empty"),
        (os.path.join(bad, "scan.pdf"), "has no text layer (scanned?)"),
        (str(missing), "no such file or directory"),
    ]
    assert all(isinstance(err, InputError) and err.exit_code == 2 for err in errors)


def test_read_sources_accepts_a_single_path(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.txt", PLAN)
    sources, errors = read_sources(str(path))
    assert ([source.text for source in sources], errors) == ([PLAN], [])
