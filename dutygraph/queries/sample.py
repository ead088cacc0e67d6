"""A three-task graph for examples and doctests (the real example is ``anshun_2023.txt``).

Task 1 is due at the end of June 2024 (leader 张三), task 2 is ongoing (长期坚持), task 3 is
due at the end of March 2024 and has no lead.

>>> g = sample_graph()
>>> sorted(n for n, d in g.nodes(data=True) if d["kind"] == "task")
['task:demo#1', 'task:demo#2', 'task:demo#3']
"""

from __future__ import annotations

import networkx as nx

from dutygraph.graph.build import build_graph
from dutygraph.graph.records import Assignment, Document, Role, Task, Unit

__all__ = ["sample_graph"]

_TASKS: tuple[tuple[str, str, str, str, str, tuple[tuple[str, Role], ...]], ...] = (
    (
        "1",
        "一",
        "统筹",
        "建立机制",
        "牵头单位：市民政局；配合单位：团市委、市妇联",
        (("市民政局", "lead"), ("团市委", "support"), ("市妇联", "support")),
    ),
    (
        "2",
        "一",
        "统筹",
        "开展宣传",
        "牵头单位：团市委、市教育局；配合单位：未保委成员单位",
        (("团市委", "lead"), ("市教育局", "lead"), ("未保委成员单位", "support")),
    ),
    (
        "3",
        "二",
        "保护",
        "加强保障",
        "责任单位：市民政局、市教育局、市妇联",
        (("市民政局", "responsible"), ("市教育局", "responsible"), ("市妇联", "responsible")),
    ),
)
# Each task's deadline as written, its due date and its leader.
_ATTRIBUTES: dict[str, tuple[str, str, str | None]] = {
    "1": ("2024年6月底", "2024-06-30", "张三"),
    "2": ("长期坚持", "ongoing", None),
    "3": ("2024年3月底前", "2024-03-31", None),
}
_KINDS = {"市民政局": "government", "市教育局": "government", "团市委": "mass", "市妇联": "mass"}


def sample_graph() -> nx.MultiDiGraph:
    """Three tasks: one lead with supporters, two co-leads with a collective, no lead."""
    tasks, offset = [], 0
    for number, section, section_title, title, clause, names in _TASKS:
        deadline, due, leader = _ATTRIBUTES[number]
        more = f"；完成时限：{deadline}" + (f"；责任领导：{leader}" if leader else "")
        text = f"{number}.{title}。（{clause}{more}）"
        at = offset + text.index(clause)
        assignments = tuple(
            Assignment(
                unit=name,
                as_written=name,
                role=role,
                collective=name not in _KINDS,
                span=(at + clause.index(name), at + clause.index(name) + len(name)),
                clause=clause,
            )
            for name, role in names
        )
        tasks.append(
            Task(
                f"demo#{number}",
                "demo",
                number,
                section,
                section_title,
                title,
                text,
                (offset, offset + len(text)),
                assignments,
                deadline=deadline,
                due=due,
                leader=leader,
            )
        )
        offset += len(text) + 1
    units = (*(Unit(n, k) for n, k in _KINDS.items()), Unit("未保委成员单位", "collective", True))
    doc = Document(
        id="demo",
        title="示例工作要点",
        text="\n".join(t.text for t in tasks),
        tasks=tuple(tasks),
        units=units,
    )
    return build_graph([doc])
