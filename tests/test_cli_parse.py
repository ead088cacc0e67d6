"""``dutygraph parse``: the table, the JSON contract and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutygraph import example_path
from dutygraph.cli import main
from tests.helpers import run_cli

CONTRACT_DOC_KEYS = {
    "id",
    "title",
    "issuer",
    "date",
    "doc_no",
    "source",
    "sha256",
    "rules",
    "tasks",
    "warnings",
}
CONTRACT_TASK_KEYS = {"uid", "number", "section", "section_title", "title", "text", "assignments"}
CONTRACT_ASSIGNMENT_KEYS = {"unit", "as_written", "role", "collective", "span", "clause"}


run = run_cli


def test_parse_json_contract() -> None:
    code, out, err = run("parse", example_path(), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["documents"]
    (doc,) = payload["documents"]
    assert set(doc) >= CONTRACT_DOC_KEYS
    assert doc["rules"] == {"first_listed_is_lead": False}
    assert doc["date"] == "2023-03-31" and doc["doc_no"] is None
    assert len(doc["tasks"]) == 23
    for task in doc["tasks"]:
        assert set(task) >= CONTRACT_TASK_KEYS
        for a in task["assignments"]:
            assert set(a) >= CONTRACT_ASSIGNMENT_KEYS
            assert a["role"] in ("lead", "support", "responsible")
            assert isinstance(a["span"], list) and len(a["span"]) == 2
    seven = doc["tasks"][6]
    assert seven["uid"] == "anshun_2023#7"
    assert seven["assignments"][0] == {
        "unit": "市妇联",
        "as_written": "市妇联",
        "role": "lead",
        "collective": False,
        "span": [1561, 1564],
        "clause": "牵头单位:市妇联、市教育局、市民政局,配合单位: 市未保委其他成员单位",
    }
    assert [w["code"] for w in doc["warnings"]] == ["alias-by-similarity"]
    assert "23 tasks, 121 assignments, utf-8" in err
    assert "warning: alias-by-similarity: 市教育 read as 市教育局" in err
    assert "团市委" in out and "\\u" not in out


def test_parse_table_and_csv() -> None:
    code, out, _ = run("parse", example_path(), "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "number,section,title,role,unit,as_written"
    assert lines[1] == "1,一,加强理论学习,lead,未保委办公室,未保委办公室"
    assert len(lines) == 122
    code, out, _ = run("parse", example_path())
    assert code == 0 and "安顺市2023年度未成年人保护工作要点" in out


def test_parse_missing_file_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["parse", "no/such/plan.txt"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("dutygraph: error: no/such/plan.txt")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_parse_bad_file_beside_good_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code = main(["parse", str(bad), example_path(), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2
    assert len(json.loads(out)["documents"]) == 1
    assert f"dutygraph: error: {bad}" in err


def test_parse_no_numbered_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "note.txt"
    f.write_text("这是一段没有编号的文字。\n", encoding="utf-8")
    code = main(["parse", str(f)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{f}: no numbered sections or items found" in err


def test_parse_strict_turns_warnings_into_failure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", example_path(), "--strict", "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"dutygraph: error: {example_path()}:24: warning alias-by-similarity (--strict): 市教育 "
        "read as 市教育局 (similar name); add an alias to confirm; put the alias in an --aliases "
        "file (name,alias,kind), or run without --strict\n"
    )


def test_parse_with_user_aliases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,kind\n市教育局,市教育,government\n", encoding="utf-8")
    assert main(["parse", example_path(), "--aliases", str(aliases), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)["documents"][0]
    assert doc["warnings"] == []


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "dutygraph, version" in capsys.readouterr().out
    assert main(["parse", "--help"]) == 0
    assert "Parse work plans" in capsys.readouterr().out


def test_debug_shows_traceback() -> None:
    with pytest.raises(Exception, match="no/such"):
        main(["--debug", "parse", "no/such/plan.txt"])


def test_table_shows_brackets_in_document_text_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "p.txt"
    plan.write_text(
        "要点[/x]\n一、任务\n1.[bold]甲[/bold]。（牵头单位：市妇联）\n", encoding="utf-8"
    )
    assert main(["parse", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "要点[/x]" in out and "[bold]甲[/bold]" in out


def test_parse_example_with_its_line_breaks_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "flat.txt"
    f.write_text(Path(example_path()).read_text(encoding="utf-8").replace("\n", ""), "utf-8")
    code = main(["parse", str(f), "--format", "json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)["documents"][0]
    assert code == 0
    assert (len(doc["tasks"]), sum(len(t["assignments"]) for t in doc["tasks"])) == (23, 121)
    assert doc["title"] == "安顺市2023年度未成年人保护工作要点"
    assert err.splitlines() == [
        f"{f}: 23 tasks, 121 assignments, utf-8",
        f"{f}: warning: alias-by-similarity: 市教育 read as 市教育局 (similar name); add an alias"
        " to confirm",
    ]
