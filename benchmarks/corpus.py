"""A seeded generator of realistic work plans, with the assignments each one should yield.

Every document is a city's plan for one domain and year: a notice preamble, a title, numbered
sections (``一、``) and items (``1.`` ``1、`` ``1．`` or ``（一）``, numbering continuing or
restarting per section, sometimes under ``（一）`` sub-headings), prose taken from the bundled
example, and at the end of most items an assignment in one of the forms of
docs/ARCHITECTURE.md §2, in proportions close to those of published plans (labelled clauses
dominate). Names come from the shipped gazetteer (canonical names, aliases, a few typos,
collectives such as 未保委成员单位 or
各县（区）人民政府); some documents state the first-listed-is-lead rule; prose carries
parentheses that are not assignments (plan names with years, 市（地、州、盟）, 烟（含电子烟）).

Document ``i`` depends only on ``(seed, i)``, so any slice of a corpus can be regenerated, and
the expected assignments — ``(doc, task, canonical unit, role)`` with ``task`` the part of the
task uid after ``#`` — are known without parsing.

>>> doc = generate_document(7, seed=1)
>>> doc.doc_id, doc.text.count("\\n") > 5, all(e.role in ("lead", "support", "responsible")
...                                               for e in doc.expected)
('plan_000007', True, True)

Command line::

    python -m benchmarks.corpus OUT_DIR --docs 1000 [--seed 1] [--profile standard|small]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

__all__ = [
    "FORMS",
    "Expected",
    "GeneratedDocument",
    "generate_document",
    "iter_documents",
    "write_corpus",
]

CITIES = [
    "安顺市",
    "贵阳市",
    "遵义市",
    "六盘水市",
    "毕节市",
    "铜仁市",
    "凯里市",
    "都匀市",
    "兴义市",
    "昆明市",
    "曲靖市",
    "玉溪市",
    "保山市",
    "昭通市",
    "丽江市",
    "普洱市",
    "临沧市",
    "南宁市",
    "柳州市",
    "桂林市",
    "梧州市",
    "北海市",
    "钦州市",
    "贵港市",
    "玉林市",
    "百色市",
    "成都市",
    "自贡市",
    "泸州市",
    "德阳市",
    "绵阳市",
    "广元市",
    "遂宁市",
    "内江市",
    "乐山市",
    "南充市",
    "眉山市",
    "宜宾市",
    "广安市",
    "达州市",
    "雅安市",
    "巴中市",
    "资阳市",
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
]
DOMAINS = (
    ("未成年人保护", "未保委办公室"),
    ("妇女儿童发展", "市妇儿工委办"),
    ("家庭教育促进", "市妇联"),
    ("青少年发展", "团市委"),
    ("校园安全", "市教育局"),
    ("食品安全", "市市场监管局"),
    ("安全生产", "市应急管理局"),
    ("社会救助", "市民政局"),
    ("养老服务", "市民政局"),
    ("平安建设", "市委政法委"),
    ("禁毒", "市公安局"),
    ("普法依法治理", "市司法局"),
    ("网络生态治理", "市委网信办"),
    ("卫生健康", "市卫生健康局"),
    ("就业创业", "市人力资源社会保障局"),
)
KINDS = ("工作要点", "实施方案", "任务分工方案", "工作方案")
SECTION_TITLES = [
    "加强统筹谋划",
    "加强家庭保护",
    "加强学校保护",
    "加强社会保护",
    "加强网络保护",
    "加强政府保护",
    "加强司法保护",
    "健全工作机制",
    "强化基础保障",
    "深化专项治理",
    "推进示范创建",
    "加强队伍建设",
    "强化宣传引导",
    "抓好督促落实",
]
ITEM_TITLES = [
    "加强理论学习",
    "完善工作机制",
    "健全法规政策",
    "强化系统推进",
    "加强宣传引导",
    "加强督促落实",
    "加强家庭教育指导",
    "加强家庭监护支持",
    "做好重点对象关爱",
    "加强基础教育保障",
    "坚持五育并举",
    "加强校园安全管理",
    "落实优先保护规定",
    "加强社会环境治理",
    "加强心理服务",
    "加强网络环境治理",
    "强化网络安全保护",
    "履行兜底监护责任",
    "加大基本民生保障",
    "加强服务能力建设",
    "打击涉未成年人犯罪",
    "依法办理涉未成年人案件",
    "做好未成年人司法援助",
    "开展专项整治行动",
    "推进信息共享",
    "健全考核评价",
    "强化经费保障",
    "开展业务培训",
    "完善应急处置",
    "推动示范创建",
]

#: Parenthesised prose that is not an assignment (docs/ARCHITECTURE.md §2), safe in any item.
NOISE = (
    "推动实施《{city}儿童发展规划（2021—2025年）》",
    "推动实施《{city}中长期青年发展规划( 2018一2025 年)》",
    "严惩向未成年人销售烟（含电子烟）、酒、彩票行为",
    "推动相关工作覆盖市（地、州、盟）各级",
    "积极创建全国未成年人保护示范县（区）",
    "指导村（居）民委员会设立专人专岗",
    "落实《{city}{year}年度重点工作清单（第一批）》",
)
#: Noise the parser reads as a unit (``街道`` looks like an agency): only beside a labelled
#: clause, which wins over every parenthesis of its item. Reported to the lead as a parser gap.
LABELLED_ONLY_NOISE = ("推进乡镇（街道）未成年人保护工作站建设",)

#: Typos that resolve, by similarity and with a warning, to one unit (labelled clauses only:
#: unlabelled phrases need names the gazetteer knows exactly).
TYPOS = {"市教育局": "市教育", "市民政局": "市民政", "市公安局": "市公安", "市司法局": "市司法"}

#: Assignment forms and their weights (labelled clauses dominate, as in published plans).
FORMS: tuple[tuple[str, int], ...] = (
    ("lead_support", 300),
    ("responsible", 220),
    ("lead_responsible", 50),
    ("lead_only", 60),
    ("lead_other_label", 30),
    ("lines", 30),
    ("mark", 30),
    ("u_lead_support", 80),
    ("u_lead_by_duty", 30),
    ("u_co_leads", 20),
    ("u_together", 20),
    ("u_responsible", 30),
    ("u_lead_alone", 10),
    ("u_responsible_support", 10),
    ("sentence", 20),
    ("you_sentence", 20),
    ("plain", 20),
    ("none", 20),
)
_FORM_NAMES = [f for f, _ in FORMS]
_FORM_WEIGHTS = [w for _, w in FORMS]

#: Collectives by the role they usually take, as written (all in the gazetteer).
SUPPORT_COLLECTIVES = (
    "未保委成员单位",
    "市未保委其他成员单位",
    "各有关部门",
    "有关部门",
    "各成员单位",
    "其他成员单位",
    "相关单位",
)
RESPONSIBLE_COLLECTIVES = (
    "各县（区）人民政府",
    "各区、县级市",
    "各地区、各部门",
    "各县（市、区）人民政府",
    "各县（区）",
)
RULES = (
    "列第一位者为牵头单位",
    "排在第一位的为牵头单位",
    "排在首位的为牵头单位",
    "列第一位的为牵头单位",
)


@dataclass(frozen=True)
class Expected:
    """One assignment the parser should find: document id, task key (the task uid after
    ``#``), canonical unit, role."""

    doc: str
    task: str
    unit: str
    role: str

    def as_dict(self) -> dict[str, str]:
        """The record as a JSON object (one line of ``expected.jsonl``)."""
        return {"doc": self.doc, "task": self.task, "unit": self.unit, "role": self.role}


@dataclass(frozen=True)
class GeneratedDocument:
    """A generated plan: its id (the file stem), text and expected assignments."""

    doc_id: str
    text: str
    expected: tuple[Expected, ...]
    first_listed: bool


@dataclass(frozen=True)
class _Gaz:
    canonical: dict[str, str]  # name as written -> canonical name
    aliases: dict[str, tuple[str, ...]]  # canonical -> other names
    units: tuple[str, ...]  # city-level canonical names, not collectives


@cache
def _gazetteer() -> _Gaz:
    """City-level names from the shipped gazetteer (templates with 市, plus office units)."""
    text = resources.files("dutygraph.data").joinpath("gazetteer.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    canonical: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    units: list[str] = []

    def add(group: Sequence[str], collective: bool) -> None:
        canon = group[0].replace("(", "（").replace(")", "）")
        for name in group:
            canonical[name] = canon
        aliases[canon] = [n for n in group if n != canon]
        if not collective:
            units.append(canon)

    for groups in data["templates"].values():
        for group in groups:
            add([n.replace("{L}", "市") for n in group], False)
    for groups in data["units"].values():
        for group in groups:
            if group[0].startswith(("市", "未保委")):
                add(group, False)
    for group in data["collectives"]:
        if "{L}" not in "".join(group):
            add(group, True)
    return _Gaz(canonical, {k: tuple(v) for k, v in aliases.items()}, tuple(units))


def _core_weights(units: Sequence[str]) -> list[float]:
    """Some units (education, civil affairs, police, …) are named far more often than others."""
    core = {
        "市教育局": 9.0,
        "市民政局": 9.0,
        "市公安局": 8.0,
        "市卫生健康局": 7.0,
        "团市委": 6.0,
        "市妇联": 6.0,
        "市司法局": 5.0,
        "市财政局": 5.0,
        "市人力资源社会保障局": 4.0,
        "市委宣传部": 4.0,
        "市人民检察院": 3.0,
        "市中级人民法院": 3.0,
        "未保委办公室": 3.0,
        "市委网信办": 3.0,
        "市文体广电旅游局": 3.0,
        "市市场监管局": 3.0,
    }
    return [core.get(u, 1.0) for u in units]


class _Writer:
    """Builds one document's text and its expected assignments."""

    def __init__(self, rng: random.Random, doc_id: str, full_width: bool) -> None:
        self.rng = rng
        self.doc_id = doc_id
        self.full = full_width
        self.gaz = _gazetteer()

    # punctuation in the document's style
    def lp(self) -> str:
        return self.rng.choice(("（", "（ ")) if self.full else self.rng.choice(("(", "( "))

    def rp(self) -> str:
        return self.rng.choice(("）", " ）")) if self.full else self.rng.choice((")", " )"))

    def colon(self) -> str:
        if self.full:
            return self.rng.choice(("：", "：", "： "))
        return self.rng.choice((":", ": ", " : "))

    def part_sep(self) -> str:
        return self.rng.choice(("；", "；", "，")) if self.full else self.rng.choice((";", ","))

    def comma(self) -> str:
        return "，" if self.full else ","

    def written(self, canon: str, *, typo_ok: bool) -> str:
        """A name as a plan writes it: mostly canonical, sometimes an alias or a typo."""
        r = self.rng.random()
        if typo_ok and canon in TYPOS and r < 0.03:
            return TYPOS[canon]
        others = self.gaz.aliases.get(canon, ())
        if others and r < 0.18:
            return self.rng.choice(others)
        return canon

    def names(
        self, canon: Sequence[str], *, typo_ok: bool = False, sep: str = "、"
    ) -> tuple[str, list[str]]:
        written = [self.written(c, typo_ok=typo_ok) for c in canon]
        return sep.join(written), list(canon)


def _pick(rng: random.Random, pool: Sequence[str], weights: Sequence[float], k: int) -> list[str]:
    """``k`` distinct units, by weight."""
    chosen: list[str] = []
    k = min(k, len(pool))
    while len(chosen) < k:
        u = rng.choices(pool, weights)[0]
        if u not in chosen:
            chosen.append(u)
    return chosen


def _count(rng: random.Random, low: int, high: int, mode: int) -> int:
    return max(low, min(high, round(rng.triangular(low, high, mode))))


def _clause(
    w: _Writer, form: str, pool: Sequence[str], weights: Sequence[float], rule: bool
) -> tuple[str, list[tuple[str, str]], bool]:
    """The assignment text of one item (appended after its prose), the expected (canonical,
    role) pairs, and whether the text is a labelled clause."""
    rng = w.rng
    col = w.colon()
    sep = w.part_sep()
    lead_label = rng.choice(("牵头单位", "牵头单位", "牵头单位", "牵头部门"))
    sup_label = rng.choice(("配合单位", "配合单位", "配合单位", "配合部门"))
    resp_label = rng.choice(("责任单位", "责任单位", "责任单位", "责任部门"))
    out: list[tuple[str, str]] = []

    def spread(canon: list[str], plain_role: str) -> list[tuple[str, str]]:
        if rule:
            return [(c, "lead" if i == 0 else "support") for i, c in enumerate(canon)]
        return [(c, plain_role) for c in canon]

    if form in ("lead_support", "lead_other_label", "lines"):
        leads = _pick(rng, pool, weights, rng.choices((1, 2, 3), (80, 15, 5))[0])
        rest = [u for u in pool if u not in leads]
        sup = _pick(rng, rest, [weights[pool.index(u)] for u in rest], _count(rng, 1, 9, 3))
        lt, _ = w.names(leads, typo_ok=True)
        st, _ = w.names(sup, typo_ok=True)
        coll = ""
        if rng.random() < 0.25:
            c = rng.choice(SUPPORT_COLLECTIVES)
            coll = ("、" if sup else "") + c
            sup = [*sup, w.gaz.canonical[c]]
        out = [(u, "lead") for u in leads] + [(u, "support") for u in sup]
        if form == "lead_other_label":
            sup_label = rng.choice(("协办单位", "参与单位", "协办单位"))
        if form == "lines":
            return f"\n{lead_label}{col}{lt}\n{sup_label}{col}{st}{coll}", out, True
        return f"{w.lp()}{lead_label}{col}{lt}{sep}{sup_label}{col}{st}{coll}{w.rp()}", out, True
    if form == "responsible":
        resp = _pick(rng, pool, weights, _count(rng, 1, 12, 4))
        rt, _ = w.names(resp, typo_ok=True)
        if rng.random() < 0.12:
            c = rng.choice(RESPONSIBLE_COLLECTIVES)
            rt += "、" + c
            resp = [*resp, w.gaz.canonical[c]]
        out = spread(resp, "responsible")
        return f"{w.lp()}{resp_label}{col}{rt}{w.rp()}", out, True
    if form == "lead_responsible":
        lead = _pick(rng, pool, weights, 1)
        rest = [u for u in pool if u not in lead]
        resp = _pick(rng, rest, [weights[pool.index(u)] for u in rest], _count(rng, 1, 6, 2))
        lt, _ = w.names(lead)
        rt, _ = w.names(resp)
        out = [(lead[0], "lead")] + [(u, "responsible") for u in resp]
        return f"{w.lp()}{lead_label}{col}{lt}{sep}{resp_label}{col}{rt}{w.rp()}", out, True
    if form == "lead_only":
        lead = _pick(rng, pool, weights, 1)
        lt, _ = w.names(lead, typo_ok=True)
        tail = ""
        if rng.random() < 0.5:
            tail = f"{sep}完成时限{col}{rng.choice(('2023年12月底前', '长期坚持', '2024年6月'))}"
        return f"{w.lp()}{lead_label}{col}{lt}{tail}{w.rp()}", [(lead[0], "lead")], True
    if form == "mark":
        resp = _pick(rng, pool, weights, _count(rng, 2, 7, 3))
        written = [w.written(c, typo_ok=False) for c in resp]
        written[0] += "（牵头）" if w.full else "(牵头)"
        out = [(resp[0], "lead")] + [(u, "responsible") for u in resp[1:]]
        return f"{w.lp()}{resp_label}{col}{'、'.join(written)}{w.rp()}", out, True

    # unlabelled forms: names must be known exactly (no typos)
    c = w.comma()
    if form in ("u_lead_support", "u_lead_by_duty", "sentence", "you_sentence"):
        lead = _pick(rng, pool, weights, 1)
        rest = [u for u in pool if u not in lead]
        sup = _pick(rng, rest, [weights[pool.index(u)] for u in rest], _count(rng, 1, 5, 2))
        lt, _ = w.names(lead)
        st, _ = w.names(sup)
        verb = "按职责分工负责" if form == "u_lead_by_duty" else "配合"
        if form == "u_lead_support" and rng.random() < 0.3:
            st += "、各有关部门"
            sup = [*sup, "各有关部门"]
        out = [(lead[0], "lead")] + [(u, "support") for u in sup]
        if form == "sentence":
            return f"{lt}牵头{c}{st}{verb}。", out, False
        if form == "you_sentence":
            return f"由{lt}牵头{c}{st}{verb}{c}开展专项督导检查。", out, False
        return f"{w.lp()}{lt}牵头{c}{st}{verb}{w.rp()}", out, False
    if form == "u_co_leads":
        leads = _pick(rng, pool, weights, rng.choice((2, 2, 3)))
        lt, _ = w.names(leads)
        return f"{w.lp()}{lt}牵头{w.rp()}", [(u, "lead") for u in leads], False
    if form == "u_together":
        lead = _pick(rng, pool, weights, 1)
        lt, _ = w.names(lead)
        if rng.random() < 0.6:
            return (
                f"{w.lp()}{lt}会同有关部门负责{w.rp()}",
                [(lead[0], "lead"), ("各有关部门", "support")],
                False,
            )
        rest = [u for u in pool if u not in lead]
        sup = _pick(rng, rest, [weights[pool.index(u)] for u in rest], _count(rng, 1, 3, 2))
        st, _ = w.names(sup)
        out = [(lead[0], "lead")] + [(u, "support") for u in sup]
        return f"{w.lp()}{lt}会同{st}负责{w.rp()}", out, False
    if form == "u_responsible":
        resp = _pick(rng, pool, weights, _count(rng, 2, 6, 2))
        rt, _ = w.names(resp)
        return f"{w.lp()}{rt}负责{w.rp()}", spread(resp, "responsible"), False
    if form == "u_lead_alone":
        lead = _pick(rng, pool, weights, 1)
        lt, _ = w.names(lead)
        return f"{w.lp()}{lt}牵头负责{w.rp()}", [(lead[0], "lead")], False
    if form == "u_responsible_support":
        lead = _pick(rng, pool, weights, 1)
        rest = [u for u in pool if u not in lead]
        sup = _pick(rng, rest, [weights[pool.index(u)] for u in rest], _count(rng, 1, 3, 1))
        lt, _ = w.names(lead)
        st, _ = w.names(sup)
        out = [(lead[0], "lead")] + [(u, "support") for u in sup]
        return f"{w.lp()}{lt}负责{c}{st}配合{w.rp()}", out, False
    if form == "plain":
        resp = _pick(rng, pool, weights, _count(rng, 2, 5, 3))
        rt, _ = w.names(resp)
        return f"{w.lp()}{rt}{w.rp()}", spread(resp, "responsible"), False
    return "", [], False


def _rule_clause(
    w: _Writer, pool: Sequence[str], weights: Sequence[float]
) -> tuple[str, list[tuple[str, str]]]:
    """A 责任单位 list that states the first-listed rule (``列第一位者为牵头单位，下同``)."""
    resp = _pick(w.rng, pool, weights, _count(w.rng, 2, 6, 3))
    rt, _ = w.names(resp)
    rule = f"{w.comma()}{w.rng.choice(RULES)}{w.comma()}下同"
    pairs = [(u, "lead" if i == 0 else "support") for i, u in enumerate(resp)]
    return f"{w.lp()}责任单位{w.colon()}{rt}{rule}{w.rp()}", pairs


@cache
def _prose() -> tuple[str, ...]:
    """Prose sentences of the bundled example, without parentheses or role words."""
    from dutygraph import example_path

    text = Path(example_path()).read_text(encoding="utf-8")
    out = []
    for line in text.split("\n"):
        m = re.match(r"\d+\.[^。]*。(.*)$", line)
        if not m:
            continue
        for s in m.group(1).split("。"):
            s = s.strip()
            if s and not re.search(r"[()（）]|牵头|负责|配合|会同|^由|单位", s):
                out.append(s)
    return tuple(out)


def _numbering(rng: random.Random) -> tuple[str, bool]:
    style = rng.choices(("1.", "1、", "1．", "（一）"), (60, 20, 10, 10))[0]
    return style, rng.random() < 0.25


def _item_marker(style: str, n: int) -> str:
    if style == "（一）":
        return f"（{_cn(n)}）"
    return f"{n}{style[1]}"


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


PROFILES = {
    # (sections low/high/mode, items per section low/high/mode, prose sentences low/high/mode)
    "standard": ((3, 9, 5), (1, 6, 3), (1, 8, 3)),
    "small": ((1, 2, 1), (1, 3, 1), (1, 4, 2)),
}


def generate_document(index: int, *, seed: int = 1, profile: str = "standard") -> GeneratedDocument:
    """Document ``index`` of the corpus ``seed`` (deterministic)."""
    rng = random.Random(seed * 1_000_003 + index)
    doc_id = f"plan_{index:06d}"
    (s_lo, s_hi, s_mo), (i_lo, i_hi, i_mo), (p_lo, p_hi, p_mo) = PROFILES[profile]
    gaz = _gazetteer()
    city = rng.choice(CITIES)
    year = rng.randint(2018, 2024)
    domain, owner = rng.choice(DOMAINS)
    kind = rng.choice(KINDS)
    full = rng.random() < 0.7
    w = _Writer(rng, doc_id, full)
    pool_size = _count(rng, 8, min(40, len(gaz.units)), 18)
    weights_all = _core_weights(gaz.units)
    pool = _pick(rng, gaz.units, weights_all, pool_size)
    if owner not in pool:
        pool.append(owner)
    weights = [
        w_ * (4.0 if u == owner else 1.0) for u, w_ in zip(pool, _core_weights(pool), strict=True)
    ]
    title = f"{city}{year}年度{domain}{kind}"
    rule = rng.random() < 0.15
    rule_in_preamble = rule and rng.random() < 0.5
    lines = [
        f"各县（区）{domain}工作领导小组，市直有关单位：",
        f"现将《{title}》印发给你们，请结合实际认真抓好贯彻落实。",
        f"{city}{domain}工作领导小组办公室",
        f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        title,
    ]
    if rule_in_preamble:
        lines.append(f"（各项任务中{rng.choice(RULES)}，下同）")
    style, restart = _numbering(rng)
    subheads = style != "（一）" and rng.random() < 0.1
    n_sections = 1 if subheads else _count(rng, s_lo, s_hi, s_mo)
    prose = _prose()
    expected: list[Expected] = []
    items: list[tuple[str, str, list[tuple[str, str]]]] = []  # (section, number, pairs)
    number = 0
    rule_stated = rule_in_preamble
    sec_titles = rng.sample(SECTION_TITLES, k=min(n_sections, len(SECTION_TITLES)))
    groups = _count(rng, 2, 4, 3) if subheads else n_sections
    if subheads:
        lines.append("一、重点任务")
    for g in range(groups):
        sec_no = "一" if subheads else _cn(g + 1)
        if subheads:
            lines.append(f"（{_cn(g + 1)}）{rng.choice(SECTION_TITLES)}")
        else:
            lines.append(f"{sec_no}{'、' if rng.random() < 0.9 else '.'}{sec_titles[g]}")
        if restart and not subheads:
            number = 0
        for k in range(_count(rng, i_lo, i_hi, i_mo)):
            number += 1
            form = rng.choices(_FORM_NAMES, _FORM_WEIGHTS)[0]
            if k == 0 and form == "none":
                form = "lead_support"  # every section assigns something
            sentences = [
                s.format(city=city, year=year)
                for s in rng.sample(prose, k=_count(rng, p_lo, p_hi, p_mo))
            ]
            if rng.random() < 0.12:
                sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(NOISE))
            if rule and not rule_stated:
                clause, pairs = _rule_clause(w, pool, weights)
                labelled, rule_stated = True, True
            else:
                clause, pairs, labelled = _clause(w, form, pool, weights, rule_stated)
            if labelled and rng.random() < 0.08:
                sentences.insert(rng.randrange(len(sentences) + 1), LABELLED_ONLY_NOISE[0])
            body = "。".join(sentences) + "。"
            item_title = rng.choice(ITEM_TITLES)
            text = f"{item_title}。{body}{clause}"
            if not full:
                text = text.replace("，", ",").replace("（", "(").replace("）", ")")
            lines.append(f"{_item_marker(style, number)}{text}")
            items.append((sec_no, str(number), pairs))
    numbers = [n for _, n, _ in items]
    qualify = len(set(numbers)) < len(numbers)
    for sec_no, n, pairs in items:
        key = f"{sec_no}.{n}" if qualify else n
        seen: set[tuple[str, str]] = set()
        for unit, role in pairs:
            if (unit, role) not in seen:
                seen.add((unit, role))
                expected.append(Expected(doc_id, key, unit, role))
    return GeneratedDocument(doc_id, "\n".join(lines) + "\n", tuple(expected), rule)


def iter_documents(
    count: int, *, seed: int = 1, profile: str = "standard", start: int = 0
) -> Iterator[GeneratedDocument]:
    """Documents ``start`` … ``start + count - 1`` of the corpus ``seed``."""
    for i in range(start, start + count):
        yield generate_document(i, seed=seed, profile=profile)


def write_corpus(
    out: str | os.PathLike[str],
    count: int,
    *,
    seed: int = 1,
    profile: str = "standard",
    max_assignments: int | None = None,
) -> dict[str, int]:
    """Write ``count`` documents (fewer when ``max_assignments`` is reached first) as
    ``plan_NNNNNN.txt`` files and their expected assignments as ``expected.jsonl`` in ``out``;
    return counts (documents, assignments, bytes)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    docs = assignments = size = 0
    with open(folder / "expected.jsonl", "w", encoding="utf-8") as exp:
        for doc in iter_documents(count, seed=seed, profile=profile):
            data = doc.text.encode("utf-8")
            (folder / f"{doc.doc_id}.txt").write_bytes(data)
            for e in doc.expected:
                exp.write(json.dumps(e.as_dict(), ensure_ascii=False) + "\n")
            docs += 1
            assignments += len(doc.expected)
            size += len(data)
            if max_assignments is not None and assignments >= max_assignments:
                break
    return {"documents": docs, "assignments": assignments, "bytes": size}


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m benchmarks.corpus OUT --docs N [--seed S] [--profile P] [--assignments M]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="standard")
    ap.add_argument("--assignments", type=int, default=None, help="stop at this many")
    args = ap.parse_args(argv)
    counts = write_corpus(
        args.out,
        args.docs,
        seed=args.seed,
        profile=args.profile,
        max_assignments=args.assignments,
    )
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
