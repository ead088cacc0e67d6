"""``ask``: plain questions (Chinese and English) → catalog query and parameters, or a refusal.

``tests/data/ask_phrasings.yaml`` holds the phrasings: each accepted one with the query, the
parameters and the note on stderr it must give on the seed; each refused one with a fragment
of the refusal. A few cases below also pin the rows (a hand-written digest), and the CLI tests
pin exit codes and the exact lines on stderr.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from dutygraph import build_graph, example_path, read_workplan
from dutygraph.cli import cli, main
from dutygraph.errors import QueryError
from dutygraph.graph.collectives import expand_collectives
from dutygraph.queries import QUESTIONS, ask, run_query
from dutygraph.queries.ask import interpret, normalize
from dutygraph.queries.ask_forms import FORMS, help_lines

Rows = list[dict[str, Any]]
SEED = str(example_path())
PHRASINGS = yaml.safe_load(
    (Path(__file__).parent / "data" / "ask_phrasings.yaml").read_text(encoding="utf-8")
)
ACCEPTED: list[list[Any]] = PHRASINGS["accepted"]
REFUSED: list[list[str]] = PHRASINGS["refused"]
INFERRED_NOTE = (
    "dutygraph: note: collectives expanded with members inferred from the documents "
    "(every unit they name); give --members FILE to state them\n"
)


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return expand_collectives(build_graph([read_workplan(example_path())]))


def test_the_phrasing_set_is_large_and_bilingual() -> None:
    questions = [row[0] for row in ACCEPTED] + [row[0] for row in REFUSED]
    assert len(questions) >= 150 and len(REFUSED) >= 25
    assert len(set(questions)) == len(questions)
    english = [q for q in questions if re.search(r"[A-Za-z]{3}", q)]
    assert len(english) >= 60 and len(questions) - len(english) >= 100
    queries = {row[1] for row in ACCEPTED}
    assert queries == {
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
    }


@pytest.mark.parametrize("row", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_accepted_phrasing(graph: nx.MultiDiGraph, row: list[Any]) -> None:
    question, name, params, *note = row
    found = interpret(question, graph)
    assert (found.query, found.params) == (name, params)
    assert list(found.notes) == note
    run_query(found.query, graph, found.params)  # every parameter is one the query takes


@pytest.mark.parametrize("row", REFUSED, ids=[row[0] or "(empty)" for row in REFUSED])
def test_refused_phrasing(graph: nx.MultiDiGraph, row: list[str]) -> None:
    question, fragment = row
    with pytest.raises(QueryError) as info:
        interpret(question, graph)
    assert fragment in str(info.value)
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)


def test_a_refusal_offers_the_closest_forms_with_the_questions_own_names(
    graph: nx.MultiDiGraph,
) -> None:
    with pytest.raises(QueryError) as info:
        interpret("市妇联2023年牵头哪些任务", graph)
    assert str(info.value) == (
        "cannot tell which query answers: 市妇联2023年牵头哪些任务; closest forms it "
        "understands: 市妇联有哪些任务？ · 市妇联和市民政局都牵头哪些任务？ · 市妇联的概况; "
        "dutygraph ask --help lists them all"
    )
    with pytest.raises(QueryError) as info:
        interpret("市体育局的预算是多少", graph)
    assert "; unknown unit 市体育局 (did you mean 市教育局?); closest forms" in str(info.value)


@pytest.mark.parametrize("form", FORMS, ids=[f.key for f in FORMS])
def test_every_form_reads_its_own_examples(graph: nx.MultiDiGraph, form: Any) -> None:
    for lang in ("zh", "en"):
        found = interpret(form.example(lang), graph)
        assert (found.form, found.query) == (form.key, form.query)
        assert found.params.items() >= dict(form.fixed).items()


@pytest.mark.parametrize("example", [half for q in QUESTIONS for half in q.split(" / ")])
def test_every_listed_question_runs(graph: nx.MultiDiGraph, example: str) -> None:
    name, params = ask(example, graph)
    run_query(name, graph, params)


def test_normalize() -> None:
    assert normalize("请问：团市委　配合 哪些任务？？") == "团市委配合哪些任务"
    assert normalize("Please, tell me WHO leads Task 7 ?") == "who leads task 7"
    assert normalize("第 ５ 部分有哪些任务呢") == "第5部分有哪些任务"


def test_without_a_graph_the_gazetteer_decides() -> None:
    assert ask("共青团安顺市委配合哪些任务") == ("tasks-of", {"unit": "团市委", "role": "support"})
    assert ask("市卫健委牵头哪些任务") == ("tasks-of", {"unit": "市卫生健康局", "role": "lead"})
    assert ask("section 12") == ("section-tasks", {"section": "十二"})
    with pytest.raises(
        QueryError, match=r"^unknown unit 团委; did you mean 团区委, 团县委, 团州委\?$"
    ):
        ask("团委负责什么")


def test_store_units_and_sections_instead_of_a_graph() -> None:
    # What the CLI passes for --neo4j: the stored unit names and (section, title) pairs.
    found = interpret(
        "二、加强家庭保护有哪些任务", units=["市妇联"], sections=[("2", "加强家庭保护")]
    )
    assert (found.query, found.params) == ("section-tasks", {"section": "2"})


# ----- rows: a hand-written digest of what some answers return on the seed -----

SUPPORTS = [1, 2, 6, 7, 9, 10, 15, 17]
ALL_OF_LEAGUE = [1, 2, 4, 5, 6, 7, 9, 10, 15, 17, 23]


def numbers(rows: Rows) -> list[int]:
    return [int(r["number"]) for r in rows]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("团市委配合哪些任务？", SUPPORTS),
        ("团市委直接配合哪些任务？", [9, 10, 17]),
        ("团委负责什么", ALL_OF_LEAGUE),
        ("团市委负责哪些任务", ALL_OF_LEAGUE),
        ("what is 团市委 responsible for?", ALL_OF_LEAGUE),
        ("团市委作为责任单位的任务有哪些", [4, 5, 23]),
        ("Which tasks is 市人民检察院 responsible for?", [1, 2, 5, 6, 7, 14, 15, 21, 22, 23]),
        ("市人民检察院直接负责哪些任务", [5, 14, 21, 22, 23]),
        ("which tasks does 市教育 lead", [7, 10, 11, 12]),
        ("哪些任务没有牵头单位？", [3, 4, 5, 8, 13, 14, 19, 20]),
        ("第五部分有哪些任务", [16, 17]),
        ("section 7", [21, 22, 23]),
    ],
)
def test_rows_of_answers(graph: nx.MultiDiGraph, question: str, expected: list[int]) -> None:
    name, params = ask(question, graph)
    assert numbers(run_query(name, graph, params)) == expected


def test_shared_tasks_rows(graph: nx.MultiDiGraph) -> None:
    name, params = ask("市教育局和市民政局共同参与哪些任务", graph)
    rows = run_query(name, graph, params)
    assert sorted({int(r["number"]) for r in rows}) == [1, 2, 6, 7, 9, 10, 14, 15, 18, 19, 20]
    assert [(r["number"], r["unit"], r["role"], r["via"]) for r in rows[8:12]] == [
        ("9", "市教育局", "support", None),
        ("9", "市民政局", "lead", None),
        ("10", "市教育局", "lead", None),
        ("10", "市民政局", "support", None),
    ]
    name, params = ask("市教育局和市民政局直接共同参与哪些任务", graph)
    assert sorted({int(r["number"]) for r in run_query(name, graph, params)}) == [
        7,
        9,
        10,
        14,
        18,
        19,
        20,
    ]
    name, params = ask("市教育局、市妇联、市民政局都作为牵头单位的任务", graph)
    assert [(r["number"], r["unit"]) for r in run_query(name, graph, params)] == [
        ("7", "市教育局"),
        ("7", "市妇联"),
        ("7", "市民政局"),
    ]


def test_section_tasks_rows(graph: nx.MultiDiGraph) -> None:
    rows = run_query("section-tasks", graph, {"section": "第七部分"})
    assert [(r["number"], r["title"], r["leads"], r["units"]) for r in rows] == [
        ("21", "打击涉未成年人犯罪", ["市人民检察院"], 3),
        ("22", "依法办理涉未成年人案件", ["市人民检察院"], 3),
        ("23", "做好未成年人司法援助", ["市人民检察院"], 5),
    ]
    assert rows[0]["section"] == "七" and rows[0]["section_title"] == "加强司法保护"
    assert len(run_query("section-tasks", graph, {})) == 23
    with pytest.raises(QueryError, match=r"^unknown section 9; sections are 一–七$"):
        run_query("section-tasks", graph, {"section": "9"})


def test_shared_tasks_needs_two_units(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(QueryError, match=r"^shared-tasks needs two or more different units"):
        run_query("shared-tasks", graph, {"units": "市教育局,市教育"})
    rows = run_query("shared-tasks", graph, {"units": ["团市委", "市妇联"], "role": "lead"})
    assert rows == []


# ----- the command -----


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    return result.exit_code or 0, result.stdout, result.stderr


def test_cli_typo_is_resolved_with_a_note() -> None:
    code, out, err = run("ask", "which tasks does 市教育 lead", "--csv", "--input", SEED)
    assert code == 0
    assert out.splitlines()[0] == "number,uid,title,role,via"
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["7", "10", "11", "12"]
    assert err == (
        "dutygraph: note: 市教育 read as 市教育局 (closest unit name)\n"
        "dutygraph: ran tasks-of unit=市教育局 role=lead\n" + INFERRED_NOTE
    )


def test_cli_section_and_shared_answers() -> None:
    code, out, err = run("ask", "第五部分有哪些任务", "--csv", "--input", SEED)
    assert code == 0
    assert out == (
        "section,section_title,number,uid,title,leads,units\n"
        "五,加强网络保护,16,anshun_2023#16,加强网络环境治理,市委网信办,5\n"
        "五,加强网络保护,17,anshun_2023#17,强化网络安全保护,市委网信办,6\n"
    )
    assert err == "dutygraph: ran section-tasks section=五\n"
    code, out, err = run("ask", "团委和市妇联共同参与哪些任务？", "--csv", "--input", SEED)
    assert code == 0
    assert err == (
        "dutygraph: note: 团委 read as 团市委 (without its level)\n"
        "dutygraph: ran shared-tasks units=团市委,市妇联 role=any\n" + INFERRED_NOTE
    )
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {
        "1",
        "2",
        "4",
        "5",
        "6",
        "7",
        "9",
        "10",
        "15",
    }


@pytest.mark.parametrize(
    ("question", "stderr"),
    [
        (
            "市教育局和市民政局负责哪些任务",
            "dutygraph: error: 市教育局和市民政局 names several units; for the tasks they share "
            "ask e.g. 市教育局和市民政局共同参与哪些任务？, or ask about one unit at a time\n",
        ),
        (
            "第八部分有哪些任务",
            "dutygraph: error: unknown section 8; sections are 一–七\n",
        ),
        ("第99项由谁牵头", "dutygraph: error: unknown task 99; tasks are 1–23\n"),
        (
            "市体育局配合哪些任务？",
            "dutygraph: error: unknown unit 市体育局; did you mean 市教育局?\n",
        ),
        (
            "what is the weather",
            "dutygraph: error: cannot tell which query answers: what is the weather; closest "
            "forms it understands: what are the deadlines? · which unit is the busiest? · "
            "what are the coordination gaps?; dutygraph ask --help lists them all\n",
        ),
    ],
)
def test_cli_refusals_are_one_line_exit_2(
    question: str, stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", question, "--input", SEED]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", stderr)


def test_cli_help_lists_every_form() -> None:
    code, out, _ = run("ask", "--help")
    assert code == 0
    for line in help_lines():
        assert line in out
    assert "负责 / responsible for / in charge of mean any role" in " ".join(out.split())
