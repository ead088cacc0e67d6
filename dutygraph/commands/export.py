"""``dutygraph export``: write the graph for Gephi, Pajek, UCINET, a spreadsheet, or Neo4j's
offline importer.

A thin wrapper over :func:`dutygraph.views.export.export_graph`; the format follows the extension of
``-o`` (see :mod:`dutygraph.views.export`). It prints each path written, one a line (``.csv`` writes
two files). An unknown extension is a usage error (exit 2), found before any input is read.

``--format neo4j-import DIR`` writes instead the CSV files of ``neo4j-admin database import
full`` (:func:`dutygraph.loaders.bulk.write_import`): the graph ``push`` would write for the same
plans (collectives expanded by default, as ``push`` does). DIR is the last argument (or ``-o``).
It prints the files written and the commands that import them.

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(export_command, ["-o", "plan.png"])
>>> result.exit_code, "cannot export to .png" in result.output
(2, True)
"""

from __future__ import annotations

import shlex

import click

from dutygraph.commands.options import (
    Collectives,
    collective_options,
    gazetteer_from,
    input_options,
    load_graph,
)
from dutygraph.errors import InputError
from dutygraph.loaders.bulk import ImportExport, write_import
from dutygraph.views.export import EXPORT_FORMATS, export_format, export_graph

__all__ = ["export_command", "register"]

NEO4J_IMPORT = "neo4j-import"


def _check_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None or ctx.params.get("fmt") == NEO4J_IMPORT:
        return value
    try:
        export_format(value)
    except InputError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return value


@click.command("export")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice([NEO4J_IMPORT]),
    is_eager=True,
    help="neo4j-import: write the CSV files of Neo4j's offline importer into the folder DIR "
    "(the last argument, or -o), the graph push would write.",
)
@input_options
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    callback=_check_output,
    help=f"The file to write; its extension picks the format ({', '.join(EXPORT_FORMATS)}). "
    "With --format neo4j-import: the folder.",
)
@click.option(
    "--projection",
    is_flag=True,
    help="Write the unit–unit projection (weight: shared tasks) instead of the unit–task "
    "graph. .dl is always the projection.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --format neo4j-import: write into a folder that holds other files (they are "
    "kept). A previous export is replaced without it.",
)
@collective_options(default=None)
def export_command(
    paths: tuple[str, ...],
    fmt: str | None,
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str | None,
    projection: bool,
    force: bool,
    collectives: Collectives,
) -> None:
    """Export the graph of units and tasks: .graphml, .gexf (Gephi), .net (Pajek), .csv (nodes
    and edges files), .json (node-link) or .dl (UCINET, the unit–unit projection); collectives
    are kept unless --expand-collectives.

    With --format neo4j-import DIR: the files of Neo4j's offline importer (neo4j-admin
    database import full) for a first load of a large archive, collectives expanded unless
    --no-expand-collectives.

    Example: dutygraph export --input plan.docx -o plan.gexf

    Example: dutygraph export --format neo4j-import plans/ archive-import/
    """
    if fmt == NEO4J_IMPORT:
        _export_neo4j_import(paths, inputs, aliases, strict, output, projection, force, collectives)
        return
    if output is None:
        raise InputError("missing -o FILE", hint="or use --format neo4j-import DIR")
    if force:
        raise InputError("--force only goes with --format neo4j-import")
    graph = load_graph(paths + inputs, aliases, strict=strict)
    graph = collectives.decided(False).apply(graph, gazetteer_from(aliases))
    for path in export_graph(graph, output, projection=projection):
        click.echo(str(path))


def _export_neo4j_import(
    paths: tuple[str, ...],
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str | None,
    projection: bool,
    force: bool,
    collectives: Collectives,
) -> None:
    from dutygraph.commands.store import push_rows

    if projection:
        raise InputError("--projection does not go with --format neo4j-import")
    if output is None:
        if not paths:
            raise InputError(
                "--format neo4j-import needs the folder to write",
                hint="give it last: dutygraph export --format neo4j-import PLANS... DIR",
            )
        *plans, output = paths
        paths = tuple(plans)
    rows = push_rows(paths + inputs, aliases, strict, collectives.decided(True))
    done = write_import(rows, output, force=force)
    for path in done.files:
        click.echo(str(path))
    click.echo(_next_steps(done))


def _next_steps(done: ImportExport) -> str:
    """The commands that import an export: the bundled server's, then a user's own Neo4j's."""
    folder = shlex.quote(str(done.directory))
    schema = shlex.quote(str(done.directory / "schema.cypher"))
    nodes = sum(done.nodes.values())
    rels = sum(done.relationships.values())
    return "\n".join(
        [
            f"{nodes} nodes, {rels} relationships. Next, into the bundled Neo4j (replaces its "
            "database neo4j; no server running on that data folder):",
            f"  tools/neo4j/import --data tools/neo4j/data {folder}",
            f"  tools/neo4j/serve --data tools/neo4j/data --schema {schema}",
            "Or into your own Neo4j 5.26+ (stopped; database neo4j new, or add "
            "--overwrite-destination=true to replace it):",
            f"  {done.command('neo4j')}",
            "  then, once it runs, the constraints and indexes:",
            f"  cypher-shell -u neo4j -d neo4j -f {schema}",
        ]
    )


def register(group: click.Group) -> None:
    """Add ``export`` to the command group."""
    group.add_command(export_command)
