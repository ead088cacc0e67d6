"""Plan tables written as text: rows whose cells are separated by ``|``, tabs or space runs.

:func:`text_blocks` finds each such table in a text (a header row with a unit column, then its
rows) and reads it into the shared :class:`~dutygraph.extract.tables.Table`; the rest of the
text stays as it is. :func:`~dutygraph.extract.read.text_with_tables` renders the result.

>>> blocks = text_blocks("某市方案\\n序号 | 工作任务 | 牵头单位\\n1 | 甲 | 市教育局\\n完")
>>> blocks[0], blocks[1].rows, blocks[2]
('某市方案', (('序号', '工作任务', '牵头单位'), ('1', '甲', '市教育局')), '完')
"""

from __future__ import annotations

import re

from dutygraph.extract.tables import (
    HEADER_CELL,
    ROLE_HINT,
    ROLES,
    SECTION_TEXT,
    Block,
    Table,
    clean_label,
    header_kind,
    plan_columns,
    sub_header,
)

__all__ = ["text_blocks"]

_SPACE_RUN = re.compile(r"[ \u3000]{2,}|\t")
_RULE_ROW = re.compile(r"[\s|:：\-—=+]+")


def _separator(line: str) -> str | None:
    stripped = line.strip()
    if "|" in stripped:
        return "|"
    if "\t" in stripped:
        return "\t"
    return " " if _SPACE_RUN.search(stripped) else None


def _split(line: str, sep: str, bordered: bool = False) -> list[str]:
    """The cells of a row; a ``bordered`` table's rows start and end with ``|``."""
    stripped = line.strip()
    if sep == "|":
        if bordered and stripped.startswith("|"):
            stripped = stripped[1:]
        if stripped.endswith("|") and (bordered or stripped.count("|") > 1):
            stripped = stripped[:-1]
        return [cell.strip() for cell in stripped.split("|")]
    if sep == "\t":
        return [cell.strip() for cell in stripped.split("\t")]
    return [cell for cell in _SPACE_RUN.split(stripped) if cell]


def text_blocks(text: str) -> list[Block]:
    """The lines of a text, with each plan table written as rows of cells (separated by ``|``,
    tabs or runs of two spaces or more) read into a :class:`Table`.

    A table starts at a header row with a unit column (and a row of titles just above it, for
    a two-row header) and runs over the rows with the same separator; blank lines, Markdown
    rule rows and section lines (``一、…``) followed by more rows stay inside it.

    >>> blocks = text_blocks("某市方案\\n序号 | 工作任务 | 牵头单位\\n1 | 甲 | 市教育局\\n完")
    >>> blocks[0], blocks[1].rows, blocks[2]
    ('某市方案', (('序号', '工作任务', '牵头单位'), ('1', '甲', '市教育局')), '完')
    """
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        sep = _separator(line) if ROLE_HINT.search(line) else None
        found = _text_table(lines, i, sep) if sep is not None else None
        if found is None:
            blocks.append(line)
            i += 1
            continue
        table, i, took_above = found
        if took_above:
            blocks.pop()
        blocks.append(table)
    return blocks


def _text_table(lines: list[str], start: int, sep: str) -> tuple[Table, int, bool] | None:
    """The table whose header is line ``start``, the line after it, and whether the line
    above (a first header row) is part of it."""
    bordered = lines[start].strip().startswith("|")
    header = _split(lines[start], sep, bordered)
    labels = [clean_label(cell) for cell in header]
    if len(header) < 2 or any(len(label) > HEADER_CELL for label in labels):
        return None  # not a header row: a cheap test before the rows are read
    if not any(header_kind(label) in ROLES for label in labels) and not (
        start + 1 < len(lines) and sub_header(_split(lines[start + 1], sep, bordered))
    ):
        return None
    rows: list[list[str]] = [header]
    merges: list[tuple[int, int, int, int]] = []
    if start > 0 and _separator(lines[start - 1]) == sep:
        above = _split(lines[start - 1], sep, bordered)
        if len(above) >= 2 and all(len(cell) <= HEADER_CELL for cell in above):
            rows.insert(0, above)
    end = start + 1
    j = start + 1
    while j < len(lines):
        line = lines[j].strip()
        if not line or (sep == "|" and _RULE_ROW.fullmatch(line)):
            j += 1
            continue
        cells = _split(line, sep, bordered) if _separator(line) == sep else [line]
        if len(cells) < 2:
            following = next((ln for ln in lines[j + 1 :] if ln.strip()), "")
            if not (SECTION_TEXT.match(line) and _separator(following) == sep):
                break
            merges.append((len(rows), 0, len(rows), len(header) - 1))
        rows.append(cells)
        j += 1
        end = j
    if rows[-1] is header:
        return None
    took_above = rows[0] is not header
    table = Table.from_merges(rows, merges, origin=f"line {start + (0 if took_above else 1)}")
    if plan_columns(table) is None:
        return None
    return table, end, took_above
