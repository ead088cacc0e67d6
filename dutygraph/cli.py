"""The ``dutygraph`` command line: thin click commands over the library.

Exit codes: 0 success; 1 a failed run (a store or query failure, or, with ``--strict``, a plan
with parse warnings); 2 unusable input or usage. A run goes on past a bad file: the good files'
results are printed, each bad file is named on stderr, and the exit code is the highest of
theirs (2 when any file was unusable, else 1 when any had warnings under ``--strict``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from dutygraph import __version__
from dutygraph.commands import (
    analyze,
    diff,
    example,
    export,
    ingest,
    maps,
    parse,
    queries,
    report,
    store,
)
from dutygraph.commands.options import EXIT_CODE
from dutygraph.errors import DutygraphError

__all__ = ["cli", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dutygraph")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def cli(debug: bool) -> None:
    """dutygraph: work plans → a graph of agencies and tasks (lead / support / responsible).

    Every command that reads plans takes --strict: a plan with parse warnings is then a
    failure (named on stderr, left out; the other plans are still used).

    \b
    Exit codes:
      0  success
      1  a failed run: Neo4j or a query failed, or a plan had warnings under --strict
      2  unusable input or bad usage (a bad file is named on stderr; the good files of the
         same run are still processed)
    """


@cli.result_callback()
def _exit_code(*_: object, **__: object) -> None:
    """Exit with the highest code a command recorded for the failures it went on past."""
    code = click.get_current_context().meta.get(EXIT_CODE, 0)
    if code:
        raise click.exceptions.Exit(code)


for _register in (
    parse.register,
    example.register,
    analyze.register,
    queries.register,
    maps.register,
    report.register,
    diff.register,
    export.register,
    ingest.register,
    store.register,
):
    _register(cli)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (``python -m dutygraph`` and the console script)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        ctx = cli.make_context("dutygraph", args)
        with ctx:
            cli.invoke(ctx)
        return int(ctx.meta.get(EXIT_CODE, 0))
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("dutygraph: aborted", err=True)
        return 1
    except DutygraphError as exc:
        if debug:
            raise
        click.echo(f"dutygraph: error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("dutygraph: interrupted", err=True)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``dutygraph parse x | head``): stop quietly, as
        # a command killed by SIGPIPE would, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"dutygraph: internal error: {exc.__class__.__name__}: {exc} "
            "(run with --debug for the traceback, and please report it)",
            err=True,
        )
        return 1


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s code."""
    sys.exit(main())
