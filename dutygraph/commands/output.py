"""Print rows the same way everywhere: a rich table on a terminal, JSON or CSV for pipes.

>>> rows = [{"number": "9", "unit": "团市委", "role": "support"}]
>>> print(render_rows(rows, "json"))
[
  {
    "number": "9",
    "unit": "团市委",
    "role": "support"
  }
]
>>> print(render_rows(rows, "csv").strip())
number,unit,role
9,团市委,support
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dutygraph.queries.gaps import gap_label
from dutygraph.queries.spec import Row
from dutygraph.queries.summary import Summary

__all__ = [
    "FORMATS",
    "SUMMARY_WIDTH",
    "emit_rows",
    "emit_summary",
    "fit_columns",
    "render_rows",
    "stream_rows",
    "summary_tables",
    "table_cell",
    "wrap_cell",
]

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if type(value) is str:  # the common case, first
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render_rows(
    rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> str:
    """Rows as ``json`` (a JSON array, Chinese kept as is) or ``csv`` (with a header)."""
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for r in rows:
        values = [r.get(c) for c in cols]
        writer.writerow(
            [json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else _cell(v) for v in values]
        )
    return buf.getvalue()


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: str = "table",
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    console: Console | None = None,
    drop_first: Sequence[str] = (),
) -> None:
    """Print rows: a table that fits the terminal (:func:`fit_columns`), or :func:`render_rows`.

    On a terminal the table takes its width; piped, ``$COLUMNS`` or 160 columns. Columns that
    cannot fit are left out — ``drop_first`` and ids before the others, then from the right —
    with a note on stderr naming them.
    """
    if fmt != "table":
        print(render_rows(rows, fmt, columns).rstrip("\n"))
        return
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped: wide enough for Chinese evidence columns
            console = Console(width=_piped_width())
    cols = list(columns or (rows[0].keys() if rows else []))
    if not rows:
        console.print(f"{title + ': ' if title else ''}no rows", soft_wrap=True, markup=False)
        return
    texts = [[table_cell(c, r.get(c)) for c in cols] for r in rows]
    widths, kept = fit_columns(cols, texts, console.width, drop_first=(*drop_first, *_LOW))
    left_out = [c for c in cols if c not in kept]
    # Document text is shown as text: never read as rich markup (``[牵头]``, ``[/x]``).
    table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
    for c in kept:
        table.add_column(Text(c), width=widths[c], no_wrap=True, overflow="ellipsis")
    index = [cols.index(c) for c in kept]
    for cells in texts:
        table.add_row(*(Text(wrap_cell(cells[i], widths[cols[i]])) for i in index))
    console.print(table)
    console.file.flush()
    if left_out:
        Console(stderr=True).print(
            f"dutygraph: note: left out to fit {console.width} columns: {', '.join(left_out)} "
            "(see them with --json or --csv, or in a wider terminal)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _piped_width() -> int:
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 160


#: How a number reads in a table (JSON and CSV keep the number itself).
_NUMBER_FORMATS: dict[str, Any] = {
    "share": lambda v: f"{v * 100:.1f} %",
    "ratio": lambda v: f"{v:.1f}×",
}


def table_cell(column: str, value: Any) -> str:
    """A value as a table shows it: shares as percentages, ratios with ×, flags as ✓.

    >>> table_cell("share", 0.10344), table_cell("ratio", 4.83), table_cell("flag", True)
    ('10.3 %', '4.8×', '✓')
    >>> table_cell("units", ["市教育局", "团市委"])
    '市教育局、团市委'
    """
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int | float) and column in _NUMBER_FORMATS:
        return str(_NUMBER_FORMATS[column](value))
    return _cell(value)


#: Where a line of Chinese text may break: after these characters (and at spaces).
_BREAK_AFTER = re.compile(r"(?<=[、，。；：！？,;:!?）)\]」』》 /-])")
#: A column whose cells are at most this wide is never wrapped.
_NARROW = 16
#: A wrapped column is not made narrower than this, nor narrower than its longest piece up to
#: :data:`_MIN_PIECE` (so a unit name up to ten characters is never broken).
_MIN_WRAP = 12
_MIN_PIECE = 20
#: Columns left out first when a table does not fit: ids a reader can do without.
_LOW = ("uid", "doc_id", "as_written", "section_title")


def _segments(text: str) -> list[str]:
    return [s for s in _BREAK_AFTER.split(text) if s]


def wrap_cell(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` cells, broken after punctuation or spaces, so
    that a list of names keeps each name whole; a piece longer than a line (a title, a long
    sentence) is broken between characters, as Chinese text may be.

    >>> print(wrap_cell("责任单位：市教育局、市民政局、市卫生健康局", 12))
    责任单位：
    市教育局、
    市民政局、
    市卫生健康局
    >>> print(wrap_cell("加强家庭教育指导服务", 8))
    加强家庭
    教育指导
    服务
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in _segments(paragraph) or [""]:
            if cell_len(line + piece) <= width:
                line += piece
                continue
            if line:
                lines.append(line.rstrip())
            line = piece.lstrip()
            while cell_len(line) > width:
                head = _head(line, width)
                lines.append(head)
                line = line[len(head) :]
        if line or not lines:
            lines.append(line.rstrip())
    return "\n".join(lines)


def _head(text: str, width: int) -> str:
    """The longest start of ``text`` at most ``width`` cells wide (at least one character)."""
    size = 0
    for i, ch in enumerate(text):
        size += cell_len(ch)
        if size > width:
            return text[: max(i, 1)]
    return text


def fit_columns(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    width: int,
    *,
    drop_first: Sequence[str] = (),
) -> tuple[dict[str, int], list[str]]:
    """Column widths that fit a table into ``width`` terminal cells, and the columns kept.

    Narrow columns (names, numbers, roles) and every header keep their full width; wide ones
    (titles, clauses) shrink, down to the widest piece they can be wrapped at (at least 12 and
    at most 20 cells); when even that does not fit, columns are left out: those named in
    ``drop_first`` first, then the last ones.

    >>> row = ["市教育局", "牵头单位：市教育局" * 8, "x#1"]
    >>> fit_columns(["unit", "evidence", "uid"], [row], 40, drop_first=["uid"])
    ({'unit': 8, 'evidence': 19, 'uid': 3}, ['unit', 'evidence', 'uid'])
    >>> fit_columns(["unit", "evidence", "uid"], [row], 33, drop_first=["uid"])
    ({'unit': 8, 'evidence': 18}, ['unit', 'evidence'])
    """
    natural: dict[str, int] = {}
    minimum: dict[str, int] = {}
    for i, col in enumerate(columns):
        values = [row[i] for row in cells]
        longest = max((cell_len(line) for v in values for line in v.split("\n")), default=0)
        natural[col] = max(cell_len(col), longest, 1)
        if natural[col] <= _NARROW:
            minimum[col] = natural[col]
        else:
            piece = max((cell_len(s) for v in values for s in _segments(v)), default=0)
            minimum[col] = max(cell_len(col), min(piece, _MIN_PIECE), _MIN_WRAP)
    kept = list(columns)

    def frame(cols: Sequence[str]) -> int:  # rich's borders and padding: 3 a column, plus 1
        return 3 * len(cols) + 1

    order = [c for c in drop_first if c in columns]
    order += [c for c in reversed(columns) if c not in order]
    while len(kept) > 1 and sum(minimum[c] for c in kept) + frame(kept) > width:
        kept.remove(next(c for c in order if c in kept))
    widths = {c: natural[c] for c in kept}
    spare = width - frame(kept) - sum(widths.values())
    wide = [c for c in kept if natural[c] > minimum[c]]
    while spare < 0 and wide:
        # take from the widest shrinkable column, one cell at a time
        col = max(wide, key=lambda c: widths[c] - minimum[c])
        if widths[col] <= minimum[col]:
            break
        widths[col] -= 1
        spare += 1
    return widths, kept


#: Rows of a streamed table held at once: the first chunk sizes the columns.
TABLE_CHUNK = 1000


def _stream_table(
    rows: Iterator[Mapping[str, Any]],
    *,
    title: str | None,
    drop_first: Sequence[str],
    out: TextIO | None,
) -> int:
    """A table printed chunk by chunk (see :func:`stream_rows`)."""
    first = list(itertools.islice(rows, TABLE_CHUNK))
    console = Console(file=out) if out is not None else Console()
    if not console.is_terminal:
        console = Console(file=out, width=_piped_width())
    emit_rows(first, "table", title=title, drop_first=drop_first, console=console)
    count = len(first)
    if count < TABLE_CHUNK:
        return count
    cols = list(first[0].keys())
    texts = [[table_cell(c, r.get(c)) for c in cols] for r in first]
    widths, kept = fit_columns(cols, texts, console.width, drop_first=(*drop_first, *_LOW))
    index = [cols.index(c) for c in kept]
    while chunk := list(itertools.islice(rows, TABLE_CHUNK)):
        # Later cells wrap (or are cut with an ellipsis) in the first chunk's widths.
        table = Table(show_header=False, show_lines=False)
        for c in kept:
            table.add_column(width=widths[c], no_wrap=True, overflow="ellipsis")
        for row in chunk:
            cells = [table_cell(c, row.get(c)) for c in cols]
            table.add_row(*(Text(wrap_cell(cells[i], widths[cols[i]])) for i in index))
        console.print(table)
        console.file.flush()
        count += len(chunk)
    return count


def stream_rows(
    rows: Iterable[Mapping[str, Any]],
    fmt: str = "table",
    *,
    title: str | None = None,
    drop_first: Sequence[str] = (),
    out: TextIO | None = None,
) -> int:
    """Print rows as they come: ``json`` writes the same array :func:`render_rows` does, one
    row at a time; ``csv`` a header (the first row's keys) then each row; a ``table`` takes its
    columns' widths from the first :data:`TABLE_CHUNK` rows and prints every further chunk as
    a table of the same columns and widths, so no more than a chunk is ever held. Returns the
    number of rows.

    >>> import io
    >>> buf = io.StringIO()
    >>> stream_rows(iter([{"a": 1}, {"a": 2}]), "csv", out=buf), buf.getvalue()
    (2, 'a\\n1\\n2\\n')
    """
    if fmt == "table":
        return _stream_table(iter(rows), title=title, drop_first=drop_first, out=out)
    file = out if out is not None else sys.stdout
    count = 0
    columns: list[str] = []
    writer = csv.writer(file, lineterminator="\n")
    for row in rows:
        if fmt == "json":
            body = textwrap.indent(json.dumps(dict(row), ensure_ascii=False, indent=2), "  ")
            file.write(("[\n" if count == 0 else ",\n") + body)
        else:
            if count == 0:
                columns = list(row.keys())
                writer.writerow(columns)
            values = [row.get(c) for c in columns]
            writer.writerow(
                [
                    json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else _cell(v)
                    for v in values
                ]
            )
        file.flush()
        count += 1
    if fmt == "json":
        file.write("\n]\n" if count else "[]\n")
    elif count == 0:
        file.write("\n")
    file.flush()
    return count


#: The widest a summary's tables are, so they read in any terminal.
SUMMARY_WIDTH = 80


def _kinds_cell(plan: Mapping[str, Any], kinds: Sequence[str]) -> str:
    return "、".join(f"{gap_label(k)} {plan[k]}" for k in kinds if plan.get(k))


def summary_tables(summary: Summary) -> list[tuple[str, list[Row]]]:
    """The tables a summary shows, (title, rows) each: gap kinds by their Chinese label
    (never a raw kind key), a plan's id as ``plan``; ``gaps`` shows its first findings in one
    table per kind, with the unit only for kinds that name one.

    >>> from dutygraph.queries.summary import Summary
    >>> [t for t, _ in summary_tables(Summary("partners", 0))]
    ['By role pair', 'Pairs sharing most tasks (first 0)']
    """

    def plans(what: str) -> tuple[str, list[Row]]:
        rows = [{"plan": p["doc_id"], **_without(p, "doc_id")} for p in summary.plans]
        return (f"Plans with most {what} (first {len(rows)})", rows)

    if summary.query == "gaps":
        kinds = [c["kind"] for c in summary.counts]
        tables = [
            (
                "By kind",
                [{"kind": gap_label(c["kind"]), "findings": c["findings"]} for c in summary.counts],
            ),
            plans("findings"),
        ]
        tables[1][1][:] = [
            {"plan": p["plan"], "findings": p["findings"], "kinds": _kinds_cell(p, kinds)}
            for p in tables[1][1]
        ]
        for c in summary.counts:
            rows = [r for r in summary.top if r["kind"] == c["kind"]]
            named = any(r["unit"] is not None for r in rows)
            keys = ("uid", "title", "unit", "evidence") if named else ("uid", "title", "evidence")
            if rows:
                title = f"{gap_label(c['kind'])}: the first {len(rows)} of {c['findings']:,}"
                tables.append((title, [{k: r[k] for k in keys} for r in rows]))
        return tables
    if summary.query == "tasks-of":
        return [
            ("By role (direct, or derived via a collective)", list(summary.counts)),
            plans("assignments"),
            (
                f"The first {len(summary.top)} tasks",
                [{k: r[k] for k in ("uid", "title", "role", "via")} for r in summary.top],
            ),
        ]
    if summary.query == "sections":
        return [
            ("Sections", list(summary.counts)),
            plans("tasks without a lead"),
            (
                f"Where leading is most concentrated (first {len(summary.top)})",
                [
                    {"plan": r["doc_id"], **{k: r[k] for k in _CONCENTRATED_COLUMNS}}
                    for r in summary.top
                ],
            ),
        ]
    pairs = len({(r["unit_a"], r["unit_b"]) for r in summary.top})
    return [
        ("By role pair", list(summary.counts)),
        (f"Pairs sharing most tasks (first {pairs})", list(summary.top)),
    ]


_CONCENTRATED_COLUMNS = ("section", "section_title", "leads", "top_unit", "hhi")


def _without(row: Mapping[str, Any], key: str) -> Row:
    return {k: v for k, v in row.items() if k != key}


def emit_summary(summary: Summary, fmt: str, *, title: str, console: Console | None = None) -> None:
    """Print a summary: one JSON object (``json``), or its tables within
    :data:`SUMMARY_WIDTH` columns after a line with the title and the number of rows."""
    if fmt == "json":
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    if console is None:
        console = Console()
        width = console.width if console.is_terminal else _piped_width()
        console = Console(width=min(width, SUMMARY_WIDTH), force_terminal=False)
    console.print(
        Text(f"{title}: {summary.total:,} rows (a summary; --all lists every row)"),
        soft_wrap=True,
    )
    for heading, rows in summary_tables(summary):
        emit_rows(
            rows, "table", title=heading, console=console, drop_first=("uid", "section_title")
        )
