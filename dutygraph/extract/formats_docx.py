"""Text of a ``.docx`` file: paragraphs and tables in reading order.

A table row becomes one line, its cells joined by ``' | '``. A 任务分工 table (a header row
with 牵头单位/责任单位/配合单位/… columns and a 序号 or 任务/工作/内容… column) becomes
numbered items with a labelled clause, ``<序号>.<任务>（牵头单位：…；配合单位：…）``, which the
plain-text parser reads like any other item; other columns (完成时限, 备注) are left out.
Automatic Word numbering, content controls and tables nested in cells are not rendered.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell

from dutygraph.errors import InputError

__all__ = ["MAX_UNPACKED_BYTES", "docx_text"]

_ROLE_HEADER = re.compile(r"(牵头|责任|配合|协办|参与|主办)(单位|部门)")
_NUMBER_HEADERS = {"序号", "编号", "序"}
_TASK_WORDS = ("任务", "工作", "内容", "事项", "措施", "举措", "要点")
_JOINING_PUNCTUATION = tuple("。；;！!？?：:，,、")
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
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError):
        raise InputError("not a valid .docx file", path=path, hint=_RESAVE) from None
    body = getattr(document.element, "body", None)
    if body is None:  # a document part that is XML, but not a Word document
        raise InputError("not a valid .docx file (no document body)", path=path, hint=_RESAVE)
    _check_grid(body, path)
    lines: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except ValueError:  # an attribute python-docx cannot convert, such as w:val="x"
        raise InputError("not a valid .docx file (bad values)", path=path, hint=_RESAVE) from None
    return "\n".join(lines)


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


def _table_lines(table: Table) -> Iterator[str]:
    header: _Header | None = None
    number = 0
    for row in table.rows:
        cells = row.cells
        unique = _unique_cells(cells)
        if len(unique) == 1:  # one cell across the row: a title or a section heading
            if text := _cell_text(unique[0]):
                yield text
            continue
        texts = [_cell_text(cell) for cell in cells]
        if header is None:
            header = _Header.find(texts)
            if header is None and any(texts):
                yield " | ".join(_cell_text(cell) for cell in unique)
        elif [_squash(text) for text in texts] != header.labels:  # not a repeated header row
            line = header.render(cells, number)
            if line is not None:
                number = _next_number(line, number)
                yield line


class _Header:
    """The columns of a 任务分工 table: number, task, and labelled role columns."""

    def __init__(
        self, labels: list[str], number: int | None, task: int, roles: dict[int, str]
    ) -> None:
        self.labels = labels
        self.number = number
        self.task = task
        self.roles = roles

    @classmethod
    def find(cls, texts: list[str]) -> _Header | None:
        labels = [_squash(text) for text in texts]
        roles: dict[int, str] = {}
        for index, label in enumerate(labels):
            match = _ROLE_HEADER.match(label)
            if match and len(label) <= 12 and match[0] not in roles.values():
                roles[index] = match[0]
        if not roles:
            return None
        number = next((i for i, label in enumerate(labels) if label in _NUMBER_HEADERS), None)
        others = [i for i in range(len(labels)) if i != number and i not in roles]
        if not others:
            return None
        tasky = [i for i in others if any(word in labels[i] for word in _TASK_WORDS)]
        if number is None and not tasky:  # e.g. a two-column 牵头单位 | 市教育局 table
            return None
        return cls(labels, number, (tasky or others)[0], roles)

    def render(self, cells: Sequence[_Cell], previous: int) -> str | None:
        """``<序号>.<任务>（<role>：<units>；…）``, or ``None`` for a row without a task."""

        def text(index: int | None, joiner: str | None = None) -> str:
            if index is None or index >= len(cells):
                return ""
            return _cell_text(cells[index], joiner)

        task = text(self.task)
        if not task:
            return None
        roles = [(label, text(index, "、")) for index, label in self.roles.items()]
        clause = "；".join(f"{label}：{units}" for label, units in roles if units)
        number = text(self.number).rstrip(".．、 ") or str(previous + 1)
        dot = "" if number.endswith((")", "）")) else "."
        return f"{number}{dot}{task}" + (f"（{clause}）" if clause else "")


def _next_number(line: str, previous: int) -> int:
    digits = re.match(r"\d+", line)
    return int(digits[0]) if digits else previous + 1


def _unique_cells(cells: Sequence[_Cell]) -> list[_Cell]:
    """The cells of a row with the repeats of horizontally merged cells dropped."""
    unique: list[_Cell] = []
    for cell in cells:
        if not unique or unique[-1]._tc is not cell._tc:
            unique.append(cell)
    return unique


def _cell_text(cell: _Cell, joiner: str | None = None) -> str:
    """A cell's paragraphs on one line, with ``joiner`` between them.

    Without a joiner, paragraphs are glued directly after CJK punctuation and by a space
    otherwise.
    """
    paragraphs: list[str] = [text for p in cell.paragraphs if (text := str(p.text).strip())]
    if joiner is not None:
        return joiner.join(paragraphs)
    text = ""
    for paragraph in paragraphs:
        glue = "" if not text or text.endswith(_JOINING_PUNCTUATION) else " "
        text += glue + paragraph
    return text


def _squash(text: str) -> str:
    return "".join(text.split()).rstrip(":：")
