"""Build the networkx graph of docs/ARCHITECTURE.md §3 from parsed documents.

Node ids are ``unit:<name>``, ``task:<uid>`` and ``doc:<id>``; every node has ``kind``
(``unit``/``task``/``document``) and ``bipartite`` (0 for units, 1 for tasks and documents).
Unit→task edges are keyed and typed by role (``LEADS``, ``SUPPORTS``, ``RESPONSIBLE_FOR``) and
carry their provenance; each task has an ``IN`` edge to its document. A task node also holds
the task's ``deadline`` and ``leader`` as written and its ``due`` date (or ``"ongoing"``), each
``None`` when the plan gives none.

>>> from dutygraph.graph.records import Assignment, Document, Task
>>> a = Assignment("市妇联", "市妇联", "lead", False, (2, 5), "牵头单位：市妇联")
>>> doc = Document(id="d", title="要点", text="", tasks=(
...     Task("d#1", "d", "1", "一", "家庭", "指导", "1.指导。", (0, 5), (a,)),))
>>> g = build_graph([doc])
>>> sorted(g.nodes)
['doc:d', 'task:d#1', 'unit:市妇联']
>>> sorted((u, v, d["type"]) for u, v, d in g.edges(data=True))
[('task:d#1', 'doc:d', 'IN'), ('unit:市妇联', 'task:d#1', 'LEADS')]
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

import networkx as nx

from dutygraph.graph.records import Assignment, Document, Role

__all__ = ["REL_TYPES", "ROLE_OF_REL", "add_assignment", "build_graph", "task_id", "unit_id"]

REL_TYPES: dict[Role, str] = {
    "lead": "LEADS",
    "support": "SUPPORTS",
    "responsible": "RESPONSIBLE_FOR",
}
ROLE_OF_REL: dict[str, Role] = {rel: role for role, rel in REL_TYPES.items()}


def unit_id(name: str) -> str:
    """The node id of a unit.

    >>> unit_id("团市委")
    'unit:团市委'
    """
    return f"unit:{name}"


def task_id(uid: str) -> str:
    """The node id of a task.

    >>> task_id("plan#7")
    'task:plan#7'
    """
    return f"task:{uid}"


def add_assignment(graph: nx.MultiDiGraph, doc_id: str, task_uid: str, a: Assignment) -> None:
    """Add one unit→task edge (and the unit node if new) with its provenance.

    >>> g = nx.MultiDiGraph()
    >>> a = Assignment("团市委", "团市委", "support", False, (0, 3), "配合单位：团市委")
    >>> add_assignment(g, "d", "d#9", a)
    >>> g.nodes["unit:团市委"]["bipartite"], g.edges["unit:团市委", "task:d#9", "SUPPORTS"]["via"]
    (0, None)
    """
    uid = unit_id(a.unit)
    if uid not in graph:
        graph.add_node(
            uid, kind="unit", bipartite=0, name=a.unit, unit_kind="unknown", collective=a.collective
        )
    rel = REL_TYPES[a.role]
    key = rel if a.via is None else f"{rel}|{a.via}"
    graph.add_edge(
        uid,
        task_id(task_uid),
        key=key,
        type=rel,
        role=a.role,
        doc_id=doc_id,
        as_written=a.as_written,
        span_start=a.span[0],
        span_end=a.span[1],
        clause=a.clause,
        via=a.via,
    )


def build_graph(documents: Iterable[Document]) -> nx.MultiDiGraph:
    """Turn documents into one ``networkx.MultiDiGraph`` (schema of docs/ARCHITECTURE.md §3).

    A unit named by several documents is one node. A unit holding the same role twice in one task
    (named twice) keeps one edge, the first mention.
    """
    # The cyclic garbage collector would walk the growing graph again and again (about a third
    # of the time at 100,000 assignments); nothing built here is cyclic garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(documents)
    finally:
        if collecting:
            gc.enable()


def _build(documents: Iterable[Document]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for doc in documents:
        graph.add_node(
            f"doc:{doc.id}",
            kind="document",
            bipartite=1,
            id=doc.id,
            title=doc.title,
            issuer=doc.issuer,
            date=doc.date,
            doc_no=doc.doc_no,
            source=doc.source,
            sha256=doc.sha256,
        )
        for unit in doc.units:
            graph.add_node(
                unit_id(unit.name),
                kind="unit",
                bipartite=0,
                name=unit.name,
                unit_kind=unit.kind,
                collective=unit.collective,
            )
        for task in doc.tasks:
            tid = task_id(task.uid)
            graph.add_node(
                tid,
                kind="task",
                bipartite=1,
                uid=task.uid,
                doc_id=doc.id,
                number=task.number,
                section=task.section,
                section_title=task.section_title,
                title=task.title,
                text=task.text,
                deadline=task.deadline,
                due=task.due,
                leader=task.leader,
            )
            graph.add_edge(tid, f"doc:{doc.id}", key="IN", type="IN")
            for a in task.assignments:
                if not graph.has_edge(unit_id(a.unit), tid, key=REL_TYPES[a.role]):
                    add_assignment(graph, doc.id, task.uid, a)
    return graph
