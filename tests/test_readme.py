"""The README's commands run as written: every fenced ``bash`` block, line by line, in a fresh
folder, with the ``dutygraph`` the package installs (the Python block too, and the ``text``
block's output is the one shown).

Left out on purpose, and why: ``pip install …`` (the tests run inside that installation),
``bash scripts/test`` (this suite) and ``tools/neo4j/serve … &`` (the Neo4j block runs against
the server the test session starts, through the same ``NEO4J_*`` variables).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.neo4j_server import Neo4jServer

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIPPED = (r"^pip install\b", r"^bash scripts/test\b", r"^tools/neo4j/serve\b")


def blocks(language: str) -> list[tuple[str, str]]:
    """``(heading, code)`` of every fenced block in ``language``, in order."""
    text = README.read_text(encoding="utf-8")
    found = []
    for m in re.finditer(rf"```{language}\n(.*?)```", text, re.S):
        heading = re.findall(r"^#+ (.+)$", text[: m.start()], re.M)[-1]
        found.append((heading, m.group(1)))
    return found


def runnable(code: str) -> list[str]:
    """The lines of a bash block to run: the skipped commands taken out of ``a && b`` chains."""
    lines = []
    for line in code.splitlines():
        parts = [p.strip() for p in line.split(" && ")]
        kept = [p for p in parts if p and not any(re.match(s, p) for s in SKIPPED)]
        if kept:
            lines.append(" && ".join(kept))
    return lines


BASH = [(heading, code) for heading, code in blocks("bash")]
SETUP = next(code for _, code in BASH if "dutygraph example -o plan.txt" in code)


def dutygraph_on_path() -> str:
    found = shutil.which("dutygraph")
    assert found, "the dutygraph console script is not installed (pip install -e .)"
    return str(Path(found).parent)


#: Shell syntax that needs bash; a plain ``dutygraph …`` line runs in this process (as the
#: console script would, with the shell's word splitting), which spares a Python start per line.
_SHELL = re.compile(r"[|<>&;$`*?]")


def run_block(code: str, folder: Path, env: dict[str, str] | None = None) -> None:
    """Run the block's lines in ``folder`` (after the files the setup block makes), failing on
    the first line that exits non-zero and naming it. Output goes to out.log and err.log."""
    from dutygraph.cli import main

    # the files the README makes for the blocks after it (plan.txt, plans/, my-aliases.csv)
    makes = [ln for ln in runnable(SETUP) if not ln.startswith("dutygraph ") or " example " in ln]
    lines = runnable(code) if code is SETUP else makes + runnable(code)
    variables = {"PATH": dutygraph_on_path() + os.pathsep + os.environ["PATH"], **(env or {})}
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        os.chdir(folder)
        os.environ.update(variables)
        for line in lines:
            if m := re.fullmatch(r"export ((?:\w+=\S+ ?)+)", line):
                os.environ.update(pair.split("=", 1) for pair in m.group(1).split())
                continue
            out, err = io.StringIO(), io.StringIO()
            command = re.sub(r"\s+#\s.*$", "", line)  # the README's comments: "  # …"
            if command.startswith("dutygraph ") and not _SHELL.search(command):
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code_ = main(shlex.split(command)[1:])
            else:
                done = subprocess.run(
                    ["bash", "-c", line], capture_output=True, text=True, timeout=600, check=False
                )
                code_, _ = done.returncode, (out.write(done.stdout), err.write(done.stderr))
            with (
                open("out.log", "a", encoding="utf-8") as o,
                open("err.log", "a", encoding="utf-8") as e,
            ):
                o.write(out.getvalue())
                e.write(err.getvalue())
            assert code_ == 0, f"{line} failed ({code_}):\n{err.getvalue()[-2000:]}"
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


PLAIN = [(h, c) for h, c in BASH if "NEO4J_URI" not in c and runnable(c)]


def test_every_bash_block_is_run() -> None:
    # the blocks left out: `bash scripts/test` (this suite) and the Neo4j block (below)
    left = [c.strip() for h, c in BASH if (h, c) not in PLAIN]
    assert left[0] == "bash scripts/test" and "NEO4J_URI" in left[1] and len(left) == 2


@pytest.mark.parametrize(("heading", "code"), PLAIN, ids=[h for h, _ in PLAIN])
def test_bash_block_runs_as_written(heading: str, code: str, tmp_path: Path) -> None:
    run_block(code, tmp_path)


@pytest.mark.neo4j
def test_neo4j_block_runs_as_written(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    (code,) = [c for _, c in BASH if "NEO4J_URI" in c]
    env = {
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USERNAME": neo4j_server.user,
        "NEO4J_PASSWORD": neo4j_server.password,
    }
    # the block's own `export NEO4J_…` names the server it starts; point it at the session's
    code = "\n".join(ln for ln in code.splitlines() if not ln.startswith("export NEO4J_"))
    run_block(code, tmp_path, env)
    out = (tmp_path / "out.log").read_text(encoding="utf-8")
    pushed = json.loads(next(ln for ln in out.splitlines() if ln.startswith('{"documents"')))
    assert pushed["documents"] == 1 and pushed["relationships_created"] > 121


def test_the_main_job_command(tmp_path: Path) -> None:
    (heading, first), *_ = BASH
    install, job = first.strip().split(" && ")
    assert job == "dutygraph analyze --example -o map.html"
    assert heading == "Two commands" and install == "pip install -e ."
    run_block(first, tmp_path)
    out = (tmp_path / "out.log").read_text(encoding="utf-8")
    assert "23 tasks, 31 units, 121 assignments; 8 tasks (35%) have no lead." in out
    assert "Coordination gaps" in out and "Load ranking" in out
    assert (tmp_path / "map.html").stat().st_size > 100_000


def test_the_test_command_is_what_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    assert "```bash\nbash scripts/test\n```" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in ci


def test_the_python_block_runs(tmp_path: Path) -> None:
    ((_, code),) = blocks("python")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_strict_example_shows_the_real_message(tmp_path: Path) -> None:
    ((_, shown),) = [b for b in blocks("text") if "--strict" in b[1]]
    command, message = shown.strip().splitlines()
    run_block("mkdir -p plans", tmp_path)
    done = subprocess.run(
        ["bash", "-c", command.removeprefix("$ ")],
        cwd=tmp_path,
        env={**os.environ, "PATH": dutygraph_on_path() + os.pathsep + os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == message


def test_every_command_of_the_cli_appears_in_the_readme() -> None:
    from dutygraph.cli import cli

    text = README.read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"dutygraph {name}" not in text]
    assert missing == []
