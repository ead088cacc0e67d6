"""``dutygraph analyze``: the main job — gaps, load ranking and the interactive map at once."""

from __future__ import annotations

import json
from typing import Any

import click

from dutygraph.analysis import analyze
from dutygraph.commands.options import (
    Collectives,
    collective_options,
    gazetteer_from,
    k_option,
    load_documents,
    output_options,
    plan_options,
)
from dutygraph.commands.output import emit_rows

__all__ = ["analyze_command", "register"]

_GAP_COLUMNS = ("kind", "number", "title", "unit", "evidence")
_LOAD_COLUMNS = ("unit", "lead", "support", "responsible", "load", "share", "ratio", "flag")


@click.command("analyze")
@plan_options
@click.option(
    "-o",
    "--output",
    default="map.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the interactive map (.html).",
)
@click.option("--no-map", is_flag=True, help="Do not write the map.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many units of the load ranking to print.",
)
@k_option
@collective_options(default=True)
@output_options(csv=False)
def analyze_command(
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    output: str,
    no_map: bool,
    top: int,
    k: int,
    collectives: Collectives,
    fmt: str,
) -> None:
    """Print a plan's coordination gaps and load ranking, and write its interactive map.

    \b
    Gap rows: kind (no-lead, multi-lead, collective-only, diffuse,
    lead-also-support), the task's number and title, the unit concerned, and
    the clause that shows it. Risks (single-lead-dependency: a task with one
    lead) are counted apart: dutygraph risks lists them.
    Load columns: lead / support / responsible counts;
    load = lead×3 + responsible×2 + support×1; share = the unit's part of all
    load; ratio = its load over the median unit's; flag ✓ = ratio ≥ 2×
    (see dutygraph overload --help).

    Example: dutygraph analyze plan.docx -o map.html   (or: dutygraph analyze --example)
    """
    if not no_map and not output.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"{output} must end in .html", param_hint="-o/--output")
    docs = load_documents(inputs, aliases, strict=strict)
    gazetteer = gazetteer_from(aliases)
    members = collectives.member_map(gazetteer)
    result = analyze(docs, expand=collectives.expand, members=members, k=k)
    map_path = None
    if not no_map:
        from dutygraph.views.maps import write_map

        map_path = str(write_map(output, result.graph, gazetteer=gazetteer))
    ranking = result.overload[:top]
    if fmt == "json":
        payload: dict[str, Any] = {
            "summary": result.summary,
            "gaps": result.gaps,
            "risks": result.risks,
            "overload": ranking,
            "map": map_path,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    s = result.summary
    click.echo(
        f"{s['documents']} document(s): {s['tasks']} tasks, {s['units']} units, "
        f"{s['assignments']} assignments; {s['tasks_without_lead']} tasks "
        f"({s['share_without_lead']:.0%}) have no lead."
    )
    for doc in docs:
        for w in doc.warnings:
            click.echo(f"{doc.source}: warning: {w.code}: {w.message}", err=True)
    counts = ", ".join(f"{kind} {n}" for kind, n in s["gaps_by_kind"].items()) or "none"
    title = f"Coordination gaps of {s['tasks_with_gaps']} tasks ({counts})"
    emit_rows(result.gaps, "table", title=title, columns=_GAP_COLUMNS)
    if s["tasks_with_risks"]:
        click.echo(
            f"Risks: {s['tasks_with_risks']} tasks hang on a single lead "
            "(not gaps; dutygraph risks lists them)."
        )
    emit_rows(ranking, "table", title=f"Load ranking (top {len(ranking)})", columns=_LOAD_COLUMNS)
    if map_path:
        click.echo(f"map written: {map_path}")


def register(group: click.Group) -> None:
    """Add ``analyze`` to the command group."""
    group.add_command(analyze_command)
