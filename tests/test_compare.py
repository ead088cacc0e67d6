"""``dutygraph diff``: the seed against copies edited in known ways reports exactly those edits."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from dutygraph import Document, parse_workplan, read_workplan
from dutygraph.analysis.diff import COLUMNS, compare_documents
from tests.helpers import SEED, SEED_TEXT, run_cli

# The edits, each replacing one exact passage of the seed.
ALIAS = ("( 责任单位: 市民政局、市卫生健康局)", "( 责任单位: 市民政局、市卫生健康委)")  # task 3
LEAD = (
    "( 牵头单位:市人民检察院;责任单位:市中级人民法院、市公安局、市司法局、团市委)",
    "( 牵头单位:市公安局;责任单位:市中级人民法院、市公安局、市司法局、团市委)",
)  # task 23
REWORD = ("12.加强校园安全管理。", "12.强化校园安全管理。")
ADDED = "24.加强未成年人法治宣传。组织开展“宪法进校园”活动,推动法治副校长履职。(牵头单位:市司法局;配合单位:团市委)\n"  # noqa: E501

T23 = "做好未成年人司法援助"
T24 = "加强未成年人法治宣传"
EVIDENCE_23_NEW = "牵头单位:市公安局;责任单位:市中级人民法院、市公安局、市司法局、团市委"
EVIDENCE_23_OLD = "牵头单位:市人民检察院;责任单位:市中级人民法院、市公安局、市司法局、团市委"

FIELDS = (
    "change",
    "old_number",
    "new_number",
    "new_title",
    "unit",
    "role",
    "before",
    "after",
    "tasks",
    "gap",
    "detail",
)


def change(kind: str, **values: Any) -> tuple[Any, ...]:
    """A row's FIELDS as a tuple; unnamed fields are None."""
    unknown = set(values) - set(FIELDS)
    assert not unknown, unknown
    return tuple(kind if f == "change" else values.get(f) for f in FIELDS)


CLAUSE_24 = "牵头单位:市司法局;配合单位:团市委"
EXPECTED = [
    change("task-added", new_number="24", new_title=T24, detail=CLAUSE_24),
    change("task-reworded", old_number="12", new_number="12", new_title="强化校园安全管理",
           detail="title"),
    change("role-gained", unit="团市委", role="support", before=3, after=4, tasks=["24"]),
    change("role-gained", unit="市公安局", role="lead", before=0, after=1, tasks=["23"]),
    change("role-gained", unit="市司法局", role="lead", before=0, after=1, tasks=["24"]),
    change("role-lost", unit="市人民检察院", role="lead", before=3, after=2, tasks=["23"]),
    change("gap-opened", old_number="23", new_number="23", new_title=T23, unit="市公安局",
           gap="lead-also-support", detail=EVIDENCE_23_NEW),
    change("gap-opened", old_number="23", new_number="23", new_title=T23, unit="市公安局",
           gap="single-lead-dependency", detail=EVIDENCE_23_NEW),
    change("gap-opened", new_number="24", new_title=T24, unit="市司法局",
           gap="single-lead-dependency", detail=CLAUSE_24),
    change("gap-closed", old_number="23", new_number="23", new_title=T23, unit="市人民检察院",
           gap="single-lead-dependency", detail=EVIDENCE_23_OLD),
]  # fmt: skip


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write_copy(folder: Path, text: str) -> Path:
    """The edited plan under the seed's file name (so its document id is the seed's)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(SEED).name
    path.write_text(text, encoding="utf-8")
    return path


def edited_text() -> str:
    return edit(SEED_TEXT, ALIAS, LEAD, REWORD).rstrip("\n") + "\n" + ADDED


def picked(rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(r[f] for f in FIELDS) for r in rows]


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_workplan(SEED)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_copy(tmp_path_factory.mktemp("edited"), edited_text())


def test_edited_copy_reports_exactly_the_edits(seed: Document, edited: Path) -> None:
    result = compare_documents([seed], [read_workplan(edited)])
    rows = result.rows()
    assert picked(rows) == EXPECTED
    assert all(list(r) == list(COLUMNS) for r in rows)
    (reworded,) = [r for r in rows if r["change"] == "task-reworded"]
    assert (reworded["old_title"], reworded["score"]) == ("加强校园安全管理", 0.9343)
    assert [t.number for t in result.added] == ["24"] and result.removed == ()
    assert len(result.matches) == 23
    assert {m.old.number: m.new.number for m in result.matches} == {
        str(n): str(n) for n in range(1, 24)
    }


def test_a_unit_renamed_through_an_alias_is_no_change(seed: Document, tmp_path: Path) -> None:
    new = read_workplan(write_copy(tmp_path, edit(SEED_TEXT, ALIAS)))
    task = new.task("3")
    assert task is not None
    (renamed,) = [a for a in task.assignments if a.as_written == "市卫生健康委"]
    assert renamed.unit == "市卫生健康局"
    result = compare_documents([seed], [new])
    assert result.rows() == [] and all(not m.reworded for m in result.matches)


def test_a_removed_task_with_the_rest_renumbered(seed: Document, tmp_path: Path) -> None:
    start, end = SEED_TEXT.index("13.落实优先保护规定"), SEED_TEXT.index("14.加强社会环境治理")
    text = SEED_TEXT[:start] + SEED_TEXT[end:]
    for n in range(14, 24):
        text = edit(text, (f"\n{n}.", f"\n{n - 1}."))
    new = read_workplan(write_copy(tmp_path, text))
    assert len(new.tasks) == 22
    result = compare_documents([seed], [new])
    assert [t.number for t in result.removed] == ["13"] and result.added == ()
    assert {m.old.number: m.new.number for m in result.matches if m.old.number != m.new.number} == {
        str(n): str(n - 1) for n in range(14, 24)
    }
    evidence = (
        "责任单位: 市委宣传部、市交通运输局、市文体广电旅游局、市应急管理局、市教育局、市科协"
    )
    lost = {"role": "responsible", "tasks": ["13"]}
    assert picked(result.rows()) == [
        change("task-removed", old_number="13", detail=evidence),
        change("role-lost", unit="市交通运输局", before=1, after=0, **lost),
        change("role-lost", unit="市委宣传部", before=3, after=2, **lost),
        change("role-lost", unit="市应急管理局", before=2, after=1, **lost),
        change("role-lost", unit="市教育局", before=4, after=3, **lost),
        change("role-lost", unit="市文体广电旅游局", before=2, after=1, **lost),
        change("role-lost", unit="市科协", before=1, after=0, **lost),
        change("gap-closed", old_number="13", gap="no-lead", detail=evidence),
        change("gap-closed", old_number="13", gap="diffuse", detail=evidence),
    ]  # fmt: skip


def test_identical_plans_have_no_changes(seed: Document) -> None:
    result = compare_documents([seed], [seed])
    assert result.rows() == [] and result.added == result.removed == ()
    assert [m.score for m in result.matches] == [1.0] * 23


def test_several_documents_per_side(seed: Document) -> None:
    plan = "1.做好困境儿童关爱。建设儿童之家。（牵头单位：{}；配合单位：团市委）\n"
    old = parse_workplan(plan.format("市民政局"), doc_id="extra")
    new = parse_workplan(plan.format("市妇联"), doc_id="extra")
    # Task number 1 is in both documents: the rows name the task by its uid.
    assert picked(compare_documents([seed, old], [seed, new]).rows()) == [
        change("role-gained", unit="市妇联", role="lead", before=1, after=2, tasks=["extra#1"]),
        change("role-lost", unit="市民政局", role="lead", before=4, after=3, tasks=["extra#1"]),
        change("gap-opened", old_number="1", new_number="1", new_title="做好困境儿童关爱",
               unit="市妇联", gap="single-lead-dependency",
               detail="牵头单位：市妇联；配合单位：团市委"),
        change("gap-closed", old_number="1", new_number="1", new_title="做好困境儿童关爱",
               unit="市民政局", gap="single-lead-dependency",
               detail="牵头单位：市民政局；配合单位：团市委"),
    ]  # fmt: skip


def test_threshold_decides_what_a_rewording_is(seed: Document, edited: Path) -> None:
    new = read_workplan(edited)
    strict = compare_documents([seed], [new], threshold=0.99)
    # Different titles need the threshold; the reworded task 12 (score 0.9343) now fails it.
    assert [t.number for t in strict.removed] == ["12"]
    assert sorted(t.number for t in strict.added) == ["12", "24"]
    assert "task-reworded" not in {r["change"] for r in strict.rows()}
    # Same titles match whatever their score.
    assert compare_documents([seed], [seed], threshold=1.0).rows() == []


run = run_cli


def test_cli_json_is_the_library_rows(seed: Document, edited: Path) -> None:
    code, out, _ = run("diff", str(SEED), str(edited), "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows == compare_documents([seed], [read_workplan(edited)]).rows()
    assert picked(rows) == EXPECTED
    assert "市人民检察院" in out  # Chinese kept as is


def test_cli_csv(edited: Path) -> None:
    code, out, _ = run("diff", str(SEED), str(edited), "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(COLUMNS)
    assert [r["change"] for r in rows] == [e[0] for e in EXPECTED]
    assert rows[1]["score"] == "0.9343" and rows[1]["detail"] == "title"
    assert [rows[3][k] for k in ("unit", "role", "before", "after", "tasks")] == [
        "市公安局",
        "lead",
        "0",
        "1",
        "23",
    ]
    assert rows[0]["old_number"] == "" and rows[0]["new_uid"] == "anshun_2023#24"


def test_cli_table_and_directories(tmp_path: Path, edited: Path) -> None:
    old_dir = tmp_path / "2022"
    write_copy(old_dir, SEED_TEXT)
    code, out, _ = run("diff", str(old_dir), str(edited.parent))
    assert code == 0
    out = " ".join(out.split())  # the table may wrap its title
    assert "23 tasks matched, 1 added, 0 removed" in out
    assert "task-reworded" in out and "强化校园安全管理" in out and "0.9343" in out


def test_cli_identical_inputs() -> None:
    assert run("diff", str(SEED), str(SEED), "--json")[:2] == (0, "[]\n")
    assert run("diff", str(SEED), str(SEED), "--csv")[:2] == (0, ",".join(COLUMNS) + "\n")
    code, out, _ = run("diff", str(SEED), str(SEED))
    assert code == 0 and "no rows" in out


def test_cli_aliases_apply_to_both_sides(tmp_path: Path) -> None:
    renamed = edit(
        SEED_TEXT,
        (
            "(牵头单位:市人民检察院;责任单位:市中级人民法院、市公安局 )",
            "(牵头单位:市检察机关;责任单位:市中级人民法院、市公安局 )",
        ),
    )
    new = write_copy(tmp_path / "new", renamed)
    code, out, _ = run("diff", str(SEED), str(new), "--json")
    assert code == 0
    assert [(r["change"], r["unit"]) for r in json.loads(out)][:2] == [
        ("role-gained", "市检察机关"),
        ("role-lost", "市人民检察院"),
    ]
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,kind\n市人民检察院,市检察机关,procuratorate\n", encoding="utf-8")
    assert run("diff", str(SEED), str(new), "--aliases", str(aliases), "--json")[:2] == (0, "[]\n")


def test_cli_usage_errors() -> None:
    code, _, err = run("diff", str(SEED), str(SEED), "--threshold", "1.5")
    assert code == 2 and "Invalid value for '--threshold'" in err
    code, _, err = run("diff", str(SEED), str(SEED), "--json", "--csv")
    assert code == 2 and "choose one of --json and --csv" in err
