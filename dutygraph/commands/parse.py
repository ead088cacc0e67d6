"""``dutygraph parse``: read plans and print their tasks and assignments."""

from __future__ import annotations

import json

import click

from dutygraph.commands.options import (
    gazetteer_from,
    input_paths,
    output_options,
    plan_options,
    report_errors,
)
from dutygraph.commands.output import emit_rows
from dutygraph.extract.explain import EXPLAIN_KEYS, explain_document, render_explanation
from dutygraph.extract.workplan import read_workplans
from dutygraph.graph.records import Document, document_to_dict

__all__ = ["assignment_rows", "parse_command"]


def assignment_rows(doc: Document) -> list[dict[str, object]]:
    """One row per assignment (tasks without any get one row with empty unit and role)."""
    rows: list[dict[str, object]] = []
    for t in doc.tasks:
        for a in t.assignments or (None,):
            rows.append(
                {
                    "number": t.number,
                    "section": t.section,
                    "title": t.title,
                    "role": a.role if a else "",
                    "unit": a.unit if a else "",
                    "as_written": a.as_written if a else "",
                }
            )
    return rows


@click.command("parse")
@plan_options
@click.option(
    "--format",
    "format_",
    type=click.Choice(["table", "json", "csv"]),
    default=None,
    help="Same as --json / --csv. table (default): one row per assignment; json: the document "
    "contract (docs/ARCHITECTURE.md).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Per task, which clause gave which assignment (role, unit, as written, span, line); "
    "tasks without any say so and why. With --json/--csv: one row per assignment.",
)
@output_options
def parse_command(
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    format_: str | None,
    explain: bool,
    fmt: str,
) -> None:
    """Parse work plans (files or directories) into tasks and role-typed assignments.

    Example: dutygraph parse plan.txt --json   (or: dutygraph parse --example --explain)
    """
    if format_ and fmt != "table" and format_ != fmt:
        raise click.UsageError(f"choose one of --{fmt} and --format {format_}")
    fmt = format_ or fmt
    batch = read_workplans(input_paths(inputs), gazetteer_from(aliases), strict=strict)
    report_errors(batch.errors)
    for doc in batch.documents:
        enc = f", {doc.encoding}" if doc.encoding else ""
        click.echo(
            f"{doc.source}: {len(doc.tasks)} tasks, {len(doc.assignments)} assignments{enc}",
            err=True,
        )
        for w in doc.warnings:
            click.echo(f"{doc.source}: warning: {w.code}: {w.message}", err=True)
    if explain:
        rows = [row for doc in batch.documents for row in explain_document(doc)]
        if fmt == "table":
            if rows:
                click.echo(render_explanation(rows))
        else:
            emit_rows(rows, fmt, columns=EXPLAIN_KEYS)
    elif fmt == "json":
        payload = {"documents": [document_to_dict(d) for d in batch.documents]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for doc in batch.documents:
            emit_rows(assignment_rows(doc), fmt, title=f"{doc.title} ({doc.id})")


def register(group: click.Group) -> None:
    """Add ``parse`` to the ``dutygraph`` group."""
    group.add_command(parse_command)
