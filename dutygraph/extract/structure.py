"""Split a plan's text into numbered blocks (sections, items, sub-items) and read its header.

Numbering styles rank as in Chinese official documents: ``一、`` (sections) above ``（一）``
above ``1.`` / ``1、`` / ``1．`` above ``(1)`` / ``1)`` above ``①`` above ``一是``. A block runs
from its number to the next accepted number; blocks nest by rank.

Numbering is found wherever it stands, so a page whose line breaks were lost parses like the
original (see :func:`find_blocks` for the rule): at the start of a line always, inside a line
only where it continues the numbering in a plausible sequence after a sentence end.

>>> blocks = find_blocks("一、统筹\\n1.学习。\\n(1)细则\\n2.落实。\\n")
>>> [(b.rank, b.number, b.parent) for b in blocks]
[(0, '一', None), (2, '1', 0), (3, '1', 1), (2, '2', 0)]
>>> flat = find_blocks("要点一、统筹1.学习。(1)细则;(2)规范。2.落实。二、保护3.关爱。")
>>> [(b.rank, b.number, b.parent) for b in flat]
[(0, '一', None), (2, '1', 0), (3, '1', 1), (3, '2', 1), (2, '2', 0), (0, '二', None), (2, '3', 5)]
>>> read_header("名 称: | 关于印发《X市工作要点》的通知 | |\\n2023年3月31日\\n", {}).title
'X市工作要点'
"""

from __future__ import annotations

import functools
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
    the next accepted number, where its body starts (after the number), its line (1-based), the
    index of its parent block, and whether its number stood inside a line (``inline``)."""

    rank: int
    number: str
    start: int
    body: int
    end: int
    line: int
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    inline: bool = False


@dataclass(frozen=True)
class Header:
    """What the part before the first section says about the document."""

    title: str
    issuer: str | None
    date: str | None
    doc_no: str | None


def _alternatives(ranks: range) -> str:
    """The marker patterns of ``ranks`` as alternatives of one pattern, in their order, each with
    its own group names (``a3`` for the whole of the fourth, ``n3`` for its number)."""
    return "|".join(
        f"(?P<a{i}>{pattern.pattern.replace('(?P<n>', f'(?P<n{i}>')})"
        for i, (rank, pattern) in enumerate(_MARKERS)
        if rank in ranks
    )


# Every marker pattern as one alternative of a single pattern. The lookahead asks for text after
# the number on the same line: when it fails, the engine goes on to the next alternative, as
# trying the patterns one by one would. One ``match`` per line is about twice as fast as
# choosing the patterns by the line's first character.
_LINE_RE = re.compile(f"(?:{_alternatives(range(6))})" + r"(?=.*?\S)")
_RANK_OF: dict[str, tuple[int, str]] = {
    f"a{i}": (rank, f"n{i}") for i, (rank, _) in enumerate(_MARKERS)
}

# Inside a line, a number counts only after a sentence end (or a space, where lines were joined
# with one): 。 ； ） ： ！ ？ in the folded text. ``一是`` is left out: inside a paragraph it
# enumerates clauses of the prose far more often than it heads an item.
_ENDS = "。;):!?！？"
_INLINE = range(5)
# (The lookahead for what can start a number spares trying every style after every end mark.)
# The last alternative is a number followed by a digit (``11.121人才``, see _DIGIT_AFTER_RE).
_INLINE_RE = re.compile(
    f"[{re.escape(_ENDS)} ](?=[ ]*[(\\d{_CN}第①-⑳])(?:(?:{_alternatives(_INLINE)})"
    r"(?=\S)|[ ]*(?P<digit>\d{1,3})\.(?=\d+[^\d.%年月日]))"
)
# A number glued to the text before it (labelled lines without end marks, joined with nothing:
# ``配合单位：市公安局2．加强``): sections, ``（一）`` and ``1.`` only, after a character that
# is a Chinese character but 第 or a numeral. (Its groups are named as those of the same styles
# in _MARKERS, a0, a2 and a3, so _RANK_OF reads them.)
# They are looked for in lines of more than 1,000 characters (several items on one line), or
# everywhere when no line starts with a number: in a plan with its line breaks, a number glued
# to a word is a typo, not an item.
_LONG_LINE = 1000
_HAN = "\u4e00-\u9fff"
_GLUED_RE = re.compile(
    f"[(\\d{_CN}](?<=[{_HAN}][(\\d{_CN}])(?<![第{_CN}][(\\d{_CN}])(?:"
    f"(?<=[{_CN}])(?P<a0>(?P<n0>[{_CN}]*)[ ]*[、.][ ]*)"
    f"|(?<=\\()(?P<a2>[ ]*(?P<n2>[{_CN}]+)[ ]*\\)[ ]*)"
    f"|(?<=\\d)(?P<a3>(?P<n3>\\d{{0,2}})[ ]*[.、](?!\\d)[ ]*)"
    ")(?=\\S)"
)
# A first number right after a heading (``一、统筹谋划1.加强学习``, ``一、主要任务：（一）``): the
# heading (up to 40 characters, no end mark or line break but one colon or 。 at its end), then
# a number of the three top styles, in one match.
_HEAD_SPAN = 40
_HEAD_RE = re.compile(
    f"[^{re.escape(_ENDS)}\n]{{0,{_HEAD_SPAN - 2}}}?[:。]?(?=[ ]*[(\\d{_CN}第])"
    f"(?:{_alternatives(range(3))})" + r"(?=\S)"
)
# ... or the first section right after the document's title (``工作要点一、统筹谋划``).
_TITLE_MARK_RE = re.compile(
    r"(?:要点|方案|规划|计划|清单|分工|通知)" + f"(?:{_alternatives(range(3))})" + r"(?=\S)"
)
_NOT_BEFORE_HEAD = frozenset("0123456789第.-/%")
# How role labels end (牵头单位, 配合部门, 牵头, 配合 ...): a number after one is no sub-item.
_ROLE_LABEL_ENDS = frozenset(("单位", "部门", "牵头", "配合", "协办", "参与", "负责"))

_NONE: list[int | None] = [None] * 6

# How a candidate number was found: at a line start; inside a line after a colon, after another
# sentence end or space; after the title; after a heading; glued to a word; followed by a digit.
_LINE, _COLON, _MARK, _TITLE, _HEAD, _GLUED, _DIGIT = range(7)
# A line that starts like an item number but with a digit after its dot (``11.121人才``): an
# item only as the next number of its rank.
_DIGIT_AFTER_RE = re.compile(r"[ ]*(\d{1,3})\.(?=\d+[^\d.%年月日])")
_Cand = tuple[int, int, int, str, int, int, int]
"""A candidate number: (start, body, rank, number as kept, value, how found, line or 0 when
not yet counted)."""


def _read(m: re.Match[str]) -> tuple[int, str, int, int]:
    """The rank, number as kept, value and start (after spaces) of a marker match."""
    group = m.lastgroup
    assert group is not None
    rank, number_group = _RANK_OF[group]
    number, value = _number(rank, m.group(number_group))
    start = m.start(group)
    if m.string[start] == " ":
        marker = m.group(group)
        start += len(marker) - len(marker.lstrip(" "))
    return rank, number, value, start


@functools.cache
def _number(rank: int, written: str) -> tuple[str, int]:
    """A number as kept (digits, but sections as written) and its value (cached: plans number
    with the same few numerals).

    >>> _number(0, "十二"), _number(1, "三"), _number(4, "③")
    (('十二', 12), ('3', 3), ('3', 3))
    """
    value = ord(written) - ord("①") + 1 if rank == 4 else cn_to_int(written)
    return (written if rank == 0 else str(value)), value


def _marker(line: str) -> tuple[int, str, int] | None:
    """The rank, number and length of the numbering at the start of ``line``, if any.

    >>> _marker("  (二) 统筹"), _marker("③ 落实"), _marker("12.")
    ((1, '2', 6), (4, '3', 2), None)
    """
    m = _LINE_RE.match(line)
    if m is None:
        return None
    rank, number, _, _ = _read(m)
    return rank, number, m.end()


def _candidates(folded: str) -> list[_Cand]:
    """Every number that may start a block, in text order: at line starts (as :func:`_marker`
    reads them) and inside lines after a sentence end or a space, or after a title word."""
    found: list[_Cand] = []
    long_lines = []
    offset = 0
    for line_no, line in enumerate(folded.split("\n"), start=1):
        m = _LINE_RE.match(line)
        if m is not None:
            rank, number, value, _ = _read(m)
            found.append((offset, offset + m.end(), rank, number, value, _LINE, line_no))
        elif line[:1].isdigit() or line[:1] == " ":
            d = _DIGIT_AFTER_RE.match(line)  # 11.121人才梯队项目: item 11 if it follows item 10
            if d is not None:
                value = int(d.group(1))
                found.append((offset, offset + d.end(), 2, str(value), value, _DIGIT, line_no))
        if len(line) > _LONG_LINE:
            long_lines.append((offset, offset + len(line)))
        offset += len(line) + 1
    inline: list[_Cand] = []
    for m in _INLINE_RE.finditer(folded):
        if m.lastgroup == "digit":
            value = int(m.group("digit"))
            inline.append((m.start("digit"), m.end(), 2, str(value), value, _DIGIT, 0))
            continue
        rank, number, value, start = _read(m)
        if _char_before(folded, start) not in ("", "\n"):  # not a line's number (found above)
            how = _MARK
            if folded[m.start()] == ":":
                if folded[max(0, m.start() - 2) : m.start()] in _ROLE_LABEL_ENDS:
                    continue  # units follow a role label (牵头单位：), not sub-items
                how = _COLON
            inline.append((start, m.end(), rank, number, value, how, 0))
    if len(found) < 2:  # no line structure: every line is a page whose line breaks were lost
        long_lines = [(0, len(folded))]
    for line_start, line_end in long_lines:
        for m in _GLUED_RE.finditer(folded, line_start, line_end):
            rank, number_group = _RANK_OF[m.lastgroup]  # type: ignore[index]
            start = m.start()
            number = folded[start + (rank == 1) : m.end(number_group)]  # with its first digit
            value = cn_to_int(number)
            if value > 1:
                kept = number if rank == 0 else str(value)
                inline.append((start, m.end(), rank, kept, value, _GLUED, 0))
    first = found[0][0] if found else len(folded)
    for m in _TITLE_MARK_RE.finditer(folded, 0, first):
        rank, number, value, start = _read(m)
        inline.append((start, m.end(), rank, number, value, _TITLE, 0))
    if inline:
        found = sorted(found + inline)
    return found


def _next_values(cands: list[_Cand], out: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Fill ``out``: for each index ``k`` of ``cands``, the value of the first candidate of
    each rank from ``k`` on (0 when there is none), and one entry more for the end."""
    after = [0] * 6
    out.append(tuple(after))
    for cand in reversed(cands):
        after[cand[2]] = cand[4]
        out.append(tuple(after))
    out.reverse()
    return out


def find_blocks(folded: str) -> list[Block]:
    """Numbered blocks of the folded text, in order, with parent links by rank.

    A number at the start of a line always starts a block (leading spaces allowed, text after it on
    the line). A number inside a line (:data:`_INLINE_RE`, every style but ``一是``) starts one only
    where it stands after a sentence end ``。；）：！？`` or a space, and continues the numbering:
    ``n + 1`` after ``n`` under the same parent, or, as the first of its rank under its parent,
    ``1`` — after a colon (``具体措施：1．``) or a heading (below), when the next number of its rank
    is ``2``, or when its own heading is followed by a deeper first number (``一、统筹 1.学习``) —
    or the number after the last one of its rank anywhere (numbering that continues across
    sections), or, for the first number of its rank in the text, any number the next one of its rank
    continues (an excerpt starting at ``二十一、``). Two places need no end mark before a first
    number: right after a heading of at most 40 characters with no end mark but one ``：`` or ``。``
    at its end (``一、统筹谋划1.加强学习``, ``一、主要任务：（一）``; ``一、`` ``（一）`` ``1.``
    styles only), and right after a title word before any block (``工作要点一、统筹``). A number of
    those three styles glued to a Chinese character (``配合单位：市公安局2．加强``, lines joined
    with nothing; looked for in lines of over 1,000 characters, or everywhere in a text with fewer
    than two line-start numbers) counts only as the next number of its rank, as does a number
    followed by a digit (``11.121人才梯队项目`` after item 10). A section number inside a line
    counts only when its heading is followed by its first number (so a stray ``二、`` before a
    sentence is text). A number after a role label's colon (``牵头单位：``) is never a sub-item. So
    ``2024年``, ``第1.5条``, ``1.5亿元``, ``3.5%``, dates and a ``（一）`` quoted inside a sentence
    (``按照第（一）项``) start no block.

    >>> [(b.number, b.start) for b in find_blocks("1.甲。共1.5亿元;按照第(一)项。2.乙。")]
    [('1', 0), ('2', 19)]
    """
    cands = _candidates(folded)
    if not cands:
        return []
    nexts: list[tuple[int, ...]] = []  # made when first needed (see _next_values)
    blocks: list[Block] = []
    stack: list[int] = []
    last: list[int | None] = [None] * 6  # the last number of each rank under the current parent
    high = [0] * 6  # the last number of each rank anywhere
    size = len(folded)
    head: _Cand | None = None  # a number right after the heading of the block just accepted
    head_match = _HEAD_RE.match
    counted_line, counted_at = 1, 0  # the line of a position, to count lines from
    k = 0
    while True:
        if head is not None:
            cand, head = head, None
        elif k < len(cands):
            cand = cands[k]
            k += 1
        else:
            break
        start, body, rank, number, value, how, line = cand
        if blocks and start < blocks[-1].body:
            continue  # inside the number of the block before
        if how != _LINE:
            sib = last[rank]
            if how == _TITLE and blocks:
                continue
            if rank == 0 and not _section_inside(folded, cand, cands, k, size, nexts):
                plausible = False
            elif how in (_GLUED, _DIGIT):
                plausible = value == (high[rank] if sib is None else sib) + 1
            elif sib is not None:
                plausible = value == sib + 1
            elif value == 1:
                plausible = (
                    how in (_COLON, _HEAD)
                    or (nexts or _next_values(cands, nexts))[k][rank] == 2
                    or _after_heading(folded, body, size, rank) is not None
                )
            else:  # continuing numbering, or an excerpt that starts mid-list (二十一、… 二十二、…)
                plausible = value == high[rank] + 1 or (
                    high[rank] == 0 and (nexts or _next_values(cands, nexts))[k][rank] == value + 1
                )
            if not plausible:
                continue
        if blocks:
            blocks[-1].end = start
        while stack and blocks[stack[-1]].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        index = len(blocks)
        inline = how != _LINE and not (how == _DIGIT and line)
        if inline:  # count line breaks from the last block on (blocks come in text order)
            counted_line += folded.count("\n", counted_at, start)
            counted_at = start
            line = counted_line
        else:
            counted_line, counted_at = line, start
        blocks.append(Block(rank, number, start, body, size, line, parent, [], inline))
        if parent is not None:
            blocks[parent].children.append(index)
        stack.append(index)
        last[rank] = value
        high[rank] = value
        if rank < 5:
            last[rank + 1 :] = _NONE[rank + 1 :]
        while k < len(cands) and cands[k][0] < body:
            k += 1  # the same number found twice (after a space and after a title word)
        if head_match(folded, body + 1) is not None:  # (most blocks: no call below)
            head = _after_heading(folded, body, cands[k][0] if k < len(cands) else size, rank)
    return blocks


def _section_inside(
    folded: str, cand: _Cand, cands: list[_Cand], k: int, size: int, nexts: list[tuple[int, ...]]
) -> bool:
    """Whether a section number found inside a line may start a section: its heading is
    followed by its first item, or it stands right after a clause's ``）``, or the next section
    number is the one after it (so a stray ``二、`` before a sentence is text)."""
    start, body, rank, _, value, _, _ = cand
    return (
        _after_heading(folded, body, size, rank) is not None
        or _char_before(folded, start) == ")"
        or (nexts or _next_values(cands, nexts))[k][0] == value + 1
    )


def _char_before(folded: str, at: int) -> str:
    """The last character before ``at`` that is not a space ('' at the start).

    >>> _char_before("甲)  二", 4), _char_before("  ", 2)
    (')', '')
    """
    while at > 0 and folded[at - 1] == " ":
        at -= 1
    return folded[at - 1] if at > 0 else ""


def _after_heading(folded: str, body: int, limit: int, rank: int) -> _Cand | None:
    """The number of a deeper rank right after the heading that starts at ``body``: at most
    :data:`_HEAD_SPAN` characters on, not after ``limit``, with no end mark before it and not
    after a digit or 第 (``统筹谋划1.加强``, ``统筹谋划 1.加强``), as a candidate."""
    if body >= len(folded) or folded[body] in _ENDS or folded[body] == "\n":
        return None
    m = _HEAD_RE.match(folded, body + 1)
    if m is None:
        return None
    sub_rank, number, value, start = _read(m)
    if sub_rank <= rank or start > limit or folded[start - 1] in _NOT_BEFORE_HEAD:
        return None
    return (start, m.end(), sub_rank, number, value, _HEAD, 0)


_NOTE_AT_END_RE = re.compile(r"[(（][^()（）]*[)）]\s*$")
_TAIL_RE = re.compile(r"[^。;:!?！？；：)）|\s]{4,80}$")


def _title_at_end(line: str) -> str:
    """A title at the end of a long line (a page whose line breaks were lost): the text after
    the last sentence end, without a leading date or a note in brackets after it, when it ends
    with a title word.

    >>> _title_at_end("请认真贯彻落实。X市人民政府2023年3月31日X市2023年工作要点")
    'X市2023年工作要点'
    """
    line = _NOTE_AT_END_RE.sub("", line).rstrip()
    m = _TAIL_RE.search(line)
    if m is None:
        return ""
    tail = m.group()
    dates = list(DATE_RE.finditer(tail))
    if dates:
        tail = tail[dates[-1].end() :]
    return tail if len(tail) <= 60 and _TITLE_WORDS_RE.search(tail) else ""


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
        last = next((ln for ln in reversed(lines) if ln), "")
        title = _title_at_end(last) if len(last) > 60 else ""
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
