"""Helpers the tests share: the bundled example's path and text, and running the CLI.

Fixtures built on them (``seed_doc``, ``seed_graph``) live in ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dutygraph import example_path
from dutygraph.cli import cli

__all__ = ["SEED", "SEED_TEXT", "run_cli"]

#: The bundled example plan (安顺市2023年度未成年人保护工作要点: 23 tasks, 121 assignments).
SEED = example_path()
SEED_TEXT = Path(SEED).read_text(encoding="utf-8")


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``dutygraph ARGS`` in-process: exit code, stdout and stderr.

    Errors the CLI does not turn into a message (bugs) propagate, so a test shows the traceback.
    """
    result = CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
