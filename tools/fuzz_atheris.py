"""Coverage-guided fuzzing of the readers and the parser with atheris (libFuzzer for Python).

atheris is not a dependency of dutygraph; install it for a fuzz run only (a manylinux wheel
exists for CPython 3.11 on x86-64 Linux)::

    pip install atheris
    python tools/fuzz_atheris.py text -max_total_time=600        # one target, 10 minutes
    python tools/fuzz_atheris.py all --seconds 1200              # every target, 20 minutes

Targets, each a property that must hold for *any* input:

``bytes``  bytes → :func:`~dutygraph.extract.decode.decode_bytes` (and the metadata lines): text
           with ``\\n`` line endings, or our ``InputError``.
``html``   bytes → :func:`~dutygraph.extract.formats_html.html_text`: text, or ``InputError``.
``docx``   bytes → :func:`~dutygraph.extract.formats_docx.docx_text`. Input starting with
           ``PK`` is a whole file; any other input becomes ``word/document.xml`` of an
           otherwise valid package, so the fuzzer gets past the zip layer.
``pdf``    bytes → :func:`~dutygraph.extract.formats_pdf.pdf_text`. Input starting with
           ``%PDF`` is a whole file; any other input becomes the content stream of the page of
           a valid one-page PDF.
``text``   text (the input as UTF-8, bad bytes replaced) →
           :func:`~dutygraph.parse_workplan`: a document or our ``ParseError``, with every span
           pointing at the name as written (``check`` of ``tests/test_parse_props.py``).

Any other exception, a hang (``-timeout``, 20 s by default here) or an out-of-memory
(``-rss_limit_mb``, 2048 MB by default) is a finding: libFuzzer prints the traceback, writes
the input to ``.fuzz/crash-…``/``timeout-…``/``oom-…`` and stops. Replay one with
``python tools/fuzz_atheris.py TARGET .fuzz/crash-…`` (libFuzzer's ``-fork`` mode, which
would go on past a crash, does not work under atheris). The corpus grows in
``.fuzz/<target>/`` (seeded from the bundled example on first use; the ``-dict`` tokens are
written beside it); further arguments are libFuzzer's (``-runs=N``, ``-max_len=N``,
``-seed=N``…).

With ``all``, the targets run one after another in child processes, sharing ``--seconds``
(``text`` gets 40 %, the readers 15 % each), and one JSON line per target gives the figures:
inputs executed, seconds, coverage (``cov``: edges, ``ft``: features), corpus size, findings.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGETS = ("text", "bytes", "html", "docx", "pdf")
SHARE = {"text": 0.4, "bytes": 0.15, "html": 0.15, "docx": 0.15, "pdf": 0.15}
FUZZ_DIR = Path(".fuzz")
#: The packages whose code is instrumented for coverage, per target (imported first).
INSTRUMENT = {
    "text": ["dutygraph"],
    "bytes": ["dutygraph", "charset_normalizer"],
    "html": ["dutygraph", "charset_normalizer", "selectolax"],
    "docx": ["dutygraph", "docx"],
    "pdf": ["dutygraph", "pdfminer", "pdfplumber"],
}
DEFAULT_FLAGS = ["-timeout=20", "-rss_limit_mb=2048", "-print_final_stats=1"]


# --- seeds and dictionaries -------------------------------------------------------------------


def _seed_text() -> str:
    from dutygraph import example_path

    return Path(example_path()).read_text(encoding="utf-8")


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_DOCX_TEMPLATE: dict[str, bytes] = {}


def _docx_with_body(xml: bytes) -> bytes:
    """A valid ``.docx`` package whose ``word/document.xml`` is ``xml``."""
    if not _DOCX_TEMPLATE:
        with zipfile.ZipFile(io.BytesIO(_docx_bytes(["x"]))) as package:
            _DOCX_TEMPLATE.update({n: package.read(n) for n in package.namelist()})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in _DOCX_TEMPLATE.items():
            package.writestr(name, xml if name == "word/document.xml" else data)
    return out.getvalue()


def _pdf_with_content(content: bytes) -> bytes:
    from tests.test_read import make_pdf

    return make_pdf([content])


def seeds(target: str) -> dict[str, bytes]:
    """Seed inputs of a target: the bundled example in the shapes that target reads."""
    text = _seed_text()
    sections = re.split(r"\n(?=[一二三四五六七]、)", text)
    small = "\n".join(text.splitlines()[10:20]) + "\n"
    if target == "text":
        found = {f"section{i}": s.encode() for i, s in enumerate(sections)}
        forms = (
            "一、任务\n1.甲。市教育局牵头，市民政局配合。\n2.乙。（市妇联、团市委负责）\n"
            "3.丙。列第一位者为牵头单位，下同。（市教育局、市公安局）\n"
            "(1)丁。由市委宣传部会同有关部门负责。\n①戊。各县（区）人民政府按职责分工负责。\n"
        )
        return {"plan": text.encode(), "forms": forms.encode(), **found}
    if target == "bytes":
        return {
            "utf8": small.encode(),
            "utf8-sig": small.encode("utf-8-sig"),
            "gb18030": small.encode("gb18030"),
            "utf16": small.encode("utf-16"),
            "utf16le": small.encode("utf-16-le"),
            "big5": "一、加強統籌謀劃\n1.加強理論學習。（牽頭單位：市教育局）\n".encode("big5"),
            "binary": bytes(range(256)),
        }
    if target == "html":
        body = "".join(f"<p>{line}</p>\n" for line in small.splitlines())
        page = (
            '<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="工作要点">'
            "<script>var x=1;</script><style>p{}</style></head><body>"
            "<table><tr><td>索 引 号：</td><td>0001/2023-1</td><td>发布机构：</td><td></td></tr>"
            "<tr><td>名 称：</td><td>关于印发工作要点的通知</td></tr></table>"
            f'<div class="TRS_Editor">{body}<table><tr><td>序号</td><td>任务</td></tr>'
            "<tr><td>1</td><td>加强学习</td></tr></table></div></body></html>"
        )
        gbk = page.replace("utf-8", "gbk")
        return {"page": page.encode(), "gbk": gbk.encode("gbk"), "bare": body.encode()}
    if target == "docx":
        table = [
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "加强理论学习。", "市教育局", "市民政局、团市委", "年底"],
            ["2", "完善工作机制。", "市妇联", "", ""],
        ]
        whole = _docx_bytes(small.splitlines(), table)
        with zipfile.ZipFile(io.BytesIO(whole)) as package:
            xml = package.read("word/document.xml")
        return {"file": whole, "document-xml": xml}
    if target == "pdf":
        from tests.test_read import cjk_pdf

        content = b"BT /F1 12 Tf 72 720 Td (1. Jia. (lead: Education Bureau)) Tj 0 -14 Td "
        content += b"[(2.) -250 (Yi)] TJ T* (x) ' ET"
        return {"file": _pdf_with_content(content), "content": content, "cjk": cjk_pdf(small)}
    raise ValueError(target)


def dictionary(target: str) -> list[bytes]:
    """libFuzzer ``-dict`` tokens of a target."""
    if target in ("text", "bytes", "docx"):
        from tests.test_parse_props import PIECES

        tokens = [p.encode() for p in PIECES] + ["牵头单位：".encode(), "责任部门".encode()]
        if target == "docx":
            tokens += [b"<w:p>", b"</w:p>", b"<w:r>", b"<w:t>", b"</w:t>", b"<w:tbl>", b"<w:tr>"]
            tokens += [b"<w:tc>", b"</w:tc>", b"<w:gridSpan w:val=", b'<w:vMerge w:val="restart"/>']
        return tokens
    if target == "html":
        tags = ["<table>", "<tr>", "<td>", "</td>", "<p>", "<br>", "<div class=", "<script>"]
        tags += ["<meta charset=", '<meta name="PubDate" content=', "索 引 号：", "TRS_Editor"]
        tags += ["<!--", "-->", "&nbsp;", "&#", "<li>", "<h1>", "</table>", "colspan="]
        return [t.encode() for t in tags]
    if target == "pdf":
        ops = ["BT", "ET", "Tf", "Td", "TD", "Tj", "TJ", "T*", "'", "Tm", "cm", "q", "Q", "Do"]
        ops += ["/F1", "<<", ">>", "obj", "endobj", "stream", "endstream", "xref", "trailer"]
        ops += ["/ToUnicode", "/Encoding", "/Filter /FlateDecode", "/Length", "R", "startxref"]
        return [t.encode() for t in ops]
    raise ValueError(target)


def _escape(token: bytes) -> str:
    return "".join(chr(b) if 0x20 <= b < 0x7F and b not in b'"\\' else f"\\x{b:02x}" for b in token)


def prepare(target: str, folder: Path) -> Path:
    """Create the corpus folder of a target (seeded when new) and its dictionary file."""
    corpus = folder / target
    if not corpus.is_dir() or not any(corpus.iterdir()):
        corpus.mkdir(parents=True, exist_ok=True)
        for name, data in seeds(target).items():
            (corpus / f"seed-{name}").write_bytes(data)
    tokens = dictionary(target)
    (folder / f"{target}.dict").write_text(
        "".join(f'"{_escape(t)}"\n' for t in tokens), encoding="ascii"
    )
    return corpus


# --- the properties ---------------------------------------------------------------------------


def target_function(target: str) -> Callable[[bytes], None]:
    """The function libFuzzer calls with each input; any exception it lets out is a finding."""
    from dutygraph import ParseError, parse_workplan
    from dutygraph.errors import InputError
    from dutygraph.extract.decode import decode_bytes, meta_from_lines
    from dutygraph.extract.formats_docx import docx_text
    from dutygraph.extract.formats_html import html_text
    from dutygraph.extract.formats_pdf import pdf_text
    from tests.test_parse_props import check

    def fuzz_bytes(data: bytes) -> None:
        try:
            text, encoding = decode_bytes(data)
        except InputError:
            return
        assert isinstance(text, str) and encoding and "\r" not in text
        meta_from_lines(text)

    def fuzz_html(data: bytes) -> None:
        try:
            text, encoding, meta = html_text(data)
        except InputError:
            return
        assert isinstance(text, str) and encoding and isinstance(meta, dict)

    def fuzz_docx(data: bytes) -> None:
        package = data if data.startswith(b"PK") else _docx_with_body(data)
        try:
            assert isinstance(docx_text(package), str)
        except InputError:
            return

    def fuzz_pdf(data: bytes) -> None:
        package = data if data.startswith(b"%PDF") else _pdf_with_content(data)
        try:
            assert isinstance(pdf_text(package), str)
        except InputError:
            return

    def fuzz_text(data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        try:
            doc = parse_workplan(text, doc_id="p")
        except ParseError:
            return
        check(doc, text)

    functions = {
        "bytes": fuzz_bytes,
        "html": fuzz_html,
        "docx": fuzz_docx,
        "pdf": fuzz_pdf,
        "text": fuzz_text,
    }
    return functions[target]


# --- running ----------------------------------------------------------------------------------


def fuzz_one(target: str, flags: list[str]) -> None:
    """Fuzz one target in this process (libFuzzer exits the process when done)."""
    import atheris

    # Coverage of our code and of the pure-Python libraries the target's reader calls.
    with atheris.instrument_imports(include=INSTRUMENT[target]):
        function = target_function(target)
    replay = [f for f in flags if not f.startswith("-") and Path(f).is_file()]
    args = [sys.argv[0], *flags]
    if not replay:
        corpus = prepare(target, FUZZ_DIR)
        args += [f"-dict={FUZZ_DIR / f'{target}.dict'}", f"-artifact_prefix={FUZZ_DIR}/"]
        given = {flag.split("=")[0] for flag in flags}
        args += [flag for flag in DEFAULT_FLAGS if flag.split("=")[0] not in given]
        args.append(str(corpus))
    atheris.Setup(args, function)
    atheris.Fuzz()


_STAT = re.compile(r"stat::(\w+):\s+(\d+)")
_COV = re.compile(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/")


def figures(log: str, seconds: float) -> dict[str, object]:
    """The figures of one libFuzzer run, from its log."""
    stats = {k: int(v) for k, v in _STAT.findall(log)}
    cov = _COV.findall(log)
    last = cov[-1] if cov else ("0", "0", "0", "0")
    artifacts = re.findall(r"Test unit written to (\S+)", log)
    # A finding whose input was not written (the process died first) still counts.
    found = log.count("=== Uncaught Python exception: ===")
    found += len(re.findall(r"ERROR: libFuzzer: (?:timeout|out-of-memory|deadly signal)", log))
    return {
        "executed": stats.get("number_of_executed_units", int(last[0])),
        "seconds": round(seconds, 1),
        "exec_per_sec": stats.get("average_exec_per_sec"),
        "cov": int(last[1]),
        "ft": int(last[2]),
        "corpus": int(last[3]),
        "new_units": stats.get("new_units_added"),
        "peak_rss_mb": stats.get("peak_rss_mb"),
        "findings": max(found, len(artifacts)),
        "artifacts": artifacts,
    }


def fuzz_all(seconds: float, flags: list[str]) -> int:
    """Every target in turn, each in a child process; one JSON line of figures per target."""
    FUZZ_DIR.mkdir(exist_ok=True)
    found = 0
    for target in TARGETS:
        budget = max(1, round(seconds * SHARE[target]))
        log_path = FUZZ_DIR / f"{target}.log"
        start = time.monotonic()
        with open(log_path, "w", encoding="utf-8") as log:
            command = [sys.executable, __file__, target, f"-max_total_time={budget}", *flags]
            subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
        result = figures(log_path.read_text(encoding="utf-8"), time.monotonic() - start)
        found += int(result["findings"])  # type: ignore[call-overload]
        result = {"target": target, **result}
        print(json.dumps(result), flush=True)
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", choices=[*TARGETS, "all"])
    parser.add_argument("--seconds", type=float, default=1200, help="total, with 'all'")
    args, flags = parser.parse_known_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.target == "all":
        return fuzz_all(args.seconds, flags)
    fuzz_one(args.target, flags)
    return 0


if __name__ == "__main__":
    sys.exit(main())
