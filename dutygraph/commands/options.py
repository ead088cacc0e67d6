"""Option bundles shared by the commands, and the small glue they all need.

``input_options`` adds ``--input PATH`` (repeatable; ``DUTYGRAPH_INPUT`` when absent),
``--aliases FILE`` and ``--strict``; ``output_options`` adds ``--json`` / ``--csv`` (a table by
default).

Exit codes are set here too: :func:`report_errors` records the code of each error it prints
(:func:`fail`), and the command group exits with the highest one once the command is done —
2 when an input was unusable, 1 when the run failed otherwise (``--strict`` warnings).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import networkx as nx

from dutygraph.errors import DutygraphError, InputError
from dutygraph.extract.workplan import read_workplans
from dutygraph.graph.build import build_graph
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import Document

__all__ = [
    "EXIT_CODE",
    "collective_options",
    "expanded",
    "fail",
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
    "strict_option",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Where a command records the exit code of a run that went on past a failure.
EXIT_CODE = "dutygraph.exit_code"

#: ``--strict``, the same on every command that reads plans (the command receives ``strict``).
strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Treat parse warnings as failures: a plan with warnings is named on stderr and left "
    "out, the others are still used; exit code 1.",
)


def input_options(func: F) -> F:
    """``--input PATH`` (repeatable, files or directories), ``--aliases FILE`` and
    ``--strict``."""
    func = strict_option(func)
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


def fail(code: int) -> None:
    """Record that the run failed with exit ``code`` while it goes on; the ``dutygraph`` group
    exits with the highest code recorded once the command is done."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        meta = ctx.find_root().meta
        meta[EXIT_CODE] = max(meta.get(EXIT_CODE, 0), code)


def report_errors(errors: Sequence[DutygraphError]) -> None:
    """Print one line per unusable file on stderr and record the exit code (with ``--debug``,
    raise the first)."""
    ctx = click.get_current_context(silent=True)
    if errors and ctx is not None and ctx.find_root().params.get("debug"):
        raise errors[0]
    for err in errors:
        click.echo(f"dutygraph: error: {err}", err=True)
        fail(err.exit_code)


def load_documents(
    inputs: Sequence[str], aliases: str | None, *, strict: bool = False
) -> list[Document]:
    """Read the plans named by ``--input`` (or ``$DUTYGRAPH_INPUT``).

    Bad files — and with ``strict`` files with parse warnings — are reported on stderr, one
    line each, and left out; the exit code says so (:func:`fail`). When none is left, the run
    stops there with that exit code.
    """
    paths = list(inputs) or [
        p for p in os.environ.get("DUTYGRAPH_INPUT", "").split(os.pathsep) if p
    ]
    if not paths:
        raise InputError("no input", hint="give --input PATH or set DUTYGRAPH_INPUT")
    batch = read_workplans(paths, gazetteer_from(aliases), strict=strict)
    report_errors(batch.errors)
    if not batch.documents:
        if not batch.errors:
            raise InputError("no documents read", hint="check the paths")
        raise click.exceptions.Exit(max(err.exit_code for err in batch.errors))
    return batch.documents


def load_graph(
    inputs: Sequence[str], aliases: str | None, *, strict: bool = False
) -> nx.MultiDiGraph:
    """The graph of the plans named by ``--input`` (read as :func:`load_documents` does)."""
    return build_graph(load_documents(inputs, aliases, strict=strict))


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
    paths: Sequence[str],
    inputs: Sequence[str],
    example: bool,
    aliases: str | None,
    *,
    strict: bool = False,
) -> list[Document]:
    """The documents named by ``PATHS``, ``--input`` and ``--example`` (as
    :func:`load_documents` reads them)."""
    from dutygraph.extract.workplan import example_path

    paths = [*paths, *inputs, *([example_path()] if example else [])]
    return load_documents(paths, aliases, strict=strict)


#: ``--k``: how many responsible units, with no lead, make a task diffuse (the gaps query's k).
k_option = click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Responsible units (with no lead) that make a task diffuse.",
)
