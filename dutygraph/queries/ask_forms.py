"""The question forms :func:`~dutygraph.queries.ask.ask` understands: one table, read by the
parser and printed by ``dutygraph ask --help`` (so the two cannot drift apart).

Each :class:`Form` names the catalog query it runs, the parameters it fixes, an example in
Chinese and in English, and its patterns. A pattern must match the *whole* question (after
:func:`~dutygraph.queries.ask.normalize`), so every word of a question is either part of a
form or the question is refused. Slots in the patterns:

``<U>`` one unit · ``<US>`` two or more units · ``<T>`` a task reference (``第9项``,
``task 9``) · ``<S>`` a section reference (``第五部分``, ``section 5``, ``五、加强…``) ·
``<N>`` a number (``5``, ``五``) · ``<RV>`` a role verb (``牵头``, ``配合``, ``负责``) ·
``<RN>`` a role noun (``牵头单位``, ``责任单位``) · ``<D>`` ``直接`` / ``directly`` · ``<DATE>``
a date with its year (``2024年6月底``, ``2024-06-30``).
A space in a pattern stands for optional white space.

**负责 / responsible for** means *any role* (who is in charge of what), in Chinese and English
alike; the responsible role of a 责任单位 list is asked for by naming it: ``作为责任单位``,
``的责任单位``, ``as a responsible unit``.

>>> [f.key for f in FORMS][:5]
['due-no-lead', 'due-before', 'due-all', 'risks', 'gaps-no-lead']
>>> ROLE_WORDS["负责"], ROLE_WORDS["responsible for"], ROLE_WORDS["责任单位"]
('any', 'any', 'responsible')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EXAMPLE_SLOTS", "FORMS", "ROLE_WORDS", "Form", "help_lines"]

#: The role each role word stands for (``any``: whatever role the unit holds).
ROLE_WORDS: Mapping[str, str] = {
    **dict.fromkeys(
        ["牵头", "牵头负责", "负责牵头", "主责", "主办", "牵头单位", "牵头部门"], "lead"
    ),
    **dict.fromkeys(
        ["配合", "协助", "协办", "协同", "配合单位", "协办单位", "配合部门"], "support"
    ),
    **dict.fromkeys(["责任单位", "责任部门"], "responsible"),
    **dict.fromkeys(
        ["负责", "参与", "承担", "参加", "涉及", "负责单位", "参与单位", "单位", "部门"], "any"
    ),
    **dict.fromkeys(
        ["lead", "leads", "leading", "led", "head", "heads", "lead unit", "lead units"], "lead"
    ),
    **dict.fromkeys(["leader", "leaders", "co-lead", "colead", "co-led", "coled"], "lead"),
    **dict.fromkeys(["jointly lead", "jointly led"], "lead"),
    **dict.fromkeys(
        ["support", "supports", "supporting", "supported", "assist", "assists", "assisting"],
        "support",
    ),
    **dict.fromkeys(["supporting unit", "supporting units", "supporter", "supporters"], "support"),
    **dict.fromkeys(["responsible unit", "responsible units"], "responsible"),
    **dict.fromkeys(
        [
            "responsible for",
            "in charge of",
            "involved in",
            "involved",
            "assigned to",
            "assigned",
            "working on",
            "work on",
            "works on",
            "take part in",
            "takes part in",
            "participate in",
            "participates in",
            "handle",
            "handles",
            "handled",
            "have",
            "has",
            "do",
            "does",
            "units",
        ],
        "any",
    ),
}


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(words, key=len, reverse=True))


_ZH_RV = ["牵头负责", "负责牵头", "牵头", "主责", "主办", "配合", "协助", "协办", "协同"]
_ZH_RV += ["负责", "参与", "承担", "参加", "涉及"]
_ZH_RN = ["牵头单位", "牵头部门", "配合单位", "协办单位", "配合部门", "责任单位", "责任部门"]
_ZH_RN += ["负责单位", "参与单位"]

#: Macros of the patterns (a space: optional white space).
MACROS: Mapping[str, str] = {
    "<U>": r"(?P<unit>.+?)",
    "<US>": r"(?P<units>.+?)",
    "<T>": "〈T〉",
    "<S>": "〈S〉",
    "<N>": r"(?P<n>\d+|[〇零一二两三四五六七八九十百]+)",
    "<RV>": f"(?P<role>{_alt(_ZH_RV)})",
    "<RN>": f"(?P<role>{_alt(_ZH_RN)}|单位|部门)",
    "<D>": "(?P<direct>直接)?",
    "<D2>": "(?P<direct2>直接)?",
    "<Q>": "(?:哪些|那些|什么|哪几项|哪几个|哪项|哪个|几项|多少)?",
    "<TN>": "(?:任务|工作|事项|事情|事儿|项目|工作任务)",
    "<TAIL>": "(?:有哪些|是哪些|是什么|有什么|都有哪些|都有什么|包括哪些|都是什么|是哪几项)?",
    "<WHICH>": "(?:which|what)",
    "<TASKS>": "(?:tasks?|items?|work|duties|assignments)",
    "<UNITS>": "(?:units?|agencies|agency|departments?|bodies|body|organi[sz]ations?)",
    "<DE>": "(?P<direct>directly )?",
    "<DE2>": "(?P<direct2> directly)?",
    # a date written in full (year included): the ``due`` query's ``before``
    "<DATE>": r"(?P<before>\d{4} 年 (?:\d{1,2} 月 (?:\d{1,2} 日|底|末)?|底|年底|末|上半年|下半年"
    r"|第?[一二三四1-4]季度)|\d{4}-\d{1,2}-\d{1,2})",
    "<BY>": "(?:by|before|on or before|no later than)",
}

#: The names each example uses for its slots (``dutygraph ask --help`` shows them so).
EXAMPLE_SLOTS: Mapping[str, str] = {
    "unit": "团市委",
    "unit1": "市教育局",
    "unit2": "市民政局",
    "task": "9",
    "section": "五",
    "section_no": "5",
    "n": "5",
}


@dataclass(frozen=True)
class Form:
    """One kind of question: the catalog ``query`` it runs with ``fixed`` parameters, what it
    asks (``what``), an example in each language (slots in braces, see
    :data:`EXAMPLE_SLOTS`), its ``patterns`` (see the module docstring) and which parameter a
    ``<N>`` number fills (``number``; ``over`` when the words say "more than N")."""

    key: str
    query: str
    what: str
    zh: str
    en: str
    patterns: tuple[str, ...]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    number: str | None = None

    def compiled(self) -> list[re.Pattern[str]]:
        """The patterns, macros expanded and top-level alternatives apart, to match a whole
        normalised question."""
        return _compiled(self.patterns)

    def example(self, lang: str, slots: Mapping[str, str] | None = None) -> str:
        """The example question in ``zh`` or ``en``, slots filled (default:
        :data:`EXAMPLE_SLOTS`)."""
        text = self.zh if lang == "zh" else self.en
        return text.format(**{**EXAMPLE_SLOTS, **(slots or {})})


@functools.cache
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [_compile(alt) for p in patterns for alt in _alternatives(p)]


def _alternatives(pattern: str) -> list[str]:
    """A pattern split at its top-level ``|`` (slots may then repeat across alternatives)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(" and pattern[i - 1 : i] != "\\":
            depth += 1
        elif ch == ")" and pattern[i - 1 : i] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return [*out, pattern[start:]]


def _compile(pattern: str) -> re.Pattern[str]:
    out = pattern
    for macro, regex in MACROS.items():
        out = out.replace(macro, regex)
    return re.compile(out.replace(" ", r"\s*"))


F = Form
FORMS: tuple[Form, ...] = (
    # ----- deadlines (before the gaps: "due by June and no lead" names a gap too) -----
    F(
        "due-no-lead",
        "due",
        "tasks due by a date that have no lead",
        "哪些任务2024年6月底前到期且没有牵头单位？",
        "which tasks due by 2024-06-30 have no lead?",
        (
            "<Q><TN>?<DATE>(?:前|之前|以前)?(?:到期|截止|完成|要完成)(?:的<TN>)?"
            "(?:且|并且|而|但|却|,)?(?:没有|无|缺少)牵头(?:单位|部门)?<TAIL>",
            "<DATE>(?:前|之前|以前)?(?:到期|截止|完成|要完成)(?:且|并且|而|但|却|,)?"
            "(?:没有|无|缺少)牵头(?:单位|部门)?的<TN><TAIL>",
            "<WHICH> <TASKS> (?:that are |are )?due <BY> <DATE> (?:have|has) no "
            "(?:lead|leads|lead unit)",
            "<TASKS> due <BY> <DATE> (?:with no|without(?: a)?) (?:lead|lead unit)",
        ),
        {"gap": "no-lead"},
    ),
    F(
        "due-before",
        "due",
        "tasks due by a date",
        "哪些任务2024年6月底前到期？",
        "which tasks are due by 2024-06-30?",
        (
            "<Q><TN>?<DATE>(?:前|之前|以前)?(?:到期|截止|完成|要完成)(?:的<TN>)?<TAIL>",
            "<DATE>(?:前|之前|以前)?(?:到期|截止|要完成)的<TN><TAIL>",
            "<WHICH> <TASKS> (?:are )?due <BY> <DATE>|<TASKS> due <BY> <DATE>",
        ),
    ),
    F(
        "due-all",
        "due",
        "tasks by deadline",
        "各项任务的完成时限",
        "what are the deadlines?",
        (
            "(?:各项|所有)?<TN>?(?:的)?(?:完成时限|时间节点|截止时间|完成时间|期限|时限)"
            "(?:是什么|有哪些|是哪天)?",
            "<Q><TN>?(?:先|最先|最早|快要)?到期<TAIL>",
            "(?:what are )?(?:the )?deadlines(?: of the <TASKS>)?|<TASKS> by deadline"
            "|when (?:are|is) the <TASKS> due",
        ),
    ),
    # ----- risks -----
    F(
        "risks",
        "risks",
        "tasks that hang on a single lead unit",
        "哪些任务只有一个牵头单位？",
        "which tasks have a single lead?",
        (
            "<Q><TN>?(?:只有|仅有)(?:一个|一家|1个|1家)牵头(?:单位|部门)?(?:的<TN>)?<TAIL>",
            "(?:有哪些|有什么)?(?:协调|分工)?风险<TAIL>",
            "<WHICH>? <TASKS> (?:have|has|with|depend on) (?:a single|one|only one) "
            "(?:lead|lead unit)",
            "(?:what are )?(?:the )?(?:coordination )?risks",
        ),
    ),
    # ----- gaps (most specific first: their words would otherwise read as unit names) -----
    F(
        "gaps-no-lead",
        "gaps",
        "tasks without a lead",
        "哪些任务没有牵头单位？",
        "which tasks have no lead?",
        (
            "<Q><TN>?(?:没有|无|缺少|缺乏|没)(?:明确的?)?牵头(?:单位|部门)?",
            "(?:没有|无|缺少|缺乏)(?:明确的?)?牵头(?:单位|部门)?的<TN><TAIL>",
            "<Q><TN>?(?:没人|无人|没有单位|没有人)牵头(?:的<TN>)?<TAIL>",
            "(?:没人|无人)牵头的<TN><TAIL>",
            "<WHICH>? <TASKS> (?:have no|has no|with no|without(?: a| any)?|lacking(?: a| any)?"
            "|lack(?: a| any)?|(?:do|does) not have(?: a| any)?|don't have(?: a| any)?)"
            " (?:lead|leads|lead unit|lead units|leader)",
            "unled <TASKS>|<TASKS> (?:that )?(?:no one|nobody|no unit) leads?"
            "|<WHICH> <TASKS> (?:does|do) (?:no one|nobody|no unit) lead",
        ),
        {"kind": "no-lead"},
    ),
    F(
        "gaps-multi-lead",
        "gaps",
        "tasks with several leads",
        "哪些任务有多个牵头单位？",
        "which tasks have several leads?",
        (
            "<Q><TN>?(?:有|存在)?(?:多个|多家|两个以上|两个或以上|两家以上|几个|多名)牵头(?:单位|部门)?",
            "(?:有)?(?:多个|多家|两个以上)牵头(?:单位|部门)?的<TN><TAIL>",
            "<Q><TN>?(?:是)?多头牵头(?:的<TN>)?<TAIL>|多头牵头的<TN><TAIL>",
            "<WHICH>? <TASKS> (?:have|has|with|having|that have) (?:several|multiple|many|more "
            "than one|two or more) (?:leads?|lead units?|leaders?|co-?leads?)",
            "co-?led <TASKS>|<WHICH>? <TASKS> (?:are|is) co-?led",
        ),
        {"kind": "multi-lead"},
    ),
    F(
        "gaps-collective-only",
        "gaps",
        "tasks backed only by a collective such as 成员单位",
        "哪些任务只有成员单位配合？",
        "which tasks are backed only by a collective?",
        (
            "<Q><TN>?(?:只有|仅有)(?:未保委)?(?:其他)?成员单位(?:配合|参与|负责)?",
            "(?:只有|仅有)(?:笼统的)?(?:集合单位|成员单位)的<TN><TAIL>",
            "<Q><TN>?(?:只有|仅有)(?:笼统的)?集合单位",
            "<WHICH>? <TASKS> (?:are |is )?(?:backed|supported|covered) only by (?:a )?"
            "collectives?",
            "collective-only <TASKS>|<TASKS> with only (?:a )?collectives?",
        ),
        {"kind": "collective-only"},
    ),
    F(
        "gaps-diffuse",
        "gaps",
        "tasks with N or more responsible units and no lead (N: 5 unless given)",
        "哪些任务有{n}个以上责任单位却没有牵头？",
        "tasks with {n} or more responsible units and no lead",
        (
            "<Q><TN>?(?:的)?责任(?:分散|不清)|责任分散的<TN><TAIL>|多头负责的<TN><TAIL>",
            "<Q><TN>?(?:的)?责任单位(?:太多|过多|多)(?:而|却|但|且|又)?(?:没有|无)牵头(?:单位)?",
            "<Q><TN>?(?:有)?<N>个(?:或|及)?以上(?:的)?责任单位(?:而|却|但|且|又|并且)?"
            "(?:没有|无)牵头(?:单位)?",
            "<Q><TN>?(?:有)?(?:至少|不少于)<N>个责任单位(?:而|却|但|且|又|并且)?(?:没有|无)牵头(?:单位)?",
            "diffuse <TASKS>|<TASKS> with diffuse responsibility",
            "<WHICH> <TASKS> (?:are|is) diffuse",
            "<WHICH>? <TASKS> (?:have|has|with) (?:at least )?<N> (?:or more )?responsible units?"
            " (?:and|but) no lead",
        ),
        {"kind": "diffuse"},
        number="k",
    ),
    F(
        "gaps-diffuse-over",
        "gaps",
        "tasks with more than N responsible units and no lead",
        "哪些任务责任单位超过{n}个且没有牵头？",
        "tasks with more than {n} responsible units and no lead",
        (
            "<Q><TN>?(?:的)?责任单位(?:超过|多于)<N>个(?:而|却|但|且|又|并且)?(?:没有|无)牵头(?:单位)?",
            "<WHICH>? <TASKS> (?:have|has|with) more than <N> responsible units?"
            " (?:and|but) no lead",
        ),
        {"kind": "diffuse"},
        number="k+1",
    ),
    F(
        "gaps-lead-also-support",
        "gaps",
        "a unit named in two roles of one task",
        "哪些单位既牵头又配合同一任务？",
        "which units both lead and support the same task?",
        (
            "<Q>(?:单位|任务)?(?:同时)?既牵头又配合(?:同一(?:项)?<TN>)?(?:的(?:单位|<TN>))?",
            "<Q>单位(?:在同一(?:项)?<TN>中)?身兼两职|身兼两职(?:的(?:单位|<TN>))?",
            "<WHICH>? <UNITS> (?:that )?(?:both )?leads? and supports? (?:the same|one) task",
        ),
        {"kind": "lead-also-support"},
    ),
    F(
        "gaps",
        "gaps",
        "every coordination gap",
        "有哪些协调缺口？",
        "what are the coordination gaps?",
        (
            "(?:有)?<Q>(?:协调)?(?:缺口|短板|漏洞|协调问题)<TAIL>(?:在哪里|在哪)?",
            "(?:哪里|哪些地方)(?:有)?(?:协调)?(?:缺口|短板)",
            "(?:what are |where are |any )?(?:the |all )?(?:coordination )?(?:gaps|weak spots)"
            "(?: in coordination)?",
        ),
    ),
    # ----- load, brokers, sections -----
    F(
        "overload-one",
        "overload",
        "the busiest unit",
        "哪个单位任务最重？",
        "which unit is the busiest?",
        (
            "(?:哪个|哪家|哪一个)单位(?:的)?(?:任务|工作|负担|工作量)(?:最重|最多|最大|最繁重)",
            "(?:任务|工作|负担)(?:最重|最多)的(?:是)?(?:哪个|哪家)单位",
            "(?:which|what) (?:unit|agency|department) (?:is|has) (?:the )?(?:busiest|most "
            "loaded|most tasks|most work)",
            "(?:the )?busiest (?:unit|agency|department)",
        ),
        {"top": 1},
    ),
    F(
        "overload",
        "overload",
        "the busiest units (the N busiest when a number is given)",
        "哪些单位任务最重？",
        "which units are the busiest?",
        (
            "(?:哪些|哪几个|哪几家)单位(?:的)?(?:任务|工作|负担|工作量|工作任务)(?:最重|最多|最大|最繁重)",
            "(?:哪些单位|谁)(?:最忙|负担最重|超负荷|任务最多|任务最重|工作最多)",
            "(?:任务|工作|负担)(?:最重|最多)的单位(?:是哪些|有哪些|是谁)?",
            "超负荷的单位(?:有哪些)?|(?:单位)?(?:工作量|负担|任务量)(?:排名|排行|情况)",
            "<WHICH> <UNITS> (?:are|is) (?:the )?(?:busiest|most (?:loaded|overloaded|burdened)"
            "|overloaded)",
            "(?:the )?(?:busiest|most loaded|overloaded) <UNITS>|(?:unit )?workload"
            "(?: (?:per|by) unit)?",
            "<WHICH> <UNITS> (?:have|has|carry|hold) the most (?:tasks|work|assignments)",
            "who has the most (?:tasks|work|assignments)",
        ),
    ),
    F(
        "overload-top",
        "overload",
        "the N busiest units",
        "任务最重的{n}个单位",
        "the {n} busiest units",
        (
            "(?:任务|工作|负担)(?:最重|最多)的(?:前)?<N>(?:个|家|名)单位(?:是哪些|有哪些|是谁)?",
            "(?:任务|工作|负担)(?:最重|最多)的前<N>(?:个|家|名)?(?:单位)?",
            "前<N>(?:个|家|名)?(?:任务|工作|负担)?(?:最重|最多|最忙)的单位",
            "<N>(?:个|家)(?:任务|工作|负担)?(?:最重|最多|最忙)的单位",
            "(?:单位)?(?:工作量|负担|任务量)(?:排名|排行)前<N>(?:名|个|家)?",
            "(?:哪|那)<N>(?:个|家)单位(?:的)?(?:任务|工作|负担)(?:最重|最多)",
            "(?:the )?(?:top <N> )?(?:busiest|most loaded|most overloaded) <UNITS>",
            "(?:the )?<N> (?:busiest|most loaded|most overloaded) <UNITS>",
            "top <N> <UNITS> by (?:workload|load|tasks)",
            "<WHICH> <N> <UNITS> (?:have|carry|hold) the most (?:tasks|work|assignments)",
        ),
        number="top",
    ),
    F(
        "brokers",
        "brokers",
        "units that bridge the others",
        "哪些单位是桥梁？",
        "which units are brokers?",
        (
            "<Q>单位(?:是|起)(?:到)?(?:桥梁|枢纽|纽带|中介|中枢)(?:单位|作用)?",
            "(?:桥梁|枢纽|纽带)(?:单位|作用)<TAIL>(?:是谁)?",
            "起(?:到)?(?:桥梁|枢纽|纽带)作用的单位(?:有哪些|是哪些)?",
            "<WHICH> <UNITS> (?:are|is) (?:the )?(?:brokers?|bridges?|most central)"
            "(?: between (?:sectors|units|the others))?",
            "(?:the )?(?:broker units|brokers|most central units|central units)"
            "|<WHICH> <UNITS> bridges? (?:sectors|units|the others)|betweenness(?: centrality)?",
        ),
    ),
    F(
        "sections",
        "sections",
        "how concentrated leading is, section by section",
        "各部分牵头集中度",
        "lead concentration by section",
        (
            "各(?:部分|板块)(?:的)?牵头(?:集中度|集中程度|情况|单位集中度)?",
            "(?:牵头)?集中度|各(?:部分|板块)(?:由)?谁牵头最多",
            "(?:lead|leading) concentration(?: (?:by|per|for each|in each) section)?",
            "how concentrated (?:is leading|are leads|is the lead role) (?:by|per|in each) section",
            "(?:concentration of )?leads? (?:by|per) section|sections",
        ),
    ),
    # ----- one section -----
    F(
        "section-tasks",
        "section-tasks",
        "the tasks of a section",
        "第{section}部分有哪些任务？",
        "which tasks are in section {section_no}?",
        (
            "<S>(?:有|包括|包含)?<Q><TN>?<TAIL>",
            "<S>(?:的|里|中|里面|下)(?:有)?<Q><TN><TAIL>",
            "<Q><TN>(?:在|属于)<S>(?:中|里)?",
            "<WHICH>? <TASKS> (?:are )?(?:in|of|under|belong to) <S>",
            "<S>(?: tasks| items)?|what(?: is| are) in <S>",
            "<WHICH> <TASKS> (?:does|do) <S> (?:have|contain|include)",
        ),
    ),
    F(
        "section-leads",
        "section-tasks",
        "who leads the tasks of a section (its tasks, with their leads)",
        "第{section}部分由谁牵头？",
        "who leads section {section_no}?",
        (
            "<S>(?:的)?(?:各项)?(?:任务)?(?:都)?(?:由谁牵头|谁牵头|由哪些单位牵头|哪些单位牵头)",
            "<S>(?:的)?(?:各项)?(?:任务的?)?牵头单位<TAIL>(?:是谁)?",
            "who leads (?:the tasks (?:of|in) )?<S>|(?:the )?leads (?:of|in) <S>|<S> leads",
            "<WHICH> <UNITS> leads? (?:the tasks (?:of|in) )?<S>",
        ),
    ),
    # ----- one unit -----
    F(
        "partners",
        "partners",
        "who works with a unit (shares tasks with it)",
        "谁和{unit}合作最多？",
        "who works with {unit}?",
        (
            "(?:谁|哪些单位|哪个单位|哪家单位)(?:和|与|跟|同)<U>(?:合作|协作|共事|一起工作|搭档)"
            "(?:最多|最紧密|最频繁)?",
            "<U>(?:和|与|跟|同)(?:哪些|哪个|什么|哪家)单位(?:合作|协作|共事|一起工作|搭档)"
            "(?:最多|最紧密)?",
            "<U>的(?:合作|协作)(?:单位|伙伴|对象)<TAIL>(?:是谁)?",
            "<U>(?:最常|经常)?(?:和|与|跟)(?:谁|哪些单位)(?:合作|协作)(?:最多)?",
            "who (?:works|work|worked|cooperates|collaborates|partners) (?:most )?with <U>"
            "(?: the most| most)?",
            "<WHICH> <UNITS> (?:work|works|cooperate|collaborate) (?:most )?with <U>"
            "(?: the most| most)?",
            "(?:the )?partners? of <U>|<U>(?:'s)? partners|who does <U> (?:work|cooperate"
            "|collaborate) with(?: most| the most)?|with whom does <U> work(?: most)?",
        ),
    ),
    F(
        "partners-all",
        "partners",
        "which units work together most",
        "哪些单位之间合作最多？",
        "which units work together most?",
        (
            "(?:哪些)?单位(?:之间|两两)?(?:合作|协作)最多|合作最多的单位(?:组合|对)?",
            "(?:哪些)?单位(?:两两)?(?:之间)?(?:的)?合作(?:关系|情况)",
            "<WHICH> <UNITS> work together(?: the)?(?: most)?|unit pairs(?: sharing tasks)?"
            "|(?:all )?partner pairs|who works with whom",
        ),
    ),
    F(
        "unit-profile",
        "unit-profile",
        "a unit at a glance",
        "{unit}的概况",
        "profile of {unit}",
        (
            "<U><D>(?:的)?(?:概况|情况|画像|简介|档案|工作概况|总体情况|基本情况)(?:如何|怎么样|是什么)?",
            "(?:介绍一下|介绍|概述)<U>(?:的情况)?",
            "(?:a |the )?(?:profile|overview|summary) (?:of|for) <U>",
            "<U>(?:'s)? (?:profile|overview)|about <U>|describe <U>",
        ),
    ),
    # ----- two or more units -----
    F(
        "shared-tasks",
        "shared-tasks",
        "tasks two or more units share (each in some role)",
        "{unit1}和{unit2}共同参与哪些任务？",
        "tasks shared by {unit1} and {unit2}",
        (
            "<US><D2>(?:都|共同|一起|同时|均|一同|共同都)<D>(?P<role>参与|负责|承担|涉及|参加|有)?(?:了)?(?:的)?<Q><TN>?<TAIL>",
            "<US>(?:的)?(?:共同|相同)(?:的)?<TN><TAIL>|<US>(?:有)?<Q>(?:共同|相同)(?:的)?<TN>",
            "<US>(?:共有|共享|共同拥有)(?:的)?<Q><TN>?",
            "<US><D>(?:合作|协作|共同合作)(?:了|过)?<Q><TN>?<TAIL>|<US><D>(?:合作|协作)的<TN><TAIL>",
            "<Q><TN>(?:是|由)?<US>(?:都|共同|一起)<D>(?P<role>参与|负责|承担|涉及|参加)(?:的)?",
            "<WHICH>? <TASKS> (?:are |is )?shared (?:by|between) <US>",
            "<WHICH> <TASKS> (?:do|does) <US> (?:all |both )?share",
            "<WHICH> <TASKS> (?:do|does) <US> (?:all|both) (?P<role>work on|take part in|handle"
            "|have|participate in)(?: together| jointly| in common)?",
            "<WHICH> <TASKS> (?:do|does) <US> (?P<role>work on|handle|have|take part in)"
            " (?:together|jointly|in common)",
            "(?:common|shared|joint) <TASKS> (?:of|between|for) <US>",
            "<TASKS> in common (?:between|for|of) <US>|<TASKS> (?:common to|shared between) <US>",
            "<WHICH>? <TASKS> (?:that |which |where )?(?:both|all of) <US> (?:are |is )?"
            "(?P<role>work on|take part in|handle|involved in|participate in|responsible for)",
        ),
    ),
    F(
        "shared-tasks-role",
        "shared-tasks",
        "tasks where two or more units all hold one role",
        "{unit1}和{unit2}都牵头哪些任务？",
        "which tasks do both {unit1} and {unit2} lead?",
        (
            "<US>(?:都|共同|一起|同时|均|一同)<D>(?P<role>牵头|配合|协助|协办)(?:了)?(?:的)?<Q><TN>?<TAIL>",
            "<US>(?:都|共同|一起|同时|均)(?:作为|是|为|担任)(?P<role>牵头单位|配合单位|责任单位)"
            "(?:的)?<Q><TN>?<TAIL>",
            "<Q><TN>(?:是|由)?<US>(?:都|共同|一起)<D>(?P<role>牵头|配合|协助)(?:的)?",
            "<WHICH> <TASKS> (?:do|does) (?:both |all of )?<US> (?:all |both )?(?P<role>lead"
            "|support|assist) (?:together|jointly|both|all)",
            "<WHICH> <TASKS> (?:do|does) (?:both|all of) <US> (?:all |both )?(?P<role>lead"
            "|support|assist)(?: together| jointly)?",
            "<WHICH>? <TASKS> (?:that |which |where )?(?:both|all of) <US> (?P<role>lead|support"
            "|assist)",
            "<WHICH>? <TASKS> (?:where|in which) <US> (?:are )?(?:all|both) (?:a |the )?"
            "(?P<role>lead units|leads|supporting units|supporters|responsible units)",
            "<WHICH> <TASKS> (?:do|does) <US> (?P<role>co-?lead|jointly lead)",
            "<TASKS> (?P<role>co-?led|jointly led) by <US>",
            "<TASKS> (?P<role>led|supported) (?:jointly |together )?by both <US>"
            "(?: together| jointly)?",
            "<TASKS> (?P<role>led|supported) by <US> (?:together|jointly)",
        ),
    ),
    # ----- one task -----
    F(
        "units-of-role",
        "units-of",
        "the units of a task in one role (负责: any role)",
        "第{task}项任务由谁牵头？",
        "who leads task {task}?",
        (
            "(?:哪些|什么|哪个|哪家|哪几个|哪几家)(?:单位|部门)<D><RV>(?:了)?<T>",
            "谁<D><RV>(?:了)?<T>",
            "<T>(?:的)?(?:由|是)?(?:哪些|哪个|哪家|哪几个|什么)?(?:单位|部门)?(?:谁)?(?:来)?"
            "<D><RV>(?:的)?",
            "<T>(?:的)?<D><RN>(?:是谁|是哪些|是哪个|有哪些|有谁|都有谁|是什么|都有哪些|包括哪些|是哪几个)?",
            "who (?:is |are )?<DE>(?P<role>leads|lead|supports|support|handles|leading|supporting"
            "|involved in|responsible for|in charge of|assigned to|working on) <T><DE2>",
            "<WHICH> <UNITS> <DE>(?P<role>lead|leads|support|supports|handle|work on|take part in"
            "|participate in) <T><DE2>",
            "<WHICH> <UNITS> (?:are |is )?<DE>(?P<role>involved in|assigned to|responsible for"
            "|in charge of|working on|leading|supporting) <T><DE2>",
            "(?:who|what|which) (?:is|are) (?:the )?(?P<role>lead units|lead unit|leads|lead"
            "|supporting units|supporting unit|supporters|responsible units|responsible unit)"
            "(?: of| for| on| in)? <T>",
            "(?:the )?(?P<role>lead units|lead unit|leads|supporting units|supporters"
            "|responsible units) (?:of|for|on|in) <T>",
            "(?:who|which units) (?:is|are) <T> (?P<role>led|supported) by",
        ),
    ),
    F(
        "units-of",
        "units-of",
        "every unit of a task",
        "第{task}项任务有哪些单位？",
        "which units does task {task} involve?",
        (
            "<T><D>(?:的)?(?:有|涉及|包括)?(?:哪些|什么|哪几个|几个)?(?:单位|部门)(?:参与|负责)?<TAIL>",
            "<T><D>(?:的)?(?:有谁|涉及谁)(?:参与)?",
            "<WHICH> <UNITS> (?:does|do) <T> <DE>involve<DE2>",
            "who does <T> involve|(?:the )?<UNITS> (?:of|in|for|on) <T>|<T> units",
        ),
    ),
    # ----- tasks of one unit -----
    F(
        "tasks-of-responsible",
        "tasks-of",
        "the tasks where a unit is one of the 责任单位 (the responsible role)",
        "{unit}作为责任单位的任务有哪些？",
        "which tasks is {unit} a responsible unit of?",
        (
            "<U>(?:作为|是|为|担任)(?P<role>责任单位|责任部门)(?:的|时)?(?:负责|参与|承担)?<Q><TN>?<TAIL>",
            "<U>是<Q><TN>的(?P<role>责任单位|责任部门)",
            "<Q><TN><U>(?:是|为|作为|担任)(?P<role>责任单位|责任部门)",
            "<U>在<Q><TN>中(?:担任|作为|是)(?P<role>责任单位)",
            "<WHICH> <TASKS> (?:is|are) <U> (?:a |the )?(?P<role>responsible unit)"
            "(?: of| for| in)?",
            "<WHICH>? <TASKS> (?:where|in which) <U> is (?:a |the )?(?P<role>responsible unit)",
            "<WHICH>? <TASKS> with <U> as (?:a |the )?(?P<role>responsible unit)",
        ),
    ),
    F(
        "tasks-of-role",
        "tasks-of",
        "the tasks of a unit in one role (负责: any role)",
        "{unit}配合哪些任务？",
        "which tasks does {unit} support?",
        (
            "<U><D>(?:都)?<RV>(?:了)?<Q><TN>?<TAIL>",
            "<U><D><RV>的<TN><TAIL>",
            "<Q><TN>(?:是|由)?<U><D><RV>(?:的)?",
            "<U>(?:作为|是|为|担任)(?P<role>牵头单位|配合单位|协办单位)(?:的|时)?<Q><TN>?<TAIL>",
            "<U>是<Q><TN>的(?P<role>牵头单位|配合单位)",
            "<Q><TN><U>(?:是|为|作为|担任)(?P<role>牵头单位|配合单位)",
            "<U>在<Q><TN>中(?:担任|作为|是)(?P<role>牵头单位|配合单位)",
            "<WHICH> <TASKS> (?:does|do|did) <U> <DE>(?P<role>lead|support|assist|handle|work on"
            "|take part in|participate in|have|do)<DE2>",
            "<WHICH> <TASKS> <U> <DE>(?P<role>leads|supports|assists|handles|works on|takes part in"
            "|participates in|has)<DE2>",
            "<WHICH> <TASKS> (?:is|are) <U> <DE>(?P<role>responsible for|in charge of|involved in"
            "|working on|assigned to|assigned|leading|supporting)<DE2>",
            "<WHICH> <TASKS> (?:is|are) (?P<role>led|supported|handled) by <U><DE2>",
            "<TASKS> (?P<role>led|supported|handled) by <U><DE2>",
            "<WHICH> (?:does|do) <U> <DE>(?P<role>lead|support|handle|do|work on)<DE2>",
            "what (?:is|are) <U> <DE>(?P<role>responsible for|in charge of|involved in|working on)"
            "<DE2>",
            "<WHICH> <TASKS> (?:is|are) <U> (?:a |the )?(?P<role>lead unit|lead|supporting unit"
            "|supporter)(?: of| for| in| on)?",
        ),
    ),
    F(
        "tasks-of",
        "tasks-of",
        "every task of a unit",
        "{unit}有哪些任务？",
        "what are the tasks of {unit}?",
        (
            "<U><D>(?:有|的)<Q><TN><TAIL>",
            "(?:what are |list )?(?:the |all )?<TASKS> (?:of|for) <U><DE2>",
            "<WHICH> <TASKS> (?:involve|include|concern) <U><DE2>",
            "<U>(?:'s)? <TASKS>",
        ),
        {"role": "any"},
    ),
)
del F


def help_lines() -> list[str]:
    """One line per form for ``dutygraph ask --help``: the example in each language and the
    query it runs.

    >>> print(help_lines()[4])
    哪些任务没有牵头单位？ | which tasks have no lead? -> gaps kind=no-lead
    """
    lines = []
    for form in FORMS:
        fixed = " ".join(f"{k}={v}" for k, v in form.fixed.items())
        lines.append(
            f"{form.example('zh')} | {form.example('en')} -> {form.query}"
            + (f" {fixed}" if fixed else "")
        )
    return lines
