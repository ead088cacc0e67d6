"""The query commands: exit codes, exact ``--json``/``--csv`` output, notes and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dutygraph.cli import main
from dutygraph.commands.queries import COMMANDS
from tests.helpers import SEED, run_cli

INFERRED_NOTE = (
    "dutygraph: note: collectives expanded with members inferred from the documents "
    "(every unit they name); give --members FILE to state them\n"
)


run = run_cli


def as_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def task(n: int, title: str, role: str, via: str | None = None) -> dict[str, Any]:
    return {"number": str(n), "uid": f"anshun_2023#{n}", "title": title, "role": role, "via": via}


SUPPORT_ROWS = [
    task(1, "加强理论学习", "support", "未保委成员单位"),
    task(2, "完善工作机制", "support", "未保委成员单位"),
    task(6, "加强督促落实", "support", "未保委成员单位"),
    task(7, "加强家庭教育指导", "support", "未保委其他成员单位"),
    task(9, "做好重点对象关爱", "support"),
    task(10, "加强基础教育保障", "support"),
    task(15, "加强心理服务", "support", "未保委成员单位"),
    task(17, "强化网络安全保护", "support"),
]


def test_tasks_json_exact() -> None:
    code, out, err = run("tasks", "团市委", "--role", "support", "--all", "--json", "--input", SEED)
    assert code == 0
    assert out == as_json(SUPPORT_ROWS)
    assert err == INFERRED_NOTE


def test_tasks_alias_direct_and_no_expansion() -> None:
    code, out, err = run("tasks", "共青团安顺市委", "--direct", "--all", "--json", "--input", SEED)
    assert code == 0 and err == ""
    direct = [
        task(4, "强化系统推进", "responsible"),
        task(5, "加强宣传引导", "responsible"),
        task(9, "做好重点对象关爱", "support"),
        task(10, "加强基础教育保障", "support"),
        task(17, "强化网络安全保护", "support"),
        task(23, "做好未成年人司法援助", "responsible"),
    ]
    assert out == as_json(direct)
    code, out, err = run(
        "tasks", "团市委", "--no-expand-collectives", "--all", "--json", "--input", SEED
    )
    assert code == 0 and out == as_json(direct) and err == ""


def test_input_from_environment() -> None:
    code, out, _ = run(
        "tasks", "团市委", "--role", "support", "--all", "--json", env={"DUTYGRAPH_INPUT": SEED}
    )
    assert code == 0 and out == as_json(SUPPORT_ROWS)


def test_units_csv_exact() -> None:
    code, out, err = run("units", "第9项", "--direct", "--csv", "--input", SEED)
    assert code == 0 and err == ""
    assert out == (
        "role,unit,kind,collective,via,as_written,span_start,span_end\n"
        "lead,市民政局,government,False,,市民政局,1988,1992\n"
        "support,市教育局,government,False,,市教育局,1999,2003\n"
        "support,市文体广电旅游局,government,False,,市文体广电旅游局,2004,2012\n"
        "support,市公安局,government,False,,市公安局,2013,2017\n"
        "support,市卫生健康局,government,False,,市卫生健康局,2018,2024\n"
        "support,团市委,mass,False,,团市委,2025,2028\n"
        "support,市妇联,mass,False,,市妇联,2029,2032\n"
        "support,市残联,mass,False,,市残联,2033,2036\n"
        "support,市关工委,mass,False,,市关工委,2037,2041\n"
    )


def test_unit_profile_json() -> None:
    code, out, _ = run("unit", "团市委", "--direct", "--top", "2", "--json", "--input", SEED)
    assert code == 0
    assert json.loads(out) == [
        {"aspect": "role", "item": "lead", "count": 0},
        {"aspect": "role", "item": "support", "count": 3},
        {"aspect": "role", "item": "responsible", "count": 3},
        {"aspect": "section", "item": "一、加强统筹谋划", "count": 2},
        {"aspect": "section", "item": "二、加强家庭保护", "count": 1},
        {"aspect": "section", "item": "三、加强学校保护", "count": 1},
        {"aspect": "section", "item": "五、加强网络保护", "count": 1},
        {"aspect": "section", "item": "七、加强司法保护", "count": 1},
        {"aspect": "partner", "item": "市公安局", "count": 4},
        {"aspect": "partner", "item": "市妇联", "count": 4},
    ]


def test_gaps_json() -> None:
    code, out, err = run("gaps", "--kind", "no-lead", "--all", "--json", "--input", SEED)
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert [r["number"] for r in rows] == ["3", "4", "5", "8", "13", "14", "19", "20"]
    assert rows[0] == {
        "kind": "no-lead",
        "number": "3",
        "uid": "anshun_2023#3",
        "title": "健全法规政策",
        "unit": None,
        "evidence": "责任单位: 市民政局、市卫生健康局",
    }
    code, out, _ = run("gaps", "--k", "3", "--kind", "diffuse", "--all", "--json", "--input", SEED)
    assert [r["number"] for r in json.loads(out)] == ["4", "5", "8", "13", "14", "19", "20"]
    code, out, _ = run("gaps", "--all", "--json", "--input", SEED)
    assert len(json.loads(out)) == 20  # gaps only: the 14 single-lead risks are `risks`
    code, out, _ = run("risks", "--json", "--input", SEED)
    assert [r["number"] for r in json.loads(out)] == [
        "1", "2", "6", "9", "10", "11", "12", "15", "16", "17", "18", "21", "22", "23",
    ]  # fmt: skip


def test_overload_json_exact() -> None:
    code, out, err = run("overload", "--top", "2", "--json", "--input", SEED)
    assert code == 0 and err == ""
    assert out == as_json(
        [
            {
                "unit": "市教育局",
                "kind": "government",
                "lead": 4,
                "support": 4,
                "responsible": 4,
                "assignments": 12,
                "load": 24,
                "share": 0.1034,
                "ratio": 4.8,
                "flag": True,
            },
            {
                "unit": "市民政局",
                "kind": "government",
                "lead": 3,
                "support": 1,
                "responsible": 7,
                "assignments": 11,
                "load": 24,
                "share": 0.0948,
                "ratio": 4.8,
                "flag": True,
            },
        ]
    )
    code, out, _ = run("overload", "--top", "1", "--lead-weight", "0.5", "--json", "--input", SEED)
    assert [(r["unit"], r["load"]) for r in json.loads(out)] == [("市民政局", 16.5)]


def test_partners_brokers_sections() -> None:
    code, out, err = run("partners", "团市委", "--all", "--json", "--input", SEED)
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == 28 and rows[0] == {
        "unit_a": "团市委",
        "unit_b": "市公安局",
        "shared": 4,
        "role_a": "support",
        "role_b": "support",
        "tasks": 2,
    }
    code, out, err = run("partners", "团市委", "--with-derived", "--all", "--json", "--input", SEED)
    assert json.loads(out)[0]["shared"] == 9 and err == INFERRED_NOTE
    code, out, _ = run("brokers", "--json", "--input", SEED)
    assert json.loads(out)[0] == {
        "unit": "市民政局",
        "kind": "government",
        "betweenness": 0.102,
        "partners": 26,
        "partner_kinds": 6,
    }
    code, out, _ = run("sections", "--csv", "--input", SEED)
    assert code == 0
    assert out.splitlines()[:3] == [
        "doc_id,section,section_title,tasks,no_lead,leads,top_unit,top_share,hhi",
        "anshun_2023,一,加强统筹谋划,6,3,3,未保委办公室,1,1",
        "anshun_2023,二,加强家庭保护,3,1,4,市民政局,0.5,0.375",
    ]


def test_queries_lists_the_catalog() -> None:
    code, out, _ = run("queries", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == [
        "tasks-of",
        "units-of",
        "unit-profile",
        "gaps",
        "risks",
        "due",
        "overload",
        "partners",
        "brokers",
        "sections",
        "section-tasks",
        "shared-tasks",
    ]
    assert rows[0]["params"] == "unit role=any direct=false"
    code, out, _ = run("queries")
    assert code == 0 and "Query catalog" in out and "tasks-of" in out


def test_query_runs_any_entry() -> None:
    code, out, _ = run(
        "query",
        "tasks-of",
        "-p",
        "unit",
        "团市委",
        "-p",
        "role",
        "support",
        "--json",
        "--input",
        SEED,
    )
    assert code == 0 and out == as_json(SUPPORT_ROWS)
    code, out, _ = run("query", "gaps", "--cypher")
    assert code == 0 and out.startswith("MATCH (t:Task)") and "$kind" in out


def test_ask_prints_the_query_then_the_same_rows() -> None:
    code, out, err = run("ask", "团市委配合哪些任务？", "--json", "--input", SEED)
    assert code == 0
    assert out == as_json(SUPPORT_ROWS)
    assert err == "dutygraph: ran tasks-of unit=团市委 role=support\n" + INFERRED_NOTE
    code, out, err = run("ask", "who leads task 7?", "--json", "--input", SEED)
    assert err == "dutygraph: ran units-of task=7 role=lead\n" + INFERRED_NOTE
    assert [r["unit"] for r in json.loads(out)] == ["市妇联", "市教育局", "市民政局"]
    code, out, err = run("ask", "哪些任务没有牵头单位", "--csv", "--input", SEED)
    assert err == "dutygraph: ran gaps kind=no-lead\n"
    assert len(out.strip().splitlines()) == 9


def test_members_file(tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text("collective,unit\n未保委成员单位,团市委\n", encoding="utf-8")
    code, out, err = run(
        "tasks",
        "团市委",
        "--role",
        "support",
        "--members",
        str(members),
        "--all",
        "--json",
        "--input",
        SEED,
    )
    assert code == 0
    assert [r["number"] for r in json.loads(out)] == ["1", "2", "6", "7", "9", "10", "15", "17"]
    assert err == f"dutygraph: note: collectives expanded with members from {members}\n"
    code, out, _ = run(
        "tasks",
        "市残联",
        "--role",
        "support",
        "--members",
        str(members),
        "--all",
        "--json",
        "--input",
        SEED,
    )
    assert [r["number"] for r in json.loads(out)] == ["9", "10"]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["tasks", "团委"], "dutygraph: error: unknown unit 团委; did you mean 团市委?\n"),
        (["unit", "市体育局"], "dutygraph: error: unknown unit 市体育局; did you mean 市教育局?\n"),
        (["units", "99"], "dutygraph: error: unknown task 99; tasks are 1–23\n"),
        (
            ["query", "gapz"],
            "dutygraph: error: unknown query gapz; did you mean gaps?"
            " (dutygraph queries lists them)\n",
        ),
        (
            ["query", "gaps", "-p", "k", "many"],
            "dutygraph: error: parameter k must be a number, not 'many'\n",
        ),
        (
            ["ask", "团体委配合哪些任务"],
            "dutygraph: error: unknown unit 团体委; did you mean 团市委?\n",
        ),
    ],
)
def test_errors_are_one_line_exit_2(
    args: list[str], stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*args, "--input", SEED])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == stderr and out == ""


def test_unrecognised_question_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what is the weather", "--input", SEED]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "dutygraph: error: cannot tell which query answers: what is the weather;"
        " closest forms it understands: what are the deadlines? · which unit is the busiest?"
    )
    assert len(err.strip().splitlines()) == 1


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = tmp_path / "m.yaml"
    members.write_text("未保委成员单位: [团市委]\n", encoding="utf-8")
    code = main(
        ["tasks", "团市委", "--no-expand-collectives", "--members", str(members), "--input", SEED]
    )
    assert code == 2
    assert "--members needs --expand-collectives" in capsys.readouterr().err
    assert main(["tasks", "团市委", "--all", "--json", "--csv", "--input", SEED]) == 2
    assert "choose one of --json and --csv" in capsys.readouterr().err
    assert main(["tasks", "团市委"]) == 2  # no input at all
    assert "give --input PATH or set DUTYGRAPH_INPUT" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: str(c.name))
def test_every_command_has_help(command: Any) -> None:
    code, out, _ = run(str(command.name), "--help")
    assert code == 0
    assert command.help
    assert " ".join(command.help.split("\n")[0].split()) in " ".join(out.split())
    assert "Example: dutygraph" in command.help
