"""Explain a parse: which clause of which task gave which assignment, and where.

:func:`explain_document` gives one row per assignment — the task, the role and unit, the name
as written, its span and line, and the clause it was read from — and one row per task without
any, saying so and why when the parser noticed (role words without a unit, a warning over the
task's text). :func:`render_explanation` prints the rows task by task, as
``dutygraph parse --explain`` shows them.

>>> from dutygraph import parse_workplan
>>> doc = parse_workplan('''一、任务
... 1.加强学习。（牵头单位：市教育局；配合单位：团市委）
... 2.完善机制。由专人负责跟踪。
... ''', source="plan.txt")
>>> print(render_explanation(explain_document(doc)))
plan.txt
task 1 加强学习 (line 2)
  lead 市教育局: as written 市教育局 [18, 22], line 2, clause 牵头单位：市教育局；配合单位：团市委
  support 团市委: as written 团市委 [28, 31], line 2, clause 牵头单位：市教育局；配合单位：团市委
task 2 完善机制 (line 3)
  no unit read: role words (负责) but no clause gave a unit (warning role-words-without-units)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dutygraph.extract.confidence import role_words
from dutygraph.graph.records import Document, Task

__all__ = ["EXPLAIN_KEYS", "explain_document", "render_explanation"]

#: The keys of every row, in order.
EXPLAIN_KEYS = (
    "document",
    "uid",
    "task",
    "title",
    "task_line",
    "role",
    "unit",
    "as_written",
    "span",
    "line",
    "clause",
    "note",
)
#: Warnings about the document as a whole, not about the task they point at.
_DOCUMENT_WIDE = frozenset({"role-words-without-units", "most-items-without-units"})


def explain_document(doc: Document) -> list[dict[str, Any]]:
    """One row per assignment of each task, in document order, and one row per task without
    any (``role``, ``unit``, ``as_written``, ``clause`` empty, ``span`` and ``line``
    ``None``, and a ``note`` saying why when known). ``document`` is the source path (else the
    id), ``uid`` the task's; ``task_line`` and ``line`` are 1-based lines of the task and of
    the name.

    >>> from dutygraph import parse_workplan
    >>> doc = parse_workplan("一、任务\\n1.甲。（牵头单位：市教育局）\\n", doc_id="d")
    >>> explain_document(doc)[0]  # doctest: +NORMALIZE_WHITESPACE
    {'document': 'd', 'uid': 'd#1', 'task': '1', 'title': '甲', 'task_line': 2, 'role': 'lead',
     'unit': '市教育局', 'as_written': '市教育局', 'span': [15, 19], 'line': 2,
     'clause': '牵头单位：市教育局', 'note': ''}
    """
    lines = _LineIndex(doc.text)
    name = doc.source or doc.id
    rows: list[dict[str, Any]] = []
    for task in doc.tasks:
        head: dict[str, Any] = {"document": name, "uid": task.uid, "task": task.number}
        head |= {"title": task.title, "task_line": lines.line(task.span[0])}
        if not task.assignments:
            rows.append(
                head
                | {"role": "", "unit": "", "as_written": "", "span": None, "line": None}
                | {"clause": "", "note": _why(doc, task)}
            )
            continue
        for a in task.assignments:
            rows.append(
                head
                | {"role": a.role, "unit": a.unit, "as_written": a.as_written}
                | {"span": [a.span[0], a.span[1]], "line": lines.line(a.span[0])}
                | {"clause": a.clause, "note": ""}
            )
    return rows


def _why(doc: Document, task: Task) -> str:
    """Why a task has no unit, as far as the parser can tell."""
    reasons = ["no unit read"]
    words = role_words(task.text)
    if words:
        reasons.append(
            f"role words ({'、'.join(words)}) but no clause gave a unit "
            "(warning role-words-without-units)"
        )
    start, end = task.span
    for w in doc.warnings:
        if w.code not in _DOCUMENT_WIDE and w.span[0] < end and start < w.span[1]:
            reasons.append(f"warning {w.code}: {w.message}")
    return ": ".join(reasons[:2]) + "".join(f"; {r}" for r in reasons[2:])


def render_explanation(rows: Sequence[dict[str, Any]]) -> str:
    """The rows of :func:`explain_document` as text: the document, then each task (number,
    title, line; numbered as in its uid, ``一.1``, where numbers restart by section) with one
    indented line per assignment or the note of a task without any."""
    out: list[str] = []
    document, task = None, None
    for row in rows:
        if row["document"] != document:
            document, task = row["document"], None
            out.append(str(document))
        if row["uid"] != task:
            task = row["uid"]
            key = str(task).rpartition("#")[2] or row["task"]  # 一.1 where numbers restart
            out.append(f"task {key} {row['title']} (line {row['task_line']})")
        if row["role"]:
            span = row["span"]
            out.append(
                f"  {row['role']} {row['unit']}: as written {row['as_written']} "
                f"[{span[0]}, {span[1]}], line {row['line']}, clause {row['clause']}"
            )
        else:
            out.append(f"  {row['note']}")
    return "\n".join(out)


class _LineIndex:
    """1-based line numbers of offsets asked in increasing order (mostly), counting newlines
    once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.count = 1

    def line(self, offset: int) -> int:
        if offset < self.pos:
            self.pos, self.count = 0, 1
        self.count += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.count
