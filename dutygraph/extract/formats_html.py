"""Text and metadata of a government web page (``.html``/``.htm``).

The page is decoded by its ``<meta charset>`` when that is valid, else by
:func:`~dutygraph.extract.decode.decode_bytes`. The text has one line per block element (a table
row is one line, cells joined by ``' | '``); a 任务分工 ``<table>`` (rowspan/colspan carried)
becomes numbered items with a labelled clause, and beside such a table the prose keeps only its
preamble (see :mod:`dutygraph.extract.tables`); the 信息公开 metadata table stays metadata.
Scripts, styles, navigation, headers and footers are left out. When the page has an article
container (``.TRS_Editor``, ``#zoom``, ``.article``, ``.content``…), only that container is
rendered, preceded by the metadata fields found outside it as ``<label>: <value>`` lines, so the
parser still sees the title.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dutygraph.errors import InputError
from dutygraph.extract.decode import (
    META_KEYS,
    decode_bytes,
    looks_like_text,
    meta_label,
    normalise_encoding,
    normalise_newlines,
)
from dutygraph.extract.tables import Block, Table, plan_columns, render_blocks, table_lines

__all__ = ["html_text"]

_DROP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template"})
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl"}
    | {"dt", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html"}
    | {"li", "main", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead"}
    | {"ul"}
)
_CONTAINERS = (".TRS_Editor", "#UCAP-CONTENT", "#zoom", ".article", ".pages_content", ".content")
_META_NAMES = {"articletitle": "名称", "pubdate": "发文日期", "contentsource": "发布机构"}
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_INLINE_LABEL = re.compile(r"([^:：]{2,16})[:：](.+)", re.S)
#: A span larger than this is not from a real page; cells read at most, per table.
_MAX_SPAN = 1000
_MAX_TABLE_CELLS = 1_000_000
_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
# A line break in the source between two CJK characters is not a space (CSS Text 3, 4.1.3).
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_WIDE}])[ \\t\\r\\f]*\\n[ \\t\\n\\r\\f]*(?=[{_WIDE}])")


def html_text(data: bytes, *, path: str = "<bytes>") -> tuple[str, str, dict[str, str]]:
    """Return ``(text, encoding, meta)`` of an HTML page.

    ``meta`` holds the non-empty fields of the page's metadata table (labels like
    ``'索 引 号：'`` are normalised to :data:`~dutygraph.extract.decode.META_KEYS`), completed from
    ``<meta name="ArticleTitle"|"PubDate"|"ContentSource">``.

    Raises
    ------
    InputError
        If the bytes cannot be decoded as text, or tables are nested too deeply to read.

    Examples
    --------
    >>> page = '''<html><head><meta charset="utf-8"><script>var x;</script></head><body>
    ... <table><tr><td>名 称：</td><td>关于印发工作要点的通知</td></tr></table>
    ... <div class="TRS_Editor"><p>一、加强统筹谋划</p><p>1.加强理论学习。</p></div>
    ... </body></html>'''
    >>> text, encoding, meta = html_text(page.encode())
    >>> print(text)
    名称: 关于印发工作要点的通知
    一、加强统筹谋划
    1.加强理论学习。
    >>> encoding, meta
    ('utf-8', {'名称': '关于印发工作要点的通知'})
    """
    text, encoding = _decode_html(data, path)
    try:
        text, meta = _page_text(LexborHTMLParser(text))
    except RecursionError:  # tables nested hundreds deep
        hint = "save the page's text as UTF-8 text"
        raise InputError("has tables nested too deeply to read", path=path, hint=hint) from None
    return text, encoding, meta


def _page_text(tree: LexborHTMLParser) -> tuple[str, dict[str, str]]:
    """The text and metadata of a parsed page."""
    found = _metadata_table(tree)
    meta = {key: value for key, (value, _) in found.items()}
    for node in tree.css("meta[name]"):
        key = _META_NAMES.get((node.attributes.get("name") or "").lower())
        content = _collapse(node.attributes.get("content") or "")
        if key and content:
            meta.setdefault(key, content)
    container = _container(tree)
    blocks = _blocks(container) if container is not None else []
    if blocks and container is not None:
        outside = [key for key in META_KEYS if key in meta and not _inside(found, key, container)]
        blocks[:0] = [f"{key}: {meta[key]}" for key in outside]
    else:
        root = tree.body if tree.body is not None else tree.root
        blocks = _blocks(root) if root is not None else []
    return "\n".join(render_blocks(blocks)), meta


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    """Decode by the declared charset when it is known and fits the bytes, else detect."""
    end = data.lower().find(b"</head>")
    declared = _META_CHARSET.search(data[: end if end >= 0 else 65536])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        encoding = normalise_encoding(declared[1].decode("ascii"))
        if not encoding.startswith(("utf-16", "utf-32")):
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
            else:
                if looks_like_text(text):
                    return normalise_newlines(text), encoding
    return decode_bytes(data, path=path)


def _metadata_table(tree: LexborHTMLParser) -> dict[str, tuple[str, LexborNode]]:
    """First non-empty value of each metadata label, with the node it was found in.

    A label cell is followed by its value cell (``<td>索 引 号：</td><td>…</td>``), or holds
    the value itself (``<td>索引号：…</td>``, ``<li><b>发布机构：</b>…</li>``).
    """
    found: dict[str, tuple[str, LexborNode]] = {}
    for cell in tree.css("td, th, li, dt"):
        inner = cell.css("table, li, dt")  # lexbor's css() includes the node itself
        if any(node.mem_id != cell.mem_id for node in inner):  # a layout cell around cells
            continue
        text = _collapse(cell.text(deep=True))
        inline = _INLINE_LABEL.fullmatch(text)
        label = meta_label(inline[1]) if inline else None
        if inline and label:
            value = inline[2].strip()
        else:
            label = meta_label(text)
            following = _next_element(cell)
            value = _collapse(following.text(deep=True)) if following is not None else ""
            if meta_label(value) or value.endswith((":", "：")):
                value = ""
        if label and value and label not in found:
            found[label] = (value, cell)
    return found


def _container(tree: LexborHTMLParser) -> LexborNode | None:
    """The article body: the largest match of the first container selector that has text."""
    for selector in _CONTAINERS:
        candidates = [node for node in tree.css(selector) if not _dropped(node)]
        if candidates:
            best = max(candidates, key=lambda node: len(node.text(deep=True).strip()))
            if best.text(deep=True).strip():
                return best
    return None


def _render(node: LexborNode) -> list[str]:
    """The lines of a node: one per block element, one per table row."""
    return [line for block in _blocks(node) for line in _lines(block)]


def _lines(block: Block) -> list[str]:
    return [block] if isinstance(block, str) else table_lines(block)


def _blocks(node: LexborNode) -> list[Block]:
    """The blocks of a node: a line per block element and per table row, and a
    :class:`~dutygraph.extract.tables.Table` per 任务分工 table."""
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        line = _collapse("".join(buffer))
        buffer.clear()
        if line:
            blocks.append(line)

    # Iterative, not recursive: broken pages nest unclosed tags thousands deep.
    stack: list[LexborNode | None] = [*reversed(list(node.iter(include_text=True)))]
    while stack:
        child = stack.pop()
        if child is None:  # the end of a block element
            flush()
        elif child.is_text_node:
            buffer.append(child.text(deep=False) or "")
        elif child.is_element_node and child.tag not in _DROP:
            if child.tag == "br":
                flush()
            elif child.tag == "tr":
                flush()
                blocks.extend(_row(child))
            elif child.tag == "table" and (plan := _plan_table(child)) is not None:
                flush()
                blocks.append(plan)
            else:
                if child.tag in _BLOCK:
                    flush()
                    stack.append(None)
                stack.extend(reversed(list(child.iter(include_text=True))))
    flush()
    return blocks


def _plan_table(node: LexborNode) -> Table | None:
    """A ``<table>`` without tables inside as a :class:`~dutygraph.extract.tables.Table`
    (``rowspan``/``colspan`` carried, a cell's blocks one a line), if it is a 任务分工 table."""
    if any(inner.mem_id != node.mem_id for inner in node.css("table")):
        return None
    rows: list[list[tuple[str, int, int]]] = []
    cells = 0
    for tr in node.css("tr"):
        row = []
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            rowspan = _span(cell.attributes.get("rowspan"))
            colspan = _span(cell.attributes.get("colspan"))
            cells += rowspan * colspan
            row.append(("\n".join(_render(cell)), rowspan, colspan))
        rows.append(row)
    if not rows or cells > _MAX_TABLE_CELLS:
        return None
    table = Table.from_spans(rows)
    return table if plan_columns(table) is not None else None


def _span(value: str | None) -> int:
    text = (value or "").strip()
    return min(int(text), _MAX_SPAN) if text.isdigit() and int(text) > 0 else 1


def _row(tr: LexborNode) -> list[Block]:
    """A table row: one line with cells joined by ``' | '``, or the cells' own blocks when a
    cell holds several blocks or a 任务分工 table (a layout table)."""
    cells = [_blocks(cell) for cell in tr.iter() if cell.tag in ("td", "th")]
    if any(len(cell) > 1 or any(isinstance(b, Table) for b in cell) for cell in cells):
        return [block for cell in cells for block in cell]
    line = " | ".join(str(cell[0]) if cell else "" for cell in cells).rstrip()
    return [line] if any(cells) else []


def _next_element(node: LexborNode) -> LexborNode | None:
    following = node.next
    while following is not None and not following.is_element_node:
        following = following.next
    return following


def _dropped(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in _DROP:
            return True
        parent = parent.parent
    return False


def _inside(found: dict[str, tuple[str, LexborNode]], key: str, container: LexborNode) -> bool:
    if key not in found:
        return False
    node: LexborNode | None = found[key][1]
    while node is not None:
        if node.mem_id == container.mem_id:
            return True
        node = node.parent
    return False


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", _CJK_BREAK.sub("", text)).strip()
