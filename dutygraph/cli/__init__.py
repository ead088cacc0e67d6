"""The ``dutygraph`` command line: thin click commands over the library.

Exit codes: 0 success; 1 a failed run (a store or query failure, or ``--strict`` warnings);
2 unusable input or usage — also when some input files were unusable while others were
processed (their results are printed, the bad files are named on stderr).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from dutygraph import __version__
from dutygraph.cli.parse import parse_command
from dutygraph.errors import DutygraphError

__all__ = ["cli", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dutygraph")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def cli(debug: bool) -> None:
    """dutygraph: work plans → a graph of agencies and tasks (lead / support / responsible)."""


cli.add_command(parse_command)


def _register_optional() -> None:
    """Commands from modules other engineers own register themselves here."""
    import importlib

    for module in ("analyze", "queries", "maps", "report", "compare", "export", "ingest", "neo4j"):
        try:
            mod = importlib.import_module(f"dutygraph.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dutygraph.cli.{module}":
                raise
            continue
        mod.register(cli)


_register_optional()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (``python -m dutygraph`` and the console script)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        ctx = cli.make_context("dutygraph", args)
        with ctx:
            cli.invoke(ctx)
        failed = ctx.meta.get("dutygraph.failed", False)
        return 2 if failed else 0
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
