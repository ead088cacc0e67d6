"""Option bundles shared by the commands, and the small glue they all need.

``input_options`` adds ``--input PATH`` (repeatable; ``DUTYGRAPH_INPUT`` when absent),
``--aliases FILE`` and ``--strict``; ``output_options`` adds ``--json`` / ``--csv`` (a table by
default).

Exit codes are set here too: :func:`report_errors` records the code of each error it prints
(:func:`fail`), and the command group exits with the highest one once the command is done —
2 when an input was unusable, 1 when the run failed otherwise (``--strict`` warnings).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast, overload

import click
import networkx as nx

from dutygraph.errors import DutygraphError, InputError
from dutygraph.extract.workplan import read_workplans
from dutygraph.graph.build import build_graph
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import Document

__all__ = [
    "EXIT_CODE",
    "Collectives",
    "collective_options",
    "fail",
    "gazetteer_from",
    "input_options",
    "input_paths",
    "k_option",
    "load_documents",
    "load_graph",
    "output_format",
    "output_options",
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
    """``--input PATH`` (repeatable, files or directories), ``--example`` (the bundled plan),
    ``--aliases FILE`` and ``--strict``. The command receives ``inputs`` (the bundled plan's
    path added when ``--example`` is given), ``aliases`` and ``strict``.

    >>> @click.command()
    ... @input_options
    ... def show(inputs: tuple[str, ...], aliases: str | None, strict: bool) -> None:
    ...     click.echo(len(inputs))
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(show, ["--example", "--input", "plan.txt"]).output
    '2\\n'
    """

    @functools.wraps(func)
    def wrapper(*args: Any, inputs: tuple[str, ...], example: bool, **kwargs: Any) -> Any:
        if example:
            from dutygraph.extract.workplan import example_path

            inputs = (*inputs, example_path())
        return func(*args, inputs=inputs, **kwargs)

    decorated: Any = strict_option(wrapper)
    decorated = click.option(
        "--aliases",
        type=click.Path(dir_okay=False),
        help="Extra aliases: a CSV (name,alias,kind) or YAML file like the shipped gazetteer.",
    )(decorated)
    decorated = click.option(
        "--example", is_flag=True, help="Use the bundled example plan (安顺市2023)."
    )(decorated)
    decorated = click.option(
        "--input",
        "inputs",
        multiple=True,
        type=click.Path(),
        help="A plan file or a directory of plans (repeatable). Default: $DUTYGRAPH_INPUT.",
    )(decorated)
    return cast(F, decorated)


@overload
def output_options(func: F) -> F: ...
@overload
def output_options(*, csv: bool = True) -> Callable[[F], F]: ...
def output_options(func: F | None = None, *, csv: bool = True) -> F | Callable[[F], F]:
    """``--json`` (and ``--csv`` unless ``csv=False``); the command receives ``fmt``:
    ``"table"`` (the default, readable on a terminal), ``"json"`` or ``"csv"``.

    Used bare (``@output_options``) or with arguments (``@output_options(csv=False)``) by every
    command that prints rows or counts, so the flags mean the same everywhere.

    >>> @click.command()
    ... @output_options
    ... def rows(fmt: str) -> None:
    ...     click.echo(fmt)
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(rows, ["--csv"]).output, CliRunner().invoke(rows, []).output
    ('csv\\n', 'table\\n')
    """

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, as_json: bool, as_csv: bool = False, **kwargs: Any) -> Any:
            return f(*args, fmt=output_format(as_json, as_csv), **kwargs)

        decorated: Any = wrapper
        if csv:
            decorated = click.option(
                "--csv", "as_csv", is_flag=True, help="Print CSV with a header row."
            )(decorated)
        return cast(
            F, click.option("--json", "as_json", is_flag=True, help="Print JSON.")(decorated)
        )

    return decorate(func) if func is not None else decorate


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


def input_paths(inputs: Sequence[str]) -> list[str]:
    """The plans to read: ``inputs``, else ``$DUTYGRAPH_INPUT`` (``os.pathsep``-separated).

    >>> input_paths(["a.txt"])
    ['a.txt']
    """
    paths = list(inputs) or [
        p for p in os.environ.get("DUTYGRAPH_INPUT", "").split(os.pathsep) if p
    ]
    if not paths:
        raise InputError(
            "no input",
            hint="give --input PATH or set DUTYGRAPH_INPUT (--example reads the bundled plan)",
        )
    return paths


def load_documents(
    inputs: Sequence[str], aliases: str | None, *, strict: bool = False
) -> list[Document]:
    """Read the plans named by ``--input`` (or ``$DUTYGRAPH_INPUT``).

    Bad files — and with ``strict`` files with parse warnings — are reported on stderr, one
    line each, and left out; the exit code says so (:func:`fail`). When none is left, the run
    stops there with that exit code.
    """
    batch = read_workplans(input_paths(inputs), gazetteer_from(aliases), strict=strict)
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


@dataclass(frozen=True)
class Collectives:
    """What ``--expand-collectives`` and ``--members`` asked for, checked once.

    >>> Collectives(expand=False).apply(nx.MultiDiGraph(), Gazetteer.default()).number_of_nodes()
    0
    """

    expand: bool
    members: str | None = None
    #: Whether ``expand`` was given; when not, the command may decide (:meth:`decided`).
    explicit: bool = True

    def decided(self, default: bool) -> Collectives:
        """These choices, with ``default`` where expansion was neither asked nor refused.

        >>> Collectives(False, explicit=False).decided(True).expand
        True
        """
        expand = self.expand if self.explicit else default
        if self.members and not expand:
            raise click.UsageError("--members needs --expand-collectives")
        return Collectives(expand, self.members)

    def member_map(self, gazetteer: Gazetteer) -> dict[str, list[str]] | None:
        """The members stated in ``--members`` (``None``: inferred from the documents)."""
        from dutygraph.graph.collectives import load_members

        return load_members(self.members, gazetteer) if self.members else None

    def apply(self, graph: nx.MultiDiGraph, gazetteer: Gazetteer) -> nx.MultiDiGraph:
        """The graph with collectives expanded when asked (members stated or inferred)."""
        if not self.expand:
            return graph
        from dutygraph.graph.collectives import expand_collectives

        if self.members:
            stated = self.member_map(gazetteer)
            return expand_collectives(graph, stated, source=f"file:{self.members}")
        return expand_collectives(graph)


def collective_options(default: bool | None) -> Callable[[F], F]:
    """``--expand-collectives/--no-expand-collectives`` (on or off by default) and
    ``--members FILE``; the command receives ``collectives`` (:class:`Collectives`).

    ``--members`` with expansion turned off is a usage error, the same on every command. With
    ``default=None`` the command decides the default (:meth:`Collectives.decided`).
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, expand: bool | None, members: str | None, **kwargs: Any) -> Any:
            if members and expand is False:
                raise click.UsageError("--members needs --expand-collectives")
            chosen = Collectives(bool(expand), members, explicit=expand is not None)
            return func(*args, collectives=chosen, **kwargs)

        option: Any = click.option(
            "--members",
            type=click.Path(dir_okay=False),
            help="Members of collectives: YAML (collective: [units]) or CSV (collective,unit). "
            "Default: inferred, every unit the documents name.",
        )(wrapper)
        return cast(
            F,
            click.option(
                "--expand-collectives/--no-expand-collectives",
                "expand",
                default=default,
                show_default=default is not None,
                help="Expand collectives such as 未保委成员单位 into member units "
                "(rows marked via).",
            )(option),
        )

    return decorate


def plan_options(func: F) -> F:
    """``PATHS...`` (files or directories) and :func:`input_options`; the paths are added to
    ``inputs``, so the command reads them all with :func:`load_documents`.

    >>> @click.command()
    ... @plan_options
    ... def show(inputs: tuple[str, ...], aliases: str | None, strict: bool) -> None:
    ...     click.echo(" ".join(inputs))
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(show, ["a.txt", "--input", "b.txt"]).output
    'a.txt b.txt\\n'
    """

    @functools.wraps(func)
    def wrapper(*args: Any, paths: tuple[str, ...], inputs: tuple[str, ...], **kwargs: Any) -> Any:
        return func(*args, inputs=(*paths, *inputs), **kwargs)

    decorated: Any = input_options(wrapper)
    return cast(F, click.argument("paths", nargs=-1, type=click.Path())(decorated))


#: ``--k``: how many responsible units, with no lead, make a task diffuse (the gaps query's k).
k_option = click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Responsible units (with no lead) that make a task diffuse.",
)
