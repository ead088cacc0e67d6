"""Real published plans (tests/fixtures/real, provenance in SOURCES.md) against hand-written
expectations, and the evaluator of benchmarks/extraction.py that scores them.

Each plan must yield exactly its expected (task, role, unit) triples; over all plans the
micro-F1 must reach 0.95. The expectations were written by hand before the parser was run.
"""

from __future__ import annotations

import doctest
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import benchmarks.extraction as extraction
from benchmarks.extraction import (
    DEFAULT_DIR,
    ExpectedTask,
    FileScore,
    evaluate_dir,
    evaluate_file,
    load_expected,
    main,
    micro,
    score,
)
from dutygraph import Assignment, Task
from dutygraph.graph.records import Role

FIXTURES = sorted(DEFAULT_DIR.glob("*.expected.json"))


def _failure(s: FileScore) -> str:
    lines = [f"{s.source}: {s.fn} missed, {s.fp} spurious (P {s.precision:.2f} R {s.recall:.2f})"]
    if s.error:
        lines.append(f"  error: {s.error}")
    lines += [f"  missed   {t} | {r} | {u}" for t, r, u in s.missed]
    lines += [f"  spurious {t} | {r} | {u}" for t, r, u in s.spurious]
    return "\n".join(lines)


def test_every_fixture_has_its_plan_and_provenance() -> None:
    sources = (DEFAULT_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert len(FIXTURES) >= 8
    for path in FIXTURES:
        plan = load_expected(path)
        assert plan.source.is_file(), plan.source
        assert plan.source.stat().st_size < 100_000, plan.source
        assert f"`{plan.source.name}`" in sources, f"{plan.source.name} not described in SOURCES.md"


@pytest.mark.parametrize("expected_json", FIXTURES, ids=[p.name[:-14] for p in FIXTURES])
def test_real_plan_yields_exactly_the_expected_assignments(expected_json: Path) -> None:
    s = evaluate_file(expected_json)
    assert (s.error, s.missed, s.spurious) == (None, [], []), _failure(s)


def test_micro_f1_over_all_real_plans_is_at_least_095() -> None:
    scores = evaluate_dir(DEFAULT_DIR)
    total = micro(scores)
    table = "\n".join(f"{s.source}: F1 {s.f1:.3f} {s.error or ''}" for s in scores)
    assert total.f1 >= 0.95, f"micro-F1 {total.f1:.3f}\n{table}"


# ---- the evaluator itself, on small synthetic plans ----


def _a(unit: str, role: Role, as_written: str | None = None) -> Assignment:
    written = as_written or unit
    return Assignment(unit, written, role, False, (0, len(written)), f"{role}：{written}")


def _t(number: str, title: str, *assignments: Assignment, text: str | None = None) -> Task:
    body = text if text is not None else f"{number}.{title}。"
    return Task(f"d#{number}", "d", number, "一", "", title, body, (0, len(body)), assignments)


def _e(number: str, title: str, *pairs: tuple[str, str], **kw: str | None) -> ExpectedTask:
    return ExpectedTask(number, title, frozenset(pairs), kw.get("deadline"), kw.get("leader"))


def test_exact_match_scores_one() -> None:
    exp = [_e("1", "加强统筹", ("lead", "市妇联"), ("support", "团市委"))]
    got = [_t("1", "加强统筹协调", _a("市妇联", "lead"), _a("团市委", "support"))]
    s = score(exp, got, "p")
    assert (s.tp, s.fp, s.fn, s.f1, s.tasks_found, s.phantom_tasks) == (2, 0, 0, 1.0, 1, 0)


def test_wrong_role_is_one_missed_and_one_spurious() -> None:
    exp = [_e("1", "加强统筹", ("lead", "市妇联"))]
    got = [_t("1", "加强统筹", _a("市妇联", "responsible"))]
    s = score(exp, got, "p")
    assert s.missed == [("1 加强统筹", "lead", "市妇联")]
    assert s.spurious == [("1 加强统筹", "responsible", "市妇联")]


def test_unit_matches_as_written_or_canonical_name() -> None:
    exp = [_e("1", "加强统筹", ("lead", "市卫生健康委"), ("support", "市发改委"))]
    got = [
        _t(
            "1",
            "加强统筹",
            _a("市卫生健康局", "lead", as_written="市卫生健康委"),
            _a("市发改委", "support", as_written="市发展改革委"),
        )
    ]
    assert (score(exp, got).tp, score(exp, got).fp) == (2, 0)


def test_title_matches_the_text_without_its_number_and_white_space() -> None:
    exp = [_e("3", "开展家长课堂", ("lead", "市妇联"))]
    got = [
        _t(
            "3",
            "加强家庭 教育指导",
            _a("市妇联", "lead"),
            text="3. 开展 家长课堂（牵头单位：市妇联）",
        )
    ]
    assert score(exp, got).tp == 1
    numbered = [_t("（三）", "x", _a("市妇联", "lead"), text="（三）开展家长课堂。")]
    assert score(exp, numbered).tp == 1


def test_a_task_repeated_by_prose_and_table_is_pooled_not_double_counted() -> None:
    exp = [_e("6", "促进研发创新", ("lead", "海关总署"), ("support", "有关部门"))]
    prose = _t("6", "促进研发创新", _a("海关总署", "lead"))
    table = _t("6", "促进研发创新", _a("海关总署", "lead"), _a("有关部门", "support"))
    s = score(exp, [prose, table])
    assert (s.tp, s.fp, s.fn, s.tasks_found) == (2, 0, 0, 1)


def test_phantom_task_assignments_are_spurious() -> None:
    exp = [_e("1", "加强统筹", ("lead", "市妇联"))]
    got = [
        _t("1", "加强统筹", _a("市妇联", "lead")),
        _t("2", "组建团队", _a("团队", "responsible")),
    ]
    s = score(exp, got)
    assert s.spurious == [("?2 组建团队", "responsible", "团队")]
    assert (s.phantom_tasks, s.precision) == (1, 0.5)


def test_same_number_breaks_a_tie_between_titles() -> None:
    exp = [_e("1", "加强", ("lead", "甲")), _e("2", "加强", ("lead", "乙"))]
    got = [_t("2", "加强宣传", _a("乙", "lead")), _t("1", "加强统筹", _a("甲", "lead"))]
    assert (score(exp, got).tp, score(exp, got).fp) == (2, 0)


def test_unfound_task_is_all_missed_and_lowers_task_recall() -> None:
    exp = [
        _e("1", "加强统筹", ("lead", "甲")),
        _e("2", "完善机制", ("lead", "乙"), ("support", "丙")),
    ]
    s = score(exp, [_t("1", "加强统筹", _a("甲", "lead"))])
    assert s.missed == [("2 完善机制", "lead", "乙"), ("2 完善机制", "support", "丙")]
    assert (s.task_recall, round(s.recall, 3)) == (0.5, 0.333)


@dataclass(frozen=True)
class _DatedTask(Task):
    deadline: str | None = None
    leader: str | None = None


def test_deadline_and_leader_are_scored() -> None:
    exp = [_e("1", "加强统筹", ("lead", "甲"), deadline="2024年6月底", leader="张三")]
    plain = score(exp, [_t("1", "加强统筹", _a("甲", "lead"))])
    assert (plain.deadline_checked, plain.deadline_right, plain.leader_checked) == (1, 0, 1)
    assert plain.to_dict()["deadline_accuracy"] == 0.0
    assert score([], []).to_dict()["deadline_accuracy"] is None
    dated = _DatedTask(
        "d#1", "d", "1", "一", "", "加强统筹", "1.加强统筹。", (0, 7), (_a("甲", "lead"),),
        deadline="2024年6月底", leader="李四",
    )  # fmt: skip
    s = score(exp, [dated])
    assert (s.deadline_checked, s.deadline_right, s.leader_checked, s.leader_right) == (1, 1, 1, 0)
    assert (s.to_dict()["deadline_accuracy"], s.to_dict()["leader_accuracy"]) == (1.0, 0.0)


def test_micro_pools_counts() -> None:
    m = micro([FileScore("a", tp=8, fn=2), FileScore("b", tp=1, fp=1, fn=1)])
    assert (m.tp, m.fp, m.fn, round(m.precision, 3), round(m.recall, 3)) == (9, 1, 3, 0.9, 0.75)


def _write_plan(tmp_path: Path, name: str, text: str, tasks: list[Any]) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / (Path(name).stem + ".expected.json")
    path.write_text(json.dumps({"source": name, "tasks": tasks}, ensure_ascii=False), "utf-8")
    return path


def test_load_expected_names_the_file_for_an_unknown_role(tmp_path: Path) -> None:
    path = _write_plan(
        tmp_path, "p.txt", "x", [{"number": "1", "title": "加强", "assignments": [["boss", "甲"]]}]
    )
    with pytest.raises(ValueError, match=r"p\.expected\.json: task '1': unknown role 'boss'"):
        load_expected(path)


def test_an_unreadable_plan_scores_zero_recall_with_the_library_message(tmp_path: Path) -> None:
    path = _write_plan(
        tmp_path, "p.abc", "x", [{"number": "1", "title": "加强", "assignments": [["lead", "甲"]]}]
    )
    s = evaluate_file(path)
    assert (s.tp, s.fn, s.recall) == (0, 1, 0.0)
    assert s.error is not None and s.error.startswith("p.abc: ")


def test_cli_prints_json_and_shows_one_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "一、统筹\n1.加强统筹协调。（牵头单位：市妇联；配合单位：团市委）\n"
    tasks = [
        {
            "number": "1",
            "title": "加强统筹",
            "assignments": [["lead", "市妇联"], ["support", "市教育局"]],
        }
    ]
    _write_plan(tmp_path, "p.txt", text, tasks)
    assert main([str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["micro"]["tp"], out["micro"]["fp"], out["micro"]["fn"]) == (1, 1, 1)
    assert out["files"][0]["missed"] == [["1 加强统筹", "support", "市教育局"]]
    assert main([str(tmp_path), "--show", "p.txt"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "p.txt: 1 missed, 1 spurious"
    assert shown[1].split() == ["missed", "1", "加强统筹", "support", "市教育局"]
    assert shown[2].split() == ["spurious", "1", "加强统筹", "support", "团市委"]
    assert main([str(tmp_path / "none")]) == 2
    assert "no *.expected.json files" in capsys.readouterr().err


def test_evaluator_doctests() -> None:
    result = doctest.testmod(extraction)
    assert (result.failed, result.attempted > 5) == (0, True)
