"""The analyst's notebook runs top to bottom on a fresh kernel, and is committed without outputs.

It runs once, against the test Neo4j when there is one (its Neo4j section then checks that the
store answers as the in-memory graph does); without Neo4j — and without
``DUTYGRAPH_REQUIRE_NEO4J=1`` — it runs with that section skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
GLYPH_WARNINGS = ("missing from font", "Glyph", "findfont")


def test_committed_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10
    assert [(i, c.outputs, c.execution_count) for i, c in enumerate(code)] == [
        (i, [], None) for i in range(len(code))
    ]
    assert nb.metadata.kernelspec.name == "python3"
    assert "widgets" not in nb.metadata


def test_notebook_uses_the_public_api_only() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    imports = [line.strip() for line in source.splitlines() if "import " in line]
    private = [line for line in imports if "._" in line or "import _" in line]
    assert private == []
    assert "from tests" not in source


def _kernel_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """``python3``, installing ipykernel's spec for this interpreter in a temporary folder
    when Jupyter knows no such kernel."""
    from jupyter_client.kernelspec import find_kernel_specs

    if "python3" not in find_kernel_specs():
        from ipykernel.kernelspec import install

        install(prefix=str(tmp_path / "jupyter"))
        monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter" / "share" / "jupyter"))
    return "python3"


def _neo4j(request: pytest.FixtureRequest) -> Any:
    """The test Neo4j (emptied), or ``None`` when there is none and none is required."""
    try:
        request.getfixturevalue("empty_neo4j")
        return request.getfixturevalue("neo4j_server")
    except pytest.skip.Exception:
        return None


def _streams(cell: Any) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def test_notebook_runs_top_to_bottom(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from nbclient import NotebookClient

    server = _neo4j(request)
    if server is None:
        monkeypatch.delenv("NEO4J_URI", raising=False)
    else:
        monkeypatch.setenv("NEO4J_URI", server.uri)
        monkeypatch.setenv("NEO4J_USERNAME", server.user)
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)
        if server.database:
            monkeypatch.setenv("NEO4J_DATABASE", server.database)
    monkeypatch.setenv("PYTHONWARNINGS", "default")  # every warning reaches the outputs
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name=_kernel_name(monkeypatch, tmp_path),
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    streams = "".join(_streams(c) for c in code)
    assert not [w for w in GLYPH_WARNINGS if w in streams], streams

    (chart,) = [c for c in code if "chart" in c.metadata.get("tags", [])]
    images = [o for o in chart.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1 and len(images[0]["data"]["image/png"]) > 10_000
    labels = _streams(chart)
    assert labels.startswith("chart labels: 市教育局、市民政局、")
    assert "团市委" in labels and "□" not in labels

    text = "\n".join(_streams(c) for c in code)
    assert "23 tasks, 31 units, 121 assignments; 8 tasks (35%) have no lead" in text
    assert "a group of 2 units: 未保委办公室、未保委成员单位" in text
    html = "".join(o["data"].get("text/html", "") for c in code for o in c.outputs if "data" in o)
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in html and "健全法规政策" in html

    (neo4j,) = [c for c in code if "neo4j" in c.metadata.get("tags", [])]
    out = _streams(neo4j)
    if server is None:
        assert out == "Neo4j section skipped: NEO4J_URI is not set.\n"
    else:
        assert "Neo4j rows equal the in-memory rows: True" in out, out
        table = "".join(o["data"]["text/html"] for o in neo4j.outputs if "data" in o)
        for query in ("tasks-of", "gaps", "overload"):
            assert query in table
        assert "False" not in table
    print(f"notebook ran on {sys.executable} with Neo4j: {server is not None}")
