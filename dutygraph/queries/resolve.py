"""Reading query parameters: unit names through the gazetteer, task numbers, typed values.

A unit given as a parameter may be written as an alias (``共青团安顺市委``), a close variant
(``市教育``) or without its level (``民政局`` when the graph has one such unit); anything else is
a :class:`~dutygraph.errors.QueryError` with a "did you mean" list. A task is a number (``9``,
``第9项``, ``task 9``) or a uid.

>>> resolve_unit("共青团安顺市委", ["团市委", "市妇联"])
'团市委'
>>> resolve_task("第9项", [("plan#9", "9"), ("plan#10", "10")])
'plan#9'
>>> coerce("k", "int", "7")
7
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import networkx as nx
from rapidfuzz import fuzz, process

from dutygraph.errors import QueryError
from dutygraph.extract.attributes import ONGOING, due_of
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.names import name_key
from dutygraph.queries.spec import Param, QuerySpec, natural_key

__all__ = [
    "coerce",
    "graph_tasks",
    "graph_units",
    "prepare_params",
    "resolve_task",
    "resolve_unit",
    "suggest",
    "task_number",
]

_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}
_TASK_NOISE_RE = re.compile(r"^(?:第|任务|task|item|no\.?|#)\s*|\s*(?:项|条|号)?(?:任务)?$", re.I)


def graph_units(graph: nx.MultiDiGraph) -> list[str]:
    """The canonical names of the graph's units, sorted.

    >>> graph_units(nx.MultiDiGraph())
    []
    """
    return sorted(d["name"] for _, d in graph.nodes(data=True) if d.get("kind") == "unit")


def graph_tasks(graph: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """``(uid, number)`` of the graph's tasks, by uid in natural order.

    >>> graph_tasks(nx.MultiDiGraph())
    []
    """
    found = [
        (d["uid"], str(d["number"])) for _, d in graph.nodes(data=True) if d.get("kind") == "task"
    ]
    return sorted(found, key=lambda x: natural_key(x[0]))


def suggest(name: str, names: Collection[str], limit: int = 3) -> list[str]:
    """The known names closest to ``name`` (rapidfuzz WRatio at least 50, and within 10 points
    of the best), best first.

    >>> suggest("团委", ["团市委", "市关工委", "市妇联"]), suggest("民证局", ["市民政局", "市妇联"])
    (['团市委'], ['市民政局'])
    """
    found = process.extract(name_key(name), sorted(names), scorer=fuzz.WRatio, limit=limit)
    best = max((score for _, score, _ in found), default=0.0)
    return [match for match, score, _ in found if score >= max(50.0, best - 10)]


def resolve_unit(name: str, names: Collection[str], gazetteer: Gazetteer | None = None) -> str:
    """The canonical name, among ``names``, that ``name`` denotes.

    Tried in turn: the name itself; the gazetteer's resolution (aliases, patterns, one close
    name); the one known name that contains it or that it contains. Otherwise raises
    :class:`QueryError` naming the closest units.

    >>> resolve_unit("民政局", ["市民政局", "市教育局"])
    '市民政局'
    >>> resolve_unit("市体育局", ["市民政局", "市教育局"])
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: unknown unit 市体育局; did you mean 市教育局?
    """
    key = name_key(name)
    known = set(names)
    if key in known:
        return key
    gaz = gazetteer or Gazetteer.default()
    resolved = gaz.resolve(key)
    if resolved.name in known:
        return resolved.name
    if not key:
        raise QueryError("empty unit name", hint="give a unit such as 团市委")
    around = sorted(n for n in known if key in n or (len(n) >= 3 and n in key))
    if len(around) == 1:
        return around[0]
    if len(around) > 1:
        raise QueryError(f"unit {name} is ambiguous", hint=f"did you mean {', '.join(around)}?")
    close = suggest(key, known)
    hint = f"did you mean {', '.join(close)}?" if close else "no unit of that name in the input"
    raise QueryError(f"unknown unit {name}", hint=hint)


def task_number(value: str) -> str:
    """The task number in a task reference as users write it.

    >>> task_number("第9项"), task_number("task 12"), task_number("#3")
    ('9', '12', '3')
    """
    return _TASK_NOISE_RE.sub("", str(value).strip()).strip()


def resolve_task(value: str, tasks: Sequence[tuple[str, str]]) -> str:
    """The uid of the task given by number or uid; ``tasks`` holds ``(uid, number)`` pairs.

    >>> resolve_task("task 12", [("a#12", "12"), ("b#12", "12")])
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: task 12 is in several documents; give its uid: a#12, b#12
    """
    text = str(value).strip()
    for uid, _ in tasks:
        if text == uid:
            return uid
    number = task_number(text)
    found = [uid for uid, n in tasks if n == number]
    if len(found) == 1:
        return found[0]
    if found:
        raise QueryError(
            f"task {number} is in several documents", hint=f"give its uid: {', '.join(found)}"
        )
    numbers = [n for _, n in tasks]
    span = f"tasks are {numbers[0]}–{numbers[-1]}" if numbers else "the graph has no tasks"
    raise QueryError(f"unknown task {value}", hint=span)


def coerce(name: str, type_: str, value: Any) -> Any:
    """Read a parameter value given as a string (command line) or as a Python value.

    >>> coerce("direct", "bool", "yes"), coerce("w", "number", "0.5"), coerce("w", "number", "3")
    (True, 0.5, 3)
    >>> coerce("before", "date", "2024-6-30"), coerce("before", "date", "2024年上半年")
    ('2024-06-30', '2024-06-30')
    >>> coerce("before", "date", "June")
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: parameter before must be a date such as 2024-06-30, not 'June'
    """
    if type_ == "date" and value is not None:
        return _date(name, value)
    if value is None or not isinstance(value, str):
        if type_ == "bool" and value is not None and not isinstance(value, bool):
            raise QueryError(f"parameter {name} must be true or false, not {value!r}")
        return value
    text = value.strip()
    try:
        if type_ == "int":
            return int(text)
        if type_ == "number":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
    except ValueError:
        raise QueryError(f"parameter {name} must be a number, not {value!r}") from None
    if type_ == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise QueryError(f"parameter {name} must be true or false, not {value!r}")
    return text


def _date(name: str, value: Any) -> str:
    """An ISO date from a date, ``2024-06-30``, ``2024-6-30`` or a written deadline."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    due = due_of(str(value))
    if due is None or due == ONGOING:
        raise QueryError(f"parameter {name} must be a date such as 2024-06-30, not {value!r}")
    return due


def prepare_params(
    spec: QuerySpec,
    params: Mapping[str, Any] | None,
    *,
    units: Collection[str],
    tasks: Sequence[tuple[str, str]],
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """Every parameter of ``spec``, typed, checked and resolved, ready for either backend.

    ``units`` and ``tasks`` are the names and ``(uid, number)`` pairs of the data queried
    (see :func:`graph_units`, :func:`graph_tasks`); Neo4j callers read them from the store.

    >>> from dutygraph.queries.catalog import get
    >>> prepare_params(get("tasks-of"), {"unit": "团市委", "role": "lead"}, units=["团市委"],
    ...                tasks=[])
    {'unit': '团市委', 'role': 'lead', 'direct': False}
    """
    given = dict(params or {})
    names = {p.name for p in spec.params}
    extra = sorted(set(given) - names)
    if extra:
        known = ", ".join(p.name for p in spec.params) or "none"
        raise QueryError(
            f"{spec.name} has no parameter {', '.join(extra)}", hint=f"its parameters: {known}"
        )
    out: dict[str, Any] = {}
    for p in spec.params:
        out[p.name] = _prepare(spec, p, given.get(p.name, p.default), units, tasks, gazetteer)
    return out


def _prepare(
    spec: QuerySpec,
    p: Param,
    value: Any,
    units: Collection[str],
    tasks: Sequence[tuple[str, str]],
    gazetteer: Gazetteer | None,
) -> Any:
    if value is None:
        if p.required:
            raise QueryError(f"{spec.name} needs the parameter {p.name}", hint=p.help or None)
        return None
    value = coerce(p.name, p.type, value)
    if p.type in ("int", "number") and (isinstance(value, bool) or value < 0):
        raise QueryError(f"parameter {p.name} must be a number of at least 0, not {value!r}")
    if p.choices and value not in p.choices:
        raise QueryError(f"parameter {p.name} must be one of {', '.join(p.choices)}, not {value!r}")
    if p.type == "unit":
        return resolve_unit(str(value), units, gazetteer)
    if p.type == "task":
        return resolve_task(str(value), tasks)
    return value
