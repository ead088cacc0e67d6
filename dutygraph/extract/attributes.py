"""Read a task's deadline and leader from its item text. Pure, no I/O.

Plans and their 任务分工 tables give each task a deadline (完成时限, 时间节点, 进度安排 …) and
often the leader in charge (责任领导, 分管领导 …). In the item's text they are labelled values,
usually in the clause that names the units (a table row is rendered that way too)::

    3.加强家庭教育指导。（牵头单位：市妇联；完成时限：2024年6月底；责任领导：张三）

A task keeps the deadline and the leader **as written**, and the deadline normalised as
``due``: an ISO date (the end of the period written: ``2024年6月`` is ``2024-06-30``), or
``"ongoing"`` for 长期坚持 / 持续推进 / 长期 / 常态化, or ``None`` when the text names no
single end (``2024年3月启动，6月底前完成``), which is then kept as written only.

Without a label, the last part of the item's trailing parenthesised clause is read as the
deadline when it is one plainly (``（市民政局牵头，2024年6月底前完成）``, ``（长期坚持）``): it must
say when the work ends (前, 完成, 底, 末) or that it is ongoing, and it must be the only such
part. A period such as ``（2021—2025年）`` in a plan's name is not a deadline.

>>> text = "3.指导。（牵头单位：市妇联；完成时限：2024年6月底；责任领导：张三）"
>>> read_attributes(text, fold(text), 0, len(text))
TaskAttributes(deadline='2024年6月底', due='2024-06-30', leader='张三')
>>> text = "5.关爱。（市民政局牵头，6月底前完成）"
>>> read_attributes(text, fold(text), 0, len(text), year=2024).due
'2024-06-30'
>>> due_of("2024年底前"), due_of("长期坚持"), due_of("2024年3月—6月"), due_of("适时")
('2024-12-31', 'ongoing', '2024-06-30', None)
"""

from __future__ import annotations

import calendar
import functools
import re
from typing import NamedTuple

from dutygraph.extract.text import cn_to_int, fold

__all__ = [
    "DEADLINE_LABELS",
    "LABEL_HINT_RE",
    "LEADER_LABELS",
    "ONGOING",
    "TaskAttributes",
    "due_of",
    "is_plain_deadline",
    "plan_year",
    "read_attributes",
    "read_trailing_deadline",
]

#: Labels whose value is a task's deadline.
DEADLINE_LABELS: tuple[str, ...] = (
    "完成时限",
    "完成时间",
    "时间节点",
    "进度安排",
    "时限",
    "时间安排",
    "完成期限",
)
#: Labels whose value is the leader in charge of a task (a person, as written).
LEADER_LABELS: tuple[str, ...] = (
    "责任领导",
    "分管领导",
    "分管县领导",
    "分管市领导",
    "牵头领导",
    "责任人",
)
#: The ``due`` of a task that runs on with no end (长期坚持, 持续推进, 长期, 常态化).
ONGOING = "ongoing"

_LABEL_RE = re.compile(
    "(?P<label>"
    + "|".join(sorted({*DEADLINE_LABELS, *LEADER_LABELS}, key=len, reverse=True))
    + r")[ ]*:[ ]*"
)
_DEADLINE_SET = frozenset(DEADLINE_LABELS)

#: What precedes the colon of every label above (its last character): the parser reads an
#: item's labelled values only where this matches, a scan that costs a fiftieth of a parse.
LABEL_HINT_RE = re.compile("[限间点排导人][ ]*:")
assert all(LABEL_HINT_RE.fullmatch(label[-1] + ":") for label in (*DEADLINE_LABELS, *LEADER_LABELS))

# Another label (of any kind: 配合单位, 备注 …) ends a value that a comma or a space precedes.
_ANY_LABEL_RE = re.compile(r"[\u4e00-\u9fff]{2,8}[ ]*:")
_EMPTY_VALUES = frozenset({"", "/", "-", "—", "——", "无", "暂无", "空"})
_VALUE_STRIP = " \t\r,;、。.：:"


class TaskAttributes(NamedTuple):
    """A task's deadline and leader as written, and its deadline normalised (see
    :func:`due_of`)."""

    deadline: str | None = None
    due: str | None = None
    leader: str | None = None


NONE = TaskAttributes()


def read_attributes(
    text: str, folded: str, start: int, end: int, *, year: int | None = None
) -> TaskAttributes:
    """The deadline and leader of the item ``text[start:end]`` (``folded`` is ``fold(text)``).

    The first labelled value of each kind wins; without a labelled deadline, the trailing
    clause's one plain deadline is taken (see the module's notes). ``year`` is the plan's year,
    for deadlines written without one (``6月底前``).

    >>> t = "1.甲。完成时限：2024年第三季度\\n分管县领导：李四（副县长）\\n"
    >>> read_attributes(t, fold(t), 0, len(t))
    TaskAttributes(deadline='2024年第三季度', due='2024-09-30', leader='李四（副县长）')
    >>> t = "2.乙。（县民政局牵头，县财政局配合，长期坚持）"
    >>> read_attributes(t, fold(t), 0, len(t))
    TaskAttributes(deadline='长期坚持', due='ongoing', leader=None)
    >>> t = "3.丙。落实《规划（2021—2025年）》。（县民政局负责）"
    >>> read_attributes(t, fold(t), 0, len(t))
    TaskAttributes(deadline=None, due=None, leader=None)
    """
    deadline: str | None = None
    leader: str | None = None
    for m in _LABEL_RE.finditer(folded, start, end):
        is_deadline = m.group("label") in _DEADLINE_SET
        if (deadline if is_deadline else leader) is not None:
            continue
        v0, v1 = _value_span(folded, m.end(), end)
        value = text[v0:v1].strip(_VALUE_STRIP)
        if value in _EMPTY_VALUES:
            continue
        if is_deadline:
            deadline = value
        else:
            leader = value
    if deadline is None:
        deadline = _trailing_deadline(text, folded, start, end, year)
    if deadline is None and leader is None:
        return NONE
    return TaskAttributes(deadline, None if deadline is None else due_of(deadline, year), leader)


def read_trailing_deadline(
    text: str, folded: str, start: int, end: int, *, year: int | None = None
) -> TaskAttributes:
    """:func:`read_attributes` for an item without labels (``LABEL_HINT_RE`` finds none in it):
    only the plain deadline of its trailing clause, found without a scan of the item.

    >>> t = "4.丁。（县教育局负责，2024年底前完成）"
    >>> read_trailing_deadline(t, fold(t), 0, len(t)).due
    '2024-12-31'
    """
    deadline = _trailing_deadline(text, folded, start, end, year)
    if deadline is None:
        return NONE
    return TaskAttributes(deadline, due_of(deadline, year), None)


def _value_span(folded: str, at: int, end: int) -> tuple[int, int]:
    """Where a labelled value starting at ``at`` ends: at ``;``, a line break, ``。``, the
    parenthesis closing its clause, or another label after a comma or a space."""
    depth = 0
    i = at
    while i < end:
        ch = folded[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch in ";\n。" or (ch in ", " and _ANY_LABEL_RE.match(folded, i + 1))):
            break
        i += 1
    return at, i


_TRAILING_STRIP = " \t\r\n。.;,"
_PLAIN_DEADLINE_RE = re.compile(r"前|完成|底|末")
_TRAILING_HINT_RE = re.compile(r"前|完成|底|末|长期|持续|常态化|常年")


def _trailing_deadline(
    text: str, folded: str, start: int, end: int, year: int | None
) -> str | None:
    """The one plain deadline among the parts of the item's trailing ``(…)`` clause."""
    stop = end
    while stop > start and folded[stop - 1] in _TRAILING_STRIP:
        stop -= 1
    if stop <= start or folded[stop - 1] != ")":
        return None
    i = folded.rfind("(", start, stop)
    if i == -1:
        return None
    if folded.find(")", i, stop - 1) != -1:  # nested: walk back to the matching "("
        depth, i = 0, stop - 1
        while i >= start:
            ch = folded[i]
            if ch == ")":
                depth += 1
            elif ch == "(":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i < start:
            return None
    if not _TRAILING_HINT_RE.search(folded, i, stop):
        return None
    found: list[str] = []
    at = i + 1
    for part in re.split(r"[,;]", folded[i + 1 : stop - 1]):
        p0 = at
        at += len(part) + 1
        word = part.strip()
        if not word or "(" in word or ")" in word:
            continue
        due = due_of(word, year)
        if due is None or (due != ONGOING and not _PLAIN_DEADLINE_RE.search(word)):
            continue
        lead = len(part) - len(part.lstrip())
        found.append(text[p0 + lead : p0 + lead + len(word)])
    return found[0] if len(found) == 1 else None


def is_plain_deadline(word: str) -> bool:
    """Whether a part of an unlabelled clause says only when the work ends (``长期坚持``,
    ``2024年6月底前完成``): a deadline, never a list of units.

    >>> [is_plain_deadline(w) for w in ("长期坚持", "2024年底前完成", "县教育局负责")]
    [True, True, False]
    """
    if not _TRAILING_HINT_RE.search(word):
        return False
    due = due_of(word)
    return due is not None and (due == ONGOING or _PLAIN_DEADLINE_RE.search(word) is not None)


# --- normalising a deadline -------------------------------------------------------------------

_ONGOING_RE = re.compile(
    r"(?:长期|持续|常态化|常年)(?:坚持|推进|开展|实施|落实|执行|进行|抓好)?(?:推进|开展|落实)?"
)
_PREFIX_RE = re.compile(r"^(?:力争|争取|计划|预计|截至|截止到|截止|于|在|到)")
_SUFFIX_RE = re.compile(
    r"(?:之前|以前|前|完成|基本|全面|全部|初步|建成|实现|落实|办结|完工|结束|任务|见效|止)$"
)
_Y = r"(?:(?P<y>\d{4}|[〇零○一二三四五六七八九]{4})年度?)"
_N = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_POINT_RE = re.compile(
    rf"{_Y}?(?:"
    r"(?P<yend>年?底|年?末|年内|内|全年)"
    r"|(?P<half>上半年|下半年)"
    r"|第?(?P<q>[一二三四1-4])季度末?"
    rf"|(?P<m>{_N})月份?(?:(?P<d>{_N})日|(?P<mpart>底|末|中旬|上旬|下旬|份))?"
    r")?"
)
_DOTTED_RE = re.compile(r"(?P<y>\d{4})[./-](?P<m>\d{1,2})(?:[./-](?P<d>\d{1,2}))?")
_RANGE_RES = (re.compile(r"[—–－~～至到]+"), re.compile(r"-+"))


def due_of(value: str, year: int | None = None) -> str | None:
    """A deadline as written, normalised: the ISO date its period ends, ``"ongoing"``, or None.

    ``year`` is the plan's, for a deadline written without one. A range is read as its end.

    >>> [due_of(v) for v in ("2024年6月底", "2024年年底", "2024年6月", "2024年上半年")]
    ['2024-06-30', '2024-12-31', '2024-06-30', '2024-06-30']
    >>> due_of("6月底前", 2024), due_of("6月底前"), due_of("2024年第三季度")
    ('2024-06-30', None, '2024-09-30')
    >>> due_of("2024年3月至2025年6月底前完成"), due_of("2024.12.15"), due_of("二〇二四年六月底")
    ('2025-06-30', '2024-12-15', '2024-06-30')
    >>> due_of("持续推进"), due_of("常态化"), due_of("2024年3月启动，6月底前完成")
    ('ongoing', 'ongoing', None)
    """
    return _due_of(value, year)


@functools.lru_cache(maxsize=4096)
def _due_of(value: str, year: int | None) -> str | None:
    # Cached: a plan repeats a few deadlines (2024年6月底前, 长期坚持) over many tasks.
    word = re.sub(r"\s+", "", fold(value))
    if not word:
        return None
    if _ONGOING_RE.fullmatch(word):
        return ONGOING
    word = _trim(word)
    point = _point(word, year)
    if point is not None:
        return point[0]
    for sep in _RANGE_RES:
        parts = [p for p in sep.split(word) if p]
        if len(parts) == 2:
            return _range_end(parts[0], parts[1], year)
    return None


def _range_end(start: str, end: str, year: int | None) -> str | None:
    """The end of a range ``start—end``, whose end may leave out the year of its start."""
    first = _point(_trim(start), year)
    if first is None:
        return None
    last = _point(_trim(end), first[1])
    if last is None:
        return None
    if not last[2] and last[0] < first[0]:  # 2024年11月—3月: the next March
        last = _point(_trim(end), first[1] + 1)
        if last is None:
            return None
    return last[0]


def _trim(word: str) -> str:
    word = _PREFIX_RE.sub("", word)
    while True:
        trimmed = _SUFFIX_RE.sub("", word)
        if trimmed == word:
            return word
        word = trimmed


def _point(word: str, year: int | None) -> tuple[str, int, bool] | None:
    """A point in time as (ISO date of its end, its year, whether the year was written)."""
    if not word:
        return None
    m = _DOTTED_RE.fullmatch(word)
    if m is not None:
        day = int(m.group("d")) if m.group("d") else None
        return _date(int(m.group("y")), int(m.group("m")), day, True)
    m = _POINT_RE.fullmatch(word)
    if m is None:
        return None
    written = m.group("y") is not None
    found = cn_to_int(m.group("y")) if written else year
    if found is None or not 1900 <= found <= 2200:
        return None
    y = found
    if m.group("yend"):
        return f"{y:04d}-12-31", y, written
    if m.group("half"):
        return (f"{y:04d}-06-30" if m.group("half") == "上半年" else f"{y:04d}-12-31"), y, written
    if m.group("q"):
        q = cn_to_int(m.group("q"))
        return _date(y, q * 3, None, written)
    if m.group("m"):
        mo = cn_to_int(m.group("m"))
        part = m.group("mpart")
        if m.group("d"):
            return _date(y, mo, cn_to_int(m.group("d")), written)
        if part == "上旬":
            return _date(y, mo, 10, written)
        if part == "中旬":
            return _date(y, mo, 20, written)
        return _date(y, mo, None, written)
    return (f"{y:04d}-12-31", y, written) if written else None  # 2024年: its end


def _date(y: int, mo: int, d: int | None, written: bool) -> tuple[str, int, bool] | None:
    if not 1 <= mo <= 12:
        return None
    last = calendar.monthrange(y, mo)[1]
    day = last if d is None else d
    if not 1 <= day <= last:
        return None
    return f"{y:04d}-{mo:02d}-{day:02d}", y, written


_YEAR_RE = re.compile(r"(\d{4}|[〇零○一二三四五六七八九]{4})\s*年")


def plan_year(title: str, date: str | None) -> int | None:
    """The plan's year, for deadlines written without one: the one year its title names
    (``X市2024年工作要点``), else the year of its date; ``None`` when the title names several
    years (a 2023—2025 plan) or neither is known.

    >>> plan_year("安顺市2023年度未成年人保护工作要点", "2023-03-31")
    2023
    >>> plan_year("工作要点", "2024-01-05"), plan_year("2023—2025年行动方案（2023年）", None)
    (2024, None)
    """
    title = fold(title)
    years: set[int] = set()
    for m in _YEAR_RE.finditer(title):
        years.add(cn_to_int(m.group(1)))
    for m in re.finditer(r"(\d{4})\s*[—–\-~～至到]\s*\d{4}\s*年", fold(title)):
        years.add(int(m.group(1)))
    if len(years) == 1:
        return years.pop()
    if years:
        return None
    if date and date[:4].isdigit():
        return int(date[:4])
    return None
