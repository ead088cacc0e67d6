"""Normalising unit names and guessing a unit's kind from its name.

>>> name_key(" 各县(区)人民 政府 ")
'各县（区）人民政府'
>>> infer_kind("县委宣传部"), infer_kind("县人民检察院"), infer_kind("各有关部门")
('party', 'procuratorate', 'collective')
>>> looks_like_unit("市教育局"), looks_like_unit("2018一2025年")
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["COLLECTIVE_RE", "infer_kind", "looks_like_unit", "name_key"]

_SPACE_RE = re.compile(r"\s+")
_PARENS = str.maketrans({"(": "（", ")": "）"})

COLLECTIVE_RE = re.compile(
    r"^各|成员单位$|(有关|相关)(部门|单位)([和及](部门|单位))?$|^(其他|全体)|各级|各部门$|各单位$"
)

_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("collective", COLLECTIVE_RE),
    ("court", re.compile(r"法院$|^最高法$|中院$")),
    ("procuratorate", re.compile(r"检察院$|^最高检$")),
    (
        "mass",
        re.compile(
            r"妇联$|^团.{1,3}委$|共青团|残联$|工会$|科协$|关工委$|红十字会$|工商联$|侨联$|文联$"
        ),
    ),
    ("party", re.compile(r"^.{0,6}委(宣传|组织|统战|政法|编|网信|教育工)|党委|纪委|文明办$|党组$")),
    ("office", re.compile(r"办公室$|办$")),
    ("government", re.compile(r"(局|厅|部|委|委员会|政府|支队|大队|中心|署|院|所|站|馆)$")),
)

# What an agency's name ends with; used to tell a list of units from other parenthesised text.
_UNIT_END_RE = re.compile(
    r"(局|厅|部|委|办|院|会|联|队|政府|中心|署|所|站|馆|室|处|科|社|司|团|组|公司|集团|协|委员会|单位|部门"
    r"|机关|学校|街道|乡镇|县|区|市|州|盟|旗|法院|检察院|学院|医院|银行|分行|支行|电视台|报社)$"
)
_NOT_UNIT_RE = re.compile(r"[0-9０-９%％《》“”\"'：:。！？!?]|[一二三四五六七八九〇零十]{2,}年")


def name_key(name: str) -> str:
    """The comparison form of a name: no white space, full-width parentheses."""
    return _SPACE_RE.sub("", name).translate(_PARENS)


def infer_kind(name: str) -> str:
    """Guess a unit's kind from its name (used for names the gazetteer does not know)."""
    key = name_key(name)
    for kind, pattern in _KIND_RULES:
        if pattern.search(key):
            return kind
    return "unknown"


def looks_like_unit(text: str) -> bool:
    """Whether a short text reads like an agency name (for unlabelled parenthesised lists)."""
    key = name_key(text)
    if not 2 <= len(key) <= 30 or _NOT_UNIT_RE.search(key):
        return False
    return bool(_UNIT_END_RE.search(key) or COLLECTIVE_RE.search(key))
