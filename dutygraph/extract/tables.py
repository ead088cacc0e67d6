"""One model for the plan tables of every container, and their rendering as numbered items.

A 任务分工 table may arrive as an HTML ``<table>``, a ``.docx`` table, an ``.xlsx``/``.xls``/
``.csv`` sheet or text rows whose cells are separated by ``|``, tabs or runs of spaces (the
``formats_*`` modules, :mod:`~dutygraph.extract.formats_text` for text). Each reader builds a
:class:`Table` (a grid of cell strings, a merged cell's text in every grid cell it covers) and
hands its blocks, prose lines and tables in reading order, to :func:`render_blocks`. A *plan
table* is one whose header row (in its first rows; a caption above it and a two-row header are
fine) names a unit column (牵头单位, 配合单位, 责任单位 …); each of its task rows becomes one item
line with one labelled clause,
``<number>.<task>（牵头单位：…；配合单位：…；完成时限：…；责任领导：…）``, which the text parser
reads like any plan text. Other tables are rendered one row a line, cells joined by ``' | '``.

Columns are recognised by header and content (:func:`plan_columns`): number (序号/编号, or a
first column of numbers), task (工作任务, 重点任务, 工作事项, 主要内容, 具体措施 … several join into
one text), lead/support/responsible (牵头单位, 主要责任单位 → 牵头单位, 配合单位, 责任单位 …),
deadline (完成时限, 时间节点, 进度安排 …), leader (责任领导, 分管领导, 牵头领导 …) and attribute
columns (责任人, 联系人, 责任处室, 科室, 内设机构, 备注). A unit column whose cells mostly name
people or the 处/科/室 of one agency is an attribute column too (``责任人``/``责任处室``): its
values are kept as labels, never read as units. Rows: repeated header rows are skipped; a row
with one value across the table (``一、加强家庭保护``) becomes a section heading; a row without a
number continues the item above when its task cells are empty or carried from a merged cell,
or when the numbers around it leave no room for an item of its own; ``/`` ``—`` ``-`` ``无``
``／`` are empty cells; units in one cell separated by ``、，,；;`` or line breaks are joined by
``、`` (a collective such as ``各有关区、县级市`` is left whole for the clause reader); a unit cell
that is a role phrase (``市发改委牵头，市财政局配合``) is kept as its own parenthesis.

**Tables beside prose.** When the plan tables of a document give three task rows or more
(:data:`MIN_TABLE_TASKS`), they are the document's tasks: of the prose, only the lines before
the first numbered line (title, addressees, issuer, date, metadata; lines of at most
:data:`MAX_PREAMBLE_LINE` characters) are kept, so the body of a page that repeats the
table's tasks in prose gives no phantom tasks. With fewer table rows, prose is kept whole.

>>> table = Table.from_rows([
...     ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
...     ["1", "加强家庭教育指导。开展家长课堂", "市妇联", "市教育局，团市委", "2024年6月底"],
... ])
>>> print("\\n".join(table_lines(table)))
1.加强家庭教育指导。开展家长课堂（牵头单位：市妇联；配合单位：市教育局、团市委；完成时限：2024年6月底）
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dutygraph.extract.text import cn_to_int
from dutygraph.graph.names import COLLECTIVE_RE, looks_like_unit

__all__ = [
    "HEADER_CELL",
    "MAX_PREAMBLE_LINE",
    "MIN_TABLE_TASKS",
    "ROLES",
    "ROLE_HINT",
    "SECTION_TEXT",
    "Block",
    "Columns",
    "Table",
    "clean_label",
    "flatten_cell",
    "header_kind",
    "plan_columns",
    "render_blocks",
    "split_units",
    "sub_header",
    "table_lines",
]

#: Plan-table task rows from which a document's tables, not its prose, give its tasks.
MIN_TABLE_TASKS = 3
#: The longest prose line kept before the first numbered line when tables give the tasks.
MAX_PREAMBLE_LINE = 150

_CN = "一二三四五六七八九十百零〇"
_EMPTY = frozenset({"/", "／", "\\", "—", "——", "–", "―", "-", "－", "--", "无", "暂无", "空"})
_JOINING = tuple("。；;！!？?：:，,、")
_ENDING = tuple("。；;！!？?")
HEADER_CELL = 16  # a header cell is short
_HEADER_ROWS = 10  # the header is found in the first rows
_SAMPLE = 200  # cells a column's content is judged by
_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")
_NON_CJK = re.compile(r"[^\u4e00-\u9fff]")
_NUMBER_HEADERS = frozenset({"序号", "编号", "序", "号", "NO", "No", "no", "项次", "序列"})
_ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lead", re.compile(r"牵头|主要责任|主责|主办")),
    ("support", re.compile(r"配合|协办|参与|协助|协同")),
    ("responsible", re.compile(r"责任(单位|部门|主体)|负责(单位|部门)|承办|落实单位|实施单位")),
)
#: The labels the clause reader knows for each role; other role headers render as the first.
_ROLE_LABELS = {
    "lead": ("牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位", "主办部门"),
    "support": ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "参与部门", "协助单位"),
    "responsible": ("责任单位", "责任部门", "负责单位", "负责部门", "承办单位", "落实单位"),
}
_TASK_WORDS = re.compile(r"任务|工作|内容|事项|措施|举措|要点|目标|项目")
_DEADLINE_WORDS = re.compile(r"时限|时间|节点|进度|期限|日期")
_DIVISION_HEADER = re.compile(r"处室|科室|股室|内设机构|处$|科$")
_NUMBER_CELL = re.compile(rf"[(（]?\s*(\d{{1,3}}|[{_CN}]{{1,3}})\s*[)）.．、]?|[①-⑳]")
SECTION_TEXT = re.compile(
    rf"[{_CN}]{{1,3}}\s*[、.．]|第[{_CN}\d]+(部分|章|篇)|[（(][{_CN}]{{1,3}}[)）]"
)
_NUMBERED_LINE = re.compile(
    rf"\s*(?:[{_CN}]{{1,3}}\s*[、.．]|[（(]\s*[{_CN}\d]{{1,3}}\s*[)）]|\d{{1,3}}\s*[.．、](?!\d)|[①-⑳])"
)
_UNIT_SEPARATORS = "、，,；;\n"
_INLINE_LABEL = re.compile(r"([\u4e00-\u9fff]{2,6})\s*[:：]")
_TITLES = re.compile(
    r"(同志|副?(局长|主任|书记|部长|县长|市长|区长|镇长|乡长|处长|科长|主席|院长|检察长|秘书长|调研员))$"
)
_DIVISION_CELL = re.compile(r"(处|科|股|室)$")
_AGENCY_START = re.compile(r"^(省|市|县|区|州|盟|旗|乡|镇|各|国家|国务院|中央|自治区|全国)")
_AGENCY_WORD = re.compile(r"局|委|厅|部|政府|院|会|联|中心")
_NOT_HEADER = re.compile(r"[：:。，,；;!！?？]")
_ROLE_VERB = re.compile(r"(牵头|配合|负责|参与|协助|协办)(?=$|[，,；;、。\n])")
ROLE_HINT = re.compile(r"牵头|配合|责任|协办|参与|主责|主办")
"""A word every header row with a unit column has (a cheap test before reading a row)."""


@dataclass(frozen=True)
class Table:
    """A table as a rectangular grid of cell strings, and where it came from.

    A merged cell's text is in every grid cell it covers; ``anchors`` gives each grid cell the
    id of the cell it came from (equal ids: one merged cell), so a reader can tell a carried
    value from a repeated one. Line breaks inside a cell are kept as ``\\n``.

    >>> t = Table.from_spans([[("序号", 1, 1), ("任务", 1, 2)],
    ...                       [("1", 2, 1), ("a", 1, 1), ("b", 1, 1)], [("c", 1, 2)]])
    >>> t.rows
    (('序号', '任务', '任务'), ('1', 'a', 'b'), ('1', 'c', 'c'))
    >>> t.anchors[2][0] == t.anchors[1][0], t.anchors[2][1] == t.anchors[2][2]
    (True, True)
    """

    rows: tuple[tuple[str, ...], ...]
    anchors: tuple[tuple[int, ...], ...]
    origin: str = ""

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]], origin: str = "") -> Table:
        """A table of unmerged cells; short rows are padded with empty cells."""
        grid = [[cell or "" for cell in row] for row in rows]
        width = max((len(row) for row in grid), default=0)
        grid = [row + [""] * (width - len(row)) for row in grid]
        anchors = tuple(tuple(r * width + c for c in range(width)) for r in range(len(grid)))
        return cls(tuple(tuple(row) for row in grid), anchors, origin)

    @classmethod
    def from_merges(
        cls,
        rows: Sequence[Sequence[str]],
        merges: Iterable[tuple[int, int, int, int]],
        origin: str = "",
    ) -> Table:
        """A table from a grid and merged ranges ``(first_row, first_col, last_row, last_col)``
        (0-based, inclusive), whose top-left value is carried to every cell they cover."""
        base = cls.from_rows(rows, origin)
        grid = [list(row) for row in base.rows]
        anchors = [list(row) for row in base.anchors]
        height, width = len(grid), len(grid[0]) if grid else 0
        for r0, c0, r1, c1 in merges:
            if not (0 <= r0 < height and 0 <= c0 < width):
                continue
            for r in range(r0, min(r1, height - 1) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    grid[r][c] = grid[r0][c0]
                    anchors[r][c] = anchors[r0][c0]
        return cls(tuple(map(tuple, grid)), tuple(map(tuple, anchors)), origin)

    @classmethod
    def from_spans(cls, rows: Sequence[Sequence[tuple[str, int, int]]], origin: str = "") -> Table:
        """A table from rows of ``(text, rowspan, colspan)`` cells, placed as HTML places them:
        each cell takes the first grid column its row has free."""
        placed: dict[tuple[int, int], tuple[str, int]] = {}
        width = 0
        serial = 0
        for r, row in enumerate(rows):
            c = 0
            for text, rowspan, colspan in row:
                while (r, c) in placed:
                    c += 1
                for dr in range(max(1, min(rowspan, len(rows) - r))):
                    for dc in range(max(1, colspan)):
                        placed[(r + dr, c + dc)] = (text, serial)
                serial += 1
                c += max(1, colspan)
            width = max(width, c)
        width = max([width] + [c + 1 for _, c in placed])
        grid, anchors = [], []
        for r in range(len(rows)):
            cells = [placed.get((r, c), ("", -1 - r * width - c)) for c in range(width)]
            grid.append(tuple(text for text, _ in cells))
            anchors.append(tuple(anchor for _, anchor in cells))
        return cls(tuple(grid), tuple(anchors), origin)


Block = str | Table
"""What a reader yields in reading order: a prose line or a table."""


def flatten_cell(text: str) -> str:
    """A cell's lines on one line: glued after CJK punctuation and between CJK characters,
    else joined by a space.

    >>> flatten_cell("加强学习。\\n深入贯彻"), flatten_cell("Plan\\nA")
    ('加强学习。深入贯彻', 'Plan A')
    """
    out = ""
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        glue = "" if not out or out.endswith(_JOINING) or _cjk_pair(out[-1], line[0]) else " "
        out += glue + line
    return re.sub(r" {2,}", " ", out)


def _cjk_pair(a: str, b: str) -> bool:
    return "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff"


def _empty(text: str) -> bool:
    squashed = "".join(text.split())
    return not squashed or squashed in _EMPTY


def split_units(text: str) -> list[str]:
    """The names in a unit cell: split at ``、，,；;`` and line breaks outside parentheses;
    empty markers (``/``, ``—``, ``无`` …) give none. A part that reads as a collective with a
    ``、`` inside (``各有关区、县级市``) is kept whole.

    >>> split_units("市教育局，团市委\\n市妇联（牵头，含各学校）；/")
    ['市教育局', '团市委', '市妇联（牵头，含各学校）']
    >>> split_units("市科协，各有关区、县级市")
    ['市科协', '各有关区、县级市']
    """
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in _UNIT_SEPARATORS:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    names = [part.strip() for part in parts if not _empty(part)]
    merged: list[str] = []
    for name in names:  # 各有关区、县级市: a collective that starts with 各 takes the next part
        if merged and merged[-1].startswith("各") and _is_admin_tail(name) and "、" in text:
            merged[-1] = f"{merged[-1]}、{name}"
        else:
            merged.append(name)
    return merged


def _is_admin_tail(name: str) -> bool:
    return (
        re.fullmatch(r"(县级市|县|区|市|乡镇|镇|街道|开发区|园区)(人民政府|政府)?", name)
        is not None
    )


# -- columns -------------------------------------------------------------------------------------


def clean_label(text: str) -> str:
    """A header cell without white space, a trailing colon or bracketed notes.

    >>> clean_label("牵头 单位（盖章）：")
    '牵头单位'
    """
    squashed = "".join(text.split()).rstrip(":：")
    return _BRACKETS.sub("", squashed) or squashed


def header_kind(label: str) -> str | None:
    """The kind of a header label: number, task, lead, support, responsible, deadline, leader,
    person, division, note, or ``None``."""
    if not label or len(label) > HEADER_CELL or _NOT_HEADER.search(label):
        return None
    if label in _NUMBER_HEADERS:
        return "number"
    if "领导" in label:
        return "leader"
    unit_words = "单位" in label or "部门" in label
    if (label.endswith("人") and not unit_words) or label in ("联系方式", "联系电话"):
        return "person"
    if _DIVISION_HEADER.search(label) and not unit_words:
        return "division"
    if label.startswith("备注") or label == "说明":
        return "note"
    roles = [(m.start(), role) for role, words in _ROLE_WORDS if (m := words.search(label))]
    if roles:  # 责任主体与协同单位: the first role named
        return min(roles)[1]
    if _DEADLINE_WORDS.search(label):
        return "deadline"
    if _TASK_WORDS.search(label):
        return "task"
    return None


ROLES = ("lead", "support", "responsible")


@dataclass
class Columns:
    """The recognised columns of a plan table and the rows its header takes.

    ``roles`` maps a column to ``(role, label)``; ``attributes`` maps a column to its label.
    """

    header_rows: list[int]
    labels: list[str]
    number: int | None
    tasks: list[int]
    roles: dict[int, tuple[str, str]] = field(default_factory=dict)
    attributes: dict[int, str] = field(default_factory=dict)


def plan_columns(table: Table) -> Columns | None:
    """The columns of a plan table, or ``None`` when ``table`` has no header row with a unit
    column (牵头单位, 配合单位, 责任单位 …) and a task or number column.

    >>> cols = plan_columns(Table.from_rows([["标题"],
    ...     ["序号", "重点任务", "主要责任单位", "责任人"], ["1", "学习", "市教育局", "张三"]]))
    >>> cols.header_rows, cols.number, cols.tasks, cols.roles, cols.attributes
    ([1], 0, [1], {2: ('lead', '牵头单位')}, {3: '责任人'})
    """
    rows = table.rows
    for h in range(min(_HEADER_ROWS, len(rows))):
        labels = [clean_label(cell) for cell in rows[h]]
        kinds = [header_kind(label) for label in labels]
        if not any(kind in ROLES for kind in kinds):
            continue
        if any(len(label) > HEADER_CELL for label in labels):
            continue
        header_rows = [h]
        if h > 0 and _super_header(rows[h - 1], rows[h]):
            header_rows.insert(0, h - 1)
            above = [clean_label(cell) for cell in rows[h - 1]]
            labels = [
                lab if header_kind(lab) else up for lab, up in zip(labels, above, strict=True)
            ]
        if h + 1 < len(rows) and sub_header(rows[h + 1]):
            header_rows.append(h + 1)
            below = [clean_label(cell) for cell in rows[h + 1]]
            labels = [
                low if header_kind(low) else lab for lab, low in zip(labels, below, strict=True)
            ]
        columns = _columns(table, header_rows, labels)
        if columns is not None:
            return columns
    return None


def _super_header(above: Sequence[str], row: Sequence[str]) -> bool:
    values = {clean_label(cell) for cell in above if not _empty(cell)}
    if len(values) < 2 or any(len(v) > HEADER_CELL for v in values):
        return False
    return any(header_kind(v) for v in values) and not any(
        _NUMBER_CELL.fullmatch(v) for v in values
    )


def sub_header(row: Sequence[str]) -> bool:
    values = [clean_label(cell) for cell in row if not _empty(cell)]
    kinds = [header_kind(v) for v in values]
    return bool(values) and all(kinds) and any(k in ROLES or k == "leader" for k in kinds)


def _columns(table: Table, header_rows: list[int], labels: list[str]) -> Columns | None:
    data = [row for i, row in enumerate(table.rows) if i > header_rows[-1]]
    number: int | None = None
    tasks: list[int] = []
    roles: dict[int, tuple[str, str]] = {}
    attributes: dict[int, str] = {}
    seen: set[str] = set()
    for c, label in enumerate(labels):
        if label in seen:  # a header carried over a merged cell: one column
            continue
        seen.add(label)
        kind = header_kind(label)
        values = [row[c] for row in data if not _empty(row[c])]
        if kind == "number" and number is None:
            number = c
        elif kind in ROLES:
            demoted = _names_people_or_divisions(values)
            if demoted:
                attributes[c] = demoted
            else:
                known = _ROLE_LABELS[kind]
                roles[c] = (kind, label if label in known else known[0])
        elif kind == "task":
            tasks.append(c)
        elif kind in ("deadline", "leader", "person", "division", "note"):
            attributes[c] = _attribute_label(label, kind)
    if not any(header_kind(label) in ROLES for label in labels):
        return None
    if number is None and labels and header_kind(labels[0]) is None and _mostly_numbers(data, 0):
        number = 0
    if not tasks and number is None:  # e.g. a two-column 牵头单位 | 市教育局 table
        return None
    if not tasks:  # the longest free-text column is the task
        free = [c for c, label in enumerate(labels) if header_kind(label) is None and c != number]
        lengths = {c: sum(len(row[c]) for row in data) / max(1, len(data)) for c in free}
        best = max(lengths, key=lambda c: lengths[c], default=None)
        if best is None or lengths[best] < 4:
            return None
        tasks = [best]
    return Columns(header_rows, labels, number, tasks, roles, attributes)


def _attribute_label(label: str, kind: str | None) -> str:
    """A label the clause reader ends a part at (2 to 8 CJK characters, see clauses.py)."""
    cjk = _NON_CJK.sub("", label)
    if 2 <= len(cjk) <= 8:
        return cjk
    return {"deadline": "完成时限", "leader": "责任领导", "person": "责任人"}.get(
        kind or "", "责任处室" if kind == "division" else "备注"
    )


def _mostly_numbers(data: Sequence[Sequence[str]], c: int) -> bool:
    values = ["".join(row[c].split()) for row in data if not _empty(row[c])]
    hits = sum(1 for v in values if _NUMBER_CELL.fullmatch(v))
    return bool(values) and hits * 2 > len(values)


def _names_people_or_divisions(values: Sequence[str]) -> str | None:
    """``责任人``/``责任处室`` when most names in a unit column are people or divisions."""
    names = [name for value in values[:_SAMPLE] for name in split_units(value)]
    if not names:
        return None
    people = sum(1 for name in names if _is_person(name))
    divisions = sum(1 for name in names if _is_division(name))
    if (people + divisions) * 5 < len(names) * 3:
        return None
    return "责任人" if people >= divisions else "责任处室"


def _is_person(name: str) -> bool:
    key = _TITLES.sub("", _BRACKETS.sub("", "".join(name.split())))
    return (
        2 <= len(key) <= 4
        and not _NON_CJK.search(key)
        and not looks_like_unit(key)
        and not COLLECTIVE_RE.search(key)
    )


def _is_division(name: str) -> bool:
    key = _BRACKETS.sub("", "".join(name.split()))
    return bool(
        _DIVISION_CELL.search(key)
        and not _AGENCY_START.search(key)
        and not _AGENCY_WORD.search(key[:-1])
    )


# -- rows ----------------------------------------------------------------------------------------


@dataclass
class _Item:
    """One task row, with the rows that continue it."""

    number: str
    value: int | None
    number_anchor: int | None
    task_anchors: tuple[int, ...]
    texts: list[str] = field(default_factory=list)
    units: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    phrases: list[str] = field(default_factory=list)

    def add(self, row: Sequence[str], cols: Columns) -> None:
        for c in cols.tasks:
            text = flatten_cell(row[c])
            if not _empty(text) and text not in self.texts:
                self.texts.append(text)
        for c, (role, label) in cols.roles.items():
            if _ROLE_VERB.search(row[c]):  # 市发改委牵头，市财政局配合: a phrase of its own
                phrase = "，".join(line.rstrip("，,；;、") for line in split_lines(row[c]))
                if phrase not in self.phrases:
                    self.phrases.append(phrase)
                continue
            for key, names in _role_cell(row[c], role, label):
                known = self.units.setdefault(key, [])
                known.extend(name for name in names if name not in known)
        for c, label in cols.attributes.items():
            value = "，".join(split_lines(row[c]))
            values = self.attributes.setdefault(label, [])
            if not _empty(value) and value not in values:
                values.append(value)

    def line(self) -> str | None:
        if not self.texts:
            return None
        task = ""
        for text in self.texts:
            task += ("" if not task or task.endswith(_ENDING) else "。") + text
        parts = [
            f"{label}：{'、'.join(names)}" for (_, label), names in self.units.items() if names
        ]
        parts += [f"{label}：{'；'.join(vals)}" for label, vals in self.attributes.items() if vals]
        groups = [*self.phrases, "；".join(parts)] if parts else self.phrases
        return f"{self.number}{task}" + "".join(f"（{group}）" for group in groups)


def split_lines(text: str) -> list[str]:
    """The non-empty lines of a cell, each with its white space collapsed.

    >>> split_lines(" 2024年 6月底\\n\\n/ ")
    ['2024年 6月底']
    """
    return [" ".join(line.split()) for line in text.split("\n") if not _empty(line)]


def _role_cell(text: str, role: str, label: str) -> list[tuple[tuple[str, str], list[str]]]:
    """The names of a unit cell under its column's role; a cell that labels its own lists
    (``牵头单位：A\\n配合单位：B``) gives each list its own role."""
    marks = [m for m in _INLINE_LABEL.finditer(text) if header_kind(m[1]) in ROLES]
    if not marks:
        return [((role, label), split_units(text))]
    found = []
    if head := split_units(text[: marks[0].start()]):
        found.append(((role, label), head))
    for m, following in zip(marks, [*marks[1:], None], strict=True):
        kind = header_kind(m[1]) or role
        known = _ROLE_LABELS[kind]
        key = (kind, m[1] if m[1] in known else known[0])
        found.append((key, split_units(text[m.end() : following.start() if following else None])))
    return found


def _number_of(cell: str) -> tuple[str, int | None] | None:
    """The item number a number cell gives, as ``(prefix, value)``; ``None`` when the cell
    is empty or no number the text parser reads (``1.1``)."""
    key = "".join(cell.split()).rstrip(".．、")
    if not key or key in _EMPTY:
        return None
    if key.isascii() and key.isdigit() and len(key) <= 3:
        return f"{int(key)}.", int(key)
    bare = key.strip("()（）")
    if bare and len(bare) <= 3 and all(ch in _CN for ch in bare):
        value = cn_to_int(bare)
        return f"（{bare}）", value
    if len(key) == 1 and "①" <= key <= "⑳":
        return key, ord(key) - ord("①") + 1
    return None


def _plan_lines(table: Table, cols: Columns) -> tuple[list[str], int]:
    """The lines of a plan table and how many task items they hold."""
    rows, anchors = table.rows, table.anchors
    lines = [line for r in range(cols.header_rows[0]) if (line := _plain_row(table, r, True))]
    headers = [[clean_label(cell) for cell in rows[r]] for r in cols.header_rows]
    data = list(range(cols.header_rows[-1] + 1, len(rows)))
    following: dict[int, int | None] = {}  # the next number below each row
    if cols.number is not None:
        below: int | None = None
        for r in reversed(data):
            following[r] = below
            found = _number_of(rows[r][cols.number])
            if found is not None and found[1] is not None:
                below = found[1]
    out: list[_Item | str] = []
    last: _Item | None = None
    counter = 0
    sections = 0
    for r in data:
        row = rows[r]
        if all(_empty(cell) for cell in row) or _repeats_header(row, headers, cols.labels):
            continue
        section = _section(table, r, cols)
        if section is not None:
            if (
                not SECTION_TEXT.match(section)
                and len(section) <= 30
                and not section.startswith(("注", "备注", "说明"))
            ):
                sections += 1
                section = f"{_cn_numeral(sections)}、{section}"
            out.append(section)
            last = None
            continue
        number = _number_of(row[cols.number]) if cols.number is not None else None
        task_anchors = tuple(anchors[r][c] for c in cols.tasks)
        if last is not None and _continues(
            table, r, cols, last, number, task_anchors, following.get(r)
        ):
            last.add(row, cols)
            last.task_anchors = task_anchors
            continue
        if number is None:  # no number, or one the text parser does not read (1.1)
            number = (f"{counter + 1}.", counter + 1)
        prefix, value = number
        counter = value if value is not None and prefix.endswith(".") else counter
        number_anchor = anchors[r][cols.number] if cols.number is not None else None
        last = _Item(prefix, value, number_anchor, task_anchors)
        last.add(row, cols)
        out.append(last)
    count = 0
    for entry in out:
        if isinstance(entry, str):
            lines.append(entry)
        elif (item := entry.line()) is not None:
            lines.append(item)
            count += 1
    return lines, count


def _continues(
    table: Table,
    r: int,
    cols: Columns,
    last: _Item,
    number: tuple[str, int | None] | None,
    task_anchors: tuple[int, ...],
    following: int | None,
) -> bool:
    """Whether row ``r`` continues the item above rather than starting one (``following`` is
    the next number below it)."""
    row = table.rows[r]
    if cols.number is not None and not _empty(row[cols.number]):
        if table.anchors[r][cols.number] == last.number_anchor:
            return True  # a number carried from a merged cell
        return number is not None and number[0] == last.number
    texts = [row[c] for c in cols.tasks]
    if all(_empty(text) for text in texts) or task_anchors == last.task_anchors:
        return True  # units only, or the task carried from a merged cell
    if _empty(texts[0]) or flatten_cell(texts[0]) in last.texts:
        return True  # a further measure of the same task
    if cols.number is None or last.value is None:
        return False
    return following == last.value + 1  # no room for an item between the numbers around it


def _repeats_header(row: Sequence[str], headers: list[list[str]], labels: list[str]) -> bool:
    if not any(len(cell) <= 2 * HEADER_CELL and ROLE_HINT.search(cell) for cell in row):
        return False  # a header names a role
    cleaned = [clean_label(cell) for cell in row]
    same = sum(
        1
        for c, cell in enumerate(cleaned)
        if cell and (cell == labels[c] or any(cell == header[c] for header in headers))
    )
    filled = sum(1 for cell in cleaned if cell)
    return same >= 2 and same * 2 >= filled


def _section(table: Table, r: int, cols: Columns) -> str | None:
    """The heading of a row with one value across it (``一、加强家庭保护``), else ``None``."""
    row, anchors = table.rows[r], table.anchors[r]
    filled = [c for c, cell in enumerate(row) if not _empty(cell)]
    texts = {flatten_cell(row[c]) for c in filled}
    if len(texts) != 1:
        return None
    text = texts.pop()
    if _NUMBER_CELL.fullmatch("".join(text.split())):
        return None
    merged = len(filled) >= 2 and len({anchors[c] for c in filled}) == 1
    if merged and any(c not in cols.tasks for c in filled):
        return text
    taken = set(cols.tasks) | set(cols.roles) | set(cols.attributes)
    if len(filled) == 1 and filled[0] not in taken:
        return text
    if SECTION_TEXT.match(text) and (cols.number is None or cols.number in filled):
        return text
    return None


def _cn_numeral(n: int) -> str:
    """A small number in Chinese numerals.

    >>> _cn_numeral(3), _cn_numeral(10), _cn_numeral(12), _cn_numeral(20)
    ('三', '十', '十二', '二十')
    """
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _plain_row(table: Table, r: int, title: bool = False) -> str:
    """A row outside a plan: one cell's text, or the distinct cells joined by ``' | '``
    (for a ``title`` row above a plan's header, its one non-empty cell alone)."""
    row, anchors = table.rows[r], table.anchors[r]
    unique = [c for c in range(len(row)) if c == 0 or anchors[c] != anchors[c - 1]]
    if title:
        unique = [c for c in unique if not _empty(row[c])] or unique[:1]
    if len(unique) == 1:
        return flatten_cell(row[unique[0]])
    texts = [flatten_cell(row[c]) for c in unique]
    return " | ".join(texts) if any(texts) else ""


def table_lines(table: Table) -> list[str]:
    """The lines of one table: numbered items for a plan table (see the module docstring),
    else one line per row.

    >>> table_lines(Table.from_rows([["名称", "工作要点"], ["文号", ""]]))
    ['名称 | 工作要点', '文号 | ']
    """
    cols = plan_columns(table)
    if cols is None:
        return [line for r in range(len(table.rows)) if (line := _plain_row(table, r))]
    return _plan_lines(table, cols)[0]


# -- documents -----------------------------------------------------------------------------------


def render_blocks(blocks: Iterable[Block]) -> list[str]:
    """The lines of a document's blocks in reading order: prose lines as they are, tables by
    :func:`table_lines`; when plan tables give :data:`MIN_TABLE_TASKS` task items or more, only
    the prose before the first numbered line is kept (see the module docstring).

    >>> plan = Table.from_rows([["序号", "工作任务", "牵头单位"], ["1", "甲", "市教育局"],
    ...                         ["2", "乙", "市民政局"], ["3", "丙", "市妇联"]])
    >>> for line in render_blocks(["某市工作方案", "一、总体要求", "1.甲。各单位负责。", plan]):
    ...     print(line)
    某市工作方案
    1.甲（牵头单位：市教育局）
    2.乙（牵头单位：市民政局）
    3.丙（牵头单位：市妇联）
    """
    rendered: list[tuple[bool, list[str]]] = []
    tasks = 0
    for block in blocks:
        if isinstance(block, str):
            rendered.append((False, [block]))
            continue
        cols = plan_columns(block)
        if cols is None:
            rendered.append((False, table_lines(block)))
        else:
            lines, count = _plan_lines(block, cols)
            tasks += count
            rendered.append((True, lines))
    if tasks < MIN_TABLE_TASKS:
        return [line for _, lines in rendered for line in lines]
    out: list[str] = []
    numbered = False
    for is_plan, lines in rendered:
        if is_plan:
            out.extend(lines)
            continue
        for line in lines:
            numbered = numbered or _NUMBERED_LINE.match(line) is not None
            if not numbered and len(line.strip()) <= MAX_PREAMBLE_LINE:
                out.append(line)
    return out
