"""Compare two versions of the parser: speed, and identical output on fuzzed plans.

The other version is a copy of the ``dutygraph`` package, e.g. from an earlier commit::

    mkdir -p /tmp/before && git archive 67e1784 dutygraph | tar -x -C /tmp/before
    python benchmarks/parser_ab.py speed /tmp/before --docs 400 --rounds 4
    python benchmarks/parser_ab.py same /tmp/before --texts 4000

``speed`` parses the same corpus documents once each, in a fresh process per version and
round (alternating, so both see the same machine load), and prints MB/s per core (CPU time).
``same`` mutates generated plans and the bundled example at random (inserted punctuation,
labels, role words, numbering, deleted and repeated spans; ``--max-edits 0``: the plans as
generated), parses every text with both versions and prints how many results differ
(``document_to_dict`` plus units, sections and spans), with the first differences.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SPEED = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2])
import dutygraph
assert dutygraph.__file__.startswith(sys.argv[1]), dutygraph.__file__
from benchmarks.corpus import iter_documents
from dutygraph import parse_workplan
n = int(sys.argv[3])
docs = [d.text for d in iter_documents(n + 50, seed=11)]
warm, docs = docs[n:], docs[:n]
for t in warm:
    parse_workplan(t, doc_id="x")
size = sum(len(t.encode()) for t in docs)
start = time.process_time()
for t in docs:
    parse_workplan(t, doc_id="x")
cpu = time.process_time() - start
print(json.dumps({"mb_per_s": round(size / cpu / 1e6, 2), "docs_per_s": round(n / cpu, 1)}))
"""

_PARSE_ALL = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import dutygraph
assert dutygraph.__file__.startswith(sys.argv[1]), dutygraph.__file__
from dutygraph import parse_workplan
from dutygraph.graph.records import document_to_dict
out = []
for i, text in enumerate(json.load(open(sys.argv[2], encoding="utf-8"))):
    try:
        d = parse_workplan(text, doc_id=f"d{i}")
    except Exception as exc:
        out.append({"error": f"{type(exc).__name__}: {exc}"})
        continue
    r = document_to_dict(d)
    r["units"] = [[u.name, u.kind, u.collective] for u in d.units]
    r["sections"] = [[s.number, s.title] for s in d.sections]
    r["spans"] = [list(t.span) for t in d.tasks]
    out.append(r)
json.dump(out, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False, sort_keys=True)
"""

PIECES = (
    "（",
    "）",
    "(",
    ")",
    "：",
    ":",
    "，",
    ",",
    "；",
    ";",
    "、",
    "。",
    "牵头单位",
    "配合单位",
    "责任单位",
    "牵头",
    "配合",
    "负责",
    "会同",
    "由",
    "各",
    "各部门",
    "各地区",
    "等部门",
    "列第一位者为牵头单位",
    "下同",
    "注：",
    "市教育局",
    "团市委",
    "市教育",
    "各县（区）人民政府",
    "1.",
    "（一）",
    "二、",
    "(1)",
    "①",
    "一是",
    "（牵头）",
    "按职责分工负责",
    "各负其责",
    "2023年3月31日",
    "X府办发〔2023〕12号",
    "|",
    " ",
    "\n",
    "\t",
    "\u3000",
)


def fuzz_texts(count: int, seed: int, max_edits: int = 25) -> list[str]:
    """Plans with up to ``max_edits`` random edits each, from generated plans and the bundled
    example (``max_edits=0``: the plans as generated)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import generate_document
    from dutygraph import example_path

    rng = random.Random(seed)
    bases = [Path(example_path()).read_text(encoding="utf-8")]
    bases += [generate_document(i, seed=7).text for i in range(200)]
    bases += [generate_document(i, seed=8, profile="small").text for i in range(200)]
    texts = []
    for _ in range(count):
        chars = list(rng.choice(bases))
        for _ in range(rng.randint(0, max_edits)):
            op, at = rng.random(), rng.randrange(len(chars) + 1)
            if op < 0.6:
                chars[at:at] = list(rng.choice(PIECES))
            elif op < 0.85:
                del chars[at : at + rng.randint(1, 6)]
            else:
                src = rng.randrange(len(chars) + 1)
                chars[at:at] = chars[src : src + rng.randint(1, 30)]
        texts.append("".join(chars))
    return texts


def speed(before: str, docs: int, rounds: int) -> None:
    for _ in range(rounds):
        for name, root in (("before", before), ("after", str(ROOT))):
            out = subprocess.run(
                [sys.executable, "-c", _SPEED, root, str(ROOT), str(docs)],
                capture_output=True,
                text=True,
                check=True,
            )
            print(name, out.stdout.strip(), flush=True)


def same(before: str, count: int, seed: int, max_edits: int = 25) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp, "texts.json")
        texts.write_text(
            json.dumps(fuzz_texts(count, seed, max_edits), ensure_ascii=False), "utf-8"
        )
        results = []
        for name, root in (("before", before), ("after", str(ROOT))):
            out = Path(tmp, f"{name}.json")
            subprocess.run(
                [sys.executable, "-c", _PARSE_ALL, root, str(texts), str(out)], check=True
            )
            results.append(json.loads(out.read_text(encoding="utf-8")))
    added = _drop_added_task_keys(*results)
    differ = [i for i, (a, b) in enumerate(zip(*results, strict=True)) if a != b]
    assignments = sum(len(t["assignments"]) for r in results[0] for t in r.get("tasks", []))
    print(f"{count} texts, {assignments} assignments: {len(differ)} differ {differ[:10]}")
    for key, filled in sorted(added.items()):
        print(f"task key added (not compared): {key}, set on {filled} tasks")
    return 1 if differ else 0


def _drop_added_task_keys(before: list[dict], after: list[dict]) -> dict[str, int]:
    """Remove from ``after``'s tasks the keys ``before``'s tasks do not have (the JSON contract
    only ever adds keys); return each such key with the number of tasks where it is set."""
    known = {k for r in before for t in r.get("tasks", []) for k in t}
    added: dict[str, int] = {}
    if not known:
        return added
    for r in after:
        for t in r.get("tasks", []):
            for key in set(t) - known:
                value = t.pop(key)
                added[key] = added.get(key, 0) + (value is not None)
    return added


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("speed", help="MB/s per core of both versions, alternating")
    sp.add_argument("before", help="folder holding the other version's dutygraph package")
    sp.add_argument("--docs", type=int, default=400)
    sp.add_argument("--rounds", type=int, default=3)
    sm = sub.add_parser("same", help="identical output on fuzzed plans")
    sm.add_argument("before")
    sm.add_argument("--texts", type=int, default=4000)
    sm.add_argument("--seed", type=int, default=42)
    sm.add_argument(
        "--max-edits", type=int, default=25, help="random edits per plan (0: the plans as made)"
    )
    args = ap.parse_args(argv)
    if args.command == "speed":
        speed(args.before, args.docs, args.rounds)
        return 0
    return same(args.before, args.texts, args.seed, args.max_edits)


if __name__ == "__main__":
    sys.exit(main())
