"""``dutygraph map`` and ``dutygraph matrix``: write the interactive map or the matrix.

Both print the path written. A wrong ``-o`` suffix is a usage error (exit 2), found before any
input is read.

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(map_command, ["-o", "map.png"])
>>> result.exit_code, "must end in .html" in result.output
(2, True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from dutygraph.commands.options import (
    Collectives,
    collective_options,
    gazetteer_from,
    input_options,
    load_graph,
)
from dutygraph.errors import InputError
from dutygraph.views.maps.layout import LAYOUT_THRESHOLD
from dutygraph.views.matrix import MATRIX_FORMATS

__all__ = ["map_command", "matrix_command", "register"]

_MAP_SUFFIXES = (".html", ".htm")
F = TypeVar("F", bound=Callable[..., Any])


def _roles(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    from dutygraph.views.maps.subset import parse_roles

    try:
        return parse_roles(value)
    except InputError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _output(suffixes: Sequence[str]) -> Callable[[F], F]:
    """``-o/--output PATH``, which must end in one of ``suffixes``."""

    def check(ctx: click.Context, param: click.Parameter, value: str) -> str:
        if Path(value).suffix.lower() not in suffixes:
            raise click.BadParameter(
                f"{value} must end in {' or '.join(suffixes)}", ctx=ctx, param=param
            )
        return value

    return click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False),
        callback=check,
        is_eager=True,
        help=f"The file to write ({', '.join(suffixes)}).",
    )


@click.command("map")
@input_options
@_output(_MAP_SUFFIXES)
@click.option("--title", help="The page's title (default: the document's title).")
@click.option("--unit", help="Draw the ego map of this unit (its name or an alias).")
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Ego map depth in hops: 1 = the unit and its tasks; 2 = also their other units.",
)
@click.option(
    "--section",
    "sections",
    multiple=True,
    help="Only the tasks of this section, by number (五), title or plan::number (repeatable).",
)
@click.option(
    "--role",
    "roles",
    callback=_roles,
    help="Only these roles, comma-separated: lead,support,responsible.",
)
@collective_options(default=False)
@click.option(
    "--layout-threshold",
    type=click.IntRange(min=1),
    default=LAYOUT_THRESHOLD,
    show_default=True,
    help="Above this many nodes, open on the unit overview (a plan's tasks open on demand).",
)
def map_command(
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str,
    title: str | None,
    unit: str | None,
    depth: int,
    sections: tuple[str, ...],
    roles: tuple[str, ...] | None,
    collectives: Collectives,
    layout_threshold: int,
) -> None:
    """Write an interactive map of units and tasks to one self-contained HTML file.

    Search a unit by name or alias (or a task by title), click a unit to highlight its tasks,
    filter by role, plan and section, hover for the clause each assignment comes from; the
    URL's hash keeps the view, a button exports a PNG. The file opens offline.

    Example: dutygraph map --input plan.txt -o map.html --section 五 --role lead,support
    """
    from dutygraph.views.maps import write_map

    graph = collectives.apply(load_graph(inputs, aliases, strict=strict), gazetteer_from(aliases))
    path = write_map(
        output,
        graph,
        title=title,
        unit=unit,
        depth=depth,
        section=list(sections) or None,
        roles=roles,
        gazetteer=gazetteer_from(aliases),
        layout_threshold=layout_threshold,
    )
    click.echo(str(path))


@click.command("matrix")
@input_options
@_output(MATRIX_FORMATS)
@click.option("--title", help="The title in the file (default: the document's title).")
@collective_options(default=False)
def matrix_command(
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str,
    title: str | None,
    collectives: Collectives,
) -> None:
    """Write the responsibility matrix (tasks × units, cells 牵 / 配 / 责) as .xlsx, .csv or .html.

    Units are ordered by load; tasks with a coordination gap are highlighted and say which.

    Example: dutygraph matrix --input plan.txt -o raci.xlsx
    """
    from dutygraph.views.matrix import write_matrix

    graph = collectives.apply(load_graph(inputs, aliases, strict=strict), gazetteer_from(aliases))
    click.echo(str(write_matrix(output, graph, title=title)))


def register(group: click.Group) -> None:
    """Add ``map`` and ``matrix`` to the ``dutygraph`` command group."""
    group.add_command(map_command)
    group.add_command(matrix_command)
