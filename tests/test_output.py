"""Tables on an 80-column terminal: every line fits, no name, header or number is broken, and
what is left out is said."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from dutygraph import Document
from tests.helpers import SEED, run_cli

NARROW = {"COLUMNS": "80"}


def lines_of(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.strip()]


@pytest.mark.parametrize(
    "args",
    [
        ["gaps"],
        ["overload"],
        ["tasks", "团市委"],
        ["units", "14"],
        ["partners", "团市委"],
        ["brokers"],
        ["sections"],
        ["unit", "市民政局"],
        ["parse"],
        ["analyze", "--no-map"],
    ],
    ids=lambda a: a[0],
)
def test_tables_fit_80_columns_and_keep_names_whole(args: list[str], seed_doc: Document) -> None:
    code, out, err = run_cli(*args, "--input", SEED, env=NARROW)
    assert code == 0, err
    assert all(cell_len(ln) <= 80 for ln in lines_of(out)), max(map(cell_len, lines_of(out)))
    cells = [c.strip() for ln in lines_of(out) for c in re.split(r"[│┃]", ln)]
    names = {u.name for u in seed_doc.units}
    # a cell holding a part of a unit's name holds all of it (or the list it belongs to)
    for cell in cells:
        for name in names:
            if cell and cell != name and name.startswith(cell) and len(cell) >= 2:
                pytest.fail(f"{name} broken into {cell!r}")
    assert "┃ suppor " not in out and "┃ respons " not in out


def test_overload_reads_as_people_read_numbers() -> None:
    code, out, err = run_cli("overload", "--top", "2", "--input", SEED, env=NARROW)
    assert code == 0
    row = next(ln for ln in out.splitlines() if "市教育局" in ln)
    assert [c.strip() for c in row.split("│")[1:-1]] == [
        "市教育局", "4", "4", "4", "24", "10.3 %", "4.8×", "✓",
    ]  # fmt: skip
    assert err == (
        "dutygraph: note: left out to fit 80 columns: kind, assignments (see them with --json "
        "or --csv, or in a wider terminal)\n"
    )


def test_json_keeps_every_column_and_the_numbers() -> None:
    code, out, _ = run_cli("overload", "--top", "1", "--json", "--input", SEED, env=NARROW)
    assert code == 0
    assert '"share": 0.1034' in out and '"ratio": 4.8' in out and '"flag": true' in out


def test_wide_terminals_show_every_column() -> None:
    code, out, err = run_cli("overload", "--top", "1", "--input", SEED, env={"COLUMNS": "160"})
    assert code == 0 and err == ""
    header = next(ln for ln in out.splitlines() if ln.startswith("┃"))
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "unit", "kind", "lead", "support", "responsible", "assignments", "load", "share",
        "ratio", "flag",
    ]  # fmt: skip


def test_help_explains_the_load_columns() -> None:
    code, out, _ = run_cli("overload", "--help", env=NARROW)
    assert code == 0
    for term in ("share", "ratio", "flag", "load   lead×3"):
        assert term in out
    block = out[out.index("Columns:") : out.index("Example:")]
    assert all(cell_len(ln) <= 80 for ln in block.splitlines())


def test_a_streamed_table_holds_one_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from dutygraph.commands import output

    monkeypatch.setattr(output, "TABLE_CHUNK", 3)
    monkeypatch.setenv("COLUMNS", "60")
    buf = io.StringIO()
    taken: list[int] = []

    def rows() -> Iterator[dict[str, object]]:
        for i in range(1, 8):
            # the rows of a chunk are taken only once the chunks before it are written
            taken.append(buf.getvalue().count("任务"))
            yield {"uid": f"d#{i}", "title": f"任务{i}" + ("很长的标题" * 8 if i == 5 else "")}

    assert output.stream_rows(rows(), "table", title="Rows", out=buf) == 7
    text = buf.getvalue()
    assert taken == [0, 0, 0, 3, 3, 3, 6]
    assert text.count("uid") == 1 and text.count("Rows") == 1  # one header, one title
    assert [f"d#{i}" in text for i in range(1, 8)] == [True] * 7
    # later rows keep the first chunk's widths: every line of every chunk is as wide
    assert len({cell_len(line) for line in text.splitlines()[1:]}) == 1
