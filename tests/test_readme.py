"""The README's commands run as written (on the bundled example)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from dutygraph import example_path
from dutygraph.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def commands(heading: str) -> list[str]:
    """The ``dutygraph …`` lines of the first bash block after ``heading``."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    lines = [ln.split("  #")[0].strip() for ln in block.group(1).splitlines()]
    return [ln for ln in lines if ln.startswith("dutygraph ")]


def run(line: str, tmp_path: Path) -> int:
    args = shlex.split(line)[1:]
    plans = ("plan.txt", "plan2022.txt", "plan2023.txt")
    args = [example_path() if a in plans else a for a in args]
    outputs = (".html", ".xlsx", ".csv", ".gexf", ".graphml", ".dl")
    args = [str(tmp_path / a) if a.endswith(outputs) else a for a in args]
    return main(args)


def test_the_main_job_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)\n```", text, re.S)
    assert first is not None
    install, job = first.group(1).split(" && ")
    assert install == "pip install -e ."
    assert run(job, tmp_path) == 0
    out = capsys.readouterr().out
    assert "23 tasks, 31 units, 121 assignments; 8 tasks (35%) have no lead." in out
    assert "Coordination gaps" in out and "Load ranking" in out
    assert (tmp_path / "map.html").stat().st_size > 100_000


def test_the_test_command_is_what_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    assert "```bash\nbash scripts/test\n```" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in ci


@pytest.mark.parametrize("line", commands("### Questions"))
def test_question_commands(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DUTYGRAPH_INPUT", example_path())
    assert run(line, tmp_path) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip()


@pytest.mark.parametrize("line", commands("### Maps and the matrix"))
def test_map_commands(line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(line, tmp_path) == 0, capsys.readouterr().err
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert written.exists() and written.stat().st_size > 0


@pytest.mark.parametrize("line", commands("### Reports, comparisons, exports"))
def test_report_diff_export_commands(
    line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(line, tmp_path) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    if " -o " in line:
        for written in out.strip().splitlines():
            assert Path(written).stat().st_size > 0
