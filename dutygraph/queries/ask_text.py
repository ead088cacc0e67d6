"""Reading the words of a question: normalising it and finding its task and section references.

:func:`tokenize` replaces each section reference (``第五部分``, ``section 5``, ``五、加强…``) by
``〈S〉`` and each task reference (``第9项``, ``task 9``) by ``〈T〉``, so the forms of
:mod:`dutygraph.queries.ask_forms` see one token where people write many shapes.

>>> tokenize(normalize("请问第五部分第9项由谁牵头？"), [])
('〈S〉〈T〉由谁牵头', ['5'], ['9'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from dutygraph.errors import QueryError
from dutygraph.queries.resolve import section_value
from dutygraph.queries.spec import cn_number

__all__ = ["CN", "TASK_RES", "cn_numeral", "find_refs", "normalize", "number", "tokenize"]

CN = "〇零一二两三四五六七八九十百"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_ROMAN.update({"x": 10, "xi": 11, "xii": 12})
_POLITE_HEAD = re.compile(
    r"^(?:请问一下|请问|请帮(?:我|忙)?(?:查一下|查查|看看|查|看)?|请|麻烦(?:你|您)?(?:帮我)?(?:查一下|看看|查)?"
    r"|我想(?:知道|问一下|问问|了解一下|了解|问|查)|想知道|想问|告诉我|帮我(?:查一下|查查|看看|查|看)"
    r"|查一下|查询|查查|问一下|(?:please|pls|kindly)\b|(?:can|could|would) you (?:please )?"
    r"(?:tell me|show me|list|show|find)|tell me|show me|i (?:want|would like) to know"
    r"|list|show|find|give me)\s*[,:]?\s*"
)
_POLITE_TAIL = re.compile(
    r"(?:[\s?!.,;:~…。]|呢|吗|呀|啊|啦|谢谢|谢谢你|谢谢您|please|thanks|thank you)+$"
)
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+(?=\d)")
_SPACE_CJK = re.compile(r"(?<=\d)\s+(?=[^\x00-\x7f])")
_CONTRACTIONS = (("what's", "what is"), ("who's", "who is"), ("’", "'"), ("don't", "do not"))
_NUM = rf"(\d+|[{CN}]+)"
_SECTION_RES = (
    re.compile(rf"第\s*{_NUM}\s*(?:部分|板块|章|篇|大项|方面|大类)"),
    re.compile(rf"(?<![a-z])(?:section|part)\s*(?:no\.?\s*|number\s*|#\s*)?{_NUM}(?![0-9a-z])"),
    re.compile(r"(?<![a-z])(?:section|part)\s+(x|ix|iv|v?i{1,3}|v|x?i{1,2})\b"),
    re.compile(r"\bthe\s+(\d+)(?:st|nd|rd|th)\s+(?:section|part)\b"),
)
_HEADING_RE = re.compile(rf"(?:^|(?<=[^{CN}]))([{CN}]+)\s*、")
TASK_RES = (
    re.compile(rf"第\s*{_NUM}\s*(?:项|条|个|号)\s*(?:任务|工作|事项)?"),
    re.compile(rf"第\s*{_NUM}\s*(?=任务)任务"),
    # (a year right after 任务 is a date: 哪些任务2024年6月底前到期)
    re.compile(rf"任务\s*(?:#|第|编号|序号|no\.?)?\s*{_NUM}(?!\s*(?:年|-\d)|\d)\s*(?:项|号)?"),
    re.compile(r"(\d+)\s*号\s*任务"),
    re.compile(r"(?<![a-z])(?:task|item)\s*(?:no\.?\s*|number\s*|#\s*)?(\d+)(?![0-9a-z])"),
    re.compile(r"\bthe\s+(\d+)(?:st|nd|rd|th)\s+(?:task|item)\b"),
    re.compile(r"#\s*(\d+)\b"),
)


def normalize(question: str) -> str:
    """The question as the forms read it: NFKC (full-width to half-width), lower case, polite
    openings and closings (请问, please, 吗, ?) and spaces between Chinese characters dropped.

    >>> normalize("  请问，团市委 配合 哪些任务？ ")
    '团市委配合哪些任务'
    >>> normalize("Could you tell me which tasks does 团市委 lead, please?")
    'which tasks does 团市委 lead'
    """
    q = unicodedata.normalize("NFKC", question).lower().strip()
    for old, new in _CONTRACTIONS:
        q = q.replace(old, new)
    q = re.sub(r"\s+", " ", q)
    for _ in range(3):
        q = _POLITE_TAIL.sub("", _POLITE_HEAD.sub("", q)).strip()
    q = _CJK_SPACE.sub("", q)
    return _SPACE_CJK.sub("", q)


def number(text: str) -> int | None:
    """The value of a number as questions write it: digits, Chinese or Roman (sections).

    >>> number("12"), number("十二"), number("iv"), number("加强")
    (12, 12, 4, None)
    """
    return int(text) if text.isdigit() else _ROMAN.get(text, cn_number(text))


def find_refs(q: str, patterns: Iterable[re.Pattern[str]]) -> list[tuple[int, int, str]]:
    """``(start, end, number)`` of each reference, not overlapping, in order.

    >>> find_refs("第5项和task 7", TASK_RES)
    [(0, 3, '5'), (4, 10, '7')]
    """
    found: list[tuple[int, int, str]] = []
    for pattern in patterns:
        for m in pattern.finditer(q):
            if any(m.start() < e and s < m.end() for s, e, _ in found):
                continue
            value = number(m.group(1))
            if value is not None:
                found.append((m.start(), m.end(), str(value)))
    return sorted(found)


def _headings(q: str, sections: Sequence[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Section headings as written (``五、加强…``): the numeral, then as much of the section's
    title as the question repeats, then an ellipsis if any. A title that is another section's
    is refused."""
    out = []
    for m in _HEADING_RE.finditer(q):
        value = number(m.group(1))
        if value is None:
            continue
        end = m.end()
        titles = [t for s, t in sections if section_value(s) == value]
        rest = q[end:]
        if titles and titles[0]:
            common = {(s, t): _common_prefix(rest, t) for s, t in sections if t}
            own = _common_prefix(rest, titles[0])
            best = max(common, key=lambda k: common[k])
            if common[best] > own and common[best] >= 2:
                raise QueryError(
                    f"section {m.group(1)} is {titles[0]}, not {rest[: common[best]]}",
                    hint=f"{best[1]} is section {best[0]}",
                )
            end += own if own >= 2 else 0
        else:
            dots = re.match(r"[^\x00-\x7f〈〉]*?(?:\.\.\.|…)", rest)
            end += dots.end() if dots else 0
        dots = re.match(r"\s*(?:\.\.\.|…)?(?:这一?|那一?)?(?:部分|板块)?", q[end:])
        end += dots.end() if dots else 0
        out.append((m.start(), end, str(value)))
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def tokenize(q: str, sections: Sequence[tuple[str, str]]) -> tuple[str, list[str], list[str]]:
    """The question with section references replaced by ``〈S〉`` and task references by
    ``〈T〉``, and the numbers they carry; ``sections`` (``(section, title)`` pairs of the data,
    may be empty) check the titles of headings such as ``五、加强网络保护``."""
    headings = _headings(q, sections)
    refs = sorted(headings + [r for r in find_refs(q, _SECTION_RES) if not _inside(r, headings)])
    q, section_numbers = _replace(q, refs, "〈S〉")
    tasks = find_refs(q, TASK_RES)
    q, task_numbers = _replace(q, tasks, "〈T〉")
    return q, section_numbers, task_numbers


def _inside(ref: tuple[int, int, str], refs: list[tuple[int, int, str]]) -> bool:
    return any(ref[0] < e and s < ref[1] for s, e, _ in refs)


def _replace(q: str, refs: list[tuple[int, int, str]], token: str) -> tuple[str, list[str]]:
    for start, end, _ in reversed(refs):
        q = q[:start] + token + q[end:]
    return q, [number for _, _, number in refs]


def cn_numeral(n: int) -> str:
    """The Chinese numeral of a number up to 99.

    >>> cn_numeral(5), cn_numeral(12), cn_numeral(23)
    ('五', '十二', '二十三')
    """
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
