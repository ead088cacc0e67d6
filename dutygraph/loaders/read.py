"""Read work-plan files into text: the I/O and decoding step, before any parsing.

:func:`read_source` turns one ``.txt``/``.md``/``.docx``/``.html``/``.pdf`` file into a
:class:`SourceText`, whose ``text`` is what every character span of the parser points into.
:func:`read_sources` reads many files and directories and keeps going past a bad one.
Anything unusable raises :class:`~dutygraph.errors.InputError`, which names the file and says
what to do. The readers for ``.docx``, ``.html`` and ``.pdf`` live in ``formats_*`` modules.

>>> text, encoding = decode_bytes("一、加强统筹谋划\\r\\n".encode("gb18030") * 20)
>>> encoding, text.splitlines()[0]
('gb18030', '一、加强统筹谋划')
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dutygraph.errors import InputError

__all__ = [
    "META_KEYS",
    "SUPPORTED_SUFFIXES",
    "SourceText",
    "decode_bytes",
    "iter_paths",
    "read_source",
    "read_sources",
]

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".docx", ".html", ".htm", ".pdf")
#: The metadata labels of a government page (信息公开 table) that readers put into ``meta``.
META_KEYS = ("索引号", "发布机构", "发文日期", "名称", "文号", "主题分类", "成文日期")

_FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".html": "html"}
_FORMATS |= {".htm": "html", ".pdf": "pdf"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030"}
_SAVE_AS_UTF8 = "save it as UTF-8 text"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Characters that make up real documents (ASCII, Latin, Greek, Cyrillic, symbols, CJK, fullwidth):
# used to tell the right byte order of UTF-16 without a byte-order mark.
_UNCOMMON = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u024f\u0370-\u04ff\u2000-\u2bff\u3000-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
#: Encoding detection looks at this much of a file (then the whole file must decode).
_SAMPLE_BYTES = 1 << 20
_PIPE_LABEL_LINES = 10
_LABEL_LINE = re.compile(r"([^:：]{2,16})[:：](.*)")


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


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of a text file and say which encoding was used.

    A byte-order mark decides first (``utf-8-sig``, ``utf-16``; the mark is dropped). UTF-16
    without a mark is recognised by its NUL bytes (``utf-16-le``/``utf-16-be``). Then strict
    UTF-8; then charset-normalizer's best guess, where GB2312/GBK/GB18030 all become ``gb18030``
    (their superset) and a tie between GB18030 and another encoding goes to GB18030. The guess
    is made on the first MiB of a larger file, which must then decode whole in that encoding
    (else the whole file is looked at). Line endings become ``\\n``.

    Raises
    ------
    InputError
        If the bytes look binary (NUL bytes, many control characters) or no encoding fits.

    Examples
    --------
    >>> decode_bytes("牵头单位：市教育局\\r\\n".encode("utf-16"))
    ('牵头单位：市教育局\\n', 'utf-16')
    >>> decode_bytes(b"\\x00\\x01\\x02\\xff" * 8, path="scan.txt")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: scan.txt: looks like a binary file, not text; save it as UTF-8 text
    """
    text, encoding = _decode(data, path)
    if not looks_like_text(text):
        raise InputError("looks like a binary file, not text", path=path, hint=_SAVE_AS_UTF8)
    return normalise_newlines(text), encoding


def _decode(data: bytes, path: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                msg = f"starts with a {encoding} byte-order mark but is not valid {encoding}"
                raise InputError(msg, path=path, hint=_SAVE_AS_UTF8) from None
    if b"\x00" in data:
        utf16 = _decode_utf16_without_bom(data)
        if utf16 is None:
            raise InputError("looks like a binary file, not text", path=path, hint=_SAVE_AS_UTF8)
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few lines that are not: refuse, naming the line, rather than let
    # another encoding "decode" the UTF-8 majority into mojibake.
    mixed = _non_utf8_lines(data)
    if mixed:
        first, count = mixed
        others = f" and {count - 1} more line{'s' if count > 2 else ''}" if count > 1 else ""
        raise InputError(
            f"mixed encodings: UTF-8 text but this line{others} in another encoding",
            path=path,
            line=first,
            hint="save the whole file as UTF-8 text (text pasted from another file?)",
        )
    sample = _sample(data)
    encoding = _detect(sample, path)
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        pass
    if len(sample) < len(data):  # the sample misled: look at the whole file
        encoding = _detect(data, path)
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError("cannot tell its text encoding", path=path, hint=_SAVE_AS_UTF8)


def _non_utf8_lines(data: bytes) -> tuple[int, int] | None:
    """(first line number, count) of the lines that are not UTF-8, when most lines with
    non-ASCII bytes are: a UTF-8 file with text pasted in another encoding. Else ``None``.

    >>> _non_utf8_lines("第一行\\n".encode() + "第二行\\n".encode("gbk") + "第三行".encode())
    (2, 1)
    """
    bad: list[int] = []
    good = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad.append(number)
    return (bad[0], len(bad)) if bad and good > len(bad) else None


def _sample(data: bytes) -> bytes:
    """The first :data:`_SAMPLE_BYTES` of ``data``, cut after a line end (so that no
    multi-byte character is split in an ASCII-compatible encoding)."""
    if len(data) <= _SAMPLE_BYTES:
        return data
    end = data.rfind(b"\n", 0, _SAMPLE_BYTES)
    return data[: end + 1] if end > 0 else data[:_SAMPLE_BYTES]


def _detect(data: bytes, path: str) -> str:
    """charset-normalizer's best guess, with GB2312/GBK folded into GB18030 (which also wins
    a tie)."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("cannot tell its text encoding", path=path, hint=_SAVE_AS_UTF8)
    encoding = normalise_encoding(best.encoding)
    if any(normalise_encoding(m.encoding) == "gb18030" and m.chaos <= best.chaos for m in matches):
        encoding = "gb18030"
    return encoding


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: NUL bytes mostly in one column (the high byte of ASCII
    characters), and characters that look like a document in that byte order."""
    if len(data) % 2:
        return None
    odd, even = data[1::2].count(0), data[0::2].count(0)
    encoding = "utf-16-le" if odd > even else "utf-16-be" if even > odd else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    common = 1 - len(_UNCOMMON.findall(text)) / len(text)
    return (text, encoding) if common >= 0.9 else None


def looks_like_text(text: str) -> bool:
    """Whether decoded text reads as text: no NUL, at most 2% control characters.

    >>> looks_like_text("1.加强理论学习。\\n"), looks_like_text("PK\\x03\\x04\\x00")
    (True, False)
    """
    return "\x00" not in text and len(_CONTROL.findall(text)) * 50 <= len(text)


def normalise_encoding(name: str) -> str:
    """Python's name for an encoding, with the GB2312/GBK family folded into ``gb18030``.

    >>> normalise_encoding("GB2312"), normalise_encoding("UTF_16_LE"), normalise_encoding("x")
    ('gb18030', 'utf-16-le', 'x')
    """
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name
    return "gb18030" if name in _GB_FAMILY else name


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``.

    >>> normalise_newlines("a\\r\\nb\\rc")
    'a\\nb\\nc'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def meta_label(cell: str) -> str | None:
    """The :data:`META_KEYS` label a cell like ``'索 引 号：'`` stands for, or ``None``.

    >>> meta_label(" 索 引 号： "), meta_label("是否有效:")
    ('索引号', None)
    """
    label = "".join(cell.split()).rstrip(":：")
    return label if label in META_KEYS else None


def _is_label_cell(cell: str) -> bool:
    stripped = cell.strip()
    return stripped.endswith((":", "：")) and len("".join(stripped.split())) <= 9


def meta_from_lines(text: str) -> dict[str, str]:
    """Metadata from the first lines of a text: ``label: | value | label: | value |`` rows.

    Also reads ``label：value`` lines. Empty values (a label followed by a label or nothing)
    are left out.

    >>> meta_from_lines("索 引 号: | 0001/2023-1 | 是否有效: | |\\n发布机构: | 发文日期: | ||")
    {'索引号': '0001/2023-1'}
    >>> meta_from_lines("名称：关于印发工作要点的通知\\n正文")
    {'名称': '关于印发工作要点的通知'}
    """
    meta: dict[str, str] = {}
    for line in text.split("\n")[:_PIPE_LABEL_LINES]:
        if "|" in line:
            cells = line.split("|")
            for cell, value in zip(cells, [*cells[1:], ""], strict=True):
                label = meta_label(cell)
                if label and value.strip() and not _is_label_cell(value):
                    meta.setdefault(label, value.strip())
        else:
            match = _LABEL_LINE.match(line)
            label = meta_label(match[1]) if match else None
            if match and label and match[2].strip():
                meta.setdefault(label, match[2].strip())
    return meta


def read_source(path: str | os.PathLike[str]) -> SourceText:
    """Read one work-plan file, chosen by its suffix (case-insensitive).

    ``.txt``/``.text``/``.md`` are decoded with :func:`decode_bytes`; ``.docx`` gives paragraphs
    and tables in reading order (a 任务分工 table becomes numbered items with a labelled
    clause); ``.html``/``.htm`` gives the article body, one line per block, and the page's
    metadata table; ``.pdf`` gives the text layer of every page.

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
        meta = meta_from_lines(text)
    elif fmt == "docx":
        from dutygraph.loaders.formats_docx import docx_text

        text = docx_text(data, path=name)
        meta = meta_from_lines(text)
    elif fmt == "html":
        from dutygraph.loaders.formats_html import html_text

        text, encoding, meta = html_text(data, path=name)
    else:
        from dutygraph.loaders.formats_pdf import pdf_text

        text = pdf_text(data, path=name)
        meta = {}
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError("contains no text", path=name, hint="check that it is the right file")
    digest = hashlib.sha256(data).hexdigest()
    return SourceText(name, text, fmt, encoding, meta, digest)


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
