"""The package's shape: one home per concern, no import cycles, one label per gap kind, and
documentation that stands on its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from dutygraph.cli import cli
from dutygraph.queries.gaps import (
    FINDING_KINDS,
    GAP_KINDS,
    GAP_LABELS,
    RISK_KINDS,
    TASK_GAP_KINDS,
    gap_label,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dutygraph"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules ``path`` imports (at any depth: in-function imports count too)."""
    name = _module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(anchor[: len(anchor) - node.level + 1] + ([base] if base else []))
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules)
    # a package re-exporting its own modules, or a module importing its package, is no cycle
    return {t for t in found if not (t.startswith(name + ".") or name.startswith(t + "."))}


def import_cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module in the package's import graph."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: _imports(p, set(paths)) for m, p in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_the_package_has_no_import_cycles() -> None:
    assert import_cycles() == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "dutygraph"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from dutygraph import b\n")
    (pkg / "b.py").write_text("from dutygraph.a import f\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", pkg)
    assert import_cycles() == [["dutygraph.a", "dutygraph.b"]]


@pytest.mark.parametrize("kind", FINDING_KINDS)
def test_every_gap_kind_has_one_label(kind: str) -> None:
    assert gap_label(kind) == GAP_LABELS[kind]
    assert re.fullmatch(r"[\u4e00-\u9fff（）]+", gap_label(kind))


def test_labels_cover_exactly_the_kinds() -> None:
    assert set(GAP_LABELS) == set(FINDING_KINDS) == {*GAP_KINDS, *RISK_KINDS}
    assert set(TASK_GAP_KINDS) == set(GAP_KINDS) and not set(GAP_KINDS) & set(RISK_KINDS)


def test_an_unknown_gap_kind_is_an_error_not_a_raw_key() -> None:
    with pytest.raises(KeyError, match="unknown gap kind 'no-leed'"):
        gap_label("no-leed")


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module's code (docstrings and their examples left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and (body := node.body)
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_views_define_no_gap_labels_of_their_own() -> None:
    for path in (PACKAGE / "views").rglob("*.py"):
        for text in _code_strings(path):
            for label in GAP_LABELS.values():
                assert label not in text, f"{path} spells out the label {label}"


def test_every_command_module_is_registered_explicitly() -> None:
    defined = set()
    for path in (PACKAGE / "commands").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) == "click.command"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                defined.add(node.args[0].value)
    assert defined, "no click commands found"
    assert defined <= set(cli.commands), defined - set(cli.commands)
    assert all(isinstance(c, click.Command) for c in cli.commands.values())
    cli_source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    assert "importlib" not in cli_source


@pytest.mark.parametrize(
    "doc", ["README.md", *sorted(p.name for p in (ROOT / "docs").glob("*.md"))]
)
def test_documentation_stands_alone(doc: str) -> None:
    path = ROOT / doc if doc == "README.md" else ROOT / "docs" / doc
    text = path.read_text(encoding="utf-8")
    assert "../shared" not in text and "shared folder" not in text
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" not in target:
            assert (path.parent / target).exists(), f"{doc} links to a missing {target}"
