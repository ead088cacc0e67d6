"""Neo4j commands: ``push`` (load plans) and ``cypher`` (an ad-hoc read-only query).

Connection options fall back to the standard ``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` variables; a missing password is asked for.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from dutygraph.commands.options import (
    Collectives,
    collective_options,
    gazetteer_from,
    input_options,
    load_documents,
    output_options,
)
from dutygraph.commands.output import emit_rows
from dutygraph.errors import InputError
from dutygraph.extras import require
from dutygraph.graph.build import build_graph
from dutygraph.loaders.push import (
    DocumentRows,
    derived_assignments,
    document_rows,
    neo4j_errors,
    push_documents,
    unit_kinds,
)

__all__ = ["neo4j_driver", "neo4j_options", "push_rows", "register"]

F = TypeVar("F", bound=Callable[..., Any])


def neo4j_options(func: F) -> F:
    """``--uri``, ``--user``, ``--password``, ``--database`` with the ``NEO4J_*`` fallbacks."""
    for option in reversed(
        [
            click.option(
                "--uri",
                envvar="NEO4J_URI",
                default="bolt://127.0.0.1:7687",
                show_default=True,
                help="Bolt URI (env NEO4J_URI).",
            ),
            click.option(
                "--user",
                envvar="NEO4J_USERNAME",
                default="neo4j",
                show_default=True,
                help="User name (env NEO4J_USERNAME).",
            ),
            click.option(
                "--password",
                envvar="NEO4J_PASSWORD",
                default=None,
                help="Password (env NEO4J_PASSWORD; asked for when missing).",
            ),
            click.option(
                "--database",
                envvar="NEO4J_DATABASE",
                default=None,
                help="Database (env NEO4J_DATABASE; default: the server's default).",
            ),
        ]
    ):
        func = option(func)
    return func


def _password(password: str | None) -> str:
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise InputError("no Neo4j password given", hint="use --password or set NEO4J_PASSWORD")
    return str(click.prompt("Neo4j password", hide_input=True))


@contextlib.contextmanager
def neo4j_driver(
    uri: str,
    user: str,
    password: str | None,
    database: str | None,
    *,
    retry_seconds: float = 30.0,
) -> Iterator[Any]:
    """Open a driver, check the connection, and translate its errors (no password shown).

    A transaction that fails for a transient reason (server restarting, leader switch) is
    retried for up to ``retry_seconds``."""
    neo4j = require("neo4j", "neo4j")

    ctx = click.get_current_context(silent=True)
    if not (ctx and ctx.find_root().params.get("debug")):
        # The driver logs each retry of a transaction; the final error is reported once.
        logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    secret = _password(password)
    with (
        neo4j_errors(uri, database),
        neo4j.GraphDatabase.driver(
            uri, auth=(user, secret), max_transaction_retry_time=retry_seconds
        ) as driver,
    ):
        driver.verify_connectivity()
        yield driver


def push_rows(
    inputs: tuple[str, ...], aliases: str | None, strict: bool, collectives: Collectives
) -> list[DocumentRows]:
    """The rows ``push`` writes for the plans named (collectives expanded when asked): shared
    with ``export --format neo4j-import``, which must write the same graph."""
    docs = load_documents(inputs, aliases, strict=strict)
    if not collectives.expand:
        return [document_rows(d) for d in docs]
    graph = collectives.apply(build_graph(docs), gazetteer_from(aliases))
    kinds = unit_kinds(graph)
    return [document_rows(d, derived_assignments(graph, d.id), kinds) for d in docs]


@click.command("push")
@click.argument("paths", nargs=-1, type=click.Path())
@input_options
@neo4j_options
@collective_options(default=True)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=1000,
    show_default=True,
    help="Rows per UNWIND statement.",
)
@click.option(
    "--docs-per-transaction",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Documents written per transaction. More is much faster for many small documents; "
    "a failure then rolls back the whole group (each document stays whole or absent).",
)
@click.option(
    "--retry-seconds",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="How long to retry a document's transaction after a transient failure.",
)
@click.option("--dry-run", is_flag=True, help="Parse and count, write nothing.")
@output_options(csv=False)
def push_command(
    paths: tuple[str, ...],
    inputs: tuple[str, ...],
    aliases: str | None,
    strict: bool,
    uri: str,
    user: str,
    password: str | None,
    database: str | None,
    collectives: Collectives,
    batch_size: int,
    docs_per_transaction: int,
    retry_seconds: float,
    dry_run: bool,
    fmt: str,
) -> None:
    """Load plans into Neo4j: one transaction per document (or per --docs-per-transaction
    documents), unchanged documents skipped.

    Example: dutygraph push plans/ --uri bolt://127.0.0.1:7687
    """
    rows = push_rows(paths + inputs, aliases, strict, collectives)
    if dry_run:
        counts = {
            "documents": len(rows),
            "tasks": sum(len(r.tasks) for r in rows),
            "units": len({u["name"] for r in rows for u in r.units}),
            "relationships": sum(len(e) for r in rows for e in r.edges.values()),
            "dry_run": True,
        }
        click.echo(json.dumps(counts, ensure_ascii=False) if fmt == "json" else _describe(counts))
        return
    from rich.progress import Progress

    with (
        neo4j_driver(uri, user, password, database, retry_seconds=retry_seconds) as driver,
        Progress(transient=True, disable=not sys.stderr.isatty()) as progress,
    ):
        bar = progress.add_task("pushing", total=len(rows))
        with neo4j_errors(uri, database):
            summary = push_documents(
                driver,
                rows,
                database=database,
                batch_size=batch_size,
                docs_per_transaction=docs_per_transaction,
                progress=lambda _: progress.advance(bar),
            )
    counters = summary.as_dict()
    click.echo(json.dumps(counters) if fmt == "json" else _describe(counters))


def _describe(counts: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items())


@click.command("cypher")
@click.argument("query")
@click.option("-p", "--param", "params", nargs=2, multiple=True, help="A parameter: -p key value.")
@neo4j_options
@output_options
def cypher_command(
    query: str,
    params: tuple[tuple[str, str], ...],
    uri: str,
    user: str,
    password: str | None,
    database: str | None,
    fmt: str,
) -> None:
    """Run an ad-hoc read-only Cypher query; values of -p are JSON when they parse as JSON.

    Example: dutygraph cypher "MATCH (u:Unit {name: $u})-[r]->(t) RETURN t.number" -p u 团市委
    """
    values = {k: _param_value(v) for k, v in params}
    neo4j = require("neo4j", "neo4j")
    with neo4j_driver(uri, user, password, database) as driver, neo4j_errors(uri, database):
        records, _, keys = driver.execute_query(
            query, values, database_=database, routing_=neo4j.RoutingControl.READ
        )
    rows = [{k: _plain(r[k]) for k in keys} for r in records]
    emit_rows(rows, fmt, columns=keys)


def _param_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _plain(value: Any) -> Any:
    """Neo4j values as JSON-friendly Python: nodes and relationships become dicts."""
    if hasattr(value, "items") and hasattr(value, "element_id"):
        return dict(value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def register(group: click.Group) -> None:
    """Add ``push`` and ``cypher`` to the command group."""
    group.add_command(push_command)
    group.add_command(cypher_command)
