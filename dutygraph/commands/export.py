"""``dutygraph export``: write the graph for Gephi, Pajek, UCINET or a spreadsheet.

A thin wrapper over :func:`dutygraph.views.export.export_graph`; the format follows the extension of
``-o`` (see :mod:`dutygraph.views.export`). It prints each path written, one a line (``.csv`` writes
two files). An unknown extension is a usage error (exit 2), found before any input is read.

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(export_command, ["-o", "plan.png"])
>>> result.exit_code, "cannot export to .png" in result.output
(2, True)
"""

from __future__ import annotations

import click

from dutygraph.commands.options import (
    Collectives,
    collective_options,
    gazetteer_from,
    input_options,
    load_graph,
)
from dutygraph.errors import InputError
from dutygraph.views.export import EXPORT_FORMATS, export_format, export_graph

__all__ = ["export_command", "register"]


def _check_output(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        export_format(value)
    except InputError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return value


@click.command("export")
@input_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    callback=_check_output,
    is_eager=True,
    help=f"The file to write; its extension picks the format ({', '.join(EXPORT_FORMATS)}).",
)
@click.option(
    "--projection",
    is_flag=True,
    help="Write the unit–unit projection (weight: shared tasks) instead of the unit–task "
    "graph. .dl is always the projection.",
)
@collective_options(default=False)
def export_command(
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str,
    projection: bool,
    collectives: Collectives,
) -> None:
    """Export the graph of units and tasks: .graphml, .gexf (Gephi), .net (Pajek), .csv (nodes
    and edges files), .json (node-link) or .dl (UCINET, the unit–unit projection).

    Example: dutygraph export --input plan.docx -o plan.gexf
    """
    graph = load_graph(inputs, aliases, strict=strict)
    graph = collectives.apply(graph, gazetteer_from(aliases))
    for path in export_graph(graph, output, projection=projection):
        click.echo(str(path))


def register(group: click.Group) -> None:
    """Add ``export`` to the command group."""
    group.add_command(export_command)
