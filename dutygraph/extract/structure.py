"""Split a plan's text into numbered blocks (sections, items, sub-items) and read its header.

Numbering styles rank as in Chinese official documents: ``一、`` (sections) above ``（一）``
above ``1.`` / ``1、`` / ``1．`` above ``(1)`` / ``1)`` above ``①`` above ``一是``. A block runs
from its number to the next numbered line; blocks nest by rank.

>>> blocks = find_blocks("一、统筹\\n1.学习。\\n(1)细则\\n2.落实。\\n")
>>> [(b.rank, b.number, b.parent) for b in blocks]
[(0, '一', None), (2, '1', 0), (3, '1', 1), (2, '2', 0)]
>>> read_header("名 称: | 关于印发《X市工作要点》的通知 | |\\n2023年3月31日\\n", {}).title
'X市工作要点'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dutygraph.extract.text import DATE_RE, cn_to_int, iso_date
from dutygraph.graph.names import looks_like_unit

__all__ = ["Block", "Header", "find_blocks", "read_header"]

_CN = "一二三四五六七八九十百零〇"
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"[ ]*(?P<n>[{_CN}]+)[ ]*[、.][ ]*")),
    (0, re.compile(rf"[ ]*第(?P<n>[{_CN}\d]+)(?:部分|章)[ ]*")),
    (1, re.compile(rf"[ ]*\([ ]*(?P<n>[{_CN}]+)[ ]*\)[ ]*")),
    (2, re.compile(r"[ ]*(?P<n>\d{1,3})[ ]*[.、](?!\d)[ ]*")),
    (3, re.compile(r"[ ]*\([ ]*(?P<n>\d{1,3})[ ]*\)[ ]*")),
    (3, re.compile(r"[ ]*(?P<n>\d{1,3})\)[ ]*")),
    (4, re.compile(r"[ ]*(?P<n>[①-⑳])[ ]*")),
    (5, re.compile(rf"[ ]*(?P<n>[{_CN}]{{1,3}})是")),
)
_TITLE_WORDS_RE = re.compile(
    r"(工作要点|实施方案|工作方案|行动方案|分工方案|任务分工|工作计划|行动计划|任务清单|责任清单|重点任务"
    r"|要点|方案|规划|计划)$"
)
_DOC_NO_RE = re.compile(r"[A-Za-z\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")


_FIELD_RE = re.compile(r"([^|:：]{1,12})[:：]\s*\|\s*([^|]*)\|")


@dataclass(slots=True)
class Block:
    """A numbered block: ``rank`` of its numbering style, ``number`` normalised to digits for
    items (``"7"``) and kept as written for sections (``"二"``), the text span from its number to
    the next numbered line, where its body starts (after the number), its line (1-based) and the
    index of its parent block."""

    rank: int
    number: str
    start: int
    body: int
    end: int
    line: int
    parent: int | None = None
    children: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Header:
    """What the part before the first section says about the document."""

    title: str
    issuer: str | None
    date: str | None
    doc_no: str | None


# Every marker pattern as one alternative of a single pattern, in their order, each with its
# own group names (``a3`` for the whole of the fourth, ``n3`` for its number). The lookahead
# asks for text after the number on the same line: when it fails, the engine goes on to the
# next alternative, as trying the patterns one by one would. One ``match`` per line is about
# twice as fast as choosing the patterns by the line's first character.
_LINE_RE = re.compile(
    "(?:"
    + "|".join(
        f"(?P<a{i}>{pattern.pattern.replace('(?P<n>', f'(?P<n{i}>')})"
        for i, (_, pattern) in enumerate(_MARKERS)
    )
    + r")(?=.*?\S)"
)
_RANK_OF: dict[str, tuple[int, str]] = {
    f"a{i}": (rank, f"n{i}") for i, (rank, _) in enumerate(_MARKERS)
}


def _marker(line: str) -> tuple[int, str, int] | None:
    """The rank, number and length of the numbering at the start of ``line``, if any.

    >>> _marker("  (二) 统筹"), _marker("③ 落实"), _marker("12.")
    ((1, '2', 6), (4, '3', 2), None)
    """
    m = _LINE_RE.match(line)
    if m is None:
        return None
    rank, group = _RANK_OF[m.lastgroup]  # type: ignore[index]
    number = m.group(group)
    if rank == 4:
        number = str(ord(number) - ord("①") + 1)
    elif rank != 0 and not number.isdigit():
        number = str(cn_to_int(number))
    return rank, number, m.end()


def find_blocks(folded: str) -> list[Block]:
    """Numbered blocks of the folded text, in order, with parent links by rank."""
    blocks: list[Block] = []
    stack: list[int] = []
    offset = 0
    size = len(folded)
    for line_no, line in enumerate(folded.split("\n"), start=1):
        found = _marker(line)
        if found:
            rank, number, skip = found
            if blocks:
                blocks[-1].end = offset
            while stack and blocks[stack[-1]].rank >= rank:
                stack.pop()
            parent = stack[-1] if stack else None
            index = len(blocks)
            blocks.append(Block(rank, number, offset, offset + skip, size, line_no, parent, []))
            if parent is not None:
                blocks[parent].children.append(index)
            stack.append(index)
        offset += len(line) + 1
    return blocks


def read_header(preamble: str, meta: dict[str, str]) -> Header:
    """Title, issuer, date and document number from the text before the first section and from
    a reader's metadata (``名称``, ``发布机构``, ``发文日期``, ``文号``)."""
    fields = dict(meta)
    lines = [ln.strip() for ln in preamble.split("\n")]
    for ln in lines[:12]:
        if "|" not in ln:
            continue
        for m in _FIELD_RE.finditer(ln):
            label, value = re.sub(r"\s+", "", m.group(1)), m.group(2).strip()
            if value and not value.endswith((":", "：")):
                fields.setdefault(label, value)
    named = fields.get("名称", "")
    title = next(
        (
            ln
            for ln in reversed(lines)
            if ln
            and len(ln) <= 60
            and _TITLE_WORDS_RE.search(ln)
            and "|" not in ln
            and not ln.endswith(("。", ":", "："))
        ),
        "",
    )
    if not title:
        quoted = re.search(r"《([^》]+)》", named)
        title = quoted.group(1) if quoted else named
    if not title:
        title = next((ln for ln in lines if ln and "|" not in ln and len(ln) <= 60), "")
    date = iso_date(fields.get("发文日期", "") or fields.get("成文日期", ""))
    issuer = fields.get("发布机构") or None
    for i, ln in enumerate(lines):
        if date is not None and issuer is not None:
            break
        if not DATE_RE.fullmatch(ln.replace(" ", "")):
            continue
        if date is None:
            date = iso_date(ln)
        if issuer is None:
            issuer = next(
                (
                    c
                    for c in reversed(lines[max(0, i - 3) : i])
                    if c and not c.startswith(("(", "（")) and looks_like_unit(c)
                ),
                None,
            )
    doc_no = fields.get("文号") or None
    if doc_no is None and "号" in preamble:
        no = _DOC_NO_RE.search(preamble)
        doc_no = no.group(0) if no else None
    return Header(title=title, issuer=issuer, date=date, doc_no=doc_no)
