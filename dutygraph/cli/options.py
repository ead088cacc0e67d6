"""Option bundles shared by the commands, and the small glue they all need.

``input_options`` adds ``--input PATH`` (repeatable; ``DUTYGRAPH_INPUT`` when absent) and
``--aliases FILE``; ``output_options`` adds ``--json`` / ``--csv`` (a table by default).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import networkx as nx

from dutygraph.errors import DutygraphError, InputError
from dutygraph.graph.build import build_graph
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import Document
from dutygraph.loaders.workplan import read_workplans

__all__ = [
    "collective_options",
    "expanded",
    "gazetteer_from",
    "input_options",
    "k_option",
    "load_documents",
    "load_graph",
    "output_format",
    "output_options",
    "plan_documents",
    "plan_options",
    "report_errors",
]

F = TypeVar("F", bound=Callable[..., Any])


def input_options(func: F) -> F:
    """``--input PATH`` (repeatable, files or directories) and ``--aliases FILE``."""
    func = click.option(
        "--aliases",
        type=click.Path(dir_okay=False),
        help="Extra aliases: a CSV (name,alias,kind) or YAML file like the shipped gazetteer.",
    )(func)
    func = click.option(
        "--input",
        "inputs",
        multiple=True,
        type=click.Path(),
        help="A plan file or a directory of plans (repeatable). Default: $DUTYGRAPH_INPUT.",
    )(func)
    return func


def output_options(func: F) -> F:
    """``--json`` and ``--csv``; without either, a table."""
    func = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(func)
    func = click.option("--json", "as_json", is_flag=True, help="Print a JSON array of rows.")(func)
    return func


def output_format(as_json: bool, as_csv: bool) -> str:
    """The format the flags ask for; both at once is a usage error."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    return "json" if as_json else "csv" if as_csv else "table"


def gazetteer_from(aliases: str | None) -> Gazetteer:
    """The shipped gazetteer, extended by the user's alias file when given."""
    gaz = Gazetteer.default()
    return gaz.with_alias_file(aliases) if aliases else gaz


def report_errors(errors: Sequence[DutygraphError]) -> None:
    """Print one line per unusable file on stderr (with ``--debug``, raise the first)."""
    ctx = click.get_current_context(silent=True)
    if errors and ctx is not None and ctx.find_root().params.get("debug"):
        raise errors[0]
    for err in errors:
        click.echo(f"dutygraph: error: {err}", err=True)


def load_documents(
    inputs: Sequence[str], aliases: str | None, *, strict: bool = False
) -> list[Document]:
    """Read the plans named by ``--input`` (or ``$DUTYGRAPH_INPUT``).

    Bad files are reported on stderr and skipped; when none is usable the first error is
    raised. The exit status then says something failed: see :func:`dutygraph.cli.main`.
    """
    paths = list(inputs) or [
        p for p in os.environ.get("DUTYGRAPH_INPUT", "").split(os.pathsep) if p
    ]
    if not paths:
        raise InputError("no input", hint="give --input PATH or set DUTYGRAPH_INPUT")
    batch = read_workplans(paths, gazetteer_from(aliases))
    if not batch.documents:
        report_errors(batch.errors[1:])  # the first is raised, and printed once by main()
        raise batch.errors[0] if batch.errors else InputError("no documents read")
    report_errors(batch.errors)
    if batch.errors:
        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            ctx.find_root().meta["dutygraph.failed"] = True
    if strict:
        for doc in batch.documents:
            if doc.warnings:
                w = doc.warnings[0]
                raise InputError(f"{w.code}: {w.message}", path=doc.source, hint="--strict is on")
    return batch.documents


def load_graph(inputs: Sequence[str], aliases: str | None) -> nx.MultiDiGraph:
    """The graph of the plans named by ``--input``."""
    return build_graph(load_documents(inputs, aliases))


def collective_options(default: bool) -> Callable[[F], F]:
    """``--expand-collectives/--no-expand-collectives`` (on or off by default) and
    ``--members FILE``; the command receives ``expand`` and ``members``."""

    def decorate(func: F) -> F:
        func = click.option(
            "--members",
            type=click.Path(dir_okay=False),
            help="Members of collectives: YAML (collective: [units]) or CSV (collective,unit). "
            "Default: inferred, every unit the documents name.",
        )(func)
        return click.option(
            "--expand-collectives/--no-expand-collectives",
            "expand",
            default=default,
            show_default=True,
            help="Expand collectives such as 未保委成员单位 into member units (rows marked via).",
        )(func)

    return decorate


def expanded(
    graph: nx.MultiDiGraph, expand: bool, members: str | None, aliases: str | None
) -> nx.MultiDiGraph:
    """The graph with collectives expanded when asked (members from ``members`` or inferred)."""
    if members and not expand:
        raise click.UsageError("--members needs --expand-collectives")
    if not expand:
        return graph
    from dutygraph.graph.collectives import expand_collectives, load_members

    if members:
        stated = load_members(members, gazetteer_from(aliases))
        return expand_collectives(graph, stated, source=f"file:{members}")
    return expand_collectives(graph)


def plan_options(func: F) -> F:
    """``PATHS...`` (files or directories), ``--input``/``--aliases``, and ``--example`` (the
    bundled plan); read them with :func:`plan_documents`."""
    func = click.option(
        "--example", is_flag=True, help="Use the bundled example plan (安顺市2023)."
    )(func)
    func = input_options(func)
    return click.argument("paths", nargs=-1, type=click.Path())(func)


def plan_documents(
    paths: Sequence[str], inputs: Sequence[str], example: bool, aliases: str | None
) -> list[Document]:
    """The documents named by ``PATHS``, ``--input`` and ``--example`` (as
    :func:`load_documents` reads them)."""
    from dutygraph.loaders.workplan import example_path

    return load_documents([*paths, *inputs, *([example_path()] if example else [])], aliases)


#: ``--k``: how many responsible units, with no lead, make a task diffuse (the gaps query's k).
k_option = click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Responsible units (with no lead) that make a task diffuse.",
)
