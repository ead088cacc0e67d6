"""Security properties that hold across the code base.

- Cypher reaches Neo4j only as literal text with ``$params``: every ``.run(...)`` and
  ``execute_query(...)`` call in the package takes a module-level string constant (or a
  catalog entry's ``cypher``), never a string built at run time.
- Document text in the catalog's and loader's Cypher travels as parameters only.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dutygraph.loaders import push as loader
from dutygraph.queries import catalog

PACKAGE = Path(__file__).resolve().parent.parent / "dutygraph"
CALLS = {"run", "execute_query"}


def module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    out: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                out[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            out[node.target.id] = node.value
    return out


def is_literal(node: ast.expr, constants: dict[str, ast.expr]) -> bool:
    """A str constant, implicit concatenation of constants, or a name bound to one; a dict of
    literals indexed by a key (``_CREATE_EDGES[rel]``); a catalog entry's ``spec.cypher``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Name) and node.id in constants:
        return is_literal(constants[node.id], constants)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        table = constants.get(node.value.id)
        return isinstance(table, ast.Dict) and all(
            v is not None and is_literal(v, constants) for v in table.values
        )
    if isinstance(node, ast.Attribute) and node.attr == "cypher":
        return True
    if isinstance(node, ast.Name) and node.id in {"query", "statement"}:
        return False
    return False


def cypher_calls() -> list[tuple[Path, ast.Call, dict[str, ast.expr]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        constants = module_constants(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CALLS
                and node.args
                and ("neo4j" in path.name or path.parent.name == "loaders" or "driver" in source)
            ):
                found.append((path, node, constants))
    return found


def test_there_are_cypher_calls_to_check() -> None:
    assert len(cypher_calls()) >= 5


@pytest.mark.parametrize(
    ("path", "call", "constants"),
    cypher_calls(),
    ids=lambda v: f"{v.name}" if isinstance(v, Path) else "",
)
def test_every_cypher_call_takes_literal_text(
    path: Path, call: ast.Call, constants: dict[str, ast.expr]
) -> None:
    first = call.args[0]
    # `dutygraph cypher` forwards the user's own query text on purpose (READ access only).
    if path.name == "store.py" and path.parent.name == "commands":
        return
    # the constraint loop runs each element of the literal tuple CONSTRAINTS
    if isinstance(first, ast.Name) and first.id == "statement":
        assert "CONSTRAINTS" in constants
        return
    if isinstance(first, ast.Name) and first.id == "query":
        # queries/run_neo4j.py's _read(query=...) is called with module constants or spec.cypher
        return
    # _read_packed: EXPLAIN of that same text, and the text wrapped by packed() (whose only
    # additions are the column identifiers the server reported: see the test below)
    if isinstance(first, ast.JoinedStr) and path.name == "run_neo4j.py":
        parts = first.values
        assert [type(v) for v in parts] == [ast.Constant, ast.FormattedValue], ast.dump(first)
        assert parts[0].value == "EXPLAIN " and ast.unparse(parts[1].value) == "query"
        return
    if isinstance(first, ast.Call) and ast.unparse(first.func) == "packed":
        assert ast.unparse(first.args[0]) == "query"
        return
    assert is_literal(first, constants), f"{path}:{call.lineno}: Cypher built at run time"


def test_loader_and_catalog_cypher_use_parameters_only() -> None:
    texts = [*loader.CONSTRAINTS, *loader._CREATE_EDGES.values()]
    texts += [v for k, v in vars(loader).items() if k.startswith("_") and isinstance(v, str)]
    texts += [spec.cypher for spec in catalog()]
    for text in texts:
        assert "{}" not in text and "%s" not in text and "{0}" not in text
        # values are never inlined: the only non-ASCII literal is the list separator 、
        for literal in re.findall(r"'([^']*)'", text):
            assert literal.isascii() or literal == "、", literal


def test_packed_queries_add_identifiers_only() -> None:
    from dutygraph.queries.run_neo4j import packed

    assert packed("RETURN 1 AS x", ["x"]).endswith("RETURN collect([x]) AS rows")
    for column in ("x]) AS rows MATCH (n) DETACH DELETE n //", "a b", "名字", ""):
        with pytest.raises(ValueError, match="not an identifier"):
            packed("RETURN 1 AS x", [column])
