"""Parse a work plan's text into a :class:`~dutygraph.graph.records.Document`. Pure: no I/O.

>>> doc = parse_workplan('''X市2023年工作要点
... 一、加强家庭保护
... 1.加强家庭教育指导。开展活动。(牵头单位:市妇联、市教育局;配合单位:市民政局)
... 2.做好关爱。(市民政局牵头,团市委配合)
... ''', doc_id="x")
>>> [(t.uid, t.title, [(a.unit, a.role) for a in t.assignments]) for t in doc.tasks]
... # doctest: +NORMALIZE_WHITESPACE
[('x#1', '加强家庭教育指导', [('市妇联', 'lead'), ('市教育局', 'lead'), ('市民政局', 'support')]),
 ('x#2', '做好关爱', [('市民政局', 'lead'), ('团市委', 'support')])]
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import weakref
from collections import Counter
from collections.abc import Callable, Mapping

from dutygraph.errors import ParseError
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.names import looks_like_unit
from dutygraph.graph.records import Assignment, Document, Role, Section, Task, Unit, Warning
from dutygraph.loaders.clauses import Found, find_assignments, states_rule
from dutygraph.loaders.structure import Block, find_blocks, read_header
from dutygraph.loaders.text import fold

__all__ = ["parse_workplan"]

_NOTE_RE = re.compile(r"(?:^|\n)\s*(?:注|备注|说明)\s*[:：]?[^\n]*")


_TITLE_STOP_RE = re.compile(r"[。\n(]")


def _title(folded: str, text: str, start: int, end: int) -> str:
    stop = _TITLE_STOP_RE.search(folded, start, end)
    return text[start : stop.start() if stop else end].strip(" :;,。")


_ASSIGNMENT_FIELDS = ("unit", "as_written", "role", "collective", "span", "clause", "via")
assert tuple(f.name for f in dataclasses.fields(Assignment)) == _ASSIGNMENT_FIELDS
assert not hasattr(Assignment, "__post_init__") and not hasattr(Assignment, "__slots__")


def _assignment(
    unit: str, as_written: str, role: Role, collective: bool, span: tuple[int, int], clause: str
) -> Assignment:
    """``Assignment(unit, as_written, role, collective, span, clause)``, made twice as fast: a
    frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, and a parse
    makes one per name. The object is the same (fields, equality, hash, repr); the asserts
    above keep this true if the record changes.

    >>> _assignment("团市委", "团市委", "support", False, (1, 4), "配合单位：团市委") == Assignment(
    ...     "团市委", "团市委", "support", False, (1, 4), "配合单位：团市委")
    True
    """
    a: Assignment = object.__new__(Assignment)
    a.__dict__.update(
        unit=unit,
        as_written=as_written,
        role=role,
        collective=collective,
        span=span,
        clause=clause,
        via=None,
    )
    return a


_UNIT_TESTS: weakref.WeakKeyDictionary[Gazetteer, Callable[[str], bool]] = (
    weakref.WeakKeyDictionary()
)


def _unit_test(gaz: Gazetteer) -> Callable[[str], bool]:
    """Whether a name is a unit (known to ``gaz``, or looks like an agency's name): cached per
    gazetteer, as unlabelled phrases ask about the same names again and again."""
    found = _UNIT_TESTS.get(gaz)
    if found is not None:
        return found

    @functools.lru_cache(maxsize=1 << 16)
    def test(name: str) -> bool:
        return gaz.lookup(name) is not None or looks_like_unit(name)

    _UNIT_TESTS[gaz] = test
    return test


def _item_rank(blocks: list[Block], has_own: list[bool]) -> int:
    """The numbering rank of the plan's items: the shallowest rank below sections whose blocks
    carry their own assignments at least as often as they serve as headings over assigned
    sub-items (so ``（一）`` headings over ``1.`` items are skipped)."""
    assigned: Counter[int] = Counter()
    headings: Counter[int] = Counter()
    for i, b in enumerate(blocks):
        if b.rank == 0:
            continue
        if has_own[i]:
            assigned[b.rank] += 1
        elif any(has_own[j] for j in _descendants(blocks, i)):
            headings[b.rank] += 1
    ranks = sorted(r for r in assigned if assigned[r] >= headings[r])
    if ranks:
        return ranks[0]
    if assigned:
        return min(assigned)
    return min((b.rank for b in blocks if b.rank > 0), default=0)


def _section_of(blocks: list[Block], i: int) -> int | None:
    cur: int | None = i
    while cur is not None and blocks[cur].rank != 0:
        cur = blocks[cur].parent
    return cur


def _descendants(blocks: list[Block], i: int) -> list[int]:
    out, todo = [], list(blocks[i].children)
    while todo:
        j = todo.pop(0)
        out.append(j)
        todo[:0] = blocks[j].children
    return out


def parse_workplan(
    text: str,
    *,
    doc_id: str | None = None,
    gazetteer: Gazetteer | None = None,
    source: str | None = None,
    meta: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sha256: str | None = None,
) -> Document:
    """Parse a plan's text into a document with tasks, assignments and warnings.

    ``doc_id`` names the document (default: from ``source``'s file name, else a hash of the
    text); ``gazetteer`` resolves names (default: the shipped one); ``meta`` carries metadata a
    reader found (``名称``, ``发布机构``, ``发文日期``, ``文号``). Raises :class:`ParseError` when
    the text has no numbered items.
    """
    if not text.strip():
        raise ParseError("the document is empty", path=source, hint="check the file")
    gaz = gazetteer or Gazetteer.default()
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if doc_id is None:
        doc_id = _default_id(source, digest)
    folded = fold(text)
    blocks = find_blocks(folded)
    if not blocks:
        raise ParseError(
            "no numbered sections or items found",
            path=source,
            hint="dutygraph reads plans whose tasks are numbered (一、 （一） 1. (1))",
        )
    header = read_header(text[: blocks[0].start], dict(meta or {}))
    warnings: list[Warning] = []

    is_unit = _unit_test(gaz)
    rule = states_rule(folded, 0, blocks[0].start) or (
        ("注" in folded or "说明" in folded)  # every note starts with 注, 备注 or 说明
        and any(states_rule(m.group(0)) for m in _NOTE_RE.finditer(folded))
    )
    found: list[list[Found]] = []
    for b in blocks:
        res = find_assignments(folded, b.body, b.end, first_listed=rule, is_unit=is_unit)
        rule = rule or res.rule
        found.append(res.found)
        if folded.count("(", b.start, b.end) != folded.count(")", b.start, b.end):
            warnings.append(
                Warning(
                    "unbalanced-parenthesis",
                    f"line {b.line}: parentheses do not pair up; the item may be cut off",
                    (b.start, b.end),
                )
            )
    has_own = [bool(f) for f in found]
    item_rank = _item_rank(blocks, has_own)
    sections = {i: _section_of(blocks, i) for i in range(len(blocks))}
    busy_sections = {sections[i] for i, own in enumerate(has_own) if own}
    any_assigned = any(has_own)

    is_task = [False] * len(blocks)
    for i in reversed(range(len(blocks))):
        b = blocks[i]
        below = any(is_task[j] for j in _descendants(blocks, i))
        at_level = b.rank == item_rank and item_rank > 0 and not below
        in_scope = sections[i] in busy_sections or not any_assigned
        is_task[i] = has_own[i] or (at_level and in_scope)
    for s in {sections[i] for i in range(len(blocks))} - busy_sections - {None}:
        if any_assigned and s is not None:
            warnings.append(
                Warning(
                    "section-without-assignments",
                    f"section {blocks[s].number} names no units; its items are not read as tasks",
                    (blocks[s].start, blocks[s].end),
                )
            )

    task_blocks = [i for i in range(len(blocks)) if is_task[i]]
    numbers = [_number(blocks, i, item_rank) for i in task_blocks]
    qualify = len(set(numbers)) < len(numbers)
    tasks: list[Task] = []
    units: dict[str, Unit] = {}
    section_titles: dict[int, str] = {}
    for i, number in zip(task_blocks, numbers, strict=True):
        b = blocks[i]
        inner = _descendants(blocks, i)
        stop = max([b.end, *(blocks[j].end for j in inner)])
        first_task_child = next((j for j in inner if is_task[j]), None)
        if first_task_child is not None:
            stop = blocks[first_task_child].start
        sec = sections[i]
        body = text[b.start : stop]
        t_start = b.start + len(body) - len(body.lstrip())
        t_end = max(t_start, b.start + len(body.rstrip()))
        assignments = []
        clauses: dict[tuple[int, int], str] = {}
        for f in found[i]:
            as_written = text[f.start : f.end]
            r = gaz.resolve(as_written)
            if r.method == "similar":
                warnings.append(
                    Warning(
                        "alias-by-similarity",
                        f"{as_written} read as {r.name} (similar name); add an alias to confirm",
                        (f.start, f.end),
                    )
                )
            elif r.method == "ambiguous":
                warnings.append(
                    Warning(
                        "ambiguous-name",
                        f"{as_written} is close to {'、'.join(r.candidates)}; kept as written",
                        (f.start, f.end),
                    )
                )
            if r.name not in units:
                units[r.name] = Unit(r.name, r.kind, r.collective)
            clause = clauses.get(f.clause)
            if clause is None:
                clause = clauses[f.clause] = text[f.clause[0] : f.clause[1]].strip()
            assignments.append(
                _assignment(r.name, as_written, f.role, r.collective, (f.start, f.end), clause)
            )
        section, section_title = "", ""
        if sec is not None:
            section = blocks[sec].number
            if sec not in section_titles:
                section_titles[sec] = _title(folded, text, blocks[sec].body, blocks[sec].end)
            section_title = section_titles[sec]
        key = f"{section}.{number}" if qualify and section else number
        tasks.append(
            Task(
                uid=f"{doc_id}#{key}",
                doc_id=doc_id,
                number=number,
                section=section,
                section_title=section_title,
                title=_title(folded, text, b.body, stop),
                text=text[t_start:t_end],
                span=(t_start, t_end),
                assignments=tuple(assignments),
            )
        )
    section_list = (
        [
            Section(blocks[s].number, _title(folded, text, blocks[s].body, blocks[s].end))
            for s in sorted({s for s in sections.values() if s is not None and s in busy_sections})
        ]
        if any_assigned
        else [Section(b.number, _title(folded, text, b.body, b.end)) for b in blocks if b.rank == 0]
    )
    return Document(
        id=doc_id,
        title=header.title,
        text=text,
        issuer=header.issuer,
        date=header.date,
        doc_no=header.doc_no,
        source=source,
        sha256=digest,
        encoding=encoding,
        rules={"first_listed_is_lead": rule},
        sections=tuple(section_list),
        tasks=tuple(tasks),
        units=tuple(units.values()),
        warnings=tuple(sorted(warnings, key=lambda w: w.span)),
    )


def _number(blocks: list[Block], i: int, item_rank: int) -> str:
    """A task's number: its own, after those of its numbered ancestors at or below the item
    level (``2.1`` for the first sub-item of item 2)."""
    parts, cur = [blocks[i].number], blocks[i].parent
    while cur is not None and blocks[cur].rank >= max(item_rank, 1):
        parts.append(blocks[cur].number)
        cur = blocks[cur].parent
    return ".".join(reversed(parts))


def _default_id(source: str | None, digest: str) -> str:
    if source:
        stem = re.split(r"[\\/]", source)[-1].rsplit(".", 1)[0]
        if stem:
            return stem
    return f"doc-{digest[:12]}"
