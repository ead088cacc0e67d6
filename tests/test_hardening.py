"""Bad input through the CLI: one line per bad file, the good ones still processed, exit codes.

Exit codes: 0 all good; 2 some input unusable (the good files' results are still printed) or
``--strict`` with warnings; 1 a failed run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutygraph import example_path
from dutygraph.cli import main
from tests.test_read import make_pdf

SEED = Path(example_path()).read_text(encoding="utf-8")


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
        ("old.doc", b"\xd0\xcf\x11\xe0", "unsupported file type '.doc'"),
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


def test_directory_with_good_and_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_utf8.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "b_gb.txt").write_bytes(SEED.encode("gb18030"))
    (tmp_path / "c_utf16.txt").write_bytes(SEED.encode("utf-16"))
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
    cut.write_text(SEED[: SEED.index("市残联、市关工委)")], encoding="utf-8")
    code, out, err = run(["parse", str(cut), "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)["documents"][0]
    assert len(doc["tasks"]) == 10
    assert "unbalanced-parenthesis" in [w["code"] for w in doc["warnings"]]
    assert any("warning: unbalanced-parenthesis: line 23" in ln for ln in err)
    code, _, _ = run(["parse", str(cut), "--strict", "--format", "json"], capsys)
    assert code == 2


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
