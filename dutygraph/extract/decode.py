"""Decoding bytes into text: byte-order marks, UTF-8, GB18030 and friends, metadata lines.

The readers of every format share these helpers; :mod:`dutygraph.extract.read` picks a reader by
the file's suffix.

>>> text, encoding = decode_bytes("一、加强统筹谋划\\r\\n".encode("gb18030") * 20)
>>> encoding, text.splitlines()[0]
('gb18030', '一、加强统筹谋划')
"""

from __future__ import annotations

import codecs
import re

from dutygraph.errors import InputError

__all__ = [
    "META_KEYS",
    "decode_bytes",
    "looks_like_text",
    "meta_from_lines",
    "meta_label",
    "normalise_encoding",
    "normalise_newlines",
]

#: The metadata labels of a government page (信息公开 table) that readers put into ``meta``.
META_KEYS = ("索引号", "发布机构", "发文日期", "名称", "文号", "主题分类", "成文日期")

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
