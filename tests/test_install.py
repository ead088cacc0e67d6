"""What ``pip install dutygraph`` gives: every command that needs no server, and one clear line
(exit 2) naming the extra to install for the commands that need one."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Modules of the optional extras (and of the test tools): a core command must not need them.
OPTIONAL = ("neo4j", "pandas", "nbclient", "nbformat", "ipykernel", "jupyterlab", "playwright")

# Runs CLI commands with the optional modules made unimportable, as on a machine with only the
# core dependencies installed: one process for all of them, printing each one's exit code and
# stderr as a JSON list.
_BLOCKED_RUN = """
import contextlib, importlib.abc, io, json, sys
blocked = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
for name in list(sys.modules):
    if name.split(".")[0] in blocked:
        del sys.modules[name]
from dutygraph.cli import main
results = []
for args in json.loads(sys.argv[2]):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(args)
    results.append([code, err.getvalue()])
print(json.dumps(results, ensure_ascii=False))
"""


def run_without_extras(commands: list[list[str]], cwd: Path) -> list[tuple[int, str]]:
    """Each command's exit code and stderr, run where the optional modules cannot be imported."""
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKED_RUN, ",".join(OPTIONAL), json.dumps(commands)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [(code, err) for code, err in json.loads(done.stdout)]


def _distribution(requirement: str) -> str:
    name = requirement.split(";")[0]
    for stop in "<>=!~[ ":
        name = name.split(stop)[0]
    return name.strip().lower().replace("_", "-")


def _top_level_imports() -> set[str]:
    """Third-party modules imported by the package outside ``require()`` calls."""
    found: set[str] = set()
    for path in (ROOT / "dutygraph").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "dutygraph"}


def test_every_module_the_package_imports_is_a_core_dependency() -> None:
    core = {_distribution(r) for r in PYPROJECT["project"]["dependencies"]}
    dists = importlib.metadata.packages_distributions()
    missing = {}
    for module in _top_level_imports() - set(OPTIONAL):
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        # a module may come with a core dependency's own dependency (pdfminer with pdfplumber)
        provided_by_core = names & core or any(
            _distribution(req) in names
            for dist in core
            for req in (importlib.metadata.requires(dist) or [])
        )
        if not provided_by_core:
            missing[module] = sorted(names)
    assert missing == {}


def test_the_extras_say_what_they_add() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {_distribution(r) for r in extras["neo4j"]} == {"neo4j", "neo4j-rust-ext"}
    notebook = {_distribution(r) for r in extras["notebook"]}
    assert {"jupyterlab", "nbclient", "ipykernel", "pandas"} <= notebook


CORE_COMMANDS = [
    ["analyze", "--example", "-o", "map.html"],
    ["report", "--example", "-o", "report.html"],
    ["matrix", "--example", "-o", "m.xlsx"],
    ["map", "--example", "-o", "map2.html"],
    ["parse", "--example", "--json"],
    ["gaps", "--example"],
    ["export", "--example", "-o", "plan.gexf"],
]
NEO4J_COMMANDS = [
    ["push", "--example", "--password", "x"],
    ["cypher", "RETURN 1", "--password", "x"],
    ["tasks", "团市委", "--neo4j", "--password", "x"],
]


def test_without_the_extras_core_commands_run_and_neo4j_ones_name_the_extra(
    tmp_path: Path,
) -> None:
    results = run_without_extras(CORE_COMMANDS + NEO4J_COMMANDS, tmp_path)
    for args, (code, err) in zip(CORE_COMMANDS, results, strict=False):
        assert code == 0, (args, err)
        assert "internal error" not in err and "findfont" not in err, (args, err)
    for args, (code, err) in zip(NEO4J_COMMANDS, results[len(CORE_COMMANDS) :], strict=True):
        assert (code, err) == (
            2,
            "dutygraph: error: this command needs the Python package neo4j; "
            'install it with: pip install "dutygraph[neo4j]"\n',
        ), args
    assert (tmp_path / "m.xlsx").stat().st_size > 0 and (tmp_path / "report.html").exists()
