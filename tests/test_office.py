"""Legacy word-processor files (.doc, WPS .wps, .rtf) read through LibreOffice.

The tests that convert need ``soffice`` on the PATH: without it they are skipped with the
reason, unless ``DUTYGRAPH_REQUIRE_SOFFICE=1`` (set by ``.ci/run``), which makes them fail.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
from pathlib import Path

import docx
import pytest

from dutygraph.cli import main
from dutygraph.errors import InputError
from dutygraph.extract.formats_office import convert_to_docx, find_soffice
from dutygraph.extract.numbering import number_paragraphs
from dutygraph.extract.read import read_source
from dutygraph.extract.workplan import parse_source, read_workplan

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "office"
PLAN_DOC = FIXTURES / "plan.doc"
RESAVE = "open it in Word or WPS and save it as .docx"

PLAN_TEXT = """\
某市2024年未成年人保护工作任务分工方案
一、加强家庭保护
1.加强家庭教育指导。开展家长课堂。（牵头单位：市妇联；配合单位：市教育局、团市委）
2.做好困境儿童关爱。落实分类保障。（市民政局牵头，市财政局配合）
二、加强学校保护
3.加强校园安全管理。（牵头单位：市教育局；配合单位：市公安局、市市场监管局；完成时限：2024年6月底）
4.开展心理健康教育。（牵头单位：市卫生健康局；配合单位：市教育局；完成时限：长期坚持）
"""

PLAN_ASSIGNMENTS = [
    (
        "1",
        "一",
        "加强家庭教育指导",
        [("lead", "市妇联"), ("support", "市教育局"), ("support", "团市委")],
    ),
    ("2", "一", "做好困境儿童关爱", [("lead", "市民政局"), ("support", "市财政局")]),
    (
        "3",
        "二",
        "加强校园安全管理",
        [("lead", "市教育局"), ("support", "市公安局"), ("support", "市市场监管局")],
    ),
    ("4", "二", "开展心理健康教育", [("lead", "市卫生健康局"), ("support", "市教育局")]),
]


def whole(message: str) -> str:
    return "^" + re.escape(message) + "$"


def require_soffice() -> str:
    """LibreOffice's program, or a skip (a failure under ``DUTYGRAPH_REQUIRE_SOFFICE=1``)."""
    found = find_soffice()
    if found is None:
        reason = "LibreOffice (soffice) is not on the PATH"
        if os.environ.get("DUTYGRAPH_REQUIRE_SOFFICE") == "1":
            pytest.fail(f"{reason}, and DUTYGRAPH_REQUIRE_SOFFICE=1 requires the .doc tests")
        pytest.skip(f"{reason}; apt-get install libreoffice-writer-nogui")
    return found


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_soffice()


def test_missing_soffice_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("DUTYGRAPH_REQUIRE_SOFFICE", "1")
    with pytest.raises(pytest.fail.Exception, match="DUTYGRAPH_REQUIRE_SOFFICE=1 requires"):
        require_soffice()


def test_doc_with_numbering_and_task_table(soffice: str) -> None:
    source = read_source(PLAN_DOC)
    assert (source.format, source.encoding, source.text) == ("doc", None, PLAN_TEXT)
    doc = parse_source(source)
    got = [
        (t.number, t.section, t.title, [(a.role, a.unit) for a in t.assignments]) for t in doc.tasks
    ]
    assert got == PLAN_ASSIGNMENTS
    assert doc.title == "某市2024年未成年人保护工作任务分工方案"
    assert doc.warnings == ()
    first = doc.tasks[2].assignments[2]
    assert (first.as_written, doc.text[first.span[0] : first.span[1]]) == ("市市场监管局",) * 2
    assert first.clause == (
        "牵头单位：市教育局；配合单位：市公安局、市市场监管局；完成时限：2024年6月底"
    )
    # the table's 完成时限 column gives the task's deadline
    assert [(t.deadline, t.due) for t in doc.tasks[2:]] == [
        ("2024年6月底", "2024-06-30"),
        ("长期坚持", "ongoing"),
    ]


def test_wps_plan_through_the_cli(
    soffice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # WPS writes its .wps files in the Word binary format; LibreOffice goes by the content.
    path = tmp_path / "计划.wps"
    shutil.copyfile(PLAN_DOC, path)
    assert main(["parse", str(path), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert err == f"{path}: 4 tasks, 10 assignments\n"
    rows = [line.split(",") for line in out.strip().splitlines()[1:]]
    assert [(r[0], r[3], r[4]) for r in rows] == [
        (number, role, unit) for number, _, _, pairs in PLAN_ASSIGNMENTS for role, unit in pairs
    ]


def test_rtf_goes_the_same_way(soffice: str, tmp_path: Path) -> None:
    body = "\\par ".join(
        "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in line)
        for line in PLAN_TEXT.splitlines()
    )
    path = tmp_path / "plan.rtf"
    path.write_text("{\\rtf1\\ansi\\deff0 " + body + "}", encoding="ascii")
    assert read_source(path).text == PLAN_TEXT.rstrip("\n")


def test_without_soffice_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    message = (
        f"{PLAN_DOC}: reading .doc files needs LibreOffice (soffice), which is not on the PATH; "
        "install LibreOffice (apt-get install libreoffice-writer-nogui), or open the file in "
        "Word or WPS and save it as .docx"
    )
    with pytest.raises(InputError, match=whole(message)):
        read_source(PLAN_DOC)
    assert main(["parse", str(PLAN_DOC)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"dutygraph: error: {message}\n")


def encrypted_office_file() -> bytes:
    """A real password-protected Office file (a .docx encrypted with msoffcrypto-tool: an OLE2
    container like a .doc, which LibreOffice will not open without the password)."""
    import io

    import docx
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("1.加强学习。（牵头单位：市教育局）")
    document.save(plain)
    plain.seek(0)
    locked = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", locked)
    return locked.getvalue()


@pytest.mark.parametrize(
    "data",
    [PLAN_DOC.read_bytes()[:6000], encrypted_office_file()],
    ids=["truncated", "encrypted"],
)
def test_corrupt_doc_names_the_file(
    soffice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    path = tmp_path / "cut.doc"
    path.write_bytes(data)
    message = (
        f"{path}: LibreOffice cannot read it as a .doc document (corrupt or encrypted?); {RESAVE}"
    )
    assert main(["parse", str(path)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"dutygraph: error: {message}\n")


@pytest.mark.parametrize("data", [b"\xd0\xcf\x11\xe0", "1.加强学习。".encode(), b"\x00" * 64])
def test_not_a_word_document(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "plan.wps"
    path.write_bytes(data)
    message = (
        f"{path}: not a Word or WPS document (it starts like neither a .doc nor a .docx, .rtf "
        f"or .odt file); {RESAVE}"
    )
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


def test_web_archive_under_a_word_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.doc"
    path.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n<html></html>")
    message = (
        f"{path}: a web archive (MHTML) under a Word name, which LibreOffice reads as plain "
        f"text; {RESAVE}"
    )
    with pytest.raises(InputError, match=whole(message)):
        read_source(path)


def test_conversion_that_hangs_is_stopped(tmp_path: Path) -> None:
    program = tmp_path / "slow-soffice"
    program.write_text("#!/bin/sh\nsleep 30\n", encoding="ascii")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    message = f"plan.doc: LibreOffice did not convert it within 0.5 s; {RESAVE}"
    with pytest.raises(InputError, match=whole(message)):
        convert_to_docx(PLAN_DOC.read_bytes(), str(program), path="plan.doc", timeout=0.5)


def _numbered_docx(numbering: str, paragraphs: list[tuple[str, str | None, int]]) -> bytes:
    """A .docx whose paragraphs ``(text, numId, ilvl)`` use the given ``w:numbering`` body."""
    document = docx.Document()
    part = document.part.numbering_part
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    from docx.oxml import parse_xml

    part._element = parse_xml(f"<w:numbering {ns}>{numbering}</w:numbering>")
    for text, num_id, ilvl in paragraphs:
        p = document.add_paragraph(text)
        if num_id is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    f'<w:numPr {ns}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
                )
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_numbering_levels_restarts_and_bullets() -> None:
    def lvl(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
        return (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
        )

    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + lvl(0, "chineseCounting", "%1、")
        + lvl(1, "chineseCounting", "（%2）")
        + lvl(2, "decimal", "%3.")
        + "</w:abstractNum>"
        + '<w:abstractNum w:abstractNumId="1">'
        + lvl(0, "bullet", "")
        + "</w:abstractNum>"
        + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
        + '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>'
    )
    data = _numbered_docx(
        numbering,
        [
            ("总体要求", "1", 0),
            ("重点任务", "1", 0),
            ("家庭保护", "1", 1),
            ("指导", "1", 2),
            ("关爱", "1", 2),
            ("要点", "2", 0),
            ("学校保护", "1", 1),
            ("监护", "1", 2),
            ("没有编号", None, 0),
            ("保障措施", "1", 0),
            ("另起", "3", 0),
        ],
    )
    numbered = docx.Document(io.BytesIO(number_paragraphs(data)))
    assert [p.text for p in numbered.paragraphs] == [
        "一、总体要求",
        "二、重点任务",
        "（一）家庭保护",
        "1.指导",
        "2.关爱",
        "要点",
        "（二）学校保护",
        "1.监护",
        "没有编号",
        "三、保障措施",
        "九、另起",
    ]


def test_numbering_from_paragraph_styles() -> None:
    # Headings numbered through their style (Word's and LibreOffice's outline numbering), a
    # style based on a numbered one, and a paragraph that switches its numbering off.
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    document.part.numbering_part._element = parse_xml(
        f"<w:numbering {ns}>"
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    top = document.styles.add_style("Plan Section", WD_STYLE_TYPE.PARAGRAPH)
    top.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>')
    )
    sub = document.styles.add_style("Plan Item", WD_STYLE_TYPE.PARAGRAPH)
    sub.base_style = top
    sub.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="1"/></w:numPr>'))
    document.add_paragraph("总体要求", style="Plan Section")
    document.add_paragraph("重点任务", style="Plan Section")
    document.add_paragraph("加强学习。", style="Plan Item")
    off = document.add_paragraph("不编号的说明", style="Plan Item")
    off._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>')
    )
    document.add_paragraph("完善机制。", style="Plan Item")
    buffer = io.BytesIO()
    document.save(buffer)
    numbered = docx.Document(io.BytesIO(number_paragraphs(buffer.getvalue())))
    assert [p.text for p in numbered.paragraphs] == [
        "一、总体要求",
        "二、重点任务",
        "（一）加强学习。",
        "不编号的说明",
        "（二）完善机制。",
    ]


def test_numbering_leaves_other_bytes_alone() -> None:
    assert number_paragraphs(b"not a zip") == b"not a zip"
    plain = io.BytesIO()
    docx.Document().save(plain)
    assert number_paragraphs(plain.getvalue()) == plain.getvalue()


def test_a_docx_read_directly_keeps_words_automatic_numbers(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某市2024年工作要点")
    document.add_paragraph("一、加强统筹谋划")
    for text in (
        "加强理论学习。（牵头单位：市教育局）",
        "完善工作机制。（市民政局牵头，团市委配合）",
    ):
        document.add_paragraph(text, style="List Number")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    doc = read_workplan(path)
    assert [(t.number, t.title, [(a.role, a.unit) for a in t.assignments]) for t in doc.tasks] == [
        ("1", "加强理论学习", [("lead", "市教育局")]),
        ("2", "完善工作机制", [("lead", "市民政局"), ("support", "团市委")]),
    ]
