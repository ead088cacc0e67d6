"""Compare two versions of a plan (2022 and 2023, say): what was added, dropped, reworded,
who gained or lost a role, and which coordination gaps opened or closed.

Tasks are matched **globally** across the two sides, not by number (numbers shift when an item
is inserted): every old–new pair gets a similarity ``score`` in ``[0, 1]``, the mean of the
rapidfuzz ``ratio`` of the two titles and of the two bodies. A body is the task's text from its
title on, without its assignment clauses, NFKC-folded (full- and half-width punctuation alike)
and without whitespace — so a changed clause is a role change, not a rewording. Pairs with the
same title come first, then the others by descending score; a pair is taken when neither task
is taken yet and (for different titles) its score reaches ``threshold`` (default
:data:`THRESHOLD`). Unmatched old tasks are removed, unmatched new ones added; a matched pair
whose folded title or body differs is reworded.

Roles are compared on **canonical** unit names, so a unit written through an alias
(市卫生健康委 for 市卫生健康局) is no change. Gaps are the ``gaps`` catalog entry on each side,
keyed by kind, matched task and unit.

One row per change, every row with the same keys (:data:`COLUMNS`):

``task-added`` / ``task-removed``
    ``detail`` lists the task's clauses;
``task-reworded``
    ``score``, and ``detail`` says ``title``, ``text`` or ``title, text``;
``role-gained`` / ``role-lost``
    per unit and role: ``before`` and ``after`` counts of tasks over the whole plan, and the
    ``tasks`` gained (numbers on the new side) or lost (on the old side); a task number is
    replaced by its uid where it is not unique on its side (several documents);
``gap-opened`` / ``gap-closed``
    ``gap`` is the kind, ``unit`` the unit concerned (if any), ``detail`` the clause shown as
    evidence (new side for opened, old side for closed).

A task that only moved (new number, other section) is not a change; its rows show both numbers.

>>> from dutygraph import parse_workplan
>>> old = parse_workplan('''
... 1.加强家庭教育指导。开展家庭教育指导服务。（牵头单位：市妇联；配合单位：团市委）
... 2.做好困境儿童关爱。建设儿童之家。（牵头单位：市民政局；配合单位：市卫生健康局）
... ''', doc_id="y2022")
>>> new = parse_workplan('''
... 1.强化家庭教育指导。开展家庭教育指导服务。（牵头单位：市妇联；配合单位：团市委）
... 2.做好困境儿童关爱。建设儿童之家。（牵头单位：市民政局；配合单位：市卫生健康委）
... ''', doc_id="y2023")
>>> [(r["change"], r["old_number"], r["new_number"], r["score"], r["detail"])
...  for r in compare_documents([old], [new]).rows()]
[('task-reworded', '1', '1', 0.9125, 'title')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from dutygraph.graph.build import build_graph
from dutygraph.graph.records import Document, Task
from dutygraph.queries.catalog import run_query
from dutygraph.queries.gaps import FINDING_KINDS
from dutygraph.queries.spec import DIGITS, ROLE_RANK, natural_key

__all__ = ["CHANGES", "COLUMNS", "THRESHOLD", "Comparison", "TaskMatch", "compare_documents"]

#: Default minimum score for two tasks with different titles to count as one task.
THRESHOLD = 0.6
#: The kinds of change, in the order rows are listed.
CHANGES = (
    "task-added",
    "task-removed",
    "task-reworded",
    "role-gained",
    "role-lost",
    "gap-opened",
    "gap-closed",
)
#: The keys of every row, in order.
COLUMNS = (
    "change",
    "old_number",
    "new_number",
    "old_title",
    "new_title",
    "score",
    "unit",
    "role",
    "before",
    "after",
    "tasks",
    "gap",
    "detail",
    "old_uid",
    "new_uid",
)

_SPACE_RE = re.compile(r"\s+")
_EMPTY_PARENS_RE = re.compile(r"\(\)|\[\]|【】")
Key = tuple[str, str]  # ("m", old uid) for a matched pair, ("o"/"n", uid) for one side only


def _fold(text: str) -> str:
    """NFKC, no whitespace, no brackets left empty by a removed clause.

    >>> _fold("（ 牵头单位 ）： 市 妇联（）")
    '(牵头单位):市妇联'
    """
    return _EMPTY_PARENS_RE.sub("", _SPACE_RE.sub("", unicodedata.normalize("NFKC", text)))


def _body(task: Task) -> str:
    """The task's folded text from its title on, without its assignment clauses."""
    text = task.text
    for clause in sorted({a.clause for a in task.assignments if a.clause}, key=len, reverse=True):
        text = text.replace(clause, "")
    start = text.find(task.title)
    return _fold(text[start:] if start >= 0 else text)


def _parts(task: Task) -> tuple[str, str, str]:
    """Folded title, body (title included: scored) and the body after the title (compared)."""
    title, body = _fold(task.title), _body(task)
    return title, body, body.removeprefix(title)


@dataclass(frozen=True)
class TaskMatch:
    """An old task and the new task taken for it, with their similarity ``score``.

    ``changed`` names what differs once folded: ``("title",)``, ``("text",)``, both, or
    nothing (the task is unchanged).
    """

    old: Task
    new: Task
    score: float
    changed: tuple[str, ...] = ()

    @property
    def reworded(self) -> bool:
        """Whether the folded title or body differs."""
        return bool(self.changed)


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare_documents`: the task matching and the change rows."""

    matches: tuple[TaskMatch, ...]
    added: tuple[Task, ...]
    removed: tuple[Task, ...]
    changes: tuple[Mapping[str, Any], ...]

    def rows(self) -> list[dict[str, Any]]:
        """The change rows (keys :data:`COLUMNS`), in :data:`CHANGES` order."""
        return [dict(r) for r in self.changes]


def _match(old: Sequence[Task], new: Sequence[Task], threshold: float) -> list[TaskMatch]:
    folded_old = [_parts(t) for t in old]
    folded_new = [_parts(t) for t in new]
    candidates: list[tuple[bool, float, int, int]] = []
    for i, (title_a, body_a, _) in enumerate(folded_old):
        for j, (title_b, body_b, _) in enumerate(folded_new):
            score = (fuzz.ratio(title_a, title_b) + fuzz.ratio(body_a, body_b)) / 200
            score = round(score, DIGITS)
            exact = title_a == title_b
            if exact or score >= threshold:
                candidates.append((not exact, -score, i, j))
    candidates.sort()
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    matches: list[tuple[int, TaskMatch]] = []
    for _, neg_score, i, j in candidates:
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        (title_a, _, rest_a), (title_b, _, rest_b) = folded_old[i], folded_new[j]
        changed = tuple(
            part
            for part, differs in (("title", title_a != title_b), ("text", rest_a != rest_b))
            if differs
        )
        matches.append((i, TaskMatch(old[i], new[j], -neg_score, changed)))
    return [m for _, m in sorted(matches, key=lambda im: im[0])]


def _labels(tasks: Sequence[Task]) -> dict[str, str]:
    """Each task's number, or its uid where the number is not unique."""
    seen: dict[str, int] = {}
    for t in tasks:
        seen[t.number] = seen.get(t.number, 0) + 1
    return {t.uid: t.number if seen[t.number] == 1 else t.uid for t in tasks}


def _row(change: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row["change"] = change
    row.update(values)
    return row


def _task_values(old: Task | None, new: Task | None) -> dict[str, Any]:
    return {
        "old_number": old.number if old else None,
        "new_number": new.number if new else None,
        "old_title": old.title if old else None,
        "new_title": new.title if new else None,
        "old_uid": old.uid if old else None,
        "new_uid": new.uid if new else None,
    }


def _clauses(task: Task) -> str | None:
    clauses = list(dict.fromkeys(a.clause for a in task.assignments if a.clause))
    return " / ".join(clauses) or None


def _roles(tasks: Iterable[Task], key_of: Mapping[str, Key]) -> dict[tuple[str, str], set[Key]]:
    held: dict[tuple[str, str], set[Key]] = {}
    for t in tasks:
        for a in t.assignments:
            if a.via is None:
                held.setdefault((a.unit, a.role), set()).add(key_of[t.uid])
    return held


def _role_rows(
    old: Sequence[Task], new: Sequence[Task], old_key: Mapping[str, Key], new_key: Mapping[str, Key]
) -> list[dict[str, Any]]:
    before, after = _roles(old, old_key), _roles(new, new_key)
    sides = []
    for change, tasks, key_of in (("role-gained", new, new_key), ("role-lost", old, old_key)):
        position = {key_of[t.uid]: i for i, t in enumerate(tasks)}
        label = {key_of[uid]: name for uid, name in _labels(tasks).items()}
        sides.append((change, position, label))
    rows = []
    for unit, role in sorted(set(before) | set(after), key=lambda ur: (ur[0], ROLE_RANK[ur[1]])):
        was, now = before.get((unit, role), set()), after.get((unit, role), set())
        for change, position, label in sides:
            keys = now - was if change == "role-gained" else was - now
            if keys:
                names = [label[k] for k in sorted(keys, key=position.__getitem__)]
                rows.append(
                    _row(change, unit=unit, role=role, before=len(was), after=len(now), tasks=names)
                )
    return rows


def _gap_rows(
    old_docs: Sequence[Document],
    new_docs: Sequence[Document],
    old_key: Mapping[str, Key],
    new_key: Mapping[str, Key],
    tasks_of: Mapping[Key, tuple[Task | None, Task | None]],
    k: int,
) -> list[dict[str, Any]]:
    def keyed(docs: Sequence[Document], key_of: Mapping[str, Key]) -> dict[Any, dict[str, Any]]:
        graph = build_graph(docs)
        rows = [*run_query("gaps", graph, {"k": k}), *run_query("risks", graph)]
        return {(r["kind"], key_of[r["uid"]], r["unit"]): r for r in rows}

    before, after = keyed(old_docs, old_key), keyed(new_docs, new_key)
    out = []
    for change, found, gone in (("gap-opened", after, before), ("gap-closed", before, after)):
        for key in found.keys() - gone.keys():
            kind, task_key, unit = key
            out.append(
                _row(
                    change,
                    **_task_values(*tasks_of[task_key]),
                    unit=unit,
                    gap=kind,
                    detail=found[key]["evidence"],
                )
            )
    return out


def _sort_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    uid = row["new_uid"] or row["old_uid"]
    return (
        CHANGES.index(row["change"]),
        FINDING_KINDS.index(row["gap"]) if row["gap"] else -1,
        natural_key(uid),
        row["unit"] or "",
        ROLE_RANK.get(row["role"] or "", -1),
    )


def compare_documents(
    old: Sequence[Document],
    new: Sequence[Document],
    *,
    threshold: float = THRESHOLD,
    k: int = 5,
) -> Comparison:
    """Compare the plans ``old`` with the plans ``new`` (see the module docs for the rules).

    ``threshold`` is the minimum score (0–1) for two tasks with different titles to be one
    task; ``k`` is the ``gaps`` entry's number of responsible units that makes a task diffuse.

    >>> from dutygraph import example_path, read_workplan
    >>> seed = read_workplan(example_path())
    >>> result = compare_documents([seed], [seed])
    >>> result.rows(), len(result.matches), {m.score for m in result.matches}
    ([], 23, {1.0})
    """
    old_tasks = [t for d in old for t in d.tasks]
    new_tasks = [t for d in new for t in d.tasks]
    matches = _match(old_tasks, new_tasks, threshold)
    old_key: dict[str, Key] = {t.uid: ("o", t.uid) for t in old_tasks}
    new_key: dict[str, Key] = {t.uid: ("n", t.uid) for t in new_tasks}
    tasks_of: dict[Key, tuple[Task | None, Task | None]] = {}
    for t in old_tasks:
        tasks_of[old_key[t.uid]] = (t, None)
    for t in new_tasks:
        tasks_of[new_key[t.uid]] = (None, t)
    for m in matches:
        old_key[m.old.uid] = new_key[m.new.uid] = ("m", m.old.uid)
        tasks_of[("m", m.old.uid)] = (m.old, m.new)
    matched_old = {m.old.uid for m in matches}
    matched_new = {m.new.uid for m in matches}
    removed = tuple(t for t in old_tasks if t.uid not in matched_old)
    added = tuple(t for t in new_tasks if t.uid not in matched_new)
    rows = [_row("task-added", **_task_values(None, t), detail=_clauses(t)) for t in added]
    rows += [_row("task-removed", **_task_values(t, None), detail=_clauses(t)) for t in removed]
    rows += [
        _row(
            "task-reworded",
            **_task_values(m.old, m.new),
            score=m.score,
            detail=", ".join(m.changed),
        )
        for m in matches
        if m.reworded
    ]
    rows += _role_rows(old_tasks, new_tasks, old_key, new_key)
    rows += _gap_rows(old, new, old_key, new_key, tasks_of, k)
    rows.sort(key=_sort_key)
    return Comparison(tuple(matches), added, removed, tuple(rows))
