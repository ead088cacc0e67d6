"""Text of a spreadsheet plan (``.xlsx``, ``.xls``, ``.csv``): its 任务分工 tables as items.

Every sheet is read into the shared :class:`~dutygraph.extract.tables.Table` (merged cells
carried to every cell they cover) and rendered by
:func:`~dutygraph.extract.tables.render_blocks`: a plan table's rows become numbered items with
one labelled clause. Sheets without a plan table are left out when another sheet has one; a
workbook without any is refused with one line saying what a sheet needs. ``.xlsx`` is read with
openpyxl in read-only mode (the merged ranges are read from the sheet's XML), ``.xls`` with
xlrd, ``.csv`` decoded by :func:`~dutygraph.extract.decode.decode_bytes` with its separator
(``,`` ``;`` tab) sniffed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from dutygraph.errors import InputError
from dutygraph.extract.decode import decode_bytes
from dutygraph.extract.tables import Table, plan_columns, render_blocks

__all__ = ["MAX_SHEET_CELLS", "csv_text", "xls_text", "xlsx_text"]

#: Cells read at most from one workbook: far beyond any plan's task table.
MAX_SHEET_CELLS = 2_000_000
_MAX_UNPACKED_BYTES = 1_000_000_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NO_TABLE = "no 任务分工 table found: a sheet needs a header row with 牵头单位/责任单位 columns"
_NO_TABLE_HINT = "check that it is the plan's task table, or save the plan's text as .txt"
_LOCKED_HINT = "open it in Excel or WPS, remove the password and save it again"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def xlsx_text(data: bytes, *, path: str = "<bytes>") -> str:
    """The plan tables of an ``.xlsx`` workbook as text, sheet by sheet.

    Raises
    ------
    InputError
        For a corrupt or password-protected workbook, one whose sheets are all empty, or one
        without a plan table.

    Examples
    --------
    >>> import openpyxl
    >>> book = openpyxl.Workbook()
    >>> sheet = book.active
    >>> sheet.append(["序号", "工作任务", "牵头单位", "配合单位"])
    >>> sheet.append([1, "加强学习。", "市教育局", "团市委、市妇联"])
    >>> buffer = io.BytesIO()
    >>> book.save(buffer)
    >>> print(xlsx_text(buffer.getvalue()))
    1.加强学习。（牵头单位：市教育局；配合单位：团市委、市妇联）
    >>> xlsx_text(b"PK not really", path="plan.xlsx")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: plan.xlsx: not a valid .xlsx file; open it in Excel or WPS and \
save it as .xlsx
    """
    import openpyxl  # imported on use

    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError("is password-protected", path=path, hint=_LOCKED_HINT)
        hint = "rename it to .xls, or save it as .xlsx"
        raise InputError("is an old Excel (.xls) file, not .xlsx", path=path, hint=hint)
    resave = "open it in Excel or WPS and save it as .xlsx"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(info.file_size for info in package.infolist()) > _MAX_UNPACKED_BYTES:
                hint = "split the workbook, or save its table as .csv"
                raise InputError("is too large when unpacked", path=path, hint=hint)
            merges = _xlsx_merges(package)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InputError:
        raise
    except Exception:  # openpyxl raises many kinds on a broken package
        raise InputError("not a valid .xlsx file", path=path, hint=resave) from None
    tables: list[Table] = []
    cells = 0
    try:
        for sheet in book.worksheets:
            rows: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True):
                cells += len(values)
                if cells > MAX_SHEET_CELLS:
                    msg = f"has more than {MAX_SHEET_CELLS:,} cells"
                    hint = "split the workbook, or save its table as .csv"
                    raise InputError(msg, path=path, hint=hint)
                rows.append([_value(value) for value in values])
            tables.append(Table.from_merges(rows, merges.get(sheet.title, []), sheet.title))
    except InputError:
        raise
    except Exception:
        raise InputError("not a valid .xlsx file (bad cells)", path=path, hint=resave) from None
    finally:
        book.close()
    return _sheets_text(tables, path)


def _xlsx_merges(package: zipfile.ZipFile) -> dict[str, list[tuple[int, int, int, int]]]:
    """The merged ranges of each sheet, by sheet name (read-only openpyxl does not give them)."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(rel_ns), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part not in package.namelist():
            continue
        found: list[tuple[int, int, int, int]] = []
        with package.open(part) as stream:
            for _, element in ElementTree.iterparse(stream):
                if element.tag == f"{_MAIN_NS}mergeCell":
                    found.extend(_range(element.get("ref", "")))
                elif element.tag == f"{_MAIN_NS}row":
                    element.clear()
        merges[sheet.get("name", "")] = found
    return merges


def _range(ref: str) -> Iterator[tuple[int, int, int, int]]:
    """``A1:C2`` as 0-based ``(first_row, first_col, last_row, last_col)``."""
    ends = [_REF.fullmatch(part) for part in ref.upper().split(":")]
    if len(ends) == 2 and ends[0] and ends[1]:
        (c0, r0), (c1, r1) = ((_column(m[1]), int(m[2]) - 1) for m in ends)  # type: ignore[index]
        yield r0, c0, r1, c1


def _column(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number - 1


def _value(value: object) -> str:
    """A cell's value as written: whole numbers without ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def xls_text(data: bytes, *, path: str = "<bytes>") -> str:
    """The plan tables of an old Excel ``.xls`` workbook as text, sheet by sheet (see
    :func:`xlsx_text`).

    Examples
    --------
    >>> xls_text(b"not a workbook", path="plan.xls")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: plan.xls: not a valid .xls file; open it in Excel or WPS and \
save it as .xlsx
    """
    import xlrd  # imported on use

    resave = "open it in Excel or WPS and save it as .xlsx"
    if data.startswith(b"PK"):
        raise InputError("is an .xlsx file, not .xls", path=path, hint="rename it to .xlsx")
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise InputError("is password-protected", path=path, hint=_LOCKED_HINT) from None
        raise InputError("not a valid .xls file", path=path, hint=resave) from None
    except Exception:
        raise InputError("not a valid .xls file", path=path, hint=resave) from None
    tables: list[Table] = []
    cells = 0
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            cells += sheet.nrows * sheet.ncols
            if cells > MAX_SHEET_CELLS:
                msg = f"has more than {MAX_SHEET_CELLS:,} cells"
                hint = "split the workbook, or save its table as .csv"
                raise InputError(msg, path=path, hint=hint)
            rows = [
                [_xls_value(sheet.cell(r, c), book.datemode) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)
            ]
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            tables.append(Table.from_merges(rows, merges, sheet.name))
    except InputError:
        raise
    except Exception:
        raise InputError("not a valid .xls file (bad cells)", path=path, hint=resave) from None
    finally:
        book.release_resources()
    return _sheets_text(tables, path)


def _xls_value(cell: object, datemode: int) -> str:
    import xlrd

    ctype = getattr(cell, "ctype", xlrd.XL_CELL_EMPTY)
    value = getattr(cell, "value", "")
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return _value(xlrd.xldate_as_datetime(float(value), datemode))  # type: ignore[arg-type]
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _value(value)
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _value(value)


def csv_text(data: bytes, *, path: str = "<bytes>") -> tuple[str, str]:
    """``(text, encoding)`` of a ``.csv`` plan table; the separator (``,`` ``;`` tab) is sniffed.

    Examples
    --------
    >>> data = "序号;工作任务;牵头单位\\n1;加强学习。;市教育局\\n".encode("gb18030")
    >>> csv_text(data)
    ('1.加强学习。（牵头单位：市教育局）', 'gb18030')
    """
    text, encoding = decode_bytes(data, path=path)
    sample = "\n".join(text.split("\n")[:50])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        counts = {sep: sample.count(sep) for sep in ",;\t"}
        dialect = csv.excel_tab if max(counts, key=lambda s: counts[s]) == "\t" else csv.excel
        if counts[";"] > max(counts[","], counts["\t"]):
            dialect = _Semicolon
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        msg = f"not a valid .csv file ({exc})"
        raise InputError(msg, path=path, hint="save it again as CSV") from None
    table = Table.from_rows([[cell.strip() for cell in row] for row in rows], "csv")
    return _sheets_text([table], path), encoding


class _Semicolon(csv.excel):
    delimiter = ";"


def _sheets_text(tables: list[Table], path: str) -> str:
    """The text of the sheets' plan tables, or the error for a workbook without any."""
    filled = [t for t in tables if any(cell.strip() for row in t.rows for cell in row)]
    if not filled:
        hint = "check that it is the right file"
        raise InputError("has no cells: every sheet is empty", path=path, hint=hint)
    plans = [t for t in filled if plan_columns(t) is not None]
    if not plans:
        raise InputError(_NO_TABLE, path=path, hint=_NO_TABLE_HINT)
    return "\n".join(render_blocks(plans))
