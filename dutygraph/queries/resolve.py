"""Reading query parameters: unit names through the gazetteer, task numbers, typed values.

A unit given as a parameter may be written as an alias (``共青团安顺市委``), a close variant
(``市教育``) or without its level (``民政局`` when the graph has one such unit); anything else
is a :class:`~dutygraph.errors.QueryError` with a "did you mean" list.
:func:`resolve_unit_how` also says which of these ways found it, and can drop a level inside
a name (``团委`` → ``团市委``). A task is a number (``9``,
``第9项``, ``task 9``) or a uid; a section a number as the plan writes it (``五``) or in digits.

>>> resolve_unit("共青团安顺市委", ["团市委", "市妇联"])
'团市委'
>>> resolve_task("第9项", [("plan#9", "9"), ("plan#10", "10")])
'plan#9'
>>> coerce("k", "int", "7")
7
>>> resolve_section("第5部分", ["一", "五"])
'五'
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import networkx as nx
from rapidfuzz import fuzz, process

from dutygraph.errors import QueryError
from dutygraph.extract.attributes import ONGOING, due_of
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.names import name_key
from dutygraph.queries.spec import Param, QuerySpec, cn_number, natural_key

__all__ = [
    "coerce",
    "graph_sections",
    "graph_tasks",
    "graph_units",
    "prepare_params",
    "resolve_section",
    "resolve_task",
    "resolve_unit",
    "resolve_unit_how",
    "split_units",
    "suggest",
    "task_number",
]

_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}
_TASK_NOISE_RE = re.compile(r"^(?:第|任务|task|item|no\.?|#)\s*|\s*(?:项|条|号)?(?:任务)?$", re.I)
_SECTION_NUMBER_RE = re.compile(r"\d+|[〇零一二两三四五六七八九十百]+")
_UNIT_SEP_RE = re.compile(r"\s*[,，;；、]\s*")
#: Administrative levels a unit's name may be written without (``团委`` for ``团市委``).
_LEVELS = "市县区州旗"


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


def graph_sections(graph: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """``(section, section title)`` of the graph's tasks, each once, in natural order.

    >>> graph_sections(nx.MultiDiGraph())
    []
    """
    found = {
        (str(d["section"]), str(d.get("section_title") or ""))
        for _, d in graph.nodes(data=True)
        if d.get("kind") == "task" and d.get("section")
    }
    return sorted(found, key=lambda x: (natural_key(x[0]), x[1]))


def section_value(text: str) -> int | None:
    """The number a section reference carries (``第五部分``, ``5``, ``五、加强…``), else ``None``.

    >>> section_value("第五部分"), section_value("section 12"), section_value("加强")
    (5, 12, None)
    """
    m = _SECTION_NUMBER_RE.search(str(text))
    if m is None:
        return None
    return int(m.group()) if m.group().isdigit() else cn_number(m.group())


def resolve_section(value: str, sections: Collection[str]) -> str:
    """The section, as ``sections`` (the plan's own labels) writes it, that ``value`` denotes.

    >>> resolve_section("5", ["四", "五"]), resolve_section("二", ["1", "2"])
    ('五', '2')
    >>> resolve_section("第八部分", ["一", "二", "三"])
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: unknown section 第八部分; sections are 一–三
    """
    number = section_value(value)
    labels = sorted(set(sections), key=natural_key)
    found = [s for s in labels if section_value(s) == number] if number is not None else []
    if found:
        return found[0]
    span = f"sections are {labels[0]}–{labels[-1]}" if labels else "the graph has no sections"
    raise QueryError(f"unknown section {value}", hint=span)


def split_units(text: str, is_name: Callable[[str], bool] = lambda _: False) -> list[str]:
    """The unit names in a list written ``A,B`` or ``A、B``; pieces that together make one
    name (``is_name``, e.g. a collective such as ``各区、县级市``) stay together.

    >>> split_units("市教育局、市民政局 , 团市委")
    ['市教育局', '市民政局', '团市委']
    >>> split_units("各区、县级市,团市委", lambda n: n == "各区、县级市")
    ['各区、县级市', '团市委']
    """
    pieces = [p for p in _UNIT_SEP_RE.split(str(text).strip())]
    seps = _UNIT_SEP_RE.findall(str(text).strip())
    out: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + 3), i + 1, -1):
            joined = "".join(
                p + (seps[k].strip() if k < j - 1 else "")
                for k, p in enumerate(pieces[i:j], start=i)
            )
            if is_name(joined):
                out.append(joined)
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return [p for p in out if p]


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
    return resolve_unit_how(name, names, gazetteer)[0]


def resolve_unit_how(
    name: str,
    names: Collection[str],
    gazetteer: Gazetteer | None = None,
    *,
    within: bool = True,
    level: bool = False,
) -> tuple[str, str]:
    """:func:`resolve_unit`, with how the name was found: ``exact``, ``alias`` (the
    gazetteer's aliases and patterns), ``similar`` (one close name), ``shortened`` (the one
    known name containing it), ``within`` (the one known name it contains; only if
    ``within``) or ``level`` (the one known name that is it once its level, 市, 县, 区, ...,
    is dropped; only if ``level``).

    >>> resolve_unit_how("市教育", ["市教育局", "市民政局"])
    ('市教育局', 'similar')
    >>> resolve_unit_how("团委", ["团市委", "市妇联"], level=True)
    ('团市委', 'level')
    >>> resolve_unit_how("团市委宣传", ["团市委"], within=False)
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: unknown unit 团市委宣传; did you mean 团市委?
    """
    key = name_key(name)
    known = set(names)
    if key in known:
        return key, "exact"
    gaz = gazetteer or Gazetteer.default()
    resolved = gaz.resolve(key)
    if resolved.name in known:
        return resolved.name, "similar" if resolved.method == "similar" else "alias"
    if not key:
        raise QueryError("empty unit name", hint="give a unit such as 团市委")
    around = sorted(n for n in known if key in n or (within and len(n) >= 3 and n in key))
    if not around and level:
        around = sorted(n for n in known if key in _without_level(n))
        if len(around) == 1:
            return around[0], "level"
    if len(around) == 1:
        return around[0], "shortened" if key in around[0] else "within"
    if len(around) > 1:
        raise QueryError(f"unit {name} is ambiguous", hint=f"did you mean {', '.join(around)}?")
    close = suggest(key, known)
    hint = f"did you mean {', '.join(close)}?" if close else "no unit of that name in the input"
    raise QueryError(f"unknown unit {name}", hint=hint)


def _without_level(name: str) -> set[str]:
    """``name`` with one level character dropped, each way it can be (``团市委`` → ``团委``)."""
    return {name[:i] + name[i + 1 :] for i, ch in enumerate(name) if ch in _LEVELS}


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
    sections: Collection[str] = (),
) -> dict[str, Any]:
    """Every parameter of ``spec``, typed, checked and resolved, ready for either backend.

    ``units``, ``tasks`` and ``sections`` are the names, ``(uid, number)`` pairs and section
    labels of the data queried (see :func:`graph_units`, :func:`graph_tasks`,
    :func:`graph_sections`); Neo4j callers read them from the store.

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
        value = given.get(p.name, p.default)
        out[p.name] = _prepare(spec, p, value, units, tasks, gazetteer, sections)
    return out


def _prepare(
    spec: QuerySpec,
    p: Param,
    value: Any,
    units: Collection[str],
    tasks: Sequence[tuple[str, str]],
    gazetteer: Gazetteer | None,
    sections: Collection[str],
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
    if p.type == "units":
        return _prepare_units(spec, value, units, gazetteer)
    if p.type == "task":
        return resolve_task(str(value), tasks)
    if p.type == "section":
        return resolve_section(str(value), sections)
    return value


def _prepare_units(
    spec: QuerySpec, value: Any, units: Collection[str], gazetteer: Gazetteer | None
) -> list[str]:
    gaz = gazetteer or Gazetteer.default()
    known = set(units)

    def is_name(text: str) -> bool:
        return name_key(text) in known or gaz.lookup(text) is not None

    given = split_units(value, is_name) if isinstance(value, str) else [str(v) for v in value]
    out: list[str] = []
    for name in given:
        resolved = resolve_unit(name, units, gazetteer)
        if resolved not in out:
            out.append(resolved)
    if len(out) < 2:
        shown = ", ".join(given) or "none"
        raise QueryError(
            f"{spec.name} needs two or more different units, not {shown}",
            hint="separate them with commas, e.g. 市教育局,市民政局",
        )
    return out
