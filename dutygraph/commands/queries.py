"""Query commands: thin wrappers over :mod:`dutygraph.queries` (one catalog entry each).

``tasks``, ``units``, ``unit``, ``gaps``, ``due``, ``overload``, ``partners``, ``brokers``,
``sections`` run one catalog entry; ``queries`` lists the catalog, ``query NAME -p key value``
runs any entry and ``ask "QUESTION"`` maps a plain question onto one. Collectives are expanded
by default (members inferred from the documents unless ``--members FILE`` states them); a note
on stderr says so whenever the rows can include derived (``via``) rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import click
import networkx as nx

from dutygraph.commands.options import (
    collective_options,
    gazetteer_from,
    input_options,
    k_option,
    load_graph,
    output_options,
)
from dutygraph.commands.output import emit_rows, emit_summary, stream_rows
from dutygraph.commands.store import neo4j_driver, neo4j_options
from dutygraph.errors import QueryError
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.loaders.push import neo4j_errors
from dutygraph.queries import catalog_rows, get, run_query
from dutygraph.queries.ask import Interpretation, interpret
from dutygraph.queries.ask_forms import help_lines
from dutygraph.queries.gaps import FINDING_KINDS, GAP_KINDS, gap_label
from dutygraph.queries.resolve import coerce
from dutygraph.queries.run_neo4j import (
    run_query_neo4j,
    store_sections,
    store_units,
    stream_query_neo4j,
    summarize_query_neo4j,
)
from dutygraph.queries.spec import Row
from dutygraph.queries.summary import stream_query, summarize_query

__all__ = ["COMMANDS", "graph_options", "register", "summary_options"]

F = TypeVar("F", bound=Callable[..., Any])
#: Columns of a query's table left out first on a narrow terminal (all are in --json and --csv).
_DROP_FIRST = {"overload": ("kind", "assignments")}
_ROLES = click.Choice(["any", "lead", "support", "responsible"])


def graph_options(func: F) -> F:
    """``--input``/``--aliases``/``--strict``, ``--expand-collectives/--no-expand-collectives``,
    ``--members``, and the output flags."""
    func = output_options(func)
    func = neo4j_options(func)
    func = click.option(
        "--neo4j",
        "use_neo4j",
        is_flag=True,
        help="Ask Neo4j (filled by dutygraph push) instead of reading --input.",
    )(func)
    func = collective_options(default=True)(func)
    return input_options(func)


def summary_options(func: F) -> F:
    """``--top N`` (the summary's size) and ``--all`` (every row instead, streamed)."""
    func = click.option(
        "--all",
        "all_rows",
        is_flag=True,
        help="Every row instead of the summary, written as it comes (from Neo4j: as the "
        "cursor yields it); --csv implies it.",
    )(func)
    return click.option(
        "--top",
        "top",
        type=click.IntRange(min=0),
        default=None,
        help=f"How many plans, rows or pairs the summary lists [default: {_TOP}].",
    )(func)


_TOP = 10


#: The entries whose rows' ``kind`` is a gap or risk kind (shown by its label in a table).
_FINDINGS = ("gaps", "risks")


def _labelled(rows: Iterator[Row]) -> Iterator[Row]:
    """Finding rows with their kind shown by its Chinese label (tables only)."""
    for row in rows:
        yield {**row, "kind": gap_label(row["kind"])}


def _run_summarized(
    name: str, params: Mapping[str, Any], opts: Mapping[str, Any], all_rows: bool, top: int | None
) -> None:
    """A summary of the entry (the default), or every row with ``--all`` (and ``--csv``)."""
    fmt = opts["fmt"]
    if top is not None and (all_rows or fmt == "csv"):
        flag = "--all" if all_rows else "--csv"
        raise QueryError(
            f"--top sizes the summary and {flag} lists every row", hint="give one of them"
        )
    given = {k: v for k, v in params.items() if v is not None}
    title = get(name).title
    drop_first = _DROP_FIRST.get(name, ())
    if opts["use_neo4j"]:
        with _store(opts) as driver:
            gazetteer = gazetteer_from(opts["aliases"])
            if all_rows or fmt == "csv":
                rows = stream_query_neo4j(
                    driver, name, given, database=opts["database"], gazetteer=gazetteer
                )
                shown = _labelled(rows) if fmt == "table" and name in _FINDINGS else rows
                stream_rows(shown, fmt, title=title)
                return
            summary = summarize_query_neo4j(
                driver,
                name,
                given,
                top=_TOP if top is None else top,
                database=opts["database"],
                gazetteer=gazetteer,
            )
    else:
        graph, gazetteer = _graph(opts)
        if all_rows or fmt == "csv":
            rows = stream_query(name, graph, given, gazetteer=gazetteer)
            _note_expansion(graph, name, given)
            shown = _labelled(rows) if fmt == "table" and name in _FINDINGS else rows
            stream_rows(shown, fmt, title=title, drop_first=drop_first)
            return
        summary = summarize_query(
            name, graph, given, top=_TOP if top is None else top, gazetteer=gazetteer
        )
        _note_expansion(graph, name, given)
    emit_summary(summary, fmt, title=title)


def _graph(opts: Mapping[str, Any]) -> tuple[nx.MultiDiGraph, Gazetteer]:
    graph = load_graph(opts["inputs"], opts["aliases"], strict=opts["strict"])
    gazetteer = gazetteer_from(opts["aliases"])
    return opts["collectives"].apply(graph, gazetteer), gazetteer


def _note_expansion(graph: nx.MultiDiGraph, name: str, params: Mapping[str, Any]) -> None:
    spec = get(name)
    direct = spec.param("direct")
    source = graph.graph.get("members_source")
    if direct is None or coerce("direct", "bool", params.get("direct", direct.default)):
        return
    if not source:
        return
    if source == "inferred":
        click.echo(
            "dutygraph: note: collectives expanded with members inferred from the documents "
            "(every unit they name); give --members FILE to state them",
            err=True,
        )
    else:
        where = source.removeprefix("file:")
        click.echo(f"dutygraph: note: collectives expanded with members from {where}", err=True)
    for name_ in graph.graph.get("unexpanded", []):
        click.echo(f"dutygraph: note: {name_} left unexpanded (no members given)", err=True)


def _run(name: str, params: Mapping[str, Any], opts: Mapping[str, Any]) -> None:
    fmt = opts["fmt"]
    given = {k: v for k, v in params.items() if v is not None}
    if opts["use_neo4j"]:
        with _store(opts) as driver:
            rows = run_query_neo4j(
                driver,
                name,
                given,
                database=opts["database"],
                gazetteer=gazetteer_from(opts["aliases"]),
            )
    else:
        graph, gazetteer = _graph(opts)
        rows = run_query(name, graph, given, gazetteer=gazetteer)
        _note_expansion(graph, name, given)
    if fmt == "table" and name in _FINDINGS:
        rows = list(_labelled(iter(rows)))
    emit_rows(rows, fmt, title=get(name).title, drop_first=_DROP_FIRST.get(name, ()))


@contextlib.contextmanager
def _store(opts: Mapping[str, Any]) -> Iterator[Any]:
    """A driver on the Neo4j the options name, with its errors made one-line."""
    uri, database = opts["uri"], opts["database"]
    with (
        neo4j_driver(uri, opts["user"], opts["password"], database) as driver,
        neo4j_errors(uri, database),
    ):
        yield driver


@click.command("tasks")
@click.argument("unit")
@click.option("--role", type=_ROLES, default="any", show_default=True, help="Only this role.")
@click.option("--direct", is_flag=True, help="Leave out rows derived from collectives.")
@summary_options
@graph_options
def tasks_command(
    unit: str, role: str, direct: bool, all_rows: bool, top: int | None, **opts: Any
) -> None:
    """Tasks of a unit, with its role (catalog entry tasks-of): a summary (counts by role,
    direct or derived; the plans where it has most; its first tasks), or --all rows.

    Example: dutygraph tasks 团市委 --role support --input plan.txt
    """
    params = {"unit": unit, "role": role, "direct": direct}
    _run_summarized("tasks-of", params, opts, all_rows, top)


@click.command("units")
@click.argument("task")
@click.option("--role", type=_ROLES, default="any", show_default=True, help="Only this role.")
@click.option("--direct", is_flag=True, help="Leave out units derived from collectives.")
@graph_options
def units_command(task: str, role: str, direct: bool, **opts: Any) -> None:
    """Units of a task (number or uid) by role (catalog entry units-of).

    Example: dutygraph units 9 --input plan.txt
    """
    _run("units-of", {"task": task, "role": role, "direct": direct}, opts)


@click.command("unit")
@click.argument("unit")
@click.option("--direct", is_flag=True, help="Count direct assignments only.")
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="How many partners to list.",
)
@graph_options
def unit_command(unit: str, direct: bool, top: int, **opts: Any) -> None:
    """Profile of a unit: tasks by role, via collectives, per section; top partners.

    Example: dutygraph unit 团市委 --input plan.txt
    """
    _run("unit-profile", {"unit": unit, "direct": direct, "top": top}, opts)


@click.command("gaps")
@k_option
@click.option(
    "--kind",
    default="any",
    show_default=True,
    type=click.Choice(["any", *GAP_KINDS]),
    help="Only one kind of finding.",
)
@summary_options
@graph_options
def gaps_command(k: int, kind: str, all_rows: bool, top: int | None, **opts: Any) -> None:
    """Coordination gaps (direct assignments only): a summary (findings by kind, the plans
    with most, the first findings of each kind with the clause as evidence), or --all rows.

    Example: dutygraph gaps --kind no-lead --input plan.txt
    """
    _run_summarized("gaps", {"k": k, "kind": kind}, opts, all_rows, top)


@click.command("risks")
@graph_options
def risks_command(**opts: Any) -> None:
    """Coordination risks, kept apart from the gaps: tasks that depend on a single lead unit
    (single-lead-dependency; the unit is that lead), with the clause as evidence.

    Example: dutygraph risks --input plan.txt
    """
    _run("risks", {}, opts)


@click.command("due")
@click.option(
    "--before",
    metavar="DATE",
    help="Only tasks due on or before DATE (2024-06-30; 2024年6月底 also reads).",
)
@click.option(
    "--role",
    type=click.Choice(["lead", "support", "responsible"]),
    help="Only tasks where some unit holds this role (lead: tasks that have a lead).",
)
@click.option(
    "--gap",
    type=click.Choice(FINDING_KINDS),
    help="Only tasks with this gap (or risk), e.g. no-lead.",
)
@k_option
@graph_options
def due_command(before: str | None, role: str | None, gap: str | None, k: int, **opts: Any) -> None:
    """Tasks by deadline, soonest first: deadline as written, due date, leader, lead units.

    Example: dutygraph due --before 2024-06-30 --gap no-lead --input plan.txt
    """
    _run("due", {"before": before, "role": role, "gap": gap, "k": k}, opts)


@click.command("overload")
@click.option("--top", type=click.IntRange(min=0), help="Only the N heaviest units.")
@click.option("--lead-weight", type=float, default=3, show_default=True)
@click.option("--support-weight", type=float, default=1, show_default=True)
@click.option("--responsible-weight", type=float, default=2, show_default=True)
@click.option(
    "--threshold",
    type=float,
    default=2,
    show_default=True,
    help="Flag units whose load is at least this times the median unit's.",
)
@graph_options
def overload_command(
    top: int | None,
    lead_weight: float,
    support_weight: float,
    responsible_weight: float,
    threshold: float,
    **opts: Any,
) -> None:
    """Work load per unit: counts by role, weighted load, share, ratio to median, flag.

    \b
    Columns:
      lead, support, responsible  tasks the unit has in each role
      assignments  their sum;  kind  the unit's kind (government, …)
      load   lead×3 + responsible×2 + support×1 (weights are options)
      share  the unit's part of all units' load (10.3 %)
      ratio  its load over the median unit's load (4.8×)
      flag   ✓ when ratio ≥ --threshold: an overloaded unit
    On a narrow terminal kind and assignments are left out first;
    --json and --csv keep every column.

    Example: dutygraph overload --top 5 --input plan.txt
    """
    params = {
        "top": top,
        "lead_weight": _number(lead_weight),
        "support_weight": _number(support_weight),
        "responsible_weight": _number(responsible_weight),
        "threshold": _number(threshold),
    }
    _run("overload", params, opts)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


@click.command("partners")
@click.argument("unit", required=False)
@click.option("--with-derived", is_flag=True, help="Count units derived from collectives too.")
@summary_options
@graph_options
def partners_command(
    unit: str | None, with_derived: bool, all_rows: bool, top: int | None, **opts: Any
) -> None:
    """Unit pairs sharing tasks, by role pair (of UNIT only, if given): a summary (counts by
    role pair, the pairs sharing most tasks), or --all rows.

    Example: dutygraph partners 团市委 --input plan.txt
    """
    params = {"unit": unit, "direct": not with_derived}
    _run_summarized("partners", params, opts, all_rows, top)


@click.command("brokers")
@click.option("--with-derived", is_flag=True, help="Count units derived from collectives too.")
@graph_options
def brokers_command(with_derived: bool, **opts: Any) -> None:
    """Betweenness centrality of units in the unit–unit projection.

    Example: dutygraph brokers --input plan.txt
    """
    _run("brokers", {"direct": not with_derived}, opts)


@click.command("sections")
@summary_options
@graph_options
def sections_command(all_rows: bool, top: int | None, **opts: Any) -> None:
    """Per section: how concentrated the lead role is (top unit's share, HHI): a summary
    (sections without a lead or concentrated, HHI ≥ 0.25; the plans with most tasks
    without a lead; the most concentrated sections), or --all rows.

    Example: dutygraph sections --input plan.txt
    """
    _run_summarized("sections", {}, opts, all_rows, top)


@click.command("queries")
@output_options
def queries_command(fmt: str) -> None:
    """List the query catalog (names, parameters with defaults, descriptions).

    Example: dutygraph queries
    """
    emit_rows(catalog_rows(), fmt, title="Query catalog")


@click.command("query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="KEY VALUE",
    help="A parameter of the query (repeatable), e.g. -p unit 团市委.",
)
@click.option(
    "--cypher",
    "show_cypher",
    is_flag=True,
    help="Print the entry's Cypher text (for Neo4j) instead of running it.",
)
@graph_options
def query_command(
    name: str, params: tuple[tuple[str, str], ...], show_cypher: bool, **opts: Any
) -> None:
    """Run any catalog entry by name (see `dutygraph queries`).

    Example: dutygraph query tasks-of -p unit 团市委 -p role support --input plan.txt
    """
    spec = get(name)
    if show_cypher:
        click.echo(spec.cypher.strip())
        return
    _run(spec.name, dict(params), opts)


def _ask_help() -> str:
    """``ask --help``: the question forms, generated from the table the parser reads."""
    lines = "\n".join(f"  {line}" for line in help_lines())
    return (
        "Answer a plain question (Chinese or English) with the catalog query it maps to.\n\n"
        "Every word of the question must be understood: a question that fits none of the "
        "forms below, or names a unit it cannot find, is refused (exit 2) with the closest "
        "forms and suggested unit names. 负责 / responsible for / in charge of mean any role; "
        "say 作为责任单位 / as a responsible unit for the responsible role. A name found only "
        "by similarity or without its level (市教育 → 市教育局, 团委 → 团市委) is used with a "
        "note on stderr. Add 直接 / directly to leave out rows derived from collectives.\n\n"
        "\b\nQuestion forms (Chinese | English -> query):\n"
        + lines
        + '\n\nExample: dutygraph ask "团市委配合哪些任务？" --input plan.txt'
    )


@click.command("ask", help=_ask_help())
@click.argument("question")
@graph_options
def ask_command(question: str, **opts: Any) -> None:
    fmt = opts["fmt"]
    if opts["use_neo4j"]:
        gazetteer = gazetteer_from(opts["aliases"])
        with _store(opts) as driver:
            units = store_units(driver, opts["database"])
            sections = store_sections(driver, opts["database"])
            found = interpret(question, units=units, sections=sections, gazetteer=gazetteer)
            rows = run_query_neo4j(
                driver, found.query, found.params, database=opts["database"], gazetteer=gazetteer
            )
            _say_ran(found)
    else:
        graph, gazetteer = _graph(opts)
        found = interpret(question, graph, gazetteer=gazetteer)
        rows = run_query(found.query, graph, found.params, gazetteer=gazetteer)
        _say_ran(found)
        _note_expansion(graph, found.query, found.params)
    if fmt == "table" and found.query in _FINDINGS:
        rows = list(_labelled(iter(rows)))
    emit_rows(rows, fmt, title=get(found.query).title, drop_first=_DROP_FIRST.get(found.query, ()))


def _say_ran(found: Interpretation) -> None:
    for note in found.notes:
        click.echo(f"dutygraph: note: {note}", err=True)
    shown = " ".join(
        f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in found.params.items()
    )
    click.echo(f"dutygraph: ran {found.query}{' ' + shown if shown else ''}", err=True)


COMMANDS = (
    tasks_command,
    units_command,
    unit_command,
    gaps_command,
    risks_command,
    due_command,
    overload_command,
    partners_command,
    brokers_command,
    sections_command,
    queries_command,
    query_command,
    ask_command,
)


def register(group: click.Group) -> None:
    """Add the query commands to the ``dutygraph`` group."""
    for command in COMMANDS:
        group.add_command(command)
