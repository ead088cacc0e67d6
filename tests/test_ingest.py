"""``dutygraph ingest``: parallel parsing into a cache, skipping unchanged files, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.corpus import iter_documents
from dutygraph import InputError, read_workplan
from dutygraph.cli import main
from dutygraph.extract.ingest import ingest, load_cached
from dutygraph.graph.records import document_to_dict


def plans(folder: Path, count: int, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in iter_documents(count, seed=seed, profile="small"):
        path = folder / f"{doc.doc_id}.txt"
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths


def test_reingest_skips_unchanged_files_by_content(tmp_path: Path) -> None:
    files = plans(tmp_path / "plans", 6)
    cache = tmp_path / "cache"
    first = ingest([tmp_path / "plans"], cache, workers=1)
    assert first.counts() == {"read": 6, "parsed": 6, "skipped_unchanged": 0, "failed": 0}
    again = ingest([tmp_path / "plans"], cache, workers=1)
    assert again.counts() == {"read": 6, "parsed": 0, "skipped_unchanged": 6, "failed": 0}
    assert (again.tasks, again.assignments) == (first.tasks, first.assignments)
    # Touching a file without changing it skips it; changing its content parses it again.
    files[1].write_bytes(files[1].read_bytes())
    text = files[4].read_text(encoding="utf-8").replace("一、", "一、 ", 1)
    files[4].write_text(text, encoding="utf-8")
    third = ingest([tmp_path / "plans"], cache, workers=1)
    assert third.counts() == {"read": 6, "parsed": 1, "skipped_unchanged": 5, "failed": 0}
    cached = list(load_cached(cache))
    assert [document_to_dict(d) for d in cached] == [
        document_to_dict(read_workplan(p)) for p in files
    ]
    assert [d.text for d in cached] == [read_workplan(p).text for p in files]


def test_parallel_ingest_equals_serial(tmp_path: Path) -> None:
    plans(tmp_path / "plans", 40)
    serial = ingest([tmp_path / "plans"], tmp_path / "a", workers=1)
    parallel = ingest([tmp_path / "plans"], tmp_path / "b", workers=2, chunk_size=3)
    assert parallel.as_dict() == serial.as_dict()
    docs_a = [document_to_dict(d) for d in load_cached(tmp_path / "a")]
    docs_b = [document_to_dict(d) for d in load_cached(tmp_path / "b")]
    assert docs_a == docs_b and len(docs_a) == 40
    index = json.loads((tmp_path / "b" / "index.json").read_text(encoding="utf-8"))
    assert list(index["documents"]) == sorted(index["documents"])
    again = ingest([tmp_path / "plans"], tmp_path / "b", workers=2, chunk_size=3)
    assert again.skipped_unchanged == 40


def test_failures_are_counted_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    plans(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "prose.txt").write_text("没有编号的一段话。", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 16)
    (folder / "sub").mkdir()
    (folder / "sub" / "plan_000000.txt").write_text(
        (folder / "plan_000001.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    summary = ingest([folder], tmp_path / "cache", workers=2, chunk_size=1)
    assert summary.counts() == {"read": 6, "parsed": 2, "skipped_unchanged": 0, "failed": 4}
    messages = {Path(f.path).name: f.message for f in summary.failures}
    assert messages["empty.txt"].endswith("empty.txt: is empty; check that it was saved completely")
    assert "no numbered sections or items found" in messages["prose.txt"]
    assert "looks like a binary file" in messages["binary.txt"]
    assert messages["plan_000000.txt"].endswith(
        f"document id plan_000000 is already used by {folder / 'plan_000000.txt'}; rename one"
    )
    assert [d.id for d in load_cached(tmp_path / "cache")] == ["plan_000000", "plan_000001"]
    again = ingest([folder], tmp_path / "cache", workers=1)
    assert again.counts() == {"read": 6, "parsed": 0, "skipped_unchanged": 2, "failed": 4}


def test_other_aliases_parse_again(tmp_path: Path) -> None:
    plans(tmp_path / "plans", 3)
    ingest([tmp_path / "plans"], tmp_path / "cache", workers=1)
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,kind\n市教育局,市教体局,government\n", encoding="utf-8")
    other = ingest([tmp_path / "plans"], tmp_path / "cache", workers=1, aliases=str(aliases))
    assert other.parsed == 3


def test_errors_of_the_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        ingest([tmp_path / "missing"], tmp_path / "cache")
    with pytest.raises(InputError, match="no ingest index here"):
        list(load_cached(tmp_path / "nothing"))


def test_cli_prints_counts_and_one_line_per_failed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plans"
    plans(folder, 3)
    (folder / "prose.txt").write_text("没有编号的一段话。", encoding="utf-8")
    cache = tmp_path / "cache"
    code = main(["ingest", str(folder), "--cache", str(cache), "--workers", "1"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.startswith("read: 4, parsed: 3, skipped unchanged: 0, failed: 1 (")
    assert err.strip().splitlines() == [
        f"dutygraph: error: {folder / 'prose.txt'}: no numbered sections or items found; "
        "dutygraph reads plans whose tasks are numbered (一、 （一） 1. (1))"
    ]
    (folder / "prose.txt").unlink()
    code = main(["ingest", str(folder), "--cache", str(cache), "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {k: data[k] for k in ("read", "parsed", "skipped_unchanged", "failed")} == {
        "read": 3,
        "parsed": 0,
        "skipped_unchanged": 3,
        "failed": 0,
    }
    assert data["failures"] == [] and data["cache"] == str(cache)


def test_cli_help_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--help"]) == 0
    out = capsys.readouterr().out
    assert "unchanged files are skipped" in out and "--workers" in out and "--cache" in out
    assert main(["ingest"]) == 2
    assert "Missing argument 'PATHS...'" in capsys.readouterr().err
