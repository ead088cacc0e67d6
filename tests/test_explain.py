"""``dutygraph parse --explain``: which clause gave which assignment, per task."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dutygraph import example_path, parse_workplan
from dutygraph.cli import cli
from dutygraph.extract.explain import EXPLAIN_KEYS, explain_document

PLAN = (
    "X市2024年工作要点\n"
    "一、加强统筹\n"
    "1.加强学习。（牵头单位：市教育局；配合单位：团市委）\n"
    "2.完善机制。由专人负责跟踪。\n"
    "二、加强保护\n"
    "1.做好关爱。市民政局牵头，市财政局配合。\n"
    "2.强化督查。开展检查（牵头单位：\n"
)
HINT = "(dutygraph parse --explain shows what was read)"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    return result.exit_code or 0, result.stdout, result.stderr


def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_explain_text(tmp_path: Path) -> None:
    path = plan(tmp_path)
    code, out, err = run("parse", str(path), "--explain")
    assert code == 0
    assert out == (
        f"{path}\n"
        "task 一.1 加强学习 (line 3)\n"
        "  lead 市教育局: as written 市教育局 [32, 36], line 3, "
        "clause 牵头单位：市教育局；配合单位：团市委\n"
        "  support 团市委: as written 团市委 [42, 45], line 3, "
        "clause 牵头单位：市教育局；配合单位：团市委\n"
        "task 一.2 完善机制 (line 4)\n"
        "  no unit read: role words (负责) but no clause gave a unit "
        "(warning role-words-without-units)\n"
        "task 二.1 做好关爱 (line 6)\n"
        "  lead 市民政局: as written 市民政局 [77, 81], line 6, clause 市民政局牵头，市财政局配合\n"
        "  support 市财政局: as written 市财政局 [84, 88], line 6, "
        "clause 市民政局牵头，市财政局配合\n"
        "task 二.2 强化督查 (line 7)\n"
        "  no unit read: role words (牵头单位) but no clause gave a unit "
        "(warning role-words-without-units); warning unbalanced-parenthesis: line 7: "
        "parentheses do not pair up; the item may be cut off\n"
    )
    assert err.splitlines() == [
        f"{path}: 4 tasks, 4 assignments, utf-8",
        f"{path}: warning: role-words-without-units: lines 4, 7: role words (负责、牵头单位) "
        f"but no unit read; check the clause {HINT}",
        f"{path}: warning: unbalanced-parenthesis: line 7: parentheses do not pair up; "
        "the item may be cut off",
    ]


def test_explain_json_rows(tmp_path: Path) -> None:
    path = plan(tmp_path)
    code, out, _ = run("parse", str(path), "--explain", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [list(row) for row in rows] == [list(EXPLAIN_KEYS)] * 6
    assert rows[0] == {
        "document": str(path),
        "uid": "plan#一.1",
        "task": "1",
        "title": "加强学习",
        "task_line": 3,
        "role": "lead",
        "unit": "市教育局",
        "as_written": "市教育局",
        "span": [32, 36],
        "line": 3,
        "clause": "牵头单位：市教育局；配合单位：团市委",
        "note": "",
    }
    assert [PLAN[r["span"][0] : r["span"][1]] for r in rows if r["span"]] == [
        "市教育局",
        "团市委",
        "市民政局",
        "市财政局",
    ]
    assert rows[2] == {
        "document": str(path),
        "uid": "plan#一.2",
        "task": "2",
        "title": "完善机制",
        "task_line": 4,
        "role": "",
        "unit": "",
        "as_written": "",
        "span": None,
        "line": None,
        "clause": "",
        "note": "no unit read: role words (负责) but no clause gave a unit "
        "(warning role-words-without-units)",
    }
    assert [(r["uid"], r["role"], r["unit"]) for r in rows[3:]] == [
        ("plan#二.1", "lead", "市民政局"),
        ("plan#二.1", "support", "市财政局"),
        ("plan#二.2", "", ""),
    ]
    code, same, _ = run("parse", str(path), "--explain", "--format", "json")
    assert (code, same) == (0, out)


def test_explain_csv_header(tmp_path: Path) -> None:
    code, out, _ = run("parse", str(plan(tmp_path)), "--explain", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ",".join(EXPLAIN_KEYS)
    assert len(lines) == 7


def test_json_flag_is_the_contract_without_explain(tmp_path: Path) -> None:
    path = plan(tmp_path)
    assert run("parse", str(path), "--json")[1] == run("parse", str(path), "--format", "json")[1]
    result = CliRunner().invoke(cli, ["parse", str(path), "--json", "--format", "csv"])
    assert result.exit_code == 2
    assert "choose one of --json and --format csv" in result.stderr


def test_explain_bundled_example() -> None:
    doc = parse_workplan(Path(example_path()).read_text(encoding="utf-8"), doc_id="anshun")
    rows = explain_document(doc)
    assert len(rows) == 121
    assert all(doc.text[r["span"][0] : r["span"][1]] == r["as_written"] for r in rows)
    assert all(r["clause"] and r["note"] == "" for r in rows)
    nine = [(r["role"], r["as_written"], r["line"]) for r in rows if r["task"] == "9"]
    assert nine[:2] == [("lead", "市民政局", nine[0][2]), ("support", "市教育局", nine[0][2])]
    assert doc.text.splitlines()[nine[0][2] - 1].startswith("9.")
