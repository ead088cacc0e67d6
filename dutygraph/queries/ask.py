"""Questions in plain words, Chinese or English, mapped offline onto a catalog query.

No network service: :func:`ask` spots a unit name (through the graph's unit names and the
gazetteer, aliases included), a task number (``第9项``, ``任务9``, ``task 9``) and a few
keywords, and picks the catalog entry and its parameters. A question it cannot place raises
:class:`~dutygraph.errors.QueryError` listing the questions it understands (:data:`QUESTIONS`).

>>> ask("团市委配合哪些任务？")
('tasks-of', {'unit': '团市委', 'role': 'support'})
>>> ask("who leads task 7?")
('units-of', {'task': '7', 'role': 'lead'})
>>> ask("哪些任务没有牵头单位")
('gaps', {'kind': 'no-lead'})
>>> ask("which tasks due by 2024-06-30 have no lead?")
('due', {'before': '2024-06-30', 'gap': 'no-lead'})
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import Any

import networkx as nx

from dutygraph.errors import QueryError
from dutygraph.extract.attributes import due_of
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.queries.resolve import graph_units, resolve_unit
from dutygraph.queries.spec import cn_number

__all__ = ["QUESTIONS", "ask", "spot_task", "spot_unit"]

#: Questions :func:`ask` understands, one per kind (any unit or task number will do).
QUESTIONS: tuple[str, ...] = (
    "团市委配合哪些任务？ / which tasks does 团市委 support?",
    "团市委牵头哪些任务？ / which tasks does 团市委 lead?",
    "团市委有哪些任务？ / what are the tasks of 团市委?",
    "第9项任务有哪些单位？ / which units does task 9 involve?",
    "第7项任务由谁牵头？ / who leads task 7?",
    "哪些任务没有牵头单位？ / which tasks have no lead?",
    "哪些任务2024年6月底前到期且没有牵头单位？ / which tasks due by 2024-06-30 have no lead?",
    "各项任务的完成时限 / tasks by deadline",
    "哪些任务有多个牵头单位？ / which tasks have several leads?",
    "有哪些协调缺口？ / what are the coordination gaps?",
    "哪些单位任务最重？ / which are the busiest units?",
    "谁和团市委合作最多？ / who works with 团市委?",
    "团市委的概况 / profile of 团市委",
    "哪些单位是桥梁？ / which units are brokers?",
    "各部分牵头集中度 / lead concentration by section",
)

_MAX_NAME = 24
_CN_NUM = "〇零一二两三四五六七八九十百"
_TASK_RES = (
    re.compile(rf"第\s*(\d+|[{_CN_NUM}]+)\s*(?:项|条|个|号)?"),
    re.compile(rf"任务\s*(?:#|第)?\s*(\d+|[{_CN_NUM}]+)"),
    re.compile(r"(\d+)\s*号?任务"),
    re.compile(r"\b(?:task|item)s?\s*(?:no\.?|number|#)?\s*(\d+)", re.I),
    re.compile(r"#\s*(\d+)"),
)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_NO_LEAD = _re(
    r"(没有|无|缺少?|缺乏)(明确的?)?牵头|without (a |any )?lead|no lead|lacks? (a )?lead|unled"
    r"|nobody leads|no one leads"
)
_MULTI_LEAD = _re(
    r"(多个|多家|几个|两个以上|共同)牵头|(several|multiple|many) (co-?)?leads|co-?led"
)
_COLLECTIVE_ONLY = _re(r"只有.*成员单位|only (a )?collective|collective-only")
_DIFFUSE = _re(r"责任分散|多头负责|diffuse")
_DUE = _re(r"到期|完成时限|时间节点|截止|期限|时限|deadlines?|\bdue\b")
# A date a question names in full (year included): the due query's ``before``.
_DATE = re.compile(
    r"\d{4}\s*年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末)?|底|末|上半年|下半年"
    r"|第?[一二三四1-4]季度)|\d{4}-\d{1,2}-\d{1,2}"
)
_GAPS = _re(r"缺口|短板|漏洞|协调问题|\bgaps?\b|weak spots?")
_PARTNERS = _re(
    r"合作|协作|共事|一起|搭档|伙伴|\bworks? (together )?with\b|partners?|collaborat|\bwith whom\b"
)
_OVERLOAD = _re(
    r"最重|最多|最忙|负担|繁重|超负荷|工作量"
    r"|busiest|overload|heaviest|workload|most tasks|most work"
)
_BROKERS = _re(r"桥梁|枢纽|中介|纽带|broker|bridg|betweenness|central")
_SECTIONS = _re(r"各部分|各板块|板块|集中度|section|concentrat")
_PROFILE = _re(r"概况|情况|画像|简介|profile|overview|summary|tell me about")
_TASKS = _re(r"任务|工作|事项|tasks?|items?|what does|involved|assigned")
_DIRECT = _re(r"直接|directly|\bdirect\b")
_LEAD = _re(r"牵头|主责|\blead(s|ing)?\b|\bled\b|in charge")
_SUPPORT = _re(r"配合|协助|协办|\bsupport(s|ing|ed)?\b|\bassist")
_RESPONSIBLE = _re(r"责任单位|作为责任|responsib")
_UNIT_BEFORE_VERB = re.compile(r"^(.{2,24}?)(?:牵头|配合|负责|参与|有哪些|的任务|的概况)")


def spot_task(question: str) -> str | None:
    """The task number a question names, as digits, or ``None``.

    >>> spot_task("第十二项任务由谁牵头"), spot_task("which units does task 9 involve")
    ('12', '9')
    >>> spot_task("哪些单位任务最重") is None
    True
    """
    for pattern in _TASK_RES:
        m = pattern.search(question)
        if m:
            text = m.group(1)
            value = int(text) if text.isdigit() else cn_number(text)
            if value is not None:
                return str(value)
    return None


def spot_unit(
    question: str, names: Collection[str] = (), gazetteer: Gazetteer | None = None
) -> str | None:
    """The longest unit name (or alias) in a question, as written there, or ``None``.

    >>> spot_unit("共青团安顺市委配合哪些任务"), spot_unit("who works with 市妇联?")
    ('共青团安顺市委', '市妇联')
    """
    gaz = gazetteer or Gazetteer.default()
    known = set(names)
    best: tuple[int, int, str] | None = None
    for start in range(len(question)):
        for end in range(min(len(question), start + _MAX_NAME), start + 1, -1):
            text = question[start:end]
            if best is not None and end - start <= best[0]:
                break
            if text in known or _is_unit(gaz, text):
                best = (end - start, -start, text)
                break
    return best[2] if best else None


def _is_unit(gaz: Gazetteer, text: str) -> bool:
    if not re.fullmatch(r"[\w（）()、]+", text) or text.isascii():
        return False
    return gaz.lookup(text) is not None


def _role(question: str) -> str:
    if _LEAD.search(question):
        return "lead"
    if _SUPPORT.search(question):
        return "support"
    if _RESPONSIBLE.search(question):
        return "responsible"
    return "any"


def _due_params(question: str) -> dict[str, Any]:
    """The ``due`` query's parameters in a question: a full date, a gap it names.

    >>> _due_params("哪些任务2024年底前到期且有多个牵头单位")
    {'before': '2024-12-31', 'gap': 'multi-lead'}
    """
    params: dict[str, Any] = {}
    m = _DATE.search(question)
    if m is not None:
        before = due_of(m.group(0))
        if before is not None:
            params["before"] = before
    for pattern, kind in (
        (_NO_LEAD, "no-lead"),
        (_MULTI_LEAD, "multi-lead"),
        (_COLLECTIVE_ONLY, "collective-only"),
        (_DIFFUSE, "diffuse"),
    ):
        if pattern.search(question):
            params["gap"] = kind
            break
    return params


def ask(
    question: str,
    graph: nx.MultiDiGraph | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    units: Collection[str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Map a question onto ``(query name, parameters)`` of the catalog.

    With ``graph`` (or ``units``, the unit names of a store such as Neo4j), a unit is looked for
    among its units too and resolved against them (an unknown unit raises :class:`QueryError`
    with "did you mean"); without, the gazetteer's canonical name is returned.

    >>> ask("which units does task 9 involve")
    ('units-of', {'task': '9', 'role': 'any'})
    >>> ask("what is the weather")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: cannot tell which query answers: what is the weather; ...
    """
    q = unicodedata.normalize("NFKC", question).strip()
    gaz = gazetteer or Gazetteer.default()
    known = units is not None or graph is not None
    names = list(units) if units is not None else graph_units(graph) if graph is not None else []
    written = spot_unit(q, names, gaz)
    task = spot_task(q)
    extra: dict[str, Any] = {"direct": True} if _DIRECT.search(q) else {}

    def unit() -> str:
        assert written is not None
        if known:
            return resolve_unit(written, names, gaz)
        return gaz.resolve(written).name

    if _DUE.search(q):
        return "due", _due_params(q)
    if _NO_LEAD.search(q):
        return "gaps", {"kind": "no-lead"}
    if _MULTI_LEAD.search(q) and task is None and written is None:
        return "gaps", {"kind": "multi-lead"}
    if _COLLECTIVE_ONLY.search(q):
        return "gaps", {"kind": "collective-only"}
    if _DIFFUSE.search(q):
        return "gaps", {"kind": "diffuse"}
    if _GAPS.search(q):
        return "gaps", {}
    if task is not None:
        return "units-of", {"task": task, "role": _role(q), **extra}
    if _PARTNERS.search(q):
        return "partners", {"unit": unit()} if written else {}
    if written is not None and _PROFILE.search(q):
        return "unit-profile", {"unit": unit(), **extra}
    if _BROKERS.search(q):
        return "brokers", {}
    if _OVERLOAD.search(q) and written is None:
        return "overload", {}
    if _SECTIONS.search(q):
        return "sections", {}
    if written is None and _TASKS.search(q):
        m = _UNIT_BEFORE_VERB.search(q)
        if m and not re.search(r"哪些|哪个|什么|谁", m.group(1)):
            written = m.group(1)
    if written is not None and (_TASKS.search(q) or _role(q) != "any"):
        return "tasks-of", {"unit": unit(), "role": _role(q), **extra}
    raise QueryError(
        f"cannot tell which query answers: {question}",
        hint="questions it understands: " + " · ".join(QUESTIONS),
    )
