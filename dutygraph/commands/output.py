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
import json
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["FORMATS", "emit_rows", "render_rows"]

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
) -> None:
    """Print rows: a table (CJK-width aware, via rich) or :func:`render_rows` output."""
    if fmt != "table":
        print(render_rows(rows, fmt, columns).rstrip("\n"))
        return
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped: wide enough for Chinese evidence columns
            console = Console(width=160)
    cols = list(columns or (rows[0].keys() if rows else []))
    # Document text is shown as text: never read as rich markup (``[牵头]``, ``[/x]``).
    table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
    for c in cols:
        table.add_column(Text(c), overflow="fold")
    for r in rows:
        table.add_row(*(Text(_cell(r.get(c))) for c in cols))
    if not rows:
        console.print(f"{title + ': ' if title else ''}no rows", soft_wrap=True, markup=False)
        return
    console.print(table)
