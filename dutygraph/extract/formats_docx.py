"""Text of a ``.docx`` file: paragraphs and tables in reading order.

Tables are read into the shared model of :mod:`dutygraph.extract.tables` (merged cells carried
to every grid cell they cover): a 任务分工 table becomes numbered items with one labelled clause,
``<序号>.<任务>（牵头单位：…；配合单位：…；完成时限：…）``, which the plain-text parser reads like
any other item, and beside such a table the prose keeps only its preamble (see
:func:`~dutygraph.extract.tables.render_blocks`); another table gives one line per row, its
cells joined by ``' | '``. Automatic Word numbering, content controls and tables nested in
cells are not rendered.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.table import _Cell

from dutygraph.errors import InputError
from dutygraph.extract.numbering import number_paragraphs
from dutygraph.extract.tables import Block, Table, render_blocks

__all__ = ["MAX_UNPACKED_BYTES", "docx_text"]

_RESAVE = "open it in Word or WPS and save it as .docx (an old .doc file must be converted)"
#: Word allows 63 columns; a span beyond this is not from a real document.
_MAX_GRID_COLUMNS = 1000
#: Table cells (grid columns × rows) read at most: far beyond any plan's task table.
_MAX_TABLE_CELLS = 5_000_000
#: What the parts of a package may unpack to at most.
MAX_UNPACKED_BYTES = 1_000_000_000


def docx_text(data: bytes, *, path: str = "<bytes>") -> str:
    """Return the text of a ``.docx`` file's body, one line per paragraph or table row.

    Raises
    ------
    InputError
        If the bytes are not a Word document (not a zip, or a zip without a document part).

    Examples
    --------
    >>> doc = docx.Document()
    >>> _ = doc.add_paragraph("一、加强统筹谋划")
    >>> table = doc.add_table(rows=2, cols=4)
    >>> for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "配合单位"]):
    ...     cell.text = text
    >>> for cell, text in zip(table.rows[1].cells, ["1", "加强理论学习。", "市教育局", ""]):
    ...     cell.text = text
    >>> buffer = io.BytesIO()
    >>> doc.save(buffer)
    >>> print(docx_text(buffer.getvalue()))
    一、加强统筹谋划
    1.加强理论学习。（牵头单位：市教育局）
    >>> docx_text(b"PK not really", path="plan.docx")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: plan.docx: not a valid .docx file; open it in Word or WPS and \
save it as .docx (an old .doc file must be converted)
    """
    _check_unpacked_size(data, path)
    data = number_paragraphs(data)  # Word's automatic 一、 1. numbers, written into the text
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError):
        raise InputError("not a valid .docx file", path=path, hint=_RESAVE) from None
    body = getattr(document.element, "body", None)
    if body is None:  # a document part that is XML, but not a Word document
        raise InputError("not a valid .docx file (no document body)", path=path, hint=_RESAVE)
    _check_grid(body, path)
    blocks: list[Block] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, DocxTable):
                blocks.append(_table(block, sum(isinstance(b, Table) for b in blocks) + 1))
            else:
                blocks.append(block.text)
    except ValueError:  # an attribute python-docx cannot convert, such as w:val="x"
        raise InputError("not a valid .docx file (bad values)", path=path, hint=_RESAVE) from None
    return "\n".join(render_blocks(blocks))


def _check_unpacked_size(data: bytes, path: str) -> None:
    """Refuse a package that would unpack to more than :data:`MAX_UNPACKED_BYTES` (a zip bomb
    would otherwise be read into memory whole)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            size = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # python-docx says what is wrong
    if size > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // 1_000_000
        msg = f"is too large: it unpacks to {size // 1_000_000:,} MB (the limit is {limit:,} MB)"
        raise InputError(msg, path=path, hint="split the document, or save its text as .txt")


def _check_grid(body: Any, path: str) -> None:
    """Refuse tables that claim more cells than a real document has.

    python-docx expands ``w:gridSpan``/``w:gridBefore``/``w:gridAfter`` into one cell object
    per grid column, so a few bytes claiming a span of 10^11 columns (or a million rows of
    1,000) would exhaust the memory. Word allows 63 columns.
    """
    spans = body.xpath(".//w:gridSpan/@w:val | .//w:gridBefore/@w:val | .//w:gridAfter/@w:val")
    cells = int(body.xpath("count(.//w:tc)"))
    for value in spans:
        text = str(value).strip()
        if not text.isdigit() or int(text) > _MAX_GRID_COLUMNS:
            msg = f"not a valid .docx file (a table cell spans {text[:20]} columns)"
            raise InputError(msg, path=path, hint=_RESAVE)
        cells += int(text)
    if cells > _MAX_TABLE_CELLS:
        msg = f"has tables of {cells:,} cells (the limit is {_MAX_TABLE_CELLS:,})"
        raise InputError(msg, path=path, hint="split the document, or save its text as .txt")


def _table(table: DocxTable, index: int) -> Table:
    """A Word table in the shared model: python-docx repeats a merged cell in every grid cell
    it covers, and the identity of its ``w:tc`` element tells a merge from a repeated value."""
    ids: dict[int, int] = {}
    rows: list[list[str]] = []
    anchors: list[tuple[int, ...]] = []
    for row in table.rows:
        cells = row.cells
        rows.append([_cell_text(cell) for cell in cells])
        anchors.append(tuple(ids.setdefault(id(cell._tc), len(ids)) for cell in cells))
    width = max((len(row) for row in rows), default=0)
    for r, row in enumerate(rows):  # rows shorter than the grid (w:gridAfter)
        missing = width - len(row)
        if missing:
            row.extend([""] * missing)
            anchors[r] = anchors[r] + tuple(range(-len(ids) - missing, -len(ids)))
    grid = tuple(tuple(row) for row in rows)
    return Table(grid, tuple(anchors), origin=f"table {index}")


def _cell_text(cell: _Cell) -> str:
    """A cell's non-empty paragraphs, one a line."""
    return "\n".join(text for p in cell.paragraphs if (text := str(p.text).strip()))
