"""``dutygraph ingest``: parse a large directory of plans into a cache, in parallel."""

from __future__ import annotations

import json
import os
import sys

import click

from dutygraph.commands.options import fail, output_options, report_errors, strict_option
from dutygraph.extract.ingest import ingest, load_cached
from dutygraph.extract.workplan import strict_error

__all__ = ["ingest_command", "register"]


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--cache",
    type=click.Path(file_okay=False),
    default=".dutygraph-cache",
    show_default=True,
    help="Folder of parsed documents (one JSON per document, and index.json).",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=None,
    help="Worker processes (default: one per core; 1 parses in this process).",
)
@click.option(
    "--aliases",
    type=click.Path(dir_okay=False),
    help="Extra aliases: a CSV (name,alias,kind) or YAML file like the shipped gazetteer.",
)
@strict_option
@output_options(csv=False)
def ingest_command(
    paths: tuple[str, ...],
    cache: str,
    workers: int | None,
    aliases: str | None,
    strict: bool,
    fmt: str,
) -> None:
    """Parse every plan under PATHS into a cache; unchanged files are skipped.

    A file is parsed again only when its content (SHA-256 of its bytes) or the settings
    changed. Prints the files read, parsed, skipped unchanged and failed, and names each failed
    file on stderr (exit code 2 when any failed). With --strict, each document with parse
    warnings is named on stderr too and counted as "with warnings" (exit code 1 when any and
    none failed); it stays in the cache, which --strict reads once more to find them.

    Example: dutygraph ingest plans/ --cache plans.cache --workers 2
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("ingesting", total=None)
        summary = ingest(
            paths,
            cache,
            workers=workers,
            aliases=aliases,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for failure in summary.failures:
        click.echo(f"dutygraph: error: {failure.message}", err=True)
    if summary.failed:
        fail(2)
    warned = [e for e in map(strict_error, load_cached(cache)) if e] if strict else []
    report_errors(warned)
    extra = {"with_warnings": len(warned)} if strict else {}
    if fmt == "json":
        payload = {**summary.as_dict(), **extra, "cache": os.fspath(cache)}
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        c = summary.counts()
        click.echo(
            f"read: {c['read']}, parsed: {c['parsed']}, "
            f"skipped unchanged: {c['skipped_unchanged']}, failed: {c['failed']}"
            + (f", with warnings: {len(warned)}" if strict else "")
            + f" ({summary.tasks} tasks, {summary.assignments} assignments in {cache})"
        )
    sys.stdout.flush()


def register(group: click.Group) -> None:
    """Add ``ingest`` to the command group."""
    group.add_command(ingest_command)
