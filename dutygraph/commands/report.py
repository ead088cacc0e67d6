"""``dutygraph report``: write the one-file leadership briefing (:mod:`dutygraph.views.report`).

Prints the path written. A wrong ``-o`` suffix is a usage error (exit 2), found before any input
is read.

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(report_command, ["-o", "report.pdf"])
>>> result.exit_code, "must end in .html" in result.output
(2, True)
"""

from __future__ import annotations

from pathlib import Path

import click

from dutygraph.commands.options import (
    Collectives,
    collective_options,
    gazetteer_from,
    k_option,
    load_documents,
    plan_options,
)

__all__ = ["register", "report_command"]

_SUFFIXES = (".html", ".htm")


def _html_path(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if Path(value).suffix.lower() not in _SUFFIXES:
        raise click.BadParameter(f"{value} must end in .html or .htm", ctx=ctx, param=param)
    return value


@click.command("report")
@plan_options
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    callback=_html_path,
    is_eager=True,
    help="Where to write the report (.html).",
)
@click.option("--title", help="The report's title (default: the document's title · 分工情况简报).")
@collective_options(default=True)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="How many units the load chart and table show.",
)
@k_option
@click.option("--no-map", is_flag=True, help="Leave the interactive map out (a smaller file).")
def report_command(
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str,
    title: str | None,
    collectives: Collectives,
    top: int,
    k: int,
    no_map: bool,
) -> None:
    """Write a one-file HTML briefing: what needs action first (tasks without a lead,
    overloaded units, gaps by plan), headline figures, a per-plan table for several plans, gaps
    with evidence, load chart, matrix and map. The file is self-contained and opens offline.

    Example: dutygraph report --input plan.docx -o report.html
    """
    from dutygraph.views.report import write_report

    docs = load_documents(inputs, aliases, strict=strict)
    gazetteer = gazetteer_from(aliases)
    path = write_report(
        output,
        docs,
        title=title,
        expand=collectives.expand,
        members=collectives.member_map(gazetteer),
        k=k,
        top=top,
        gazetteer=gazetteer,
        include_map=not no_map,
    )
    click.echo(str(path))


def register(group: click.Group) -> None:
    """Add ``report`` to the ``dutygraph`` command group."""
    group.add_command(report_command)
