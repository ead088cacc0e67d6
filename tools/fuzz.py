"""A long fuzz run of the readers and the parser (hypothesis with a large budget).

    python tools/fuzz.py --examples 20000

Properties: any bytes → decoded text or our InputError; any text (random or plan-shaped) → a
document or our ParseError, with every span pointing at the name as written and the same result
twice. Prints one JSON line with the figures (inputs tried, seconds, failures).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, ".")
from dutygraph.errors import InputError
from dutygraph.extract.decode import decode_bytes
from tests.test_parse_props import check, parse_or_none, plan_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=20000, help="per property")
    args = parser.parse_args()
    tried = {"bytes": 0, "text": 0, "plan": 0}
    failures: list[str] = []
    opts = settings(
        max_examples=args.examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )

    @opts
    @given(st.binary(max_size=2000))
    def bytes_prop(data: bytes) -> None:
        tried["bytes"] += 1
        try:
            text, encoding = decode_bytes(data)
            assert isinstance(text, str) and encoding
        except InputError:
            pass

    @opts
    @given(st.text(max_size=2000))
    def text_prop(text: str) -> None:
        tried["text"] += 1
        doc = parse_or_none(text)
        if doc is not None:
            check(doc, text)

    @opts
    @given(plan_text)
    def plan_prop(text: str) -> None:
        tried["plan"] += 1
        first, second = parse_or_none(text), parse_or_none(text)
        assert first == second
        if first is not None:
            check(first, text)

    start = time.monotonic()
    for prop in (bytes_prop, text_prop, plan_prop):
        try:
            prop()
        except Exception as exc:  # report, do not stop the other properties
            failures.append(f"{prop.__name__}: {exc.__class__.__name__}: {exc}")
    figures = {
        "inputs_tried": tried,
        "seconds": round(time.monotonic() - start, 1),
        "failures": failures,
    }
    print(json.dumps(figures, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
