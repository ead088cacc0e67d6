"""Bad input through the CLI: one line per bad file, the good ones still processed, exit codes.

Exit codes: 0 all good; 2 some input unusable (the good files' results are still printed);
1 a failed run, such as a plan with parse warnings under ``--strict`` (the highest code wins).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from dutygraph.cli import cli, main
from tests.helpers import SEED_TEXT
from tests.test_read import make_pdf

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[str]]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err.strip().splitlines()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty; check that it was saved completely"),
        ("blank.txt", b"  \n\n ", "contains no text; check that it is the right file"),
        (
            "binary.txt",
            bytes(range(256)) * 4,
            "looks like a binary file, not text; save it as UTF-8 text",
        ),
        ("old.doc", b"\xd0\xcf\x11\xe0", "not a Word or WPS document"),
        ("broken.docx", b"not a zip", "not a valid .docx file"),
        ("scan.pdf", make_pdf([b""]), "has no text layer (scanned?); run OCR first"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<<", "not a valid PDF file"),
        ("note.txt", "这是一段没有编号的文字。".encode(), "no numbered sections or items found"),
    ],
)
def test_bad_file_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(["parse", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert len(err) == 1
    assert err[0].startswith(f"dutygraph: error: {path}: ")
    assert message in err[0]
    assert "Traceback" not in err[0]


def test_mixed_encodings_name_the_first_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A UTF-8 plan with two lines pasted from a GBK file: refused with the line, not decoded
    # as GB18030 (which would turn the UTF-8 majority into mojibake); the good plan is kept.
    lines = SEED_TEXT.split("\n")
    mixed = (
        "\n".join(lines[:30]).encode("utf-8")
        + b"\n"
        + "\n".join(lines[30:32]).encode("gbk")
        + b"\n"
        + "\n".join(lines[32:]).encode("utf-8")
    )
    (tmp_path / "mixed.txt").write_bytes(mixed)
    (tmp_path / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    code, out, err = run(["parse", str(tmp_path), "--format", "json"], capsys)
    assert code == 2
    assert err[0] == (
        f"dutygraph: error: {tmp_path / 'mixed.txt'}:31: mixed encodings: UTF-8 text but this "
        "line and 1 more line in another encoding; save the whole file as UTF-8 text (text "
        "pasted from another file?)"
    )
    assert f"{tmp_path / 'seed.txt'}: 23 tasks, 121 assignments, utf-8" in err[1:]
    assert [d["source"] for d in json.loads(out)["documents"]] == [str(tmp_path / "seed.txt")]


def test_directory_with_good_and_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_utf8.txt").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "b_gb.txt").write_bytes(SEED_TEXT.encode("gb18030"))
    (tmp_path / "c_utf16.txt").write_bytes(SEED_TEXT.encode("utf-16"))
    (tmp_path / "d_empty.txt").write_bytes(b"")
    (tmp_path / "e_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    code, out, err = run(["parse", str(tmp_path), "--format", "json"], capsys)
    assert code == 2
    docs = json.loads(out)["documents"]
    assert [(d["id"], d["encoding"], len(d["tasks"])) for d in docs] == [
        ("a_utf8", "utf-8", 23),
        ("b_gb", "gb18030", 23),
        ("c_utf16", "utf-16", 23),
    ]
    errors = [ln for ln in err if ln.startswith("dutygraph: error: ")]
    assert [ln.split(": ")[2] for ln in errors] == [
        str(tmp_path / "d_empty.txt"),
        str(tmp_path / "e_binary.txt"),
    ]


def test_truncated_document_warns_and_strict_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_text(SEED_TEXT[: SEED_TEXT.index("市残联、市关工委)")], encoding="utf-8")
    code, out, err = run(["parse", str(cut), "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)["documents"][0]
    assert len(doc["tasks"]) == 10
    assert "unbalanced-parenthesis" in [w["code"] for w in doc["warnings"]]
    assert any("warning: unbalanced-parenthesis: line 23" in ln for ln in err)
    code, out, err = run(["parse", str(cut), "--strict", "--format", "json"], capsys)
    assert code == 1
    assert json.loads(out) == {"documents": []}
    assert err == [
        f"dutygraph: error: {cut}:23: warning unbalanced-parenthesis (--strict): parentheses "
        "do not pair up; the item may be cut off; check the document there, or run without "
        "--strict"
    ]


def test_nested_and_unbalanced_parentheses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "p.txt"
    plan.write_text(
        "要点\n一、任务\n1.甲。" + "(" * 3000 + "（牵头单位：市妇联\n"
        "2.乙。（（（说明））（牵头单位：市教育局；配合单位：各县（区）人民政府）\n",
        encoding="utf-8",
    )
    code, out, _ = run(["parse", str(plan), "--format", "json"], capsys)
    assert code == 0
    tasks = json.loads(out)["documents"][0]["tasks"]
    got = [[(a["unit"], a["role"]) for a in t["assignments"]] for t in tasks]
    assert got == [
        [("市妇联", "lead")],
        [("市教育局", "lead"), ("各县（区）人民政府", "support")],
    ]


def test_very_long_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "long.txt"
    plan.write_text(
        "要点\n一、任务\n1.甲。" + "加强工作，" * 200_000 + "（牵头单位：市妇联）\n",
        encoding="utf-8",
    )
    code, out, _ = run(["parse", str(plan), "--format", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[1].endswith("lead,市妇联,市妇联")


# --- --strict on every command that reads plans --------------------------------------------


def strict_pair(tmp_path: Path) -> tuple[Path, Path]:
    """``good.txt``: the seed without its one warning; ``warned.txt``: the seed as it is (its
    市教育 is read as 市教育局 by similarity, a warning)."""
    good, warned = tmp_path / "good.txt", tmp_path / "warned.txt"
    good.write_text(re.sub("市教育(?!局)", "市教育局", SEED_TEXT), encoding="utf-8")
    warned.write_text(SEED_TEXT, encoding="utf-8")
    return good, warned


def strict_line(warned: Path) -> str:
    return (
        f"dutygraph: error: {warned}:24: warning alias-by-similarity (--strict): 市教育 read as "
        "市教育局 (similar name); add an alias to confirm; put the alias in an --aliases file "
        "(name,alias,kind), or run without --strict"
    )


def strict_commands(tmp_path: Path, good: Path, warned: Path) -> dict[str, list[str]]:
    """Every command that reads plans, with arguments naming ``good`` then ``warned``."""
    both = ["--input", str(good), "--input", str(warned)]
    return {
        "parse": ["parse", str(good), str(warned), "--format", "csv"],
        "analyze": ["analyze", str(good), str(warned), "--no-map", "--json"],
        "report": ["report", *both, "-o", str(tmp_path / "report.html"), "--no-map"],
        "tasks": ["tasks", "团市委", *both, "--csv"],
        "units": ["units", "good#9", *both, "--csv"],
        "unit": ["unit", "团市委", *both, "--json"],
        "gaps": ["gaps", *both, "--csv"],
        "risks": ["risks", *both, "--csv"],
        "due": ["due", *both, "--csv"],
        "overload": ["overload", *both, "--csv"],
        "partners": ["partners", "团市委", *both, "--csv"],
        "brokers": ["brokers", *both, "--csv"],
        "sections": ["sections", *both, "--csv"],
        "query": ["query", "tasks-of", "-p", "unit", "团市委", *both, "--csv"],
        "ask": ["ask", "团市委配合哪些任务？", *both, "--csv"],
        "map": ["map", *both, "-o", str(tmp_path / "map.html")],
        "matrix": ["matrix", *both, "-o", str(tmp_path / "matrix.csv")],
        "export": ["export", *both, "-o", str(tmp_path / "plan.graphml")],
        "diff": ["diff", str(good), str(good), "--json"],
        "push": ["push", str(good), str(warned), "--dry-run", "--json"],
        "ingest": ["ingest", str(good.parent), "--cache", str(tmp_path / "cache"), "--json"],
    }


def test_every_command_that_reads_plans_has_strict() -> None:
    readers = {
        name
        for name, command in cli.commands.items()
        if any(
            isinstance(p, click.Option) and {"--input", "--aliases"} & set(p.opts)
            for p in command.params
        )
    }
    assert readers == set(strict_commands(Path(), Path(), Path()))
    for name in sorted(readers):
        option = next(p for p in cli.commands[name].params if p.name == "strict")
        assert option.help == (
            "Treat parse warnings as failures: a plan with warnings is named on stderr and "
            "left out, the others are still used; exit code 1."
        ), name


@pytest.mark.parametrize(
    "command",
    sorted(strict_commands(Path(), Path(), Path())),
)
def test_strict_fails_the_file_with_warnings_and_keeps_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (tmp_path / "plans").mkdir()
    good, warned = strict_pair(tmp_path / "plans")
    args = strict_commands(tmp_path, good, warned)[command]
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert not [ln for ln in err if ln.startswith("dutygraph: error")]

    if command == "diff":
        args = ["diff", str(good), str(warned), "--json"]
    code, out, err = run([*args, "--strict"], capsys)
    assert code == 1
    assert [ln for ln in err if ln.startswith("dutygraph: error")] == [strict_line(warned)]
    assert "Traceback" not in "\n".join(err)
    if command == "diff":  # the new side is left with no plan: nothing to compare
        assert out == ""
        return
    assert out  # the good plan's results
    if command == "parse":
        assert len(out.splitlines()) == 1 + 121
    elif command == "analyze":
        assert json.loads(out)["summary"]["documents"] == 1
    elif command == "push":
        assert json.loads(out)["documents"] == 1
    elif command == "ingest":
        counts = json.loads(out)
        assert (counts["skipped_unchanged"], counts["failed"], counts["with_warnings"]) == (2, 0, 1)
    elif command == "tasks":
        assert "good#9" in out and "warned#" not in out


def test_strict_with_an_unusable_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, warned = strict_pair(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    args = ["gaps", "--input", str(empty), "--input", str(warned), "--input", str(good)]
    code, out, err = run([*args, "--strict", "--csv"], capsys)
    assert code == 2
    assert err == [
        f"dutygraph: error: {empty}: is empty; check that it was saved completely",
        strict_line(warned),
    ]
    assert "good#" in out


def test_strict_with_only_warned_plans_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, warned = strict_pair(tmp_path)
    code, out, err = run(["gaps", "--input", str(warned), "--strict"], capsys)
    assert (code, out, err) == (1, "", [strict_line(warned)])
    code, out, err = run(
        ["gaps", "--input", str(warned), "--strict", "--aliases", _alias(tmp_path)], capsys
    )
    assert code == 0 and "warned#" in out and err == []


def _alias(tmp_path: Path) -> str:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,kind\n市教育局,市教育,government\n", encoding="utf-8")
    return str(aliases)


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Exit codes:" in out
    assert "1  a failed run: Neo4j or a query failed, or a plan had warnings under --strict" in out
    assert "2  unusable input or bad usage" in out


# --- very large input ------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals (一, 十, 十一, 二十, 九十九)."""
    tens, ones = divmod(n, 10)
    head = (_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return head + (_DIGITS[ones] if ones or not tens else "")


def big_plan(path: Path, megabytes: int, per_section: int = 900) -> tuple[int, int]:
    """A plan of at least ``megabytes`` MB: the seed's items again and again, numbered 1…N in
    sections 一、二、…; returns the number of tasks and of assignments it holds."""
    from dutygraph import parse_workplan

    items = re.findall(r"^\d+\.(.*)$", SEED_TEXT, re.M)
    per_item = [len(t.assignments) for t in parse_workplan(SEED_TEXT).tasks]
    parts = [SEED_TEXT[: SEED_TEXT.index("一、加强统筹谋划")]]
    size, n, section = len(parts[0].encode()), 0, 0
    while size < megabytes * 1_000_000:
        section += 1
        chunk = [f"{chinese_number(section)}、加强第{section}方面工作\n"]
        for i in range(per_section):
            chunk.append(f"{i + 1}.{items[(n + i) % len(items)]}\n")
        n += per_section
        text = "".join(chunk)
        parts.append(text)
        size += len(text.encode())
    path.write_text("".join(parts), encoding="utf-8")
    return n, sum(per_item[i % len(items)] for i in range(n))


_MEASURED = """
import resource, sys, time
from dutygraph.cli import main
start = time.monotonic()
code = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"measured: exit {code}, {time.monotonic() - start:.1f} s, {peak} MB", file=sys.stderr)
sys.exit(code)
"""


def run_measured(args: list[str], stdout: Path) -> tuple[int, list[str], float, int]:
    """Run the CLI in a fresh process; its exit code, stderr lines, seconds and peak RSS (MB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(stdout, "wb") as out:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED, *args],
            stdout=out,
            stderr=subprocess.PIPE,
            env=env,
            timeout=600,
            check=False,
        )
    err = done.stderr.decode("utf-8").strip().splitlines()
    figures = re.fullmatch(r"measured: exit (\d+), ([\d.]+) s, (\d+) MB", err[-1])
    assert figures, err[-5:]
    return done.returncode, err[:-1], float(figures[2]), int(figures[3])


def test_50_mb_plan_parses_with_bounded_memory(tmp_path: Path) -> None:
    plan = tmp_path / "big.txt"
    tasks, assignments = big_plan(plan, 50)
    assert plan.stat().st_size >= 50_000_000
    code, err, seconds, peak_mb = run_measured(
        ["parse", str(plan), "--format", "csv"], tmp_path / "out.csv"
    )
    assert code == 0
    assert err[0] == f"{plan}: {tasks} tasks, {assignments} assignments, utf-8"
    with open(tmp_path / "out.csv", "rb") as rows:
        assert sum(1 for _ in rows) == 1 + assignments
    assert peak_mb < 1500, f"peak RSS {peak_mb} MB"
    print(f"50 MB plan: {tasks} tasks, {assignments} assignments, {seconds} s, {peak_mb} MB")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("garbage.txt", "looks like a binary file, not text; save it as UTF-8 text"),
        ("garbage.docx", "not a valid .docx file; open it in Word or WPS and save it as .docx"),
    ],
)
def test_50_mb_of_garbage_is_one_line(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(random.Random(8).randbytes(50_000_000))
    start = time.monotonic()
    code, err, _, peak_mb = run_measured(["parse", str(path)], tmp_path / "out.txt")
    assert code == 2
    assert len(err) == 1 and err[0].startswith(f"dutygraph: error: {path}: {message}")
    assert peak_mb < 1500 and time.monotonic() - start < 60


# --- found by fuzzing (tools/fuzz_atheris.py) ------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_RESAVE = "; open it in Word or WPS and save it as .docx (an old .doc file must be converted)"


def docx_with_body(xml: str) -> bytes:
    """A valid .docx package whose word/document.xml is ``xml``."""
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for name in source.namelist():
            data = xml.encode() if name == "word/document.xml" else source.read(name)
            package.writestr(name, data)
    return out.getvalue()


def table(cells: str) -> str:
    return f"<w:document {_W}><w:body><w:tbl><w:tr>{cells}</w:tr></w:tbl></w:body></w:document>"


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<a/>", "not a valid .docx file (no document body)"),
        (f"<w:document {_W}/>", "not a valid .docx file (no document body)"),
        (  # python-docx would make 10^11 cell objects: the memory runs out
            table('<w:tc><w:tcPr><w:gridSpan w:val="99999999999"/></w:tcPr></w:tc>'),
            "not a valid .docx file (a table cell spans 99999999999 columns)",
        ),
        (
            table('<w:trPr><w:gridBefore w:val="-3"/></w:trPr><w:tc/>'),
            "not a valid .docx file (a table cell spans -3 columns)",
        ),
        (
            table('<w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr></w:tc>'),
            "not a valid .docx file (bad values)",
        ),
    ],
)
def test_malformed_docx_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], xml: str, message: str
) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_with_body(xml))
    code, out, err = run(["parse", str(path)], capsys)
    assert (code, out, err) == (2, "", [f"dutygraph: error: {path}: {message}{_RESAVE}"])


def test_docx_table_cell_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr></w:tc></w:tr>' * 5001
    path = tmp_path / "wide.docx"
    path.write_bytes(
        docx_with_body(f"<w:document {_W}><w:body><w:tbl>{rows}</w:tbl></w:body></w:document>")
    )
    code, out, err = run(["parse", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err == [
        f"dutygraph: error: {path}: has tables of 5,006,001 cells (the limit is 5,000,000); "
        "split the document, or save its text as .txt"
    ]


def test_docx_that_unpacks_too_large(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutygraph.extract import formats_docx

    monkeypatch.setattr(formats_docx, "MAX_UNPACKED_BYTES", 2_000_000)
    path = tmp_path / "bomb.docx"
    path.write_bytes(
        docx_with_body(f"<w:document {_W}><w:body>{' ' * 3_000_000}</w:body></w:document>")
    )
    assert path.stat().st_size < 100_000
    code, out, err = run(["parse", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err == [
        f"dutygraph: error: {path}: is too large: it unpacks to 3 MB (the limit is 2 MB); "
        "split the document, or save its text as .txt"
    ]


def test_closed_output_pipe_stops_quietly(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    big_plan(plan, 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "dutygraph", "parse", str(plan), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == b"number,section,title,role,unit,as_written\n"
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8")
    assert proc.returncode == 141
    assert "error" not in err and "Traceback" not in err


def test_readme_shows_the_strict_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.txt").write_text(SEED_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["gaps", "--input", "plans/", "--strict"], capsys)
    assert (code, out) == (1, "")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"$ dutygraph gaps --input plans/ --strict\n{err[0]}\n" in readme
