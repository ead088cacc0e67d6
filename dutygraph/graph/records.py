"""Typed records of a parsed work plan, kept apart from any graph library.

A :class:`Document` holds its :class:`Task` items; each task holds the :class:`Assignment` edges
that tie a unit to it, each with its provenance (the name as written, its character span in the
source text and the clause it came from).

>>> a = Assignment(unit="市妇联", as_written="市妇联", role="lead", collective=False,
...                span=(10, 13), clause="牵头单位：市妇联")
>>> t = Task(uid="plan#7", doc_id="plan", number="7", section="二",
...          section_title="加强家庭保护", title="加强家庭教育指导",
...          text="7.加强家庭教育指导。（牵头单位：市妇联）", span=(0, 24), assignments=(a,))
>>> [x.unit for x in t.leads]
['市妇联']
>>> task_to_dict(t)["assignments"][0]["span"]
[10, 13]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ROLES",
    "Assignment",
    "Document",
    "ParseWarning",
    "Role",
    "Section",
    "Task",
    "Unit",
    "document_to_dict",
    "task_to_dict",
]

Role = Literal["lead", "support", "responsible"]
ROLES: tuple[Role, ...] = ("lead", "support", "responsible")


@dataclass(frozen=True)
class Unit:
    """An agency (or a collective of agencies) under its canonical name.

    >>> Unit("市民政局", "government").collective
    False
    """

    name: str
    kind: str = "unknown"
    collective: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    """One unit's role in one task, with where it was found.

    ``span`` is the ``[start, end)`` character range of ``as_written`` in the document's text;
    ``via`` names the collective an expanded (derived) assignment came from, else ``None``.

    >>> Assignment("团市委", "团市委", "support", False, (5, 8), "配合单位：团市委").via is None
    True
    """

    unit: str
    as_written: str
    role: Role
    collective: bool
    span: tuple[int, int]
    clause: str
    via: str | None = None


@dataclass(frozen=True)
class Section:
    """A top-level section such as ``一、加强统筹谋划``.

    >>> Section("一", "加强统筹谋划").title
    '加强统筹谋划'
    """

    number: str
    title: str


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser did not silently decide: a name merged by similarity, and so on.

    >>> ParseWarning("alias-by-similarity", "市教育 read as 市教育局", (3, 6)).code
    'alias-by-similarity'
    """

    code: str
    message: str
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Task:
    """A numbered item of a plan with its whole text and its assignments.

    ``deadline`` and ``leader`` are the task's 完成时限 and 责任领导 as written (or ``None``);
    ``due`` is the deadline normalised: the ISO date its period ends (``2024年6月底`` →
    ``2024-06-30``), ``"ongoing"`` (长期坚持, 持续推进 …), or ``None`` when it names no single
    end (see :mod:`dutygraph.extract.attributes`).

    >>> Task("d#1", "d", "1", "一", "总体", "学习", "1.学习。", (0, 5)).roles_of("x")
    []
    >>> Task("d#1", "d", "1", "一", "总体", "学习", "1.学习。", (0, 5), deadline="6月底前",
    ...      due="2024-06-30").due
    '2024-06-30'
    """

    uid: str
    doc_id: str
    number: str
    section: str
    section_title: str
    title: str
    text: str
    span: tuple[int, int]
    assignments: tuple[Assignment, ...] = ()
    deadline: str | None = None
    due: str | None = None
    leader: str | None = None

    @property
    def leads(self) -> list[Assignment]:
        """The assignments with role ``lead``, in document order."""
        return [a for a in self.assignments if a.role == "lead"]

    def roles_of(self, unit: str) -> list[Role]:
        """The roles ``unit`` (canonical name) holds in this task, in document order."""
        return [a.role for a in self.assignments if a.unit == unit]


@dataclass(frozen=True)
class Document:
    """A parsed work plan.

    ``text`` is the full text the spans point into; ``rules`` holds document-level rules such as
    ``first_listed_is_lead``; ``units`` the units (canonical) the document names, with their kind.

    >>> d = Document(id="d", title="工作要点", text="")
    >>> d.task("1") is None
    True
    """

    id: str
    title: str
    text: str
    issuer: str | None = None
    date: str | None = None
    doc_no: str | None = None
    source: str | None = None
    sha256: str = ""
    encoding: str | None = None
    rules: dict[str, bool] = field(default_factory=lambda: {"first_listed_is_lead": False})
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()
    units: tuple[Unit, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()

    @property
    def assignments(self) -> list[Assignment]:
        """Every assignment of every task, in document order."""
        return [a for t in self.tasks for a in t.assignments]

    def task(self, number_or_uid: str) -> Task | None:
        """The task with this number (``"7"``) or uid (``"plan#7"``), or ``None``."""
        for t in self.tasks:
            if number_or_uid in (t.uid, t.number):
                return t
        return None


def task_to_dict(task: Task) -> dict[str, Any]:
    """The task as the JSON contract of docs/ARCHITECTURE.md §4 spells it (``deadline``,
    ``due`` and ``leader`` are ``null`` when the plan gives none).

    >>> sorted(task_to_dict(Task("d#1", "d", "1", "一", "总体", "学习", "1.学习。", (0, 5))))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['assignments', 'deadline', 'due', 'leader', 'number', 'section', 'section_title', 'text',
     'title', 'uid']
    """
    return {
        "uid": task.uid,
        "number": task.number,
        "section": task.section,
        "section_title": task.section_title,
        "title": task.title,
        "text": task.text,
        "deadline": task.deadline,
        "due": task.due,
        "leader": task.leader,
        "assignments": [
            {
                "unit": a.unit,
                "as_written": a.as_written,
                "role": a.role,
                "collective": a.collective,
                "span": [a.span[0], a.span[1]],
                "clause": a.clause,
            }
            for a in task.assignments
        ],
    }


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The document as the JSON contract of docs/ARCHITECTURE.md §4 spells it (plus ``encoding``).

    >>> sorted(document_to_dict(Document(id="d", title="t", text="")))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['date', 'doc_no', 'encoding', 'id', 'issuer', 'rules', 'sha256', 'source', 'tasks', 'title',
     'warnings']
    """
    return {
        "id": doc.id,
        "title": doc.title,
        "issuer": doc.issuer,
        "date": doc.date,
        "doc_no": doc.doc_no,
        "source": doc.source,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "rules": dict(doc.rules),
        "tasks": [task_to_dict(t) for t in doc.tasks],
        "warnings": [
            {"code": w.code, "message": w.message, "span": [w.span[0], w.span[1]]}
            for w in doc.warnings
        ],
    }
