"""Score dutygraph's extraction against hand-written expectations for real published plans.

    python benchmarks/extraction.py [DIRECTORY] [--json] [--show FILE]

``DIRECTORY`` (default ``tests/fixtures/real``) holds one file per plan in its container
(.txt, .html, .docx, .xlsx …) and beside it ``<name>.expected.json``::

    {"source": "<file name>",
     "tasks": [{"number": "3", "title": "<first words of the task>",
                "assignments": [["lead", "市妇联"], ["support", "团市委"]],
                "deadline": "2024年6月底" | null, "leader": "张三" | null}]}

Each plan is read with :func:`dutygraph.read_workplan` and compared as a set of
(task, role, unit) triples:

- a parsed task matches the first expected task whose ``title`` (white space removed) is a
  prefix of the parsed task's title or of its text (with or without its leading number); several
  parsed tasks may match one expected task (a page whose prose and 附件 table repeat a task), and
  their assignments are pooled; a parsed task matching no expected task is a phantom, and all of
  its assignments are spurious;
- an expected (role, unit) is found when a pooled assignment has that role and the unit equals its
  ``as_written`` or its canonical ``unit`` name;
- a parsed assignment whose (role, as_written) and (role, unit) are both unexpected is spurious.

Printed per file and over all files (micro): precision, recall and F1 of the triples, task
recall, and — where the parsed :class:`~dutygraph.Task` has ``deadline`` / ``leader``
attributes — the share of found tasks whose value equals the expected one (``n/a`` otherwise).
A file the library cannot read scores zero recall and shows the error. ``--json`` prints one
JSON object; ``--show FILE`` lists the missed and spurious triples of one file. The matching
and scoring are importable (:func:`score`, :func:`evaluate_file`, :func:`evaluate_dir`,
:func:`micro`) so tests can reuse them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dutygraph import Task, read_workplan  # noqa: E402
from dutygraph.errors import DutygraphError  # noqa: E402

__all__ = [
    "DEFAULT_DIR",
    "ExpectedPlan",
    "ExpectedTask",
    "FileScore",
    "Triple",
    "evaluate_dir",
    "evaluate_file",
    "load_expected",
    "main",
    "micro",
    "score",
]

DEFAULT_DIR = ROOT / "tests" / "fixtures" / "real"
ROLES = ("lead", "support", "responsible")

Triple = tuple[str, str, str]
"""(task label, role, unit): the task label is the expected task's ``number title``, or
``?<number> <title>`` for a parsed task that matches no expected task."""

_SPACE = re.compile(r"\s+")
_LEADING_NUMBER = re.compile(
    r"^(?:[（(][一二三四五六七八九十百零〇\d]+[)）]|[一二三四五六七八九十百零〇]+[、.．]"
    r"|\d+(?:[.．、]|(?=\D)))"
)


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class ExpectedTask:
    """One task as the annotator wrote it down.

    >>> ExpectedTask("3", "加强家庭教育", frozenset({("lead", "市妇联")})).label
    '3 加强家庭教育'
    """

    number: str
    title: str
    assignments: frozenset[tuple[str, str]]
    deadline: str | None = None
    leader: str | None = None

    @property
    def label(self) -> str:
        """How the task is named in missed/spurious lists."""
        return f"{self.number} {self.title}"


@dataclass(frozen=True)
class ExpectedPlan:
    """An ``*.expected.json`` file: the plan's file and its expected tasks."""

    path: Path
    source: Path
    tasks: tuple[ExpectedTask, ...]


@dataclass
class FileScore:
    """What one plan scored; counts are of distinct (task, role, unit) triples.

    >>> s = FileScore("plan.txt", tp=3, fp=1, fn=1)
    >>> round(s.precision, 2), round(s.recall, 2), round(s.f1, 2)
    (0.75, 0.75, 0.75)
    """

    source: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tasks_expected: int = 0
    tasks_found: int = 0
    phantom_tasks: int = 0
    deadline_checked: int | None = None
    deadline_right: int = 0
    leader_checked: int | None = None
    leader_right: int = 0
    missed: list[Triple] = field(default_factory=list)
    spurious: list[Triple] = field(default_factory=list)
    error: str | None = None

    @property
    def precision(self) -> float:
        """Share of the parsed triples that were expected (1.0 when nothing was parsed)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of the expected triples that were parsed (1.0 when nothing was expected)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def task_recall(self) -> float:
        """Share of the expected tasks that some parsed task matched."""
        return self.tasks_found / self.tasks_expected if self.tasks_expected else 1.0

    def to_dict(self) -> dict[str, Any]:
        """The score as JSON-ready data (figures rounded to 4 places)."""
        return {
            "source": self.source,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tasks_expected": self.tasks_expected,
            "tasks_found": self.tasks_found,
            "task_recall": round(self.task_recall, 4),
            "phantom_tasks": self.phantom_tasks,
            "deadline_accuracy": _share(self.deadline_right, self.deadline_checked),
            "leader_accuracy": _share(self.leader_right, self.leader_checked),
            "error": self.error,
            "missed": [list(t) for t in self.missed],
            "spurious": [list(t) for t in self.spurious],
        }


def _share(right: int, checked: int | None) -> float | None:
    if checked is None:
        return None
    return round(right / checked, 4) if checked else 1.0


def load_expected(path: str | Path) -> ExpectedPlan:
    """Read one ``*.expected.json``; ``source`` is resolved beside it.

    Raises ``ValueError`` naming the file for a role outside lead/support/responsible or a
    task without a title.
    """
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    tasks = []
    for raw in data["tasks"]:
        title = _squash(str(raw.get("title") or ""))
        if not title:
            raise ValueError(f"{path}: task {raw.get('number')!r} has no title")
        pairs = set()
        for role, unit in raw["assignments"]:
            if role not in ROLES:
                raise ValueError(f"{path}: task {raw.get('number')!r}: unknown role {role!r}")
            pairs.add((role, _squash(unit)))
        number = str(raw.get("number") or "")
        tasks.append(
            ExpectedTask(number, title, frozenset(pairs), raw.get("deadline"), raw.get("leader"))
        )
    return ExpectedPlan(path, path.parent / data["source"], tuple(tasks))


def _task_keys(task: Task) -> tuple[str, ...]:
    text = _squash(task.text)
    return (_squash(task.title), text, _LEADING_NUMBER.sub("", text, count=1))


def _which(expected: Sequence[ExpectedTask], task: Task) -> int | None:
    keys = _task_keys(task)
    candidates = [i for i, e in enumerate(expected) if any(k.startswith(e.title) for k in keys)]
    if not candidates:
        return None
    for i in candidates:  # several titles fit: the one with the same number wins
        if expected[i].number == task.number:
            return i
    return candidates[0]


def score(expected: Sequence[ExpectedTask], parsed: Sequence[Task], source: str = "") -> FileScore:
    """Compare a plan's expected tasks with the tasks the library parsed from it.

    >>> from dutygraph import Assignment
    >>> pairs = frozenset({("lead", "市妇联"), ("support", "团市委")})
    >>> exp = [ExpectedTask("1", "加强统筹", pairs)]
    >>> lead = Assignment("市妇联", "市妇联", "lead", False, (3, 6), "牵头单位：市妇联")
    >>> other = Assignment("市民政局", "市民政局", "support", False, (7, 11), "配合单位：市民政局")
    >>> got = Task("d#1", "d", "1", "一", "", "加强统筹协调", "1.加强统筹协调。（…）", (0, 9),
    ...            (lead, other))
    >>> s = score(exp, [got], "plan.txt")
    >>> (s.tp, s.fp, s.fn, s.tasks_found)
    (1, 1, 1, 1)
    >>> s.missed, s.spurious
    ([('1 加强统筹', 'support', '团市委')], [('1 加强统筹', 'support', '市民政局')])
    """
    out = FileScore(source, tasks_expected=len(expected))
    pooled: dict[int, list[Task]] = {}
    phantoms: list[Task] = []
    for task in parsed:
        i = _which(expected, task)
        if i is None:
            phantoms.append(task)
        else:
            pooled.setdefault(i, []).append(task)
    spurious: set[Triple] = set()
    for i, exp in enumerate(expected):
        tasks = pooled.get(i, [])
        found: set[tuple[str, str]] = set()
        for task in tasks:
            for a in task.assignments:
                names = {_squash(a.as_written), _squash(a.unit)}
                hits = {(a.role, n) for n in names} & exp.assignments
                if hits:
                    found |= hits
                else:
                    spurious.add((exp.label, a.role, _squash(a.as_written)))
        out.tp += len(found)
        out.missed += [(exp.label, r, u) for r, u in sorted(exp.assignments - found)]
        if tasks:
            out.tasks_found += 1
            _attributes(out, exp, tasks)
    for task in phantoms:
        label = f"?{task.number} {task.title[:12]}"
        spurious |= {(label, a.role, _squash(a.as_written)) for a in task.assignments}
    out.phantom_tasks = len(phantoms)
    out.fn = len(out.missed)
    out.spurious = sorted(spurious)
    out.fp = len(out.spurious)
    return out


def _attributes(out: FileScore, exp: ExpectedTask, tasks: list[Task]) -> None:
    """Count deadline/leader agreement (a task without the attribute reads as ``None``)."""
    for name in ("deadline", "leader"):
        values = [getattr(t, name, None) for t in tasks]
        value = next((v for v in values if v is not None), None)
        checked = getattr(out, f"{name}_checked") or 0
        setattr(out, f"{name}_checked", checked + 1)
        if value == getattr(exp, name):
            setattr(out, f"{name}_right", getattr(out, f"{name}_right") + 1)


def evaluate_file(expected_json: str | Path) -> FileScore:
    """Read the plan named by one ``*.expected.json`` with the library and score it.

    A plan the library refuses (an unsupported container, no items found) scores zero recall,
    with the library's message in ``error``.
    """
    plan = load_expected(expected_json)
    try:
        doc = read_workplan(plan.source)
    except DutygraphError as exc:
        out = score(plan.tasks, [], plan.source.name)
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        out.error = message.replace(str(plan.source), plan.source.name)
        return out
    return score(plan.tasks, doc.tasks, plan.source.name)


def evaluate_dir(directory: str | Path = DEFAULT_DIR) -> list[FileScore]:
    """Score every ``*.expected.json`` in ``directory``, in name order."""
    paths = sorted(Path(directory).glob("*.expected.json"))
    if not paths:
        raise FileNotFoundError(f"{directory}: no *.expected.json files")
    return [evaluate_file(p) for p in paths]


def micro(scores: Sequence[FileScore]) -> FileScore:
    """Pool the counts of several files (micro average).

    >>> m = micro([FileScore("a", tp=2, fn=2), FileScore("b", tp=2, fp=1)])
    >>> (m.tp, m.fp, m.fn, round(m.f1, 3))
    (4, 1, 2, 0.727)
    """
    out = FileScore("micro")
    for s in scores:
        out.tp += s.tp
        out.fp += s.fp
        out.fn += s.fn
        out.tasks_expected += s.tasks_expected
        out.tasks_found += s.tasks_found
        out.phantom_tasks += s.phantom_tasks
        for name in ("deadline", "leader"):
            checked = getattr(s, f"{name}_checked")
            if checked is not None:
                setattr(out, f"{name}_checked", (getattr(out, f"{name}_checked") or 0) + checked)
                right = getattr(out, f"{name}_right") + getattr(s, f"{name}_right")
                setattr(out, f"{name}_right", right)
    return out


def _fmt_share(right: int, checked: int | None) -> str:
    value = _share(right, checked)
    return "n/a" if value is None else f"{value:.2f}"


def _table(scores: Sequence[FileScore]) -> str:
    head = (
        f"{'file':42} {'P':>5} {'R':>5} {'F1':>5} {'tp':>4} {'fp':>4} {'fn':>4} "
        f"{'tasks':>7} {'phant':>5} {'ddl':>4} {'ldr':>4}  error"
    )
    lines = [head, "-" * len(head)]
    for s in [*scores, micro(scores)]:
        if s.source == "micro":
            lines.append("-" * len(head))
        tasks = f"{s.tasks_found}/{s.tasks_expected}"
        lines.append(
            f"{s.source:42.42} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {s.tp:4} {s.fp:4} "
            f"{s.fn:4} {tasks:>7} {s.phantom_tasks:5} "
            f"{_fmt_share(s.deadline_right, s.deadline_checked):>4} "
            f"{_fmt_share(s.leader_right, s.leader_checked):>4}  {(s.error or '')[:60]}"
        )
    return "\n".join(lines)


def _show(score_: FileScore) -> str:
    lines = [f"{score_.source}: {len(score_.missed)} missed, {len(score_.spurious)} spurious"]
    if score_.error:
        lines.append(f"  error: {score_.error}")
    lines += [f"  missed    {t}  {r:11} {u}" for t, r, u in score_.missed]
    lines += [f"  spurious  {t}  {r:11} {u}" for t, r, u in score_.spurious]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the scores of every plan in a directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--show", metavar="FILE", help="list missed and spurious triples of FILE")
    args = parser.parse_args(argv)
    try:
        scores = evaluate_dir(args.directory)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.show:
        wanted = Path(args.show).name
        chosen = [s for s in scores if s.source == wanted or s.source.startswith(wanted)]
        if not chosen:
            print(f"error: {args.show}: no such plan in {args.directory}", file=sys.stderr)
            return 2
        print("\n".join(_show(s) for s in chosen))
        return 0
    if args.json:
        print(
            json.dumps(
                {"micro": micro(scores).to_dict(), "files": [s.to_dict() for s in scores]},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(_table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
