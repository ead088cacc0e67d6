"""Read work-plan files into text: the I/O and decoding step, before any parsing.

:func:`read_source` turns one ``.txt``/``.md``/``.docx``/``.html``/``.pdf``/``.xlsx``/``.xls``/
``.csv`` file (or a legacy ``.doc``/``.wps``/``.rtf``/``.odt`` file, through LibreOffice) into a
:class:`SourceText`, whose ``text`` is what every character span of the parser points into.
:func:`read_sources` reads many files and directories and keeps going past a bad one.
Anything unusable raises :class:`~dutygraph.errors.InputError`, which names the file and says
what to do. The readers for ``.docx``, ``.html`` and ``.pdf`` live in ``formats_*`` modules,
decoding in :mod:`dutygraph.extract.decode`.

>>> from dutygraph import example_path
>>> src = read_source(example_path())
>>> src.format, src.encoding, src.text.splitlines()[0][:6]
('txt', 'utf-8', '索 引 号:')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dutygraph.errors import InputError
from dutygraph.extract.decode import META_KEYS, decode_bytes, meta_from_lines, normalise_newlines
from dutygraph.extract.formats_html import html_text
from dutygraph.extract.formats_office import OFFICE_SUFFIXES, office_text
from dutygraph.extract.formats_text import text_blocks
from dutygraph.extract.tables import Table, render_blocks

__all__ = [
    "META_KEYS",
    "SUPPORTED_SUFFIXES",
    "SourceText",
    "decode_bytes",
    "iter_paths",
    "read_source",
    "read_sources",
    "text_with_tables",
]

SUPPORTED_SUFFIXES = (
    ".txt", ".text", ".md", ".docx", ".html", ".htm", ".pdf", ".xlsx", ".xls", ".csv",
    *OFFICE_SUFFIXES,
)  # fmt: skip

_FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".html": "html"}
_FORMATS |= {".htm": "html", ".pdf": "pdf", ".xlsx": "xlsx", ".xls": "xls", ".csv": "csv"}
_FORMATS |= {suffix: suffix[1:] for suffix in OFFICE_SUFFIXES}


@dataclass(frozen=True)
class SourceText:
    """One file's text, ready for the parser, and where it came from.

    ``text`` has ``\\n`` line endings only; character spans point into it. ``encoding`` is the
    encoding used for ``txt``/``html`` files and ``None`` for ``docx``/``pdf``. ``meta`` holds the
    non-empty metadata fields the reader found, keyed by the labels in :data:`META_KEYS`.
    ``sha256`` is the hex digest of the raw file bytes.

    >>> src = SourceText("plan.txt", "1.加强理论学习。", "txt", "utf-8", {}, "0" * 64)
    >>> src.format, src.text[:2]
    ('txt', '1.')
    """

    path: str
    text: str
    format: str
    encoding: str | None
    meta: dict[str, str] = field(hash=False)
    sha256: str


def read_source(path: str | os.PathLike[str]) -> SourceText:
    """Read one work-plan file, chosen by its suffix (case-insensitive).

    ``.txt``/``.text``/``.md`` are decoded with :func:`decode_bytes`; ``.docx`` gives paragraphs
    and tables in reading order (a 任务分工 table becomes numbered items with a labelled
    clause); ``.html``/``.htm`` gives the article body, one line per block, and the page's
    metadata table; ``.pdf`` gives the text layer of every page; ``.xlsx``/``.xls``/``.csv``
    give the plan tables of every sheet. A plan table anywhere (an HTML ``<table>``, a Word
    table, a sheet, text rows with ``|``/tabs/space runs) becomes numbered items with a
    labelled clause (:mod:`dutygraph.extract.tables`).
    ``.doc``/``.wps``/``.rtf``/``.odt`` are converted to ``.docx`` by LibreOffice when it is
    installed, then read as ``.docx``.

    Raises
    ------
    InputError
        For a missing file, a directory, an unsupported suffix, an empty file or one that
        cannot be decoded or opened.

    Examples
    --------
    >>> read_source("no/such/plan.txt")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: no/such/plan.txt: no such file; check the path
    """
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    if os.path.isdir(name):
        raise InputError("is a directory, not a file", path=name, hint="pass the files inside it")
    if not os.path.exists(name):
        raise InputError("no such file", path=name, hint="check the path")
    if suffix not in _FORMATS:
        what = f"unsupported file type '{suffix}'" if suffix else "has no file suffix"
        raise InputError(what, path=name, hint="supported: " + " ".join(SUPPORTED_SUFFIXES))
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        msg = f"cannot read the file ({exc.strerror})"
        raise InputError(msg, path=name, hint="check that it is readable") from None
    if not data:
        raise InputError("is empty", path=name, hint="check that it was saved completely")
    fmt = _FORMATS[suffix]
    encoding: str | None = None
    if fmt == "txt":
        text, encoding = decode_bytes(data, path=name)
        text = text_with_tables(text)
        meta = meta_from_lines(text)
    elif fmt in ("xlsx", "xls", "csv"):
        from dutygraph.extract import formats_sheet  # openpyxl, xlrd: imported on use

        if fmt == "csv":
            text, encoding = formats_sheet.csv_text(data, path=name)
        else:
            reader = formats_sheet.xlsx_text if fmt == "xlsx" else formats_sheet.xls_text
            text = reader(data, path=name)
        meta = meta_from_lines(text)
    elif fmt == "docx":
        from dutygraph.extract.formats_docx import docx_text  # python-docx: imported on use

        text = docx_text(data, path=name)
        meta = meta_from_lines(text)
    elif fmt == "html":
        text, encoding, meta = html_text(data, path=name)
    elif suffix in OFFICE_SUFFIXES:
        text = office_text(data, path=name, suffix=suffix)
        meta = meta_from_lines(text)
    else:
        from dutygraph.extract.formats_pdf import pdf_text  # pdfplumber: imported on use

        text = pdf_text(data, path=name)
        meta = {}
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError("contains no text", path=name, hint="check that it is the right file")
    digest = hashlib.sha256(data).hexdigest()
    return SourceText(name, text, fmt, encoding, meta, digest)


def text_with_tables(text: str) -> str:
    """A text with each plan table written as rows of cells (``|``, tabs, runs of spaces)
    rendered as numbered items (see :mod:`dutygraph.extract.tables`); other texts unchanged.

    >>> print(text_with_tables("序号\\t工作任务\\t牵头单位\\n1\\t加强学习。\\t市教育局"))
    1.加强学习。（牵头单位：市教育局）
    >>> text_with_tables("1.加强学习。（牵头单位：市教育局）")
    '1.加强学习。（牵头单位：市教育局）'
    """
    blocks = text_blocks(text)
    if not any(isinstance(block, Table) for block in blocks):
        return text
    return "\n".join(render_blocks(blocks))


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Expand files and directories into the files to read, in a stable order.

    Directories are walked recursively and sorted; only supported suffixes are kept, and hidden
    files and directories and Office lock files (``~$*``) are skipped. A file named explicitly
    is yielded whatever its suffix (reading it then says what is wrong). Repeats are dropped.

    Raises
    ------
    InputError
        For a path that does not exist or a directory without a supported file.

    Examples
    --------
    >>> list(iter_paths(["no/such/dir"]))
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: no/such/dir: no such file or directory; check the path
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    seen: set[str] = set()
    for path in paths:
        name = os.fspath(path)
        if os.path.isdir(name):
            found = _walk(name)
            if not found:
                hint = "supported: " + " ".join(SUPPORTED_SUFFIXES)
                raise InputError(f"no supported files in {name}", path=name, hint=hint)
        elif os.path.exists(name):
            found = [name]
        else:
            raise InputError("no such file or directory", path=name, hint="check the path")
        for file in found:
            key = os.path.normpath(file)
            if key not in seen:
                seen.add(key)
                yield file


def _walk(top: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            if file.startswith((".", "~$")):
                continue
            if os.path.splitext(file)[1].lower() in SUPPORTED_SUFFIXES:
                found.append(os.path.join(root, file))
    return sorted(found)


def read_sources(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[SourceText], list[InputError]]:
    """Read many files and directories; a bad file is reported, never fatal.

    Returns the sources read and one :class:`~dutygraph.errors.InputError` per path that could
    not be used (including paths that do not exist), each in input order.

    Examples
    --------
    >>> sources, errors = read_sources(["no/such/plan.txt"])
    >>> sources, [str(err) for err in errors]
    ([], ['no/such/plan.txt: no such file or directory; check the path'])
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    sources: list[SourceText] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    for path in paths:
        try:
            files = list(iter_paths([path]))
        except InputError as err:
            errors.append(err)
            continue
        for file in files:
            if os.path.normpath(file) in seen:
                continue
            seen.add(os.path.normpath(file))
            try:
                sources.append(read_source(file))
            except InputError as err:
                errors.append(err)
    return sources, errors
