"""Say when a parse looks incomplete, so that a thin graph is not trusted silently.

Two signs, checked once the tasks are made (:func:`confidence_warnings`):

- ``role-words-without-units``: tasks with no unit read whose text still uses the words that
  assign work (牵头, 配合, 负责, 责任单位, 协办 …) — a clause the parser could not read. Words
  that only look alike (负责人, 负责制, 负责同志, 配合度) do not count.
- ``most-items-without-units``: of four or more tasks, more than half have no unit — a layout
  the parser did not understand (a table read as prose, items without clauses) or a document
  that is not a task plan.

Both name where to look; ``dutygraph parse --explain`` shows what was read from each task.

>>> from dutygraph import parse_workplan
>>> doc = parse_workplan('''一、任务
... 1.加强学习。（牵头单位：市教育局）
... 2.完善机制。由张三同志负责，每季度调度一次。
... ''')
>>> [(w.code, w.message) for w in doc.warnings]  # doctest: +NORMALIZE_WHITESPACE
[('role-words-without-units', 'line 3: role words (负责) but no unit read; check the clause
  (dutygraph parse --explain shows what was read)')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dutygraph.graph.records import ParseWarning, Task

__all__ = ["MIN_ITEMS", "ROLE_WORDS", "confidence_warnings", "role_words"]

#: Words that assign a task to units (the longest first, so a label is named whole).
ROLE_WORDS = ("牵头单位", "配合单位", "责任单位", "协办单位", "牵头", "配合", "负责", "协办")
#: Fewer tasks than this are too few to say that "most" have no unit.
MIN_ITEMS = 4
#: Lines named in one warning at most; the rest are counted.
_MAX_LINES = 10
_ROLE_RE = re.compile(
    "|".join(ROLE_WORDS).replace("负责", "负责(?!人|制|同志)").replace("配合", "配合(?!度)")
)
_HINT = "(dutygraph parse --explain shows what was read)"


def confidence_warnings(text: str, tasks: Sequence[Task]) -> list[ParseWarning]:
    """The warnings of a parse that looks incomplete: see the module's description.

    ``text`` is the document's text (for line numbers); ``tasks`` its tasks, in document order.

    >>> from dutygraph.graph.records import Task
    >>> text = "\\n".join(f"{n}.做好第{n}项工作。" for n in range(1, 6))
    >>> tasks = [Task(f"d#{n}", "d", str(n), "", "", "", "", (9 * (n - 1), 9 * n))
    ...          for n in range(1, 6)]
    >>> [(w.code, w.message, w.span) for w in confidence_warnings(text, tasks)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('most-items-without-units', '5 of 5 items have no unit; the parse may be incomplete;
      check the layout (dutygraph parse --explain shows what was read)', (0, 9))]
    """
    bare = [t for t in tasks if not t.assignments]
    if not bare:
        return []
    out: list[ParseWarning] = []
    flagged: list[tuple[Task, str]] = []
    for task in bare:
        found = _ROLE_RE.search(task.text)
        if found is not None:
            flagged.append((task, found[0]))
    if flagged:
        lines = _lines(text, [t.span[0] for t, _ in flagged])
        shown = ", ".join(str(n) for n in lines[:_MAX_LINES])
        more = f" and {len(lines) - _MAX_LINES} more" if len(lines) > _MAX_LINES else ""
        words = "、".join(dict.fromkeys(word for _, word in flagged))
        plural = "s" if len(lines) > 1 else ""
        out.append(
            ParseWarning(
                "role-words-without-units",
                f"line{plural} {shown}{more}: role words ({words}) but no unit read; "
                f"check the clause {_HINT}",
                flagged[0][0].span,
            )
        )
    if len(tasks) >= MIN_ITEMS and 2 * len(bare) > len(tasks):
        out.append(
            ParseWarning(
                "most-items-without-units",
                f"{len(bare)} of {len(tasks)} items have no unit; the parse may be incomplete; "
                f"check the layout {_HINT}",
                bare[0].span,
            )
        )
    return out


def role_words(text: str) -> list[str]:
    """The role words in ``text``, each once, in order of first use (look-alikes left out).

    >>> role_words("市教育局牵头，落实校长负责制，由专人负责，市民政局牵头")
    ['牵头', '负责']
    """
    return list(dict.fromkeys(m[0] for m in _ROLE_RE.finditer(text)))


def _lines(text: str, starts: Sequence[int]) -> list[int]:
    """The 1-based line numbers of increasing offsets ``starts``, counting newlines once."""
    out: list[int] = []
    line, pos = 1, 0
    for start in starts:
        line += text.count("\n", pos, start)
        pos = start
        out.append(line)
    return out
