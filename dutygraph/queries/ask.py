"""Questions in plain words, Chinese or English, mapped offline onto a catalog query.

No network service and no guessing: a question must match one of the forms of
:data:`~dutygraph.queries.ask_forms.FORMS` as a whole, so every part of it is used — each unit
named, the role, the task, the section, a number such as "the 5 busiest". Anything else is
refused (:class:`~dutygraph.errors.QueryError`, exit 2) with the closest forms it understands,
filled in with the question's own units, and the unit names it could not resolve, with
suggestions. ``dutygraph ask --help`` lists the forms.

Words, decided once for every phrasing:

- **负责 / responsible for / in charge of** mean *any role* (who is in charge of what), in both
  languages; the responsible role of a 责任单位 list is asked for by naming it (``作为责任单位``,
  ``第9项的责任单位``, ``as a responsible unit``). 牵头 / lead and 配合 / support are those roles.
- Two or more units are asked about together only with 都 / 共同 / 合作 / share / both /
  together / in common (``市教育局和市民政局共同参与哪些任务``): the tasks every one of them holds
  a role in (``shared-tasks``). ``市教育局和市民政局负责哪些任务`` is refused, naming that form.
- A unit is found as the graph (or the gazetteer) knows it: exactly, by an alias, or — with a
  note naming both — by similarity (``市教育`` → ``市教育局``), without its level
  (``团委`` → ``团市委``) or shortened (``民政局`` → ``市民政局``) when one unit fits.

>>> ask("团市委配合哪些任务？")
('tasks-of', {'unit': '团市委', 'role': 'support'})
>>> ask("who leads task 7?")
('units-of', {'task': '7', 'role': 'lead'})
>>> ask("第五部分有哪些任务")
('section-tasks', {'section': '五'})
>>> ask("市教育局和市民政局共同参与哪些任务")
('shared-tasks', {'units': ['市教育局', '市民政局'], 'role': 'any'})
>>> interpret("which tasks does 市教育 lead").notes
('市教育 read as 市教育局 (closest unit name)',)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rapidfuzz import fuzz

from dutygraph.errors import QueryError
from dutygraph.extract.attributes import due_of
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.names import name_key
from dutygraph.queries.ask_forms import FORMS, ROLE_WORDS, Form
from dutygraph.queries.ask_text import (
    CN,
    TASK_RES,
    cn_numeral,
    find_refs,
    normalize,
    number,
    tokenize,
)
from dutygraph.queries.resolve import (
    graph_sections,
    graph_units,
    resolve_unit_how,
    section_value,
    suggest,
)

__all__ = [
    "QUESTIONS",
    "Interpretation",
    "ask",
    "interpret",
    "normalize",
    "spot_task",
    "spot_unit",
]

#: One example question per form, Chinese / English (any unit or task number will do).
QUESTIONS: tuple[str, ...] = tuple(f"{f.example('zh')} / {f.example('en')}" for f in FORMS)

_MAX_NAME = 24
_BAD_ZH_NAME = re.compile(
    r"[a-z0-9〈〉?!]|哪|谁|什么|多少|怎么|任务|由|被|吗|呢|没有|没人|无人|直接|不|并非|除了|以外"
    r"|牵头|配合|协助|负责|参与|合作"
)
_LIST_SEP = re.compile(r"\s*(?:、|,|;|/|&|以及|及|和|与|跟|同|还有|\band\b|as well as)\s*")
_JOIN_SEP = re.compile(r"、|和|与|及")
_UNITISH = re.compile(r"[\u4e00-\u9fff（）()]{1,14}?(?:局|委员会|委|办公室|办|院|联|政府|支队)")


@dataclass(frozen=True)
class Interpretation:
    """What a question asks: the catalog ``query`` and its ``params``, the ``form`` that read
    it (a key of :data:`~dutygraph.queries.ask_forms.FORMS`) and ``notes`` on names resolved by
    similarity (one line each, for stderr)."""

    query: str
    params: dict[str, Any]
    form: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Context:
    """What the data knows: unit names (empty without a graph: the gazetteer decides) and
    ``(section, title)`` pairs."""

    gazetteer: Gazetteer
    names: Sequence[str]
    known: bool
    sections: Sequence[tuple[str, str]]


class _Unresolved(Exception):
    """A form matched but a name in it did not resolve (the message says which)."""

    def __init__(self, error: QueryError) -> None:
        super().__init__(str(error))
        self.error = error


def spot_task(question: str) -> str | None:
    """The task number a question names, as digits, or ``None``.

    >>> spot_task("第十二项任务由谁牵头"), spot_task("which units does task 9 involve")
    ('12', '9')
    >>> spot_task("哪些单位任务最重") is None
    True
    """
    found = find_refs(normalize(question), TASK_RES)
    return found[0][2] if found else None


def spot_unit(
    question: str, names: Collection[str] = (), gazetteer: Gazetteer | None = None
) -> str | None:
    """The longest unit name (or alias) in a question, as written there, or ``None``.

    >>> spot_unit("共青团安顺市委配合哪些任务"), spot_unit("who works with 市妇联?")
    ('共青团安顺市委', '市妇联')
    """
    spots = _spot_units(question, set(names), gazetteer or Gazetteer.default())
    return max(spots, key=lambda s: (s[1] - s[0], -s[0]))[2] if spots else None


def _spot_units(question: str, known: set[str], gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Known unit names in the question, longest first from the left, not overlapping."""
    out: list[tuple[int, int, str]] = []
    start = 0
    while start < len(question):
        for end in range(min(len(question), start + _MAX_NAME), start + 1, -1):
            text = question[start:end]
            if name_key(text) in known or _is_unit(gaz, text):
                out.append((start, end, text))
                start = end
                break
        else:
            start += 1
    return out


def _is_unit(gaz: Gazetteer, text: str) -> bool:
    if not re.fullmatch(r"[\w（）()、]+", text) or text.isascii():
        return False
    return gaz.lookup(text) is not None


def interpret(
    question: str,
    graph: nx.MultiDiGraph | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    units: Collection[str] | None = None,
    sections: Collection[tuple[str, str]] | None = None,
) -> Interpretation:
    """Read a question as one catalog query with all its parameters, or refuse it.

    With ``graph`` (or ``units`` and ``sections``, as read from a store such as Neo4j), unit
    names and sections are resolved against the data; without, against the gazetteer.

    >>> from dutygraph.queries.sample import sample_graph
    >>> i = interpret("团委负责什么？", sample_graph())
    >>> i.query, i.params, i.notes
    ('tasks-of', {'unit': '团市委', 'role': 'any'}, ('团委 read as 团市委 (without its level)',))
    >>> interpret("任务最重的5个单位").params
    {'top': 5}
    """
    gaz = gazetteer or Gazetteer.default()
    known = units is not None or graph is not None
    names = list(units) if units is not None else graph_units(graph) if graph is not None else []
    if sections is None:
        sections = graph_sections(graph) if graph is not None else []
    ctx = _Context(gaz, names, known, list(sections))
    q = normalize(question)
    tokenized, section_numbers, task_numbers = tokenize(q, ctx.sections)
    failure: QueryError | None = None
    for form in FORMS:
        for pattern in form.compiled():
            m = pattern.fullmatch(tokenized)
            if m is None or not _slots_fit(m, form, section_numbers, task_numbers):
                continue
            try:
                return _build(form, m, section_numbers, task_numbers, ctx)
            except _Unresolved as exc:
                failure = failure or exc.error
    if failure is not None:
        raise failure
    raise _refusal(question, q, tokenized, section_numbers, task_numbers, ctx)


def ask(
    question: str,
    graph: nx.MultiDiGraph | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    units: Collection[str] | None = None,
    sections: Collection[tuple[str, str]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Map a question onto ``(query name, parameters)`` of the catalog (see :func:`interpret`,
    which also gives the notes on names resolved by similarity).

    >>> ask("which units does task 9 involve")
    ('units-of', {'task': '9', 'role': 'any'})
    >>> ask("what is the weather")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dutygraph.errors.QueryError: cannot tell which query answers: what is the weather; ...
    """
    found = interpret(question, graph, gazetteer=gazetteer, units=units, sections=sections)
    return found.query, found.params


def _slots_fit(
    m: re.Match[str], form: Form, section_numbers: list[str], task_numbers: list[str]
) -> bool:
    """Whether the matched slots are plausible: one task or section at most, each used, and
    unit slots that hold no question words."""
    groups = m.groupdict()
    if len(task_numbers) > 1 or len(section_numbers) > 1:
        return False
    for slot in ("unit", "units"):
        value = groups.get(slot)
        if value is not None and _BAD_ZH_NAME.search(_LIST_SEP.sub("", value)):
            return False
    return True


def _build(
    form: Form,
    m: re.Match[str],
    section_numbers: list[str],
    task_numbers: list[str],
    ctx: _Context,
) -> Interpretation:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    params: dict[str, Any] = {}
    notes: list[str] = []
    if "unit" in groups:
        if len(_split(groups["unit"], ctx)) > 1:
            raise _Unresolved(_several_units(groups["unit"], m.string, ctx))
        params["unit"] = _resolve(groups["unit"], ctx, notes)
    if "units" in groups:
        written = _split(groups["units"], ctx)
        if len(written) < 2:
            raise _Unresolved(QueryError(f"{groups['units']} is one unit, not several"))
        resolved: list[str] = []
        for name in written:
            one = _resolve(name, ctx, notes)
            if one in resolved:
                raise _Unresolved(
                    QueryError(f"{name} is {one}, named twice", hint="name each unit once")
                )
            resolved.append(one)
        params["units"] = resolved
    if task_numbers:
        params["task"] = task_numbers[0]
    if section_numbers:
        params["section"] = _section(section_numbers[0], ctx)
    params.update(form.fixed)
    role = groups.get("role")
    if role is not None or form.query in ("tasks-of", "units-of", "shared-tasks"):
        params.setdefault("role", ROLE_WORDS[role] if role is not None else "any")
    if "direct" in groups or "direct2" in groups:
        params["direct"] = True
    if "before" in groups:
        before = due_of(groups["before"])
        if before is None or before == "ongoing":
            raise _Unresolved(
                QueryError(
                    f"cannot read {groups['before']} as a date",
                    hint="write it as 2024年6月底 or 2024-06-30",
                )
            )
        params["before"] = before
    if "n" in groups and form.number is not None:
        value = number(groups["n"])
        assert value is not None
        if form.number == "k+1":
            params["k"] = value + 1
        else:
            params[form.number] = value
    return Interpretation(form.query, params, form.key, tuple(notes))


def _split(text: str, ctx: _Context) -> list[str]:
    """The names in a list of units (``A和B``, ``A、B and C``); pieces that together make one
    known name (``市住房和城乡建设局``, ``各区、县级市``) stay together."""
    text = re.sub(r"^(?:both|all of)\s+", "", text.strip())
    pieces = _LIST_SEP.split(text)
    seps = _LIST_SEP.findall(text)
    out: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + 3), i + 1, -1):
            if not all(_JOIN_SEP.fullmatch(seps[k].strip()) for k in range(i, j - 1)):
                continue
            joined = "".join(
                p + (seps[k].strip() if k < j - 1 else "")
                for k, p in enumerate(pieces[i:j], start=i)
            )
            if name_key(joined) in ctx.names or _is_unit(ctx.gazetteer, joined):
                out.append(joined)
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return [p.strip() for p in out if p.strip()]


_HOW = {
    "similar": "closest unit name",
    "shortened": "the one unit whose name contains it",
    "level": "without its level",
}


def _resolve(written: str, ctx: _Context, notes: list[str]) -> str:
    """The canonical unit a name in a question denotes; a guess adds a note naming both."""
    written = written.strip()
    if ctx.known:
        try:
            name, how = resolve_unit_how(
                written, ctx.names, ctx.gazetteer, within=False, level=True
            )
        except QueryError as exc:
            raise _Unresolved(exc) from None
    else:
        r = ctx.gazetteer.resolve(written)
        if r.method in ("unknown", "ambiguous"):
            close = list(r.candidates) or suggest(written, set(ctx.gazetteer.known()))
            hint = f"did you mean {', '.join(close)}?" if close else "no unit of that name known"
            raise _Unresolved(QueryError(f"unknown unit {written}", hint=hint))
        name, how = r.name, r.method
    if how in _HOW:
        notes.append(f"{written} read as {name} ({_HOW[how]})")
    return name


def _section(number: str, ctx: _Context) -> str:
    """The section label as the data writes it (``五``), or as a Chinese numeral without
    data; an unknown section is refused naming the sections there are."""
    if not ctx.sections:
        return cn_numeral(int(number))
    for label, _ in ctx.sections:
        if section_value(label) == int(number):
            return label
    labels = [s for s, _ in ctx.sections]
    raise _Unresolved(
        QueryError(f"unknown section {number}", hint=f"sections are {labels[0]}–{labels[-1]}")
    )


def _several_units(text: str, question: str, ctx: _Context) -> QueryError:
    names = _split(text, ctx)
    shared = FORMS[[f.key for f in FORMS].index("shared-tasks")]
    lang = "en" if _is_english(question) else "zh"
    example = shared.example(lang, {"unit1": names[0], "unit2": names[1]})
    return QueryError(
        f"{text} names several units",
        hint=f"for the tasks they share ask e.g. {example}, or ask about one unit at a time",
    )


def _refusal(
    question: str,
    q: str,
    tokenized: str,
    section_numbers: list[str],
    task_numbers: list[str],
    ctx: _Context,
) -> QueryError:
    """The error for a question no form reads: the closest forms, filled with the question's
    own units, task and section, and the unit-like names that did not resolve."""
    spots = _spot_units(q, set(ctx.names), ctx.gazetteer)
    found, unknown = [], []
    for _, _, text in spots:
        try:
            found.append(_resolve(text, ctx, []))
        except _Unresolved as exc:
            unknown.append(_unknown_line(exc.error))
    slots: dict[str, str] = {}
    if found:
        slots.update(unit=found[0], unit1=found[0])
    if len(found) > 1:
        slots["unit2"] = found[1]
    if task_numbers:
        slots["task"] = task_numbers[0]
    if section_numbers:
        slots["section"] = cn_numeral(int(section_numbers[0]))
        slots["section_no"] = section_numbers[0]
    english = _is_english(q)
    have = {
        "unit": len(spots) >= 1,
        "units": len(spots) > 1,
        "task": bool(task_numbers),
        "section": bool(section_numbers),
    }
    masked = _mask(tokenized, spots)
    scored = sorted(
        FORMS,
        key=lambda f: -_score(masked, _mask_example(f, english)) - _fit(f, have),
    )
    close: list[str] = []
    queries: set[str] = set()
    for form in scored:
        if form.query not in queries and len(close) < 3:
            queries.add(form.query)
            close.append(form.example("en" if english else "zh", slots))
    unknown += _unknown_names(q, spots, ctx)
    parts = ["closest forms it understands: " + " · ".join(close)]
    if unknown:
        parts.insert(0, "; ".join(unknown))
    parts.append("dutygraph ask --help lists them all")
    return QueryError(f"cannot tell which query answers: {question.strip()}", hint="; ".join(parts))


def _is_english(question: str) -> bool:
    return len(re.findall(r"[a-z]", question.lower())) >= 3


def _unknown_line(error: QueryError) -> str:
    """``unknown unit X (did you mean Y?)``: the error of an unresolved name, in one part."""
    return f"{error.message} ({error.hint})" if error.hint else error.message


def _mask(tokenized: str, spots: Sequence[tuple[int, int, str]]) -> str:
    out = tokenized
    for _, _, text in sorted(spots, key=lambda s: -len(s[2])):
        out = out.replace(text, "〈U〉")
    return re.sub(rf"\d+|[{CN}]+", "〈N〉", out)


def _fit(form: Form, have: Mapping[str, bool]) -> float:
    """How well a form's slots fit what the question names (units, a task, a section): a
    slot filled counts for, a slot left empty against, a name the form cannot use a little
    against."""
    needs = {
        "unit": "{unit}" in form.zh or "{unit1}" in form.zh,
        "units": "{unit1}" in form.zh,
        "task": "{task}" in form.zh,
        "section": "{section}" in form.zh,
    }
    score = 0.0
    for kind, needed in needs.items():
        if needed:
            score += 40.0 if have[kind] else -40.0
        elif have[kind]:
            score -= 20.0
    return score


def _mask_example(form: Form, english: bool) -> str:
    text = form.en if english else form.zh
    text = re.sub(r"\{unit\d?\}", "〈U〉", text)
    return (
        text.replace("{task}", "〈T〉")
        .replace("{section}", "〈S〉")
        .replace("{section_no}", "〈S〉")
        .replace("{n}", "〈N〉")
    )


def _score(masked: str, example: str) -> float:
    example = normalize(example)
    example = example.replace("task〈t〉", "〈T〉").replace("第〈s〉部分", "〈S〉")
    example = example.replace("section〈s〉", "〈S〉").replace("第〈t〉项任务", "〈T〉")
    return float(fuzz.ratio(masked, example)) + 0.5 * float(fuzz.partial_ratio(masked, example))


def _unknown_names(q: str, spots: Sequence[tuple[int, int, str]], ctx: _Context) -> list[str]:
    """Unit-like words (ending 局, 委, 办, ...) that are not known units, with suggestions."""
    taken = [(s, e) for s, e, _ in spots]
    out = []
    for m in _UNITISH.finditer(q):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        try:
            _resolve(m.group(), ctx, [])
        except _Unresolved as exc:
            out.append(_unknown_line(exc.error))
    return out
