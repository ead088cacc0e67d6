"""Write Word's automatic list numbers into a ``.docx`` file's text.

A plan's ``一、`` ``（一）`` ``1、`` are often typed by Word's numbering feature, not by hand: the
paragraph only says "item of list 3, level 0", and the number exists nowhere in the text. The
parser finds items by their numbers, so :func:`number_paragraphs` computes each numbered
paragraph's label from ``word/numbering.xml`` (format, level text, start, restarts) and writes
it as the paragraph's first run. Bullets and levels without a label are left alone.

Counters follow Word: one per abstract list definition and level, a deeper level restarting
when a shallower one advances, a ``startOverride`` restarting the list where its instance is
first used.

>>> label("%1、", 1, {1: (3, "chineseCounting")})
'三、'
>>> label("（%1）", 1, {1: (12, "chineseCounting")})
'（十二）'
>>> label("%1.%2", 2, {1: (2, "decimal"), 2: (4, "decimal")})
'2.4'
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

__all__ = ["chinese_number", "label", "number_paragraphs"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_VAL = f"{{{_W}}}val"
#: What the parts read here may unpack to at most (the .docx reader refuses larger files).
_MAX_PART_BYTES = 200_000_000
_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
#: Formats written with 一 二 … 十 (LibreOffice writes 一, 二, 三 as taiwaneseCountingThousand).
_COUNTING = frozenset(
    {
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    }
)
_LEVEL_REF = re.compile(r"%([1-9])")


def chinese_number(n: int, digits: str = _DIGITS) -> str:
    """``n`` in Chinese counting numerals, as Word's ``chineseCounting`` writes it.

    >>> [chinese_number(n) for n in (1, 10, 11, 20, 23, 100, 105, 0)]
    ['一', '十', '十一', '二十', '二十三', '一百', '一百零五', '〇']
    """
    if n < 10:
        return digits[max(n, 0)]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if not rest else ("零" if rest < 10 else "") + chinese_number(rest, digits)
        if 10 <= rest < 20:
            tail = digits[1] + tail
        return digits[n // 100] + "百" + tail
    return str(n)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, sign in zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    ):
        while n >= value:
            out, n = out + sign, n - value
    return out


def _format(n: int, fmt: str) -> str:
    """One counter in a numbering format (``decimal`` for formats not listed)."""
    if fmt in _COUNTING:
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese_number(n, _LEGAL).replace("十", "拾").replace("百", "佰")
    if fmt == "ideographDigital" or fmt == "taiwaneseDigital":
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _BRANCHES[n - 1]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= 20 else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt == "upperLetter" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)


def label(text: str, level: int, counters: Mapping[int, tuple[int, str]]) -> str:
    """A level's label: ``text`` (Word's ``lvlText``) with each ``%N`` replaced by the counter
    of level ``N`` (1-based) in that level's format; ``counters`` maps a level to its
    ``(value, format)``. A ``%N`` deeper than ``level`` is dropped."""

    def one(match: re.Match[str]) -> str:
        n = int(match[1])
        if n > level or n not in counters:
            return ""
        value, fmt = counters[n]
        return _format(value, fmt)

    return _LEVEL_REF.sub(one, text)


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


def _levels(numbering: etree._Element) -> tuple[dict[str, dict[int, _Level]], dict[str, str]]:
    """The level definitions of each abstract list, and the abstract list of each instance."""
    abstract: dict[str, dict[int, _Level]] = {}
    for node in numbering.iterfind("w:abstractNum", _NS):
        levels: dict[int, _Level] = {}
        for lvl in node.iterfind("w:lvl", _NS):
            ilvl = _int(lvl.get(f"{{{_W}}}ilvl"), 0)
            levels[ilvl] = _Level(
                start=_int(_child_val(lvl, "w:start"), 1),
                fmt=_child_val(lvl, "w:numFmt") or "decimal",
                text=_child_val(lvl, "w:lvlText") or "",
            )
        abstract[node.get(f"{{{_W}}}abstractNumId", "")] = levels
    instances = {
        node.get(f"{{{_W}}}numId", ""): _child_val(node, "w:abstractNumId") or ""
        for node in numbering.iterfind("w:num", _NS)
    }
    return abstract, instances


def _overrides(numbering: etree._Element) -> dict[str, dict[int, int]]:
    """The ``startOverride`` of each list instance, by level."""
    out: dict[str, dict[int, int]] = {}
    for node in numbering.iterfind("w:num", _NS):
        for override in node.iterfind("w:lvlOverride", _NS):
            start = _child_val(override, "w:startOverride")
            if start is not None:
                ilvl = _int(override.get(f"{{{_W}}}ilvl"), 0)
                out.setdefault(node.get(f"{{{_W}}}numId", ""), {})[ilvl] = _int(start, 1)
    return out


def _style_numbering(styles: etree._Element | None) -> dict[str, tuple[str, int]]:
    """The list (instance, level) of each paragraph style that carries numbering, following
    ``basedOn`` links."""
    if styles is None:
        return {}
    direct: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in styles.iterfind("w:style", _NS):
        sid = style.get(f"{{{_W}}}styleId", "")
        num = style.find("w:pPr/w:numPr", _NS)
        if num is not None:
            level = _child_val(num, "w:ilvl")
            direct[sid] = (_child_val(num, "w:numId"), None if level is None else _int(level, 0))
        parent = _child_val(style, "w:basedOn")
        if parent:
            based[sid] = parent
    out: dict[str, tuple[str, int]] = {}
    for sid in set(direct) | set(based):
        cur: str | None = sid
        num_id: str | None = None
        ilvl: int | None = None
        for _ in range(20):  # basedOn chains are short; a cycle must not hang
            if cur is None:
                break
            found = direct.get(cur)
            if found is not None:
                num_id = num_id if num_id is not None else found[0]
                ilvl = ilvl if ilvl is not None else found[1]
            cur = based.get(cur)
        if num_id is not None:
            out[sid] = (num_id, ilvl or 0)
    return out


def number_paragraphs(data: bytes) -> bytes:
    """Return the ``.docx`` bytes with each automatically numbered paragraph's label written
    as its first run (and its numbering removed); other files come back unchanged.

    >>> import docx
    >>> doc = docx.Document()
    >>> for text in ("加强统筹", "加强学习", "完善机制"):
    ...     p = doc.add_paragraph(text, style="List Number")
    >>> buffer = io.BytesIO()
    >>> doc.save(buffer)
    >>> numbered = docx.Document(io.BytesIO(number_paragraphs(buffer.getvalue())))
    >>> [p.text for p in numbered.paragraphs]
    ['1.加强统筹', '2.加强学习', '3.完善机制']
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename: info for info in infos}
            parts = ("word/document.xml", "word/numbering.xml")
            if any(name not in names or names[name].file_size > _MAX_PART_BYTES for name in parts):
                return data
            document = _xml(package.read("word/document.xml"))
            numbering = _xml(package.read("word/numbering.xml"))
            styles_info = names.get("word/styles.xml")
            styles = None
            if styles_info is not None and styles_info.file_size <= _MAX_PART_BYTES:
                styles = _xml(package.read("word/styles.xml"))
            if document is None or numbering is None:
                return data
            if not _write_labels(document, numbering, styles):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for info in infos:
                    if info.filename == "word/document.xml":
                        target.writestr(
                            info,
                            etree.tostring(
                                document, xml_declaration=True, encoding="UTF-8", standalone=True
                            ),
                        )
                    else:
                        target.writestr(info, package.read(info))
            return out.getvalue()
    except (zipfile.BadZipFile, ValueError, OSError, KeyError):
        return data  # the .docx reader says what is wrong


def _write_labels(
    document: etree._Element, numbering: etree._Element, styles: etree._Element | None
) -> bool:
    """Insert the labels into ``document``; whether any was written."""
    abstract, instances = _levels(numbering)
    overrides = _overrides(numbering)
    by_style = _style_numbering(styles)
    counters: dict[str, dict[int, int]] = {}
    started: set[str] = set()
    written = False
    for paragraph in document.iter(f"{{{_W}}}p"):
        ppr = paragraph.find("w:pPr", _NS)
        num_id, ilvl = _paragraph_numbering(ppr, by_style)
        if not num_id or num_id == "0" or num_id not in instances:
            continue
        levels = abstract.get(instances[num_id], {})
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none") or not level.text:
            continue
        counts = counters.setdefault(instances[num_id], {})
        if num_id not in started:
            started.add(num_id)
            for lvl, start in overrides.get(num_id, {}).items():
                counts[lvl] = start - 1
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        values = {
            k + 1: (counts.get(k, levels[k].start if k in levels else 1), _fmt(levels, k))
            for k in range(ilvl + 1)
        }
        text = label(level.text, ilvl + 1, values)
        if not text:
            continue
        if ppr is not None:
            num_pr = ppr.find("w:numPr", _NS)
            if num_pr is not None:
                ppr.remove(num_pr)
        _prepend_run(paragraph, ppr, text)
        written = True
    return written


def _fmt(levels: Mapping[int, _Level], ilvl: int) -> str:
    return levels[ilvl].fmt if ilvl in levels else "decimal"


def _paragraph_numbering(
    ppr: etree._Element | None, by_style: Mapping[str, tuple[str, int]]
) -> tuple[str | None, int]:
    """A paragraph's list instance and level: its own, else its style's."""
    if ppr is None:
        return None, 0
    num_pr = ppr.find("w:numPr", _NS)
    style = _child_val(ppr, "w:pStyle")
    from_style = by_style.get(style or "", (None, 0))
    if num_pr is None:
        return from_style
    num_id = _child_val(num_pr, "w:numId")
    ilvl = _child_val(num_pr, "w:ilvl")
    return (
        num_id if num_id is not None else from_style[0],
        _int(ilvl, 0) if ilvl is not None else from_style[1],
    )


def _prepend_run(paragraph: etree._Element, ppr: etree._Element | None, text: str) -> None:
    run = etree.Element(f"{{{_W}}}r")
    node = etree.SubElement(run, f"{{{_W}}}t")
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph.insert(0 if ppr is None else paragraph.index(ppr) + 1, run)


def _child_val(node: etree._Element, path: str) -> str | None:
    child = node.find(path, _NS)
    return None if child is None else child.get(_VAL)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _xml(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
