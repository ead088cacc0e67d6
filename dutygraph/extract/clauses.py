"""Find the assignments in one item's text: labelled clauses and unlabelled role phrases.

Works on the folded text (see :func:`dutygraph.extract.text.fold`) between two offsets and
returns :class:`Found` records whose spans point at each name as written. Pure, no I/O.

Labelled clauses (``牵头单位：A；配合单位：B、C``, in parentheses or not) win over everything
else in the item. Without one, unlabelled phrases are read: ``A牵头，B配合``, ``A会同有关部门负责``,
``（A、B负责）``, ``由A牵头，B配合，……`` and plain parenthesised lists of units.

>>> text = "加强学习。(牵头单位:未保委办公室,配合单位: 未保委成员单位)"
>>> [(f.role, text[f.start:f.end]) for f in find_assignments(text, 0, len(text)).found]
[('lead', '未保委办公室'), ('support', '未保委成员单位')]
>>> text = "做好关爱。(市民政局牵头,市教育局、团市委配合)"
>>> [(f.role, text[f.start:f.end]) for f in find_assignments(text, 0, len(text)).found]
[('lead', '市民政局'), ('support', '市教育局'), ('support', '团市委')]
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from dutygraph.extract.attributes import is_plain_deadline
from dutygraph.extract.text import matching_paren, split_top
from dutygraph.graph.names import COLLECTIVE_RE, looks_like_unit, name_key
from dutygraph.graph.records import Role

__all__ = ["RULE_RE", "ClauseResult", "Found", "find_assignments", "states_rule"]

RULE_RE = re.compile(
    r"(?:列|排|名)?(?:在|名|于)?(?:第一位|第1位|首位|第一个|首个|第一)(?:的|者)?(?:单位|部门)?"
    r"(?:为|是)(?:牵头|主责|主要负责)"
)


def states_rule(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` states the first-listed rule (:data:`RULE_RE`). Every form
    of the rule has 第 or 首 in it, and looking for those first is much faster.

    >>> states_rule("（列第一位者为牵头单位）"), states_rule("第一批")
    (True, False)
    """
    stop = len(text) if end is None else end
    if text.find("第", start, stop) == -1 and text.find("首", start, stop) == -1:
        return False
    return RULE_RE.search(text, start, stop) is not None


_LABELS: dict[str, Role] = {}
for _role, _names in (
    ("lead", "牵头单位 牵头部门 主办单位 主办部门 主责单位 主责部门 牵头"),
    (
        "support",
        "配合单位 配合部门 协办单位 协办部门 参与单位 参与部门 协助单位 协助部门 协同单位 配合",
    ),
    (
        "responsible",
        "责任单位 责任部门 负责单位 负责部门 承办单位 落实单位 实施单位 责任主体",
    ),
):
    for _name in _names.split():
        _LABELS[_name] = _role  # type: ignore[assignment]

# The lengths of labels, longest first (see _labels).
_LABEL_SIZES = sorted({len(name) for name in _LABELS}, reverse=True)
_ANY_LABEL_RE = re.compile(r"[\u4e00-\u9fff]{2,8}\s*:")

_SUPPORT_VERBS = [
    "按职能职责分工负责",
    "按照职责分工负责",
    "按照职责分工落实",
    "按职责分工负责",
    "按职责分工落实",
    "按照职责负责",
    "按职责负责",
    "按职能分工负责",
    "分工负责",
    "各负其责",
    "配合落实",
    "配合实施",
    "配合",
    "协助",
    "协同",
    "参与",
    "协办",
]
_LEAD_VERBS = ["牵头负责", "牵头落实", "牵头实施", "牵头", "负总责"]
_RESP_VERBS = ["共同负责", "具体负责", "负责落实", "负责实施", "组织实施", "分别负责", "负责"]
_VERB_RE = re.compile(
    r"(?P<verb>"
    + "|".join(sorted(_SUPPORT_VERBS + _LEAD_VERBS + _RESP_VERBS, key=len, reverse=True))
    + r")$"
)
_LIST_SEP_RE = re.compile("[、,;/]")
# A role verb or 会同 anywhere in a sentence (unlabelled phrases need one of them).
_ROLE_WORD_RE = re.compile(
    "|".join(sorted({*_SUPPORT_VERBS, *_LEAD_VERBS, *_RESP_VERBS, "会同"}, key=len, reverse=True))
)
_COOP_RE = re.compile(
    r"^(?P<x>[^,;]+?)会同(?P<rest>[^,;]+?)(?:共同)?(?:负责|落实|实施|推进|开展)?$"
)
_LEAD_PREFIX_RE = re.compile(r"(?:由|以|请)")
_TRIM_HEAD_RE = re.compile(r"(?:由|以及|及|和|并|其中|请)")
_TRIM_TAIL_RE = re.compile(r"(?:等(?:相关|有关)?(?:单位|部门)|等|[。.!！])$")
_PLACES = (
    r"(?:县级市|县|区|市|乡镇|乡|镇|街道|地区|园区|开发区|地|州|盟|旗"
    r"|县\(市\)|县\(区\)|县\(市、区\))"
)
_ADMIN_WORD_RE = re.compile(
    rf"^各?(?:{_PLACES}|部门|单位|(?:有关|相关){_PLACES})(?:人民政府|政府|党委|党委和政府|办事处)?$"
)
# A bare list of places (各地区, 各县（区）, 各有关区), which the departments or units of a
# collective may follow (各地区、各部门; 各县（区）、市直各部门).
_BARE_PLACES_RE = re.compile(rf"^各(?:有关|相关)?{_PLACES}$")
_DEPARTMENTS_RE = re.compile(r"^(?:[市县区省]直)?各(?:有关|相关)?(?:部门|单位)$")
# A connector before a collective ending a name: 人社部等有关部门和单位, 商务部等和各有关省级
# 人民政府, 民政部等部门和各省级人民政府, 人社部及各地区 (the collective by COLLECTIVE_RE).
_BEFORE_COLLECTIVE_RE = re.compile("等和|以及|等|及|和")

# The patterns anchored at the end (verbs, 等部门, role marks) match at most nine characters
# and a newline: searching only the last ten finds the same match, without a scan of the text.
_TAIL_WINDOW = 10

_MARK_RE = re.compile(r"\((?:牵头|牵头单位|主责|配合|协办)\)$")
_MARK_AFTER_RE = re.compile(r"\s*\((牵头|牵头单位|主责|配合|协办)\)")
_MARK_ROLE: dict[str, Role] = {"牵": "lead", "主": "lead", "配": "support", "协": "support"}

_BLANK = " \n\r"
# What can start a role mark (``\s*\(``): a cheap test before the regular expression.
_MARK_START = frozenset("(" + "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()))

Kind = Role | str  # "plain" for a list with no role word
Part = tuple[Kind, int, Sequence[tuple[int, int]]]
"""A list of names in a clause: its kind, an offset, and the names' spans relative to the
offset (so a tokenisation cached by the list's text serves every place the list occurs)."""
Named = tuple[Role, int, int]
"""A name whose role is decided: (role, start, end)."""


class Found(NamedTuple):
    """One name found in an item: its role, its span, and the clause it sits in."""

    role: Role
    start: int
    end: int
    clause: tuple[int, int]


class ClauseResult(NamedTuple):
    """What :func:`find_assignments` found: the clauses of an item, each as its span and the
    (role, start, end) of its names; ``rule`` is true when the item states the
    first-listed-is-lead rule."""

    clauses: list[tuple[tuple[int, int], list[Named]]]
    rule: bool = False

    @property
    def found(self) -> list[Found]:
        """Every name found, in order, with its clause."""
        return [Found(*named, clause) for clause, names in self.clauses for named in names]


def _strip(folded: str, start: int, end: int) -> tuple[int, int]:
    if start < end and folded[start] not in _BLANK and folded[end - 1] not in _BLANK:
        return start, end
    while start < end and folded[start] in " \n\r":
        start += 1
    while end > start and folded[end - 1] in " \n\r":
        end -= 1
    return start, end


def _clean_token(folded: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space, leading conjunctions, trailing 等/等部门, role verbs and a trailing
    parenthesised note (a deadline, say) that is not part of the name."""
    start, end = _strip(folded, start, end)
    for _ in range(3):
        before = start, end
        head = _TRIM_HEAD_RE.match(folded, start, end)
        if head:
            start = head.end()
        tail = _TRIM_TAIL_RE.search(folded, max(start, end - _TAIL_WINDOW), end)
        if tail and tail.start() > start:
            end = tail.start()
        verb = _VERB_RE.search(folded, max(start, end - _TAIL_WINDOW), end)
        if verb and verb.start() > start:
            end = verb.start()
        mark = _MARK_RE.search(folded, max(start, end - _TAIL_WINDOW), end)
        if mark and mark.start() > start:
            end = mark.start()
        while (
            end > start
            and folded[end - 1] == ")"
            and (folded.count(")", start, end) > folded.count("(", start, end))
        ):
            end -= 1  # a stray closing parenthesis
        if end > start and folded[end - 1] == ")":
            open_at = folded.rfind("(", start, end)
            if open_at > start and end - open_at - 2 > 4:
                end = open_at
        start, end = _strip(folded, start, end)
        if (start, end) == before:  # a round that changes nothing: so would the next ones
            break
    return start, end


def _split_list(folded: str) -> list[str]:
    """``folded`` split at every 、 , ; and / (:data:`_LIST_SEP_RE`): with 、 alone, as most
    lists are, ``str.split`` does it three times as fast as the regular expression.

    >>> _split_list("甲、乙,丙"), _split_list("甲、乙、")
    (['甲', '乙', '丙'], ['甲', '乙', ''])
    """
    if "," in folded or ";" in folded or "/" in folded:
        return _LIST_SEP_RE.split(folded)
    return folded.split("、")


@functools.lru_cache(maxsize=1 << 14)
def _list_tokens(folded: str) -> tuple[tuple[int, int], ...]:
    """The names of a list (offsets into ``folded``), split at 、 , ; / outside parentheses,
    keeping collectives such as ``各区、县级市`` whole: a pure function of the list's text, so
    cached."""
    if "(" not in folded and ")" not in folded and "各" not in folded:
        # The common list: every separator splits and no part joins the one before it (only
        # parts of collectives starting with 各 do). Plain loops, as in Python 3.11 a
        # comprehension is a function call.
        tokens = []
        at = 0
        for piece in _split_list(folded):
            if piece:
                for s, e in _token_pieces(piece):
                    tokens.append((at + s, at + e))
            at += len(piece) + 1
        return tuple(tokens)
    return tuple(_iter_list_tokens(folded))


def _iter_list_tokens(folded: str) -> Iterator[tuple[int, int]]:
    """The names of a list with parentheses or 各 (offsets into ``folded``; :func:`_list_tokens`
    reads the others), one at a time: a caller that stops at the first name that is not a unit
    leaves the rest of a long sentence unread."""
    raw = [p for p in split_top(folded, 0, len(folded), "、,;/") if p[1] > p[0]]
    last: tuple[int, int] | None = None  # the token being built (collectives join parts)
    last_part = ""  # the last part joined to it
    for a, b in raw:
        sa, sb = _strip(folded, a, b)
        part = folded[sa:sb]
        if (
            last is not None
            and folded[a - 1] == "、"
            and (
                (
                    # 各区、县级市: places after a 各 list of places (not after 各有关部门)
                    folded[last[0]] == "各"
                    and _ADMIN_WORD_RE.match(last_part)
                    and _ADMIN_WORD_RE.match(part)
                    and part != "各部门"
                )
                or (_DEPARTMENTS_RE.match(part) and _BARE_PLACES_RE.match(last_part))
            )
        ):
            last = (last[0], b)
            last_part = part
            continue
        if last is not None:
            yield from _pieces(folded, last)
        last = (a, b)
        last_part = part
    if last is not None:
        yield from _pieces(folded, last)


def _pieces(folded: str, token: tuple[int, int]) -> Iterator[tuple[int, int]]:
    a, b = token
    for s, e in _token_pieces(folded[a:b]):
        yield a + s, a + e


@functools.lru_cache(maxsize=1 << 16)
def _token_pieces(raw: str) -> tuple[tuple[int, int], ...]:
    """The names in one raw list token (offsets into ``raw``): cleaned, without a statement of
    the first-listed rule, split at spaces when every piece is a unit. A pure function of the
    token's text, so it is cached: plans name the same units over and over."""
    if "等" in raw or "及" in raw or "和" in raw:
        split = _collective_tail(raw)
        if split is not None:
            return split
    a, b = _clean_token(raw, 0, len(raw))
    name = raw[a:b]
    if b > a and not states_rule(name) and not name.startswith("下同"):
        return tuple(_split_spaced(raw, a, b))
    return ()


def _collective_tail(raw: str) -> tuple[tuple[int, int], ...] | None:
    """A name followed by a connector and a collective, as the names and the collective
    (offsets into ``raw``): the first connector (等和, 以及, 等, 及, 和) after which the rest is
    a collective (:data:`~dutygraph.graph.names.COLLECTIVE_RE`), or ``None``.

    >>> t = "人社部等有关部门和单位"
    >>> [t[a:b] for a, b in _collective_tail(t)]
    ['人社部', '有关部门和单位']
    >>> t = "商务部等和各有关省级人民政府"
    >>> [t[a:b] for a, b in _collective_tail(t)]
    ['商务部', '各有关省级人民政府']
    >>> _collective_tail("各级党委和政府") is None
    True
    """
    if ("(" in raw or ")" in raw) and (raw.count("(") != raw.count(")") or "、" in raw):
        return None  # a broken group, or a list kept whole inside parentheses
    for m in _BEFORE_COLLECTIVE_RE.finditer(raw):
        if m.start() == 0:
            continue
        c, d = _clean_token(raw, m.end(), len(raw))
        if d - c < 2 or not COLLECTIVE_RE.search(name_key(raw[c:d])):
            continue
        head = _token_pieces(raw[: m.start()])
        if not head:
            continue
        return (*head, (c, d))
    return None


def _split_spaced(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """``市公安局 市民政局``: names separated only by spaces, when every piece reads as a unit."""
    pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", folded[start:end])]
    if len(pieces) > 1 and all(looks_like_unit(folded[start + a : start + b]) for a, b in pieces):
        return [(start + a, start + b) for a, b in pieces]
    return [(start, end)]


# Verbs of a list that carries the task by its own duties (按职责分工负责): it supports a lead
# where the clause has one, and is responsible where it has none.
_DUTY_VERBS = frozenset(v for v in _SUPPORT_VERBS if v.endswith(("负责", "落实", "各负其责")))
_VERB_ROLES: dict[str, Kind] = {
    **{verb: "responsible" for verb in _RESP_VERBS},
    **{verb: "duty" if verb in _DUTY_VERBS else "support" for verb in _SUPPORT_VERBS},
    **{verb: "lead" for verb in _LEAD_VERBS},
}


def _marks(folded: str, parts: list[Part]) -> dict[tuple[int, int], Role]:
    """The roles that ``（牵头）`` / ``（配合）`` marks right after names give them, by the names'
    spans. A mark starts with white space or a ``(``, and names start with neither, so a mark
    after any but a part's last name has its ``(`` before the last name's end: a part without
    such a ``(``, and with no space or ``(`` after its last name, has no marks."""
    marks: dict[tuple[int, int], Role] = {}
    size = len(folded)
    for _, at, spans in parts:
        if not spans:
            continue
        last = at + spans[-1][1]
        if folded.find("(", at + spans[0][1], last) == -1 and (
            last >= size or folded[last] not in _MARK_START
        ):
            continue
        for a, b in spans:
            end = at + b
            if end < size and folded[end] in _MARK_START:
                m = _MARK_AFTER_RE.match(folded, end)
                if m:
                    marks[(at + a, end)] = _MARK_ROLE[m.group(1)[0]]
    return marks


def _part_role(kind: Kind, has_lead: bool, has_support: bool, has_resp: bool = False) -> Role:
    """The role of every name of a part, unless a mark or the first-listed rule says otherwise:
    ``X负责，Y配合`` makes X the lead; a plain list is responsible; a ``按职责分工负责`` list
    supports a lead, or a list made lead that way, and is responsible without one.

    >>> _part_role("duty", False, True), _part_role("duty", True, True)
    ('responsible', 'support')
    """
    if kind == "responsible" and not has_lead and has_support:
        return "lead"
    if kind == "plain":
        return "responsible"
    if kind == "duty":
        return "support" if has_lead or has_resp else "responsible"
    return kind  # type: ignore[return-value]


def _finish(folded: str, parts: list[Part], first_listed: bool) -> list[Named]:
    """Decide the roles of a clause's parts, as (role, start, end) of each name: plain lists,
    lead-less responsible lists and ``按职责分工负责`` lists follow the first-listed rule when it
    is in force; marks after names win over everything. (Plain loops, no comprehensions: this
    runs for every clause.)"""
    marks = _marks(folded, parts)
    has_lead = has_support = has_resp = False
    for kind, _, _ in parts:
        if kind == "lead":
            has_lead = True
        elif kind == "support" or kind == "duty":
            has_support = True
        elif kind == "responsible":
            has_resp = True
    for mark in marks.values():
        if mark == "lead":
            has_lead = True
        elif mark == "support":
            has_support = True
    by_rule = first_listed and not has_lead
    found: list[Named] = []
    first_done = False
    for kind, at, spans in parts:
        listed = kind == "plain" or kind == "responsible" or (kind == "duty" and by_rule)
        same = _part_role(kind, has_lead, has_support, has_resp)
        if not marks and not (listed and by_rule):
            for a, b in spans:
                found.append((same, at + a, at + b))
        else:
            for i, (a, b) in enumerate(spans):
                role = marks.get((at + a, at + b))
                if role is None:
                    if listed and by_rule:
                        role = "lead" if i == 0 and not first_done else "support"
                    else:
                        role = same
                found.append((role, at + a, at + b))
        if listed and spans:
            first_done = True
    return found


def _label_before(folded: str, start: int, colon: int) -> tuple[int, Role] | None:
    """The label that ends before the colon at ``colon`` (after white space), as (where it
    starts, its role), or ``None``.

    A label (:data:`_LABELS`) is followed by white space and a colon, and no label ends another
    one, so each colon has at most one label before it: the longest that ends where the white
    space before the colon starts."""
    k = colon
    while k > start and folded[k - 1].isspace():
        k -= 1
    for size in _LABEL_SIZES:
        if k - size >= start:
            role = _LABELS.get(folded[k - size : k])
            if role is not None:
                return k - size, role
    return None


def _labelled(
    folded: str, start: int, end: int, groups: list[tuple[int, int]]
) -> list[tuple[tuple[int, int], list[Part]]]:
    """Labelled clauses in ``[start, end)``: (clause span, parts) in document order. A label's
    list runs to the next label (any ``XX单位:``) or the end of its group, or else of its line
    or sentence.

    Each colon of the item is found once: a label's list can only end at a label whose colon
    is the next one (see :func:`_label_start`)."""
    clauses: dict[tuple[int, int], list[Part]] = {}
    opens = [a for a, _ in groups]
    colon = folded.find(":", start, end)
    while colon != -1:
        following = folded.find(":", colon + 1, end)
        label = _label_before(folded, start, colon)
        if label is not None:
            label_at, role = label
            list_at = colon + 1
            # the top-level group the label lies inside (groups are in text order)
            g = bisect.bisect_left(opens, label_at) - 1
            if g >= 0 and label_at < groups[g][1]:
                bound_start, bound = groups[g][0] + 1, groups[g][1]
            else:
                bound_start, bound = _line_bounds(folded, start, end, label_at, list_at)
            list_end = bound
            if following != -1 and following < bound:
                list_end = _label_start(folded, list_at, following, bound)
            clause = _strip(folded, bound_start, bound)
            parts = clauses.get(clause)
            if parts is None:
                parts = clauses[clause] = []
            # a list that says its own roles (责任单位：A牵头，B、C配合) keeps them
            phrase = (
                _expression(folded, list_at, list_end, looks_like_unit)
                if _ROLE_WORD_RE.search(folded, list_at, list_end)
                else None
            )
            if phrase and any(kind in ("lead", "support") for kind, _, _ in phrase):
                parts.extend(phrase)
            else:
                parts.append((role, list_at, _list_tokens(folded[list_at:list_end])))
        colon = following
    return list(clauses.items())


def _line_bounds(folded: str, start: int, end: int, label_at: int, list_at: int) -> tuple[int, int]:
    """The clause of a label outside parentheses: from the start of its line to the end of its
    line or sentence."""
    line_start = max(folded.rfind("\n", start, label_at) + 1, start)
    stops = [
        i for i in (folded.find("\n", list_at, end), folded.find("。", list_at, end)) if i != -1
    ]
    return line_start, min(stops, default=end)


def _label_start(folded: str, start: int, colon: int, end: int) -> int:
    """Where the next label in ``[start, end)`` starts, given the first colon there: a role
    label (:data:`_LABELS`) right before the colon, else any ``XX单位:`` (:data:`_ANY_LABEL_RE`),
    or else ``end``. The first match ends at that colon or starts
    after it, so the search starts just before the colon instead of scanning the whole list."""
    known = _label_before(folded, start, colon)
    if known is not None and _glued_to_a_name(folded, start, known[0]):
        return known[0]  # a role label glued to the list's last name (lines joined)
    scan = colon
    while scan > start and folded[scan - 1].isspace():
        scan -= 1
    m = _ANY_LABEL_RE.search(folded, max(start, scan - 8), end)
    return m.start() if m else end


def _glued_to_a_name(folded: str, start: int, label_at: int) -> bool:
    """Whether the text before a role label at ``label_at`` (back to the last separator) is
    empty or can be a name (three characters or more once cleaned, not ending with a label
    itself: ``市公安局配合单位：``, but not ``责任单位配合单位：`` or ``各负其责配合单位：``).

    >>> t = "牵头单位:市教育局配合单位:市公安局"
    >>> _glued_to_a_name(t, 5, 9), _glued_to_a_name("甲:接入配合单位:", 2, 4)
    (True, False)
    """
    at = label_at
    while at > start and folded[at - 1] not in _GLUE_STOPS:
        at -= 1
    if at == label_at or folded[at:label_at].isspace():
        return True
    a, b = _clean_token(folded, at, label_at)  # without 等部门, role verbs (各负其责) ...
    glued = folded[a:b]
    return (
        len(glued) >= 3
        and not any(glued.endswith(label) for label in _LABELS)
        and not _ROLE_WORD_RE.fullmatch(glued)
        and not _TRIM_TAIL_RE.fullmatch(glued)
    )


_GLUE_STOPS = frozenset("、,;/:( \n")


def _expression(
    folded: str, start: int, end: int, is_unit: Callable[[str], bool]
) -> list[Part] | None:
    """Parse an unlabelled phrase such as ``A牵头,B、C配合``; ``None`` unless every part is a
    role phrase over names of units (or a statement of the first-listed rule)."""
    parts: list[Part] = []
    # A statement of the first-listed rule may follow the list after a 。 (``A、B负责。列第一位
    # 者为牵头单位，下同``): split there too, only then.
    seps = ",;。" if states_rule(folded, start, end) else ",;"
    for a, b in split_top(folded, start, end, seps):
        a, b = _strip(folded, a, b)
        text = folded[a:b].rstrip("。.")
        if not text or states_rule(text) or text.startswith("下同") or is_plain_deadline(text):
            continue  # (a deadline among the parts, ``A牵头，B配合，长期坚持``, is no list)
        coop = _COOP_RE.match(text) if "会同" in text else None
        if coop:
            leads = _unit_tokens(folded[a : a + coop.end("x")], is_unit)  # X、Y会同…
            rest_at = a + coop.start("rest")
            rest = _list_tokens(folded[rest_at : a + coop.end("rest")])
            if not leads or not all(is_unit(folded[rest_at + s : rest_at + e]) for s, e in rest):
                return None
            parts += [("lead", a, leads), ("support", rest_at, rest)]
            continue
        verb = _VERB_RE.search(text, max(0, len(text) - _TAIL_WINDOW))
        kind: Kind = _VERB_ROLES[verb.group("verb")] if verb else "plain"
        list_end = a + verb.start() if verb else a + len(text)
        head = _LEAD_PREFIX_RE.match(folded, a, list_end)
        at = head.end() if head else a
        spans = _unit_tokens(folded[at:list_end], is_unit)
        if not spans:
            return None
        parts.append((kind, at, spans))
    return parts or None


def _unit_tokens(listed: str, is_unit: Callable[[str], bool]) -> Sequence[tuple[int, int]] | None:
    """The names of a list (offsets into ``listed``) when every one is a unit, else ``None``.

    A common list (no parentheses, no 各) is tokenised by the cached :func:`_list_tokens`; any
    other is read one name at a time, up to the first name that is not a unit (the rest of a
    long sentence need not be read).

    >>> _unit_tokens("市公安局、市民政局", looks_like_unit)
    ((0, 4), (5, 9))
    >>> _unit_tokens("开展宣传、教育", looks_like_unit) is None
    True
    """
    if "(" not in listed and ")" not in listed and "各" not in listed:
        tokens = _list_tokens(listed)
        for s, e in tokens:
            if not is_unit(listed[s:e]):
                return None
        return tokens
    spans = []
    for s, e in _iter_list_tokens(listed):
        if not is_unit(listed[s:e]):
            return None  # as every name must be a unit, the rest need not be read
        spans.append((s, e))
    return spans


def _top_groups(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The top-level parenthesised groups in ``[start, end)``, as the offsets of their ``(``
    and ``)``; a ``(`` never closed is skipped.

    >>> _top_groups("a(b(c)d)e(f", 0, 11)
    [(1, 7)]
    """
    groups, i = [], folded.find("(", start, end)
    while i != -1:
        close = folded.find(")", i + 1, end)
        if close != -1 and folded.find("(", i + 1, close) != -1:
            close = matching_paren(folded, i, end)  # nested groups (else close is right)
        if close == -1:  # never closed (a truncated or mistyped item): look inside it
            i = folded.find("(", i + 1, end)
            continue
        groups.append((i, close))
        i = folded.find("(", close + 1, end)
    return groups


def find_assignments(
    folded: str,
    start: int,
    end: int,
    *,
    first_listed: bool = False,
    is_unit: Callable[[str], bool] = looks_like_unit,
) -> ClauseResult:
    """Every assignment in ``folded[start:end]`` (one item's own text), clause by clause.

    ``first_listed`` says the document's first-listed-is-lead rule is already in force;
    ``is_unit`` tells names of units from other text in unlabelled phrases. When the item itself
    states the rule, it applies from this item on and ``ClauseResult.rule`` is true.

    >>> t = "推进工作。(责任单位:市委宣传部、市文明办,列第一位者为牵头单位,下同)"
    >>> r = find_assignments(t, 0, len(t))
    >>> r.rule, [(f.role, t[f.start:f.end]) for f in r.found]
    (True, [('lead', '市委宣传部'), ('support', '市文明办')])
    >>> r.clauses
    [((6, 35), [('lead', 11, 16), ('support', 17, 21)])]
    """
    rule = states_rule(folded, start, end)
    if _plain_prose(folded, start, end):
        return ClauseResult([], rule)
    first_listed = first_listed or rule
    groups = _top_groups(folded, start, end)
    labelled = _labelled(folded, start, end, groups)
    if labelled:
        return ClauseResult(_decided(folded, labelled, first_listed), rule)
    in_groups = []
    for a, b in groups:
        in_group = _expression(folded, a + 1, b, is_unit)
        if in_group and not _glosses(folded, a, b, in_group):
            in_groups.append((_strip(folded, a + 1, b), in_group))
    found = _decided(folded, in_groups, first_listed)
    if found:
        return ClauseResult(found, rule)
    # Role phrases outside parentheses: a whole sentence, or a leading 由A牵头，B配合，…
    phrases = []
    for s_start, s_end in _sentences(folded, _outside(start, end, groups)):
        if folded[s_start] != "由" and not _ROLE_WORD_RE.search(folded, s_start, s_end):
            # Without a role verb or 会同, every part of the sentence is a plain list, which
            # counts only after 由 (see _leading_run): prose, skipped without splitting it.
            continue
        phrase = _expression(folded, s_start, s_end, is_unit)
        if phrase is None or any(kind == "plain" for kind, _, _ in phrase):
            phrase = _leading_run(folded, s_start, s_end, is_unit)
        if phrase:
            phrases.append(((s_start, s_end), phrase))
    return ClauseResult(_decided(folded, phrases, first_listed), rule)


def _glosses(folded: str, open_at: int, close_at: int, parts: list[Part]) -> bool:
    """Whether a parenthesised plain list sits between two words of a sentence, as in
    ``乡镇（街道）工作站``: it glosses the word before it and assigns no one.

    >>> t = "推进乡镇(街道)工作站建设。"
    >>> _glosses(t, 4, 7, [("plain", 5, [(0, 2)])])
    True
    """
    return (
        all(kind == "plain" for kind, _, _ in parts)
        and open_at > 0
        and close_at + 1 < len(folded)
        and _is_ideograph(folded[open_at - 1])
        and _is_ideograph(folded[close_at + 1])
    )


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _plain_prose(folded: str, start: int, end: int) -> bool:
    """Whether an item can name no one: no parenthesis (so no group), no colon (so no label),
    no role verb or 会同 and no 由 (so no role phrase). Section headings are like this."""
    return (
        folded.find("(", start, end) == -1
        and folded.find(":", start, end) == -1
        and folded.find("由", start, end) == -1
        and not _ROLE_WORD_RE.search(folded, start, end)
    )


def _decided(
    folded: str, clauses: list[tuple[tuple[int, int], list[Part]]], first_listed: bool
) -> list[tuple[tuple[int, int], list[Named]]]:
    """The clauses with the roles of their names decided (:func:`_finish`), those that name
    no one left out."""
    out = []
    for clause, parts in clauses:
        named = _finish(folded, parts, first_listed)
        if named:
            out.append((clause, named))
    return out


def _outside(start: int, end: int, groups: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans, cur = [], start
    for a, b in groups:
        spans.append((cur, a))
        cur = b + 1
    spans.append((cur, end))
    return spans


def _sentences(folded: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in spans:
        for s, e in split_top(folded, a, b, "。\n!?！？"):
            s, e = _strip(folded, s, e)
            if e > s:
                out.append((s, e))
    return out


def _leading_run(
    folded: str, start: int, end: int, is_unit: Callable[[str], bool]
) -> list[Part] | None:
    """``由A牵头，B配合，开展……``: the role phrases at the head of a sentence that starts with
    由 and a lead."""
    if folded[start] != "由":
        return None
    run: list[Part] = []
    for a, b in split_top(folded, start, end, ","):
        parts = _expression(folded, a, b, is_unit)
        if not parts or any(k == "plain" for k, _, _ in parts):
            break
        run += parts
    return run if run and run[0][0] == "lead" else None
