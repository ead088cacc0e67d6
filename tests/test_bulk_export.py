"""The neo4j-import writer without Neo4j: headers, quoting, arguments, push's merge rules,
atomic folders and the CLI's messages (tests/test_neo4j_bulk.py imports the files for real)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import dutygraph.loaders.bulk as bulk
from dutygraph.cli import main
from dutygraph.errors import InputError
from dutygraph.loaders.bulk import MARKER, is_export, write_import
from dutygraph.loaders.push import CONSTRAINTS, DocumentRows, document_rows
from tests.helpers import SEED, run_cli

FILES = [
    "documents.csv",
    "tasks.csv",
    "units.csv",
    "in.csv",
    "leads.csv",
    "supports.csv",
    "responsible_for.csv",
    "schema.cypher",
    "import.args",
    MARKER,
]


def doc(
    doc_id: str,
    units: list[tuple[str, str, bool]],
    *,
    title: str = "t",
    clause: str = "c",
    text: str = "x",
    extra: dict[str, Any] | None = None,
) -> DocumentRows:
    """A document of one task whose edges lead from each unit (name, kind, collective)."""
    uid = f"{doc_id}#1"
    props = {"title": title, "issuer": None, "date": None, "doc_no": None, "source": None}
    task = {"uid": uid, "doc_id": doc_id, "number": "1", "text": text, **(extra or {})}
    edges: dict[str, list[dict[str, Any]]] = {"LEADS": [], "SUPPORTS": [], "RESPONSIBLE_FOR": []}
    for i, (name, _kind, _coll) in enumerate(units):
        props_e = {
            "doc_id": doc_id,
            "as_written": name,
            "span_start": i,
            "span_end": i + 1,
            "clause": clause,
            "via": None,
        }
        edges["LEADS"].append({"unit": name, "uid": uid, "props": props_e})
    unit_rows = [{"name": n, "kind": k, "collective": c} for n, k, c in units]
    return DocumentRows(doc_id, {**props, "sha256": ""}, [task], unit_rows, edges)


def rows_of(path: Path) -> list[list[str]]:
    """The CSV rows of a file, read as RFC 4180 (line breaks inside quotes kept as written)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_files_headers_and_counts_for_the_seed(tmp_path: Path, seed_doc: Any) -> None:
    rows = document_rows(seed_doc)
    done = write_import([rows], tmp_path / "out")
    assert [p.name for p in done.files] == FILES
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(FILES)
    heads = {p.name: rows_of(p)[0] for p in done.files if p.suffix == ".csv"}
    assert heads["documents.csv"] == [
        "id:ID(Document)",
        *["title", "issuer", "date", "doc_no", "source", "sha256", "load_hash"],
    ]
    assert heads["tasks.csv"] == [
        "uid:ID(Task)",
        *["doc_id", "number", "section", "section_title", "title", "text"],
    ]
    assert heads["units.csv"] == ["name:ID(Unit)", "kind", "collective:boolean"]
    assert heads["in.csv"] == [":START_ID(Task)", ":END_ID(Document)"]
    for name in ("leads.csv", "supports.csv", "responsible_for.csv"):
        assert heads[name] == [
            *[":START_ID(Unit)", ":END_ID(Task)", "doc_id", "as_written"],
            *["span_start:long", "span_end:long", "clause", "via"],
        ]
    assert (done.nodes, done.relationships) == (
        {"Document": 1, "Task": 23, "Unit": 31},
        {"IN": 23, "LEADS": 17, "SUPPORTS": 42, "RESPONSIBLE_FOR": 62},
    )
    document = rows_of(tmp_path / "out" / "documents.csv")[1]
    assert document[0] == "anshun_2023" and document[-1] == rows.load_hash()
    assert (tmp_path / "out" / "schema.cypher").read_text("utf-8") == "".join(
        f"{c};\n" for c in CONSTRAINTS
    )
    args = (tmp_path / "out" / "import.args").read_text("utf-8").splitlines()
    assert args[1:] == list(done.arguments)
    assert args[1:8] == [
        "--nodes=Document=documents.csv",
        "--nodes=Task=tasks.csv",
        "--nodes=Unit=units.csv",
        "--relationships=IN=in.csv",
        "--relationships=LEADS=leads.csv",
        "--relationships=SUPPORTS=supports.csv",
        "--relationships=RESPONSIBLE_FOR=responsible_for.csv",
    ]
    manifest = json.loads((tmp_path / "out" / MARKER).read_text("utf-8"))
    assert manifest["nodes"] == done.nodes and manifest["arguments"] == list(done.arguments)


def test_quoting_keeps_every_value_and_tells_empty_from_absent(tmp_path: Path) -> None:
    hostile = ' a,"b"\\n \r\n x\\ '
    rows = doc(
        'd,"1"',
        [(hostile, "government", True), ("", "unknown", False)],
        title="",
        clause=hostile,
        text="l1\nl2",
        extra={"deadline": None, "due": ""},
    )
    done = write_import([rows], tmp_path / "out")
    raw = (tmp_path / "out" / "tasks.csv").read_text("utf-8")
    # Strings are always quoted (an empty one is ""), null is an empty unquoted field.
    assert raw.splitlines()[1] == '"d,""1""#1","d,""1""","1","l1'
    assert raw.endswith('l2",,""\n')
    assert rows_of(tmp_path / "out" / "tasks.csv")[1] == [
        *['d,"1"#1', 'd,"1"', "1", "l1\nl2", "", ""],
    ]
    leads = rows_of(tmp_path / "out" / "leads.csv")[1:]
    assert leads == [
        [hostile, 'd,"1"#1', 'd,"1"', hostile, "0", "1", hostile, ""],
        ["", 'd,"1"#1', 'd,"1"', "", "1", "2", hostile, ""],
    ]
    assert rows_of(tmp_path / "out" / "units.csv")[1:] == [
        [hostile, "government", "true"],
        ["", "unknown", "false"],
    ]
    # A line break (\n or \r) in some value: every file is read as multiline.
    assert done.arguments[-1] == "--multiline-fields=true"


def test_no_multiline_and_default_read_buffer_for_plain_values(tmp_path: Path) -> None:
    done = write_import([doc("d", [("市民政局", "government", False)])], tmp_path / "out")
    assert not [a for a in done.arguments if "multiline" in a or "read-buffer" in a]
    assert done.arguments[-1] == "--bad-tolerance=0"


def test_a_very_long_value_widens_the_read_buffer(tmp_path: Path) -> None:
    clause = "长" * 2_500_000  # 5,000,000 UTF-16 units at most: over the default 4 MiB
    done = write_import([doc("d", [("A", "government", False)], clause=clause)], tmp_path / "o")
    assert done.arguments[-1] == "--read-buffer-size=5242880"  # 5 MiB
    line = (tmp_path / "o" / "leads.csv").read_text("utf-8").splitlines()[1]
    assert line == f'"A","d#1","d","A",0,1,"{clause}",'


def test_unit_kind_and_collective_follow_push(tmp_path: Path) -> None:
    docs = [
        doc("a", [("U", "party", False), ("V", "unknown", True)]),
        doc("b", [("U", "unknown", True), ("V", "government", False)]),
        doc("c", [("V", "unknown", True)]),
    ]
    write_import(docs, tmp_path / "out")
    # 'unknown' never overwrites a known kind; the last collective flag wins.
    assert rows_of(tmp_path / "out" / "units.csv")[1:] == [
        ["U", "party", "true"],
        ["V", "government", "true"],
    ]


def test_a_document_given_again_replaces_the_earlier_version(tmp_path: Path) -> None:
    first = doc("a", [("Old", "party", False), ("Kept", "party", False)], title="v1")
    other = doc("b", [("Kept", "unknown", False)])
    second = doc("a", [("Kept", "unknown", False), ("New", "unknown", False)], title="v2")
    done = write_import([first, other, second, second], tmp_path / "out")
    # Old is gone (only v1 named it), Kept keeps the kind v1 gave it, v2's rows win.
    assert rows_of(tmp_path / "out" / "units.csv")[1:] == [
        ["Kept", "party", "false"],
        ["New", "unknown", "false"],
    ]
    documents = rows_of(tmp_path / "out" / "documents.csv")[1:]
    assert [(d[0], d[1], d[-1]) for d in documents] == [
        ("b", "t", other.load_hash()),
        ("a", "v2", second.load_hash()),
    ]
    assert done.relationships["LEADS"] == 3
    assert [r[0] for r in rows_of(tmp_path / "out" / "leads.csv")[1:]] == ["Kept", "Kept", "New"]


def test_an_unchanged_repeat_is_skipped_as_push_skips_it(tmp_path: Path) -> None:
    a = doc("a", [("U", "party", False)])
    b = doc("b", [("U", "unknown", True)])
    write_import([a, b, a], tmp_path / "out")
    # The second a changes nothing (push skips it): b's collective flag stays.
    assert rows_of(tmp_path / "out" / "units.csv")[1:] == [["U", "party", "true"]]
    assert [d[0] for d in rows_of(tmp_path / "out" / "documents.csv")[1:]] == ["a", "b"]


def test_a_task_in_two_documents_is_refused(tmp_path: Path) -> None:
    a, b = doc("a", [("U", "party", False)]), doc("b", [("U", "party", False)])
    b.tasks[0]["uid"] = "a#1"
    for edge in b.edges["LEADS"]:
        edge["uid"] = "a#1"
    with pytest.raises(InputError, match=r"^task a#1 appears twice \(documents a and b\); give"):
        write_import([a, b], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_mixed_type_property_is_refused(tmp_path: Path) -> None:
    a, b = doc("a", [("U", "party", False)]), doc("b", [("U", "party", False)])
    b.tasks[0]["number"] = 2
    with pytest.raises(InputError, match=r"^Task property 'number' mixes str and int values$"):
        write_import([a, b], tmp_path / "out")


def test_a_previous_export_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_import([doc("a", [("U", "party", False)])], out)
    (out / "import.report").write_text("the importer's report")
    write_import([doc("b", [("V", "party", False)])], out)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert rows_of(out / "units.csv")[1:] == [["V", "party", "false"]]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


def test_a_foreign_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="the folder holds other files, not a dutygraph export"):
        write_import([doc("a", [("U", "party", False)])], tmp_path)
    write_import([doc("a", [("U", "party", False)])], tmp_path, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*FILES, "notes.txt"])
    # Now it holds an export and more: still not ours to replace whole.
    with pytest.raises(InputError, match="the folder holds other files"):
        write_import([doc("b", [("U", "party", False)])], tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_failed_write_leaves_the_previous_export_and_no_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_import([doc("a", [("U", "party", False)])], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def half(rows: Any, folder: Path) -> None:
        (folder / "documents.csv").write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bulk, "_write_files", half)
    with pytest.raises(InputError, match=r"cannot write the export \(OSError: No space left"):
        write_import([doc("b", [("V", "party", False)])], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert is_export(out) and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match=r"f: is a file, not a folder; name a folder$"):
        write_import([], tmp_path / "f")


def test_cli_writes_the_export_and_prints_the_next_commands(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("export", "--format", "neo4j-import", SEED, str(out))
    assert (code, stderr) == (0, "")
    lines = stdout.splitlines()
    assert lines[: len(FILES)] == [str(out / name) for name in FILES]
    assert lines[len(FILES)] == (
        "55 nodes, 282 relationships. Next, into the bundled Neo4j (replaces its database "
        "neo4j; no server running on that data folder):"
    )
    assert lines[len(FILES) + 1 : len(FILES) + 3] == [
        f"  tools/neo4j/import --data tools/neo4j/data {out}",
        f"  tools/neo4j/serve --data tools/neo4j/data --schema {out / 'schema.cypher'}",
    ]
    assert lines[-3].startswith(f"  cd {out} && neo4j-admin database import full --nodes=")
    assert lines[-3].endswith(" --bad-tolerance=0 neo4j")
    assert lines[-1] == f"  cypher-shell -u neo4j -d neo4j -f {out / 'schema.cypher'}"
    # Collectives are expanded by default, as push does: the derived edges are there.
    vias = {r[7] for r in rows_of(out / "supports.csv")[1:]}
    assert {"", "未保委成员单位"} <= vias


def test_cli_without_expansion_and_with_o(tmp_path: Path) -> None:
    args = ["export", "--format", "neo4j-import", "--input", SEED, "--no-expand-collectives"]
    code, stdout, _ = run_cli(*args, "-o", str(tmp_path / "o"))
    assert code == 0 and stdout.splitlines()[len(FILES)].startswith("55 nodes, 144 relationships")
    assert {r[7] for r in rows_of(tmp_path / "o" / "supports.csv")[1:]} == {""}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "neo4j-import"],
            "dutygraph: error: --format neo4j-import needs the folder to write; give it last: "
            "dutygraph export --format neo4j-import PLANS... DIR\n",
        ),
        (
            ["--format", "neo4j-import", "--projection", "out"],
            "dutygraph: error: --projection does not go with --format neo4j-import\n",
        ),
        (["--example"], "dutygraph: error: missing -o FILE; or use --format neo4j-import DIR\n"),
        (
            ["--example", "-o", "x.gexf", "--force"],
            "dutygraph: error: --force only goes with --format neo4j-import\n",
        ),
    ],
)
def test_cli_bad_usage_is_one_line_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", *args])
    assert (code, *capsys.readouterr()) == (2, "", message)


def test_cli_refuses_a_foreign_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code = main(["export", "--format", "neo4j-import", SEED, str(tmp_path)])
    stdout, stderr = capsys.readouterr()
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"dutygraph: error: {tmp_path}: the folder holds other files, not a dutygraph export; "
        "name a new or empty folder, or add --force to write beside them\n"
    )
    code, _, _ = run_cli("export", "--format", "neo4j-import", SEED, str(tmp_path), "--force")
    assert code == 0 and is_export(tmp_path) and (tmp_path / "notes.txt").exists()


def test_cli_members_choose_the_expansion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = tmp_path / "members.yaml"
    members.write_text("未保委成员单位: [市教育局, 团市委]\n", encoding="utf-8")
    args = ["export", "--format", "neo4j-import", SEED, str(tmp_path / "o")]
    code, _, _ = run_cli(*args, "--members", str(members))
    assert code == 0
    derived = [r for r in rows_of(tmp_path / "o" / "supports.csv")[1:] if r[7] == "未保委成员单位"]
    assert sorted({r[0] for r in derived}) == ["团市委", "市教育局"]
    code = main([*args, "--members", str(members), "--no-expand-collectives"])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Error: --members needs --expand-collectives"
    )
