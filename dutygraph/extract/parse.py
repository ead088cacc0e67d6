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

A task's deadline and leader come from its labelled values (see
:mod:`dutygraph.extract.attributes`); a deadline written without a year takes the plan's:

>>> doc = parse_workplan('''X市2024年工作要点
... 一、任务
... 1.开展宣传。（牵头单位：市妇联；完成时限：6月底前；责任领导：张三）
... ''', doc_id="x")
>>> [(t.deadline, t.due, t.leader) for t in doc.tasks]
[('6月底前', '2024-06-30', '张三')]
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import gc
import hashlib
import re
import weakref
from collections import Counter
from collections.abc import Callable, Mapping
from typing import TypeVar

from dutygraph.errors import ParseError
from dutygraph.extract.attributes import (
    LABEL_HINT_RE,
    plan_year,
    read_attributes,
    read_trailing_deadline,
)
from dutygraph.extract.clauses import Named, find_assignments, states_rule
from dutygraph.extract.confidence import confidence_warnings
from dutygraph.extract.structure import Block, find_blocks, read_header
from dutygraph.extract.text import fold
from dutygraph.graph.gazetteer import Gazetteer, Resolution
from dutygraph.graph.names import looks_like_unit
from dutygraph.graph.records import Assignment, Document, ParseWarning, Section, Task, Unit

__all__ = ["parse_workplan"]

_NOTE_RE = re.compile(r"(?:^|\n)\s*(?:注|备注|说明)\s*[:：]?[^\n]*")


_TITLE_STOP_RE = re.compile(r"[。\n(]")


def _title(folded: str, text: str, start: int, end: int) -> str:
    stop = _TITLE_STOP_RE.search(folded, start, end)
    return text[start : stop.start() if stop else end].strip(" :;,。")


_R = TypeVar("_R", Assignment, Task)
# _record fills these records' __dict__ directly: keep them plain frozen dataclasses.
for _cls in (Assignment, Task):
    assert dataclasses.is_dataclass(_cls) and _cls.__dataclass_params__.frozen  # type: ignore[union-attr]
    assert not hasattr(_cls, "__post_init__") and not hasattr(_cls, "__slots__")


def _record(cls: type[_R], **fields: object) -> _R:
    """``cls(**fields)`` for a frozen dataclass, given every field, made two to three times as
    fast: a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, and
    a parse makes a record per name and per task. The object is the same (fields, equality,
    hash, repr); the asserts above keep this true if the records change.

    >>> _record(Assignment, unit="团市委", as_written="团市委", role="support", collective=False,
    ...         span=(1, 4), clause="配合单位：团市委", via=None) == Assignment(
    ...     "团市委", "团市委", "support", False, (1, 4), "配合单位：团市委")
    True
    """
    obj: _R = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


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


def _item_rank(blocks: list[Block], has_own: list[bool], ends: list[int]) -> int:
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
        elif any(has_own[i + 1 : ends[i]]):
            headings[b.rank] += 1
    ranks = sorted(r for r in assigned if assigned[r] >= headings[r])
    if ranks:
        return ranks[0]
    if assigned:
        return min(assigned)
    return min((b.rank for b in blocks if b.rank > 0), default=0)


def _enumerations(blocks: list[Block], has_own: list[bool], item_rank: int) -> list[int]:
    """Items whose numbered sub-items, found inside lines, only enumerate the item's content:
    the item (at the item rank or below it) names no one in its own text, its sub-items are all
    inline, have no sub-items of their own, and only the last one has a clause — the item's
    clause after the enumeration (``健全：(1)托育；(2)收养。（责任单位：市民政局）``).

    >>> from dutygraph.extract.structure import find_blocks
    >>> blocks = find_blocks("一、甲\\n1.健全:(1)托育;(2)收养。(责任单位:市民政局)\\n")
    >>> _enumerations(blocks, [False, False, False, True], 2)
    [1]
    """
    out = []
    for i, b in enumerate(blocks):
        kids = b.children
        if (
            kids
            and not has_own[i]
            and b.rank >= max(item_rank, 1)
            and has_own[kids[-1]]
            and all(blocks[k].inline and not blocks[k].children for k in kids)
            and not any(has_own[k] for k in kids[:-1])
        ):
            out.append(i)
    return out


def _fold_enumerations(
    blocks: list[Block],
    found: list[list[tuple[tuple[int, int], list[Named]]]],
    parents: list[int],
) -> tuple[list[Block], list[list[tuple[tuple[int, int], list[Named]]]]]:
    """The blocks without the sub-items of ``parents`` (each parent runs to its last sub-item's
    end and its found clauses are to be read again), re-indexed; ``parents`` keep their
    indices' order and are updated in place to the new indices."""
    dropped = {k for i in parents for k in blocks[i].children}
    for i in parents:
        blocks[i].end = blocks[blocks[i].children[-1]].end
        blocks[i].children = []
    new_index: dict[int, int] = {}
    kept: list[Block] = []
    kept_found = []
    for i, b in enumerate(blocks):
        if i in dropped:
            continue
        new_index[i] = len(kept)
        kept.append(b)
        kept_found.append(found[i])
    for b in kept:
        b.parent = None if b.parent is None else new_index[b.parent]
        b.children = [new_index[c] for c in b.children]
    parents[:] = [new_index[i] for i in parents]
    return kept, kept_found


def _sections(blocks: list[Block]) -> list[int | None]:
    """The index of each block's section (its rank-0 ancestor, or itself), else ``None``."""
    out: list[int | None] = []
    for i, b in enumerate(blocks):
        if b.rank == 0:
            out.append(i)
        else:
            out.append(None if b.parent is None else out[b.parent])
    return out


def _subtree_ends(blocks: list[Block]) -> list[int]:
    """Where each block's subtree ends: blocks nest by rank in document order, so the
    descendants of block ``i`` are blocks ``i + 1`` up to (not including) ``ends[i]``.

    >>> from dutygraph.extract.structure import find_blocks
    >>> _subtree_ends(find_blocks("一、a\\n1.b\\n(1)c\\n2.d\\n二、e\\n"))
    [4, 3, 3, 4, 5]
    """
    ends = list(range(1, len(blocks) + 1))
    for i in reversed(range(len(blocks))):
        children = blocks[i].children
        if children:
            ends[i] = ends[children[-1]]
    return ends


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
    # A parse makes thousands of small containers and no cyclic garbage: the cyclic collector
    # would only walk them, and the parser's caches, again and again (as in build_graph).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, doc_id, gazetteer, source, meta, encoding, sha256)
    finally:
        if collecting:
            gc.enable()


def _parse(
    text: str,
    doc_id: str | None,
    gazetteer: Gazetteer | None,
    source: str | None,
    meta: Mapping[str, str] | None,
    encoding: str | None,
    sha256: str | None,
) -> Document:
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
    warnings: list[ParseWarning] = []

    is_unit = _unit_test(gaz)
    rule = states_rule(folded, 0, blocks[0].start) or (
        ("注" in folded or "说明" in folded)  # every note starts with 注, 备注 or 说明
        and any(states_rule(m.group(0)) for m in _NOTE_RE.finditer(folded))
    )
    found: list[list[tuple[tuple[int, int], list[Named]]]] = []
    rules: list[bool] = []  # the first-listed rule in force when each block was read
    for b in blocks:
        rules.append(rule)
        res = find_assignments(folded, b.body, b.end, first_listed=rule, is_unit=is_unit)
        rule = rule or res.rule
        found.append(res.clauses)
    has_own = [bool(f) for f in found]
    ends = _subtree_ends(blocks)
    item_rank = _item_rank(blocks, has_own, ends)
    fold_into = _enumerations(blocks, has_own, item_rank)
    if fold_into:
        in_force = [rules[i] for i in fold_into]
        blocks, found = _fold_enumerations(blocks, found, fold_into)
        for i, first_listed in zip(fold_into, in_force, strict=True):
            b = blocks[i]
            res = find_assignments(
                folded, b.body, b.end, first_listed=first_listed, is_unit=is_unit
            )
            found[i] = res.clauses
        has_own = [bool(f) for f in found]
        ends = _subtree_ends(blocks)
        item_rank = _item_rank(blocks, has_own, ends)
    for b in blocks:
        if folded.count("(", b.start, b.end) != folded.count(")", b.start, b.end):
            warnings.append(
                ParseWarning(
                    "unbalanced-parenthesis",
                    f"line {b.line}: parentheses do not pair up; the item may be cut off",
                    (b.start, b.end),
                )
            )
    sections = _sections(blocks)
    busy_sections = {sections[i] for i, own in enumerate(has_own) if own}
    any_assigned = any(has_own)

    is_task = [False] * len(blocks)
    for i in reversed(range(len(blocks))):
        b = blocks[i]
        below = any(is_task[i + 1 : ends[i]])
        at_level = b.rank == item_rank and item_rank > 0 and not below
        in_scope = sections[i] in busy_sections or not any_assigned
        is_task[i] = has_own[i] or (at_level and in_scope)
    for s in set(sections) - busy_sections - {None}:
        if any_assigned and s is not None:
            warnings.append(
                ParseWarning(
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
    seen: dict[str, _Reading] = {}
    section_titles: dict[int, str] = {}
    year = plan_year(header.title, header.date)
    # Where a deadline's or a leader's label may stand: only items holding one are read for
    # labelled values; the others only for a plain deadline in their trailing clause.
    hints = [m.start() for m in LABEL_HINT_RE.finditer(folded)]
    for i, number in zip(task_blocks, numbers, strict=True):
        b = blocks[i]
        # The task runs to its first sub-item that is a task itself, or over all sub-items.
        stop = blocks[ends[i] - 1].end
        if True in is_task[i + 1 : ends[i]]:
            stop = blocks[is_task.index(True, i + 1, ends[i])].start
        sec = sections[i]
        body = text[b.start : stop]
        t_start = b.start + len(body) - len(body.lstrip())
        t_end = max(t_start, b.start + len(body.rstrip()))
        assignments = _assignments(text, found[i], gaz, seen, units, warnings)
        section, section_title = "", ""
        if sec is not None:
            section = blocks[sec].number
            if sec not in section_titles:
                section_titles[sec] = _title(folded, text, blocks[sec].body, blocks[sec].end)
            section_title = section_titles[sec]
        key = f"{section}.{number}" if qualify and section else number
        at = bisect.bisect_left(hints, t_start) if hints else 0
        attrs = (
            read_attributes(text, folded, t_start, t_end, year=year)
            if at < len(hints) and hints[at] < t_end
            else read_trailing_deadline(text, folded, t_start, t_end, year=year)
        )
        tasks.append(
            _record(
                Task,
                uid=f"{doc_id}#{key}",
                doc_id=doc_id,
                number=number,
                section=section,
                section_title=section_title,
                title=_title(folded, text, b.body, stop),
                text=text[t_start:t_end],
                span=(t_start, t_end),
                assignments=assignments,
                deadline=attrs.deadline,
                due=attrs.due,
                leader=attrs.leader,
            )
        )
    warnings.extend(confidence_warnings(text, tasks))
    section_list = (
        [
            Section(blocks[s].number, _title(folded, text, blocks[s].body, blocks[s].end))
            for s in sorted({s for s in sections if s is not None and s in busy_sections})
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


_Reading = tuple[str, bool, Resolution | None]
"""A name as written, read: its canonical name, whether it is a collective, and its
resolution when that calls for a warning."""


def _assignments(
    text: str,
    clauses: list[tuple[tuple[int, int], list[Named]]],
    gaz: Gazetteer,
    seen: dict[str, _Reading],
    units: dict[str, Unit],
    warnings: list[ParseWarning],
) -> tuple[Assignment, ...]:
    """The assignments of one task's clauses. Each distinct name of the document is resolved
    once (``seen``), adding its unit to ``units``; a name read by similarity or left ambiguous
    gets a warning wherever it occurs."""
    out = []
    new = object.__new__
    for (c0, c1), names in clauses:
        clause = text[c0:c1].strip()
        for role, start, end in names:
            as_written = text[start:end]
            reading = seen.get(as_written)
            if reading is None:
                reading = seen[as_written] = _read(as_written, gaz, units)
            unit, collective, warn = reading
            if warn is not None:
                warnings.append(_name_warning(as_written, warn, (start, end)))
            a = new(Assignment)  # Assignment(...) without its slow __init__, as in _record
            a.__dict__.update(
                unit=unit,
                as_written=as_written,
                role=role,
                collective=collective,
                span=(start, end),
                clause=clause,
                via=None,
            )
            out.append(a)
    return tuple(out)


def _read(as_written: str, gaz: Gazetteer, units: dict[str, Unit]) -> _Reading:
    """Resolve a name the first time a document names it, and note its unit."""
    r, unit = gaz.resolve_unit(as_written)
    units.setdefault(r.name, unit)
    return r.name, r.collective, r if r.method in _WARNED_METHODS else None


_WARNED_METHODS = frozenset({"similar", "ambiguous"})


def _name_warning(as_written: str, r: Resolution, span: tuple[int, int]) -> ParseWarning:
    """The warning for a name read by similarity, or close to several units."""
    if r.method == "similar":
        return ParseWarning(
            "alias-by-similarity",
            f"{as_written} read as {r.name} (similar name); add an alias to confirm",
            span,
        )
    return ParseWarning(
        "ambiguous-name",
        f"{as_written} is close to {'、'.join(r.candidates)}; kept as written",
        span,
    )


def _number(blocks: list[Block], i: int, item_rank: int) -> str:
    """A task's number: its own, after those of its numbered ancestors at or below the item
    level, in digits and joined by dots: ``2.1`` for the first sub-item of item 2, and for
    ``（一）`` items with ``1．`` measures under them (a national 分工方案) ``1.2`` for the second
    measure of item （一）. Section numbers are not part of it (the uid adds the section when
    numbers repeat across sections), so a number stays the same whether the numbering of items
    continues across sections or not, and whether the plan's line breaks were kept or lost."""
    cur = blocks[i].parent
    if cur is None or blocks[cur].rank < max(item_rank, 1):
        return blocks[i].number  # the common case: a task right under its section
    parts = [blocks[i].number]
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
