"""``dutygraph diff OLD NEW``: what changed between two versions of a plan.

A thin wrapper over :func:`dutygraph.analysis.diff.compare_documents`: one row per change
(tasks added, removed or reworded with their match score; units gaining or losing a role; gaps
opened or closed), as a table, ``--json`` or ``--csv``. JSON and CSV carry every key of
:data:`~dutygraph.analysis.diff.COLUMNS`; the table leaves out the uids and the ``detail`` text.

>>> from click.testing import CliRunner
>>> from dutygraph import example_path
>>> result = CliRunner().invoke(diff_command, [example_path(), example_path(), "--json"])
>>> result.exit_code, result.output
(0, '[]\\n')
"""

from __future__ import annotations

import click

from dutygraph.analysis.diff import COLUMNS, THRESHOLD, compare_documents
from dutygraph.commands.options import (
    k_option,
    load_documents,
    output_options,
    strict_option,
)
from dutygraph.commands.output import emit_rows

__all__ = ["TABLE_COLUMNS", "diff_command", "register"]

#: The columns of the table view (JSON and CSV carry all of ``COLUMNS``).
TABLE_COLUMNS = tuple(c for c in COLUMNS if c not in ("detail", "old_uid", "new_uid"))


@click.command("diff")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option(
    "--aliases",
    type=click.Path(dir_okay=False),
    help="Extra aliases (CSV name,alias,kind or YAML), used for both sides.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=THRESHOLD,
    show_default=True,
    help="Minimum title/text similarity (0–1) for two tasks with different titles to be "
    "one task (reworded); below it they are removed and added.",
)
@k_option
@strict_option
@output_options
def diff_command(
    old: str,
    new: str,
    aliases: str | None,
    threshold: float,
    k: int,
    strict: bool,
    fmt: str,
) -> None:
    """Compare two plans (files or directories): tasks added, removed and reworded, units
    gaining or losing lead / support / responsible roles, coordination gaps opened and closed.

    Tasks are matched by title and text similarity (the score is shown), not by number; units
    are compared under their canonical names, so a name written through an alias is no change.

    Example: dutygraph diff plan2022.docx plan2023.docx --csv > changes.csv
    """
    result = compare_documents(
        load_documents([old], aliases, strict=strict),
        load_documents([new], aliases, strict=strict),
        threshold=threshold,
        k=k,
    )
    title = (
        f"Changes from {old} to {new} ({len(result.matches)} tasks matched, "
        f"{len(result.added)} added, {len(result.removed)} removed)"
    )
    columns = TABLE_COLUMNS if fmt == "table" else COLUMNS
    emit_rows(result.rows(), fmt, title=title, columns=columns)


def register(group: click.Group) -> None:
    """Add ``diff`` to the command group."""
    group.add_command(diff_command)
