"""``dutygraph report`` and its parts: the page's structure and figures, escaping, no requests,
the CLI, and the CJK chart it embeds (:mod:`dutygraph.views.charts`)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from dutygraph import build_graph, example_path, parse_workplan
from dutygraph.cli import main
from dutygraph.graph.records import Document
from dutygraph.views.maps import render_map
from dutygraph.views.report import render_report, report_csp

HOSTILE_TEXT = (
    "要点\n一、任务\n1.甲。（牵头单位：市<script>alert(1)</script>局；"
    "配合单位：<img src=x onerror=alert(1)>局）\n"
)
URL_ATTRS = ("src", "href", "action", "formaction", "srcset", "poster", "data", "xlink:href")


@pytest.fixture(scope="module")
def seed_page(seed_doc: Document) -> str:
    return render_report([seed_doc])


@pytest.fixture(scope="module")
def hostile_doc() -> Document:
    return parse_workplan(HOSTILE_TEXT, doc_id="h")


@pytest.fixture(scope="module")
def hostile_page(hostile_doc: Document) -> str:
    return render_report([hostile_doc], title="<b>简报</b><script>alert(2)</script>")


def split(page: str) -> tuple[LexborHTMLParser, str]:
    """The report's tree, and the map page its iframe's srcdoc holds (unescaped by the parser)."""
    tree = LexborHTMLParser(page)
    frames = tree.css("iframe")
    assert len(frames) == 1
    srcdoc = frames[0].attributes["srcdoc"]
    assert srcdoc is not None
    return tree, srcdoc


def text_of(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    assert node is not None, selector
    return node.text(separator=" ", strip=True)


def executable_scripts(tree: LexborHTMLParser) -> list[str]:
    return [
        n.text(deep=True)
        for n in tree.css("script")
        if n.attributes.get("type") in (None, "", "text/javascript", "module")
    ]


def sha256_source(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def url_attributes(tree: LexborHTMLParser) -> list[tuple[str, str, str]]:
    out = []
    node: LexborNode
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            if name.lower() in URL_ATTRS:
                out.append((node.tag or "", name, value or ""))
    return out


def test_seed_report_headline_figures(seed_page: str) -> None:
    tree, _ = split(seed_page)
    assert text_of(tree, "title") == "安顺市2023年度未成年人保护工作要点 · 分工情况简报"
    assert text_of(tree, "#fig-documents .num") == "1"
    assert text_of(tree, "#fig-tasks .num") == "23"
    assert text_of(tree, "#fig-units .num") == "31"
    assert text_of(tree, "#fig-assignments .num") == "121"
    assert text_of(tree, "#fig-no-lead") == "无牵头单位的任务 35% 8/23"
    assert text_of(tree, "#dg-lead-line") == (
        "23 项任务中有 8 项（35%）没有牵头单位；有协调缺口的任务 13 项，"
        "只有一家牵头单位的任务 14 项（风险，不计入缺口）。"
    )
    assert "市未成年人保护委员会办公室，2023-03-31" in text_of(tree, ".sources")


def test_seed_report_sections_in_order(seed_page: str) -> None:
    tree, _ = split(seed_page)
    assert [text_of(tree, f"#{s} h2") for s in ("dg-figures", "dg-gaps", "dg-load")] == [
        "一、总体情况",
        "二、协调缺口",
        "三、单位负荷",
    ]
    assert [n.text(strip=True) for n in tree.css("h2")] == [
        "需要关注",
        "一、总体情况",
        "二、协调缺口",
        "三、单位负荷",
        "四、分工矩阵",
        "五、责任网络图",
        "文件来源",
        "说明",
    ]


def test_seed_report_gaps_quote_their_evidence(seed_page: str) -> None:
    tree, _ = split(seed_page)
    heads = [n.text(strip=True) for n in tree.css("table.gaps tr.kind th")]
    assert heads == [
        "无牵头单位（no-lead）：8 项任务",
        "多头牵头（multi-lead）：1 项任务",
        "仅有笼统的集合单位（collective-only）：5 项任务",
        "责任单位多而无牵头（diffuse）：6 项任务",
        "唯一牵头单位（依赖一家）（single-lead-dependency）：14 项任务",
    ]
    first = [n.text(strip=True) for n in tree.css("tbody.k-no-lead tr")[1].css("td")]
    assert first == ["3", "健全法规政策", "—", "责任单位: 市民政局、市卫生健康局"]
    multi = [n.text(strip=True) for n in tree.css("tbody.k-multi-lead tr")[1].css("td")]
    assert multi[:2] == ["7", "加强家庭教育指导"]
    assert multi[3] == "牵头单位:市妇联、市教育局、市民政局,配合单位: 市未保委其他成员单位"
    assert len(tree.css("table.gaps q.evidence")) == 34
    summary = text_of(tree, "details summary")
    assert summary.startswith("另有 14 项任务存在风险（唯一牵头单位（依赖一家））")


def test_seed_report_load_chart_and_table(seed_page: str) -> None:
    tree, _ = split(seed_page)
    svg = tree.css_first("#dg-chart svg")
    assert svg is not None
    assert svg.attributes["aria-label"] == "单位负荷排名（前 15 位）"
    assert svg.attributes["viewbox" if "viewbox" in svg.attributes else "viewBox"]
    assert len(svg.css("path")) > 100  # bars and text drawn as paths: no font needed
    rows = [[td.text(strip=True) for td in tr.css("td")] for tr in tree.css("table.load tbody tr")]
    assert len(rows) == 15
    assert rows[0] == ["1", "市教育局", "4", "4", "4", "24", "4.8×"]
    assert rows[1][:2] == ["2", "市民政局"]
    flagged = [tr.css("td")[1].text(strip=True) for tr in tree.css("table.load tr.flag")]
    assert flagged == [r[1] for r in rows[:7]]


def test_seed_report_reuses_the_matrix(seed_page: str, seed_doc: Document) -> None:
    from dutygraph.graph.collectives import expand_collectives
    from dutygraph.views.matrix import matrix_html, responsibility_matrix

    columns, rows = responsibility_matrix(expand_collectives(build_graph([seed_doc])))
    page = matrix_html(columns, rows, title="")
    table = page[page.index("<table>") : page.rindex("</table>") + len("</table>")]
    assert table in seed_page
    tree, _ = split(seed_page)
    assert len(tree.css("#dg-matrix tbody tr")) == 23
    assert len(tree.css("#dg-matrix tr.gap")) == 13  # tasks 1–8, 13–15, 19, 20 but 9–12


def test_seed_report_embeds_the_map_page_exactly(seed_page: str, seed_doc: Document) -> None:
    _, srcdoc = split(seed_page)
    assert srcdoc == render_map(build_graph([seed_doc]))
    assert 'sandbox="allow-scripts"' in seed_page


def test_csp_allows_exactly_the_maps_scripts(seed_page: str) -> None:
    tree, srcdoc = split(seed_page)
    metas = tree.css('meta[http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1
    policy = metas[0].attributes["content"] or ""
    hashes = " ".join(sha256_source(code) for code in executable_scripts(LexborHTMLParser(srcdoc)))
    assert policy == report_csp(hashes)
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert executable_scripts(tree) == []  # the report itself runs nothing


def test_report_makes_no_requests(seed_page: str) -> None:
    tree, srcdoc = split(seed_page)
    outside = re.sub(r'srcdoc="[^"]*"', "", seed_page)
    assert len(outside) < len(seed_page) / 2
    outside = re.sub(r"url\(data:font/woff2;base64,[A-Za-z0-9+/=]+\)", "url(data:)", outside)
    assert re.findall(r"https?:|ftp:|//[a-z]", outside, flags=re.IGNORECASE) == []
    for part in (tree, LexborHTMLParser(srcdoc)):
        for tag, name, value in url_attributes(part):
            assert value.startswith(("#", "data:")), (tag, name, value)
    assert "@import" not in seed_page and "url(http" not in seed_page


def test_hostile_names_are_escaped(hostile_page: str, hostile_doc: Document) -> None:
    units = [a.unit for a in hostile_doc.assignments]
    assert any("<script>" in u for u in units) and any("<img" in u for u in units)
    tree, srcdoc = split(hostile_page)
    assert tree.css("script") == [] and tree.css("img") == []
    assert "简报" not in " ".join(n.text() for n in tree.css("b"))
    for node in tree.css("*"):
        assert not [a for a in node.attributes if a.lower().startswith("on")], node.tag
    assert "<script>alert" not in hostile_page and "<img src=x" not in hostile_page
    assert "市&lt;script&gt;alert(1)&lt;" in hostile_page
    assert text_of(tree, "title") == "<b>简报</b><script>alert(2)</script>"
    gap_text = text_of(tree, "table.gaps")
    assert "牵头单位：市<script>alert(1)</script>局；配合单位：<img src=x onerror=alert(1)>局" in (
        gap_text
    )
    mapped = LexborHTMLParser(srcdoc)
    assert len(mapped.css("script")) == 3 and mapped.css("img") == []
    assert "<script>alert" not in srcdoc and "<img src=x" not in srcdoc


def test_report_without_map_or_chart_allows_no_script(seed_doc: Document) -> None:
    page = render_report([seed_doc], include_map=False, include_chart=False, top=3)
    tree = LexborHTMLParser(page)
    assert tree.css("iframe") == [] and tree.css("#dg-chart") == []
    policy = tree.css_first('meta[http-equiv="Content-Security-Policy"]')
    assert policy is not None and "script-src 'none'" in (policy.attributes["content"] or "")
    assert len(tree.css("table.load tbody tr")) == 3


def test_report_of_two_documents_names_tasks_by_plan_and_number(seed_doc: Document) -> None:
    other = parse_workplan("要点\n一、任务\n1.甲。（责任单位：市民政局）\n", doc_id="b")
    page = render_report([seed_doc, other], include_map=False, include_chart=False)
    tree = LexborHTMLParser(page)
    assert text_of(tree, "title") == "2 份文件 · 分工情况简报"
    assert text_of(tree, "#fig-documents .num") == "2"
    numbers = [tr.css("td")[0].text() for tr in tree.css("tbody.k-no-lead tr")[1:]]
    assert numbers[-1] == "要点 · 1" and numbers[0] == "安顺市2023年度未成年人保护工作要点 · 3"


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    code, out, err = run(
        "report", "--input", str(example_path()), "-o", str(target), "--no-map", capsys=capsys
    )
    assert (code, out.strip(), err) == (0, str(target), "")
    page = target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert '<span class="num">121</span>' in page and "（配）" in page


def test_cli_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = tmp_path / "members.csv"
    members.write_text("collective,unit\n未保委成员单位,团市委\n", encoding="utf-8")
    target = tmp_path / "r.htm"
    args = ["report", "--example", "-o", str(target), "--no-map", "--title", "<i>简报</i>"]
    code, _, _ = run(*args, "--members", str(members), "--top", "3", capsys=capsys)
    assert code == 0
    tree = LexborHTMLParser(target.read_text(encoding="utf-8"))
    assert text_of(tree, "h1") == "<i>简报</i>" and tree.css("main i") == []
    assert "成员见用户提供的成员名单" in text_of(tree, "#dg-notes")
    assert len(tree.css("table.load tbody tr")) == 3
    code, _, _ = run(*args, "--no-expand-collectives", capsys=capsys)
    assert code == 0 and "（配）" not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "report.pdf"], "report.pdf must end in .html or .htm"),
        (["-o", "/nonexistent-dir/r.html"], "/nonexistent-dir/r.html: cannot write the file"),
        (["--input", "/nonexistent/plan.txt"], "/nonexistent/plan.txt"),
        (["--no-expand-collectives", "--members", "m.csv"], "--members needs --expand-coll"),
    ],
)
def test_cli_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--input" not in args:
        args = ["--example", *args]
    else:
        args = [*args, "-o", str(tmp_path / "r.html")]
    code, out, err = run("report", "--no-map", *args, capsys=capsys)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_cli_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("report", "--help", capsys=capsys)
    assert code == 0
    for option in ("--input", "-o, --output", "--title", "--expand-collectives", "--members"):
        assert option in out


# ------------------------------------------------------------------ what needs action


def generated(n: int) -> list[Document]:
    """The first ``n`` plans of the generated benchmark corpus (seed 1)."""
    from benchmarks.corpus import generate_document

    return [
        parse_workplan(g.text, doc_id=g.doc_id) for g in (generate_document(i) for i in range(n))
    ]


@pytest.fixture(scope="module")
def twelve() -> list[Document]:
    return generated(12)


@pytest.fixture(scope="module")
def twelve_page(twelve: list[Document]) -> str:
    return render_report(twelve, include_map=False, include_chart=False)


@pytest.fixture(scope="module")
def many() -> list[Document]:
    return generated(165)


@pytest.fixture(scope="module")
def many_page(many: list[Document]) -> str:
    return render_report(many, include_map=False, include_chart=False)


def expected_plan_rows(docs: list[Document]) -> list[tuple[int, int, int, str | None]]:
    """Per plan, from the records alone: tasks, tasks without a lead, units named, and the
    most loaded unit that is not a collective (lead 3, responsible 2, support 1; ties by name)."""
    weights = {"lead": 3, "responsible": 2, "support": 1}
    out = []
    for d in docs:
        loads: dict[str, int] = {}
        for t in d.tasks:
            for a in t.assignments:
                if not a.collective:
                    loads[a.unit] = loads.get(a.unit, 0) + weights[a.role]
        top = min(loads.items(), key=lambda x: (-x[1], x[0]))[0] if loads else None
        units = len({a.unit for t in d.tasks for a in t.assignments})
        out.append((len(d.tasks), sum(1 for t in d.tasks if not t.leads), units, top))
    return out


def test_seed_attention_box_says_what_to_act_on(seed_page: str, seed_doc: Document) -> None:
    from dutygraph.analysis import analyze

    tree, _ = split(seed_page)
    assert text_of(tree, "#dg-attention h2") == "需要关注"
    assert text_of(tree, "#att-no-lead") == (
        "无牵头单位的任务 8 项 ：3 健全法规政策；4 强化系统推进；5 加强宣传引导……"
    )
    flagged = [r for r in analyze([seed_doc]).overload if r["flag"]]
    assert len(flagged) == 7
    assert text_of(tree, "#att-overload") == (
        "负荷过重的单位 7 个 （负荷达中位数两倍及以上）：市教育局（4.8×中位数）、"
        "市民政局（4.8×中位数）、市公安局（2.8×中位数）……"
    )
    assert text_of(tree, "#att-gaps") == (
        "有协调缺口的任务 13 项（每项只计一次；无牵头单位 8、责任单位多而无牵头 6、"
        "仅有笼统的集合单位 5、多头牵头 1） 。"
    )
    assert tree.css("#att-plans") == [] and tree.css("#dg-plans") == []
    rows = [[td.text() for td in tr.css("td")] for tr in tree.css("#dg-top-units tbody tr")]
    assert rows == [
        ["市教育局", "4", "4", "4", "24", "4.8×"],
        ["市民政局", "3", "1", "7", "24", "4.8×"],
        ["市公安局", "0", "4", "5", "14", "2.8×"],
        ["市卫生健康局", "0", "4", "5", "14", "2.8×"],
        ["市人民检察院", "3", "0", "2", "13", "2.6×"],
    ]
    # every link of the box leads to a part of the page
    ids = {n.attributes["id"] for n in tree.css("[id]")}
    links = [a.attributes["href"] or "" for a in tree.css("#dg-attention a")]
    assert links == ["#gap-no-lead", "#dg-load", "#dg-gaps"]
    assert all(link[1:] in ids for link in links)


def test_attention_box_and_figures_come_before_the_details(seed_page: str) -> None:
    order = [seed_page.index(f'id="{i}"') for i in ("dg-attention", "dg-figures", "dg-gaps")]
    assert order == sorted(order)
    assert seed_page.index('id="dg-sources"') > seed_page.index('id="dg-map"')
    tree, _ = split(seed_page)
    assert tree.css("header .sources") == [] and tree.css("#dg-sources details") == []


def test_no_lead_tasks_due_soonest_come_first() -> None:
    text = (
        "X市2024年要点\n一、任务\n1.甲。（责任单位：市民政局）\n"
        "2.乙。（责任单位：市妇联；完成时限：2024年6月底）\n"
        "3.丙。（责任单位：团市委；完成时限：2024年3月底前）\n"
        "4.丁。（牵头单位：市教育局）\n"
    )
    tree = LexborHTMLParser(
        render_report([parse_workplan(text, doc_id="d")], include_map=False, include_chart=False)
    )
    assert text_of(tree, "#att-no-lead") == (
        "无牵头单位的任务 3 项 ：3 丙（2024-03-31 到期）；2 乙（2024-06-30 到期）；1 甲"
    )


def test_several_plans_per_plan_table_adds_up(twelve_page: str, twelve: list[Document]) -> None:
    from dutygraph.analysis import analyze
    from dutygraph.views.maps.style import plan_names

    s = analyze(twelve).summary
    tree = LexborHTMLParser(twelve_page)
    names = plan_names({d.id: {"title": d.title} for d in twelve})
    rows = [[td.text() for td in tr.css("td")] for tr in tree.css("#dg-plan-table tbody tr")]
    assert [r[0] for r in rows] == [names[d.id] for d in twelve]
    expected = expected_plan_rows(twelve)
    assert [(int(r[1]), int(r[2]), int(r[4])) for r in rows] == [e[:3] for e in expected]
    assert [r[5].split("（")[0] for r in rows] == [e[3] for e in expected]
    gapped = [len({g["uid"] for g in analyze([d]).gaps}) for d in twelve]
    assert [int(r[3]) for r in rows] == gapped
    total = [n.text() for n in tree.css("#dg-plan-table tfoot tr > *")]
    assert total == [
        "合计（12 份）",
        str(s["tasks"]),
        str(s["tasks_without_lead"]),
        str(s["tasks_with_gaps"]),
        "",
        "",
    ]
    assert sum(gapped) == s["tasks_with_gaps"]  # a task is in one plan: no double counting
    assert text_of(tree, "#att-plans") == "各文件情况见分文件汇总表 。"
    assert text_of(tree, "#att-no-lead").startswith(
        f"无牵头单位的任务 {s['tasks_without_lead']} 项 ：{names['plan_000000']} · 一."
    )
    worst = sorted(
        zip(gapped, [names[d.id] for d in twelve], strict=True), key=lambda x: (-x[0], x[1])
    )
    assert (
        f"分布在 {sum(1 for g in gapped if g)} 份文件中，最多的是 {worst[0][1]} {worst[0][0]} 项"
        in (text_of(tree, "#att-gaps"))
    )


def test_several_plans_name_tasks_by_plan_never_by_uid(twelve_page: str) -> None:
    tree = LexborHTMLParser(twelve_page)
    for part in ("#dg-attention", "#dg-gaps", "#dg-matrix"):
        assert "plan_0000" not in text_of(tree, part), part
    first = [td.text() for td in tree.css("tbody.k-no-lead tr")[1].css("td")][:2]
    assert first[0].startswith(tree.css("#dg-plan-table tbody tr")[0].css("td")[0].text() + " · ")


def test_several_plans_matrix_is_one_closed_table_per_plan(
    twelve_page: str, twelve: list[Document]
) -> None:
    from dutygraph.analysis import analyze

    tree = LexborHTMLParser(twelve_page)
    groups = tree.css("#dg-matrix details.plan")
    assert len(groups) == 12 and all("open" not in g.attributes for g in groups)
    plans = [[td.text() for td in tr.css("td")] for tr in tree.css("#dg-plan-table tbody tr")]
    assert [g.css_first("summary").text() for g in groups] == [
        f"{p[0]}（{p[1]} 项任务，有协调缺口 {p[3]} 项）" for p in plans
    ]
    for group, doc in zip(groups, twelve, strict=True):
        assert len(group.css("tbody tr")) == len(doc.tasks)
        units = [th.text() for th in group.css("thead th.u")]
        assert set(units) >= {a.unit for t in doc.tasks for a in t.assignments}
        for j in range(len(units)):  # only the units this plan names (or its collectives expand to)
            marks = [tr.css("td.m")[j].text() for tr in group.css("tbody tr")]
            assert any(marks), units[j]
        assert len(group.css("thead tr.totals")) == 1
    assert sum(len(g.css("tbody tr")) for g in groups) == analyze(twelve).summary["tasks"]


def test_many_plans_report_stays_short(many_page: str, many: list[Document]) -> None:
    from dutygraph.analysis import analyze
    from dutygraph.views.matrix import responsibility_matrix, unit_totals

    tree = LexborHTMLParser(many_page)
    analysis = analyze(many)
    assert analysis.summary["tasks"] == 2978 and len(many) == 165
    assert text_of(tree, "#dg-sources details summary") == "共 165 份文件（点击展开）"
    assert len(tree.css("#dg-sources li")) == 165
    assert text_of(tree, "#dg-matrix-note").startswith("共 2978 项任务，这里列出单位 × 文件的汇总")
    assert tree.css("#dg-matrix details.plan") == []
    table = tree.css_first("#dg-matrix table.unit-plan")
    assert table is not None
    assert len(table.css("thead th.u")) == 165
    columns, rows = responsibility_matrix(analysis.queried)
    totals = unit_totals(columns, rows)
    got = [[td.text() for td in tr.css("td")[:4]] for tr in table.css("tbody tr")]
    assert got == [
        [c, str(totals[c]["牵"]), str(totals[c]["配"]), str(totals[c]["责"])] for c in columns
    ]
    assert len(tree.css("#dg-matrix tr")) == len(columns) + 1
    assert len(tree.css("#dg-plan-table tbody tr")) == 165
    assert "plan_0000" not in text_of(tree, "#dg-gaps")
