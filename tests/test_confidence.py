"""Warnings of a parse that looks incomplete: role words without units, most items without units."""

from __future__ import annotations

import pytest

from dutygraph import example_path, parse_workplan
from dutygraph.cli import main
from dutygraph.extract.workplan import read_workplan
from dutygraph.graph.records import ParseWarning

HINT = "(dutygraph parse --explain shows what was read)"
CODES = ("role-words-without-units", "most-items-without-units")


def confidence(text: str) -> list[tuple[str, str, str]]:
    """(code, message, text under the span) of the confidence warnings of a parse."""
    doc = parse_workplan(text)
    return [
        (w.code, w.message, text[w.span[0] : w.span[1]]) for w in doc.warnings if w.code in CODES
    ]


def test_role_words_without_units_name_the_lines() -> None:
    text = (
        "X市2024年工作要点\n"
        "一、加强统筹\n"
        "1.加强学习。（牵头单位：市教育局；配合单位：团市委）\n"
        "2.完善机制。由分管副市长牵头，每季度调度一次。\n"
        "3.健全制度。（牵头单位：市民政局）\n"
        "二、加强保护\n"
        "4.加强指导。（牵头单位：市妇联）\n"
        "5.做好关爱。安排专人负责跟踪。\n"
        "6.强化督查。（配合单位：）\n"
    )
    assert confidence(text) == [
        (
            "role-words-without-units",
            "lines 4, 8, 9: role words (牵头、负责、配合单位) but no unit read; "
            f"check the clause {HINT}",
            "2.完善机制。由分管副市长牵头，每季度调度一次。",
        )
    ]


def test_many_lines_are_counted_after_ten() -> None:
    items = [f"{n}.推进第{n}项工作。由相关方面负责落实。" for n in range(1, 13)]
    text = "一、任务\n0.总体安排。（牵头单位：市政府办）\n" + "\n".join(items) + "\n"
    (code, message, _), more = confidence(text)
    assert code == "role-words-without-units"
    assert message == (
        f"lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more: role words (负责) but no unit read; "
        f"check the clause {HINT}"
    )
    assert more[:2] == (
        "most-items-without-units",
        f"12 of 13 items have no unit; the parse may be incomplete; check the layout {HINT}",
    )


@pytest.mark.parametrize("word", ["负责人", "负责制", "负责同志", "配合度"])
def test_look_alike_words_do_not_count(word: str) -> None:
    text = f"一、任务\n1.加强学习。（牵头单位：市教育局）\n2.完善机制。落实{word}要求。\n"
    assert confidence(text) == []


def test_most_items_without_units() -> None:
    assigned = "（牵头单位：市教育局）"
    five = "一、任务\n" + "".join(
        f"{n}.第{n}项工作。{assigned if n in (2, 4) else ''}\n" for n in range(1, 6)
    )
    assert confidence(five) == [
        (
            "most-items-without-units",
            f"3 of 5 items have no unit; the parse may be incomplete; check the layout {HINT}",
            "1.第1项工作。",
        )
    ]
    half = "一、任务\n" + "".join(
        f"{n}.第{n}项工作。{assigned if n % 2 else ''}\n" for n in range(1, 5)
    )
    assert confidence(half) == []
    three_bare = "一、任务\n1.甲。\n2.乙。\n3.丙。\n"
    assert confidence(three_bare) == []
    four_bare = "一、任务\n1.甲。\n2.乙。\n3.丙。\n4.丁。\n"
    assert [c[1] for c in confidence(four_bare)] == [
        f"4 of 4 items have no unit; the parse may be incomplete; check the layout {HINT}"
    ]


def test_bundled_example_gets_no_confidence_warning() -> None:
    doc = read_workplan(example_path())
    assert [w.code for w in doc.warnings] == ["alias-by-similarity"]


def test_strict_fails_the_file_with_the_line(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "plan.txt"
    path.write_text(
        "一、任务\n1.加强学习。（牵头单位：市教育局）\n2.完善机制。由分管副市长牵头推进。\n",
        encoding="utf-8",
    )
    assert main(["parse", str(path), "--strict"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"dutygraph: error: {path}:3: warning role-words-without-units (--strict): role words "
        f"(牵头) but no unit read; check the clause {HINT}; check the document there, or run "
        "without --strict\n"
    )
    assert main(["parse", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{path}: 2 tasks, 1 assignments, utf-8",
        f"{path}: warning: role-words-without-units: line 3: role words (牵头) but no unit "
        f"read; check the clause {HINT}",
    ]


def test_warning_record() -> None:
    doc = parse_workplan("一、任务\n1.甲。（牵头单位：市教育局）\n2.乙。由它负责。\n")
    assert doc.warnings == (
        ParseWarning(
            "role-words-without-units",
            f"line 3: role words (负责) but no unit read; check the clause {HINT}",
            (21, 30),
        ),
    )
