"""The leadership briefing: one offline, self-contained HTML file about a plan's division of work.

:func:`render_report` puts on one page what :func:`~dutygraph.analysis.analyze` finds. It
opens on what needs action (:mod:`dutygraph.views.attention`: the 需要关注 box — tasks without
a lead, the soonest due first; overloaded units with their load against the median; tasks with
gaps and, with several plans, the plans with most — each line linking to its detail, beside the
most loaded units), then the headline figures (documents, tasks, units, assignments, the share
of tasks without a lead) and, with several plans, a per-plan table. Below: the tasks without a
lead that fall due soonest (when the plan gives deadlines: the ``due`` catalog entry), the
coordination gaps with the clause that shows each (and the task's deadline), the load ranking
as a chart (inline SVG, text drawn as paths) with its table, the responsibility matrix
(:mod:`dutygraph.views.matrix`: one table, one collapsible table per plan, or past
:data:`MATRIX_ROW_LIMIT` tasks the units × plans summary), the interactive map
(:mod:`dutygraph.views.maps`, in an ``<iframe srcdoc>``) and the source files. Every count is of
distinct tasks, never one twice.
:func:`write_report` writes it atomically.

The page follows the map's rules: every piece of document text is HTML-escaped (the map page,
itself escaped, is escaped once more as the ``srcdoc`` attribute), nothing is fetched, the Chinese
font is a subset of exactly the page's characters embedded as a ``data:`` URL
(:mod:`dutygraph.views.fonts`), and a Content-Security-Policy allows no request and no script
but the map's own, by hash.

>>> from dutygraph import parse_workplan
>>> doc = parse_workplan("要点\\n一、任务\\n1.甲。（牵头单位：市民政局）\\n", doc_id="d")
>>> page = render_report([doc], title="<b>简报</b>", include_map=False, include_chart=False)
>>> "<title>&lt;b&gt;简报&lt;/b&gt;</title>" in page, 'id="fig-tasks"' in page
(True, True)
>>> report_csp("'sha256-AAAA'")[:46]
"default-src 'none'; script-src 'sha256-AAAA'; "
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dutygraph.analysis import Analysis, analyze
from dutygraph.extract.attributes import ONGOING
from dutygraph.files import write_atomic
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import Document
from dutygraph.queries.catalog import run_query
from dutygraph.queries.gaps import gap_label
from dutygraph.views.attention import (
    attention_html,
    plan_names_of,
    plan_rows,
    plan_table_html,
    task_label,
)
from dutygraph.views.fonts import FONT_STACK, font_face_css
from dutygraph.views.matrix import MATRIX_CSS

__all__ = ["MATRIX_ROW_LIMIT", "render_report", "report_csp", "write_report"]

#: Above this many tasks (of several plans), the report's matrix is the units × plans summary;
#: the whole matrix is in ``dutygraph matrix``'s file.
MATRIX_ROW_LIMIT = 300
#: Above this many documents, the list of source files is folded away.
SOURCES_SHOWN = 5

_esc = html.escape


def report_csp(script_hashes: str = "") -> str:
    """The page's Content-Security-Policy: no requests, no scripts but ``script_hashes``.

    An ``<iframe srcdoc>`` inherits its parent's policy, so the map's script hashes must be
    allowed here too.
    """
    scripts = script_hashes or "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )


def _map_section(analysis: Analysis, gazetteer: Gazetteer | None) -> tuple[str, str]:
    """The map as an escaped ``srcdoc`` iframe, and the ``script-src`` sources it needs."""
    from dutygraph.views.maps import render_map

    page = render_map(analysis.graph, gazetteer=gazetteer)
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    policy = html.unescape(meta.group(1)) if meta else ""
    found = re.search(r"script-src ([^;]*)", policy)
    if found is None:
        raise RuntimeError("the map page has no script-src policy to allow")
    iframe = (
        '<iframe id="dg-map-frame" title="责任网络图（交互式）" sandbox="allow-scripts" '
        f'srcdoc="{_esc(page, quote=True)}"></iframe>'
    )
    return iframe, found.group(1).strip()


def _figures(summary: Mapping[str, Any]) -> str:
    share = float(summary["share_without_lead"])
    cards = [
        ("fig-documents", "文件", f"{summary['documents']}", "份"),
        ("fig-tasks", "任务", f"{summary['tasks']}", "项"),
        ("fig-units", "单位", f"{summary['units']}", "个"),
        ("fig-assignments", "分工", f"{summary['assignments']}", "条"),
        (
            "fig-no-lead",
            gap_label("no-lead") + "的任务",
            f"{share:.0%}",
            f"{summary['tasks_without_lead']}/{summary['tasks']}",
        ),
    ]
    return "".join(
        f'<div class="card" id="{cid}"><dt>{label}</dt><dd><span class="num">{value}</span>'
        f'<span class="unit">{unit}</span></dd></div>'
        for cid, label, value, unit in cards
    )


def _gap_table(
    rows: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
    deadlines: Mapping[str, str] | None = None,
) -> str:
    """Rows grouped by kind, each group headed by the kind and how many tasks it concerns; with
    ``deadlines`` (task uid → deadline as written), a 完成时限 column after the task. With
    several plans (``names``: short plan name by document id), a task is its plan's short name
    and its number."""
    several = len(names) > 1
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r["kind"]), []).append(r)
    bodies = []
    span = 5 if deadlines is not None else 4
    for kind, group in groups.items():
        label = _esc(gap_label(kind))
        lines = [
            f'<tr class="kind"><th colspan="{span}">{label}（<code>{_esc(kind)}</code>）：'
            f"{len({r['uid'] for r in group})} 项任务</th></tr>"
        ]
        for r in group:
            number = _esc(task_label(r, names, several))
            unit = _esc(str(r["unit"])) if r.get("unit") else "—"
            evidence = (
                f'<q class="evidence">{_esc(str(r["evidence"]))}</q>'
                if r.get("evidence")
                else '<span class="none">（原文未写明任何单位）</span>'
            )
            deadline = ""
            if deadlines is not None:
                written = deadlines.get(str(r["uid"]))
                deadline = f'<td class="due">{_esc(written) if written else "—"}</td>'
            lines.append(
                f'<tr><td class="n">{number}</td><td>{_esc(str(r["title"]))}</td>{deadline}'
                f"<td>{unit}</td><td>{evidence}</td></tr>"
            )
        bodies.append(
            f'<tbody class="k-{_esc(kind)}" id="gap-{_esc(kind)}">{"".join(lines)}</tbody>'
        )
    due_head = "<th>完成时限</th>" if deadlines is not None else ""
    head = (
        f"<thead><tr><th>序号</th><th>任务</th>{due_head}<th>单位</th><th>原文依据</th></tr>"
        "</thead>"
    )
    return f'<table class="gaps">{head}{"".join(bodies)}</table>'


def _deadlines(analysis: Analysis) -> dict[str, str] | None:
    """Each task's deadline as written, by uid; ``None`` when no task has one."""
    found = {
        str(d["uid"]): str(d["deadline"])
        for _, d in analysis.queried.nodes(data=True)
        if d.get("kind") == "task" and d.get("deadline")
    }
    return found or None


def _due_without_lead(analysis: Analysis, names: Mapping[str, str], top: int = 10) -> str:
    """The tasks without a lead that fall due soonest (dated ones, at most ``top``); empty when
    no task of the plan has a due date."""
    rows = run_query("due", analysis.queried, {"gap": "no-lead"})
    dated = [r for r in rows if r["due"] not in (None, ONGOING)]
    has_dates = any(
        d.get("due") not in (None, ONGOING)
        for _, d in analysis.queried.nodes(data=True)
        if d.get("kind") == "task"
    )
    if not has_dates:
        return ""
    head = f'<h3 id="dg-due-title">即将到期且{gap_label("no-lead")}的任务</h3>'
    if not dated:
        return f'{head}<p id="dg-due">有完成时限的任务都有牵头单位。</p>'
    lines = "".join(
        f'<tr><td class="n">{_esc(task_label(r, names, len(names) > 1))}</td>'
        f"<td>{_esc(str(r['title']))}</td><td>{_esc(str(r['deadline']))}</td>"
        f'<td class="n">{_esc(str(r["due"]))}</td></tr>'
        for r in dated[:top]
    )
    more = (
        f"<p>另有 {len(dated) - top} 项，见 <code>dutygraph due --gap no-lead</code>。</p>"
        if len(dated) > top
        else ""
    )
    return (
        f'{head}<table class="due" id="dg-due"><thead><tr><th>序号</th><th>任务</th>'
        f"<th>完成时限</th><th>到期日</th></tr></thead><tbody>{lines}</tbody></table>{more}"
    )


def _gaps(analysis: Analysis, names: Mapping[str, str]) -> str:
    """The gaps in one table; the risks (tasks that hang on a single lead unit) folded away.
    When the plan gives deadlines, the tasks without a lead that fall due soonest come first
    and the gap tables show each task's deadline."""
    gaps, risks = analysis.gaps, analysis.risks
    deadlines = _deadlines(analysis)
    out = _due_without_lead(analysis, names)
    out += _gap_table(gaps, names, deadlines) if gaps else "<p>未发现任务层面的协调缺口。</p>"
    if risks:
        kinds = "、".join(dict.fromkeys(gap_label(str(r["kind"])) for r in risks))
        tasks = len({r["uid"] for r in risks})
        out += (
            f"<details><summary>另有 {tasks} 项任务存在风险（{_esc(kinds)}）："
            "这些任务只有一家牵头单位，它缺位时任务即无人牵头</summary>"
            f"{_gap_table(risks, names, deadlines)}</details>"
        )
    return out


def _load_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    out = []
    for i, r in enumerate(rows, start=1):
        ratio = "—" if r.get("ratio") is None else f"{float(r['ratio']):.1f}×"
        flag = ' class="flag"' if r.get("flag") else ""
        out.append(
            f'<tr{flag}><td class="n">{i}</td><td>{_esc(str(r["unit"]))}</td>'
            f'<td class="n">{r["lead"]}</td><td class="n">{r["support"]}</td>'
            f'<td class="n">{r["responsible"]}</td><td class="n">{r["load"]:g}</td>'
            f'<td class="n">{ratio}</td></tr>'
        )
    return "".join(out)


def _chart(rows: Sequence[Mapping[str, Any]], top: int) -> str:
    from dutygraph.views.charts import figure_svg, load_chart

    fig = load_chart(rows, top=top)
    return figure_svg(fig, label=f"单位负荷排名（前 {min(top, len(rows))} 位）")


def _matrix(analysis: Analysis) -> str:
    """The matrix (escaped): one plan's table; several plans' collapsible tables, one per plan;
    past :data:`MATRIX_ROW_LIMIT` tasks, the units × plans summary and where to find the rest."""
    from dutygraph.views.matrix import (
        matrix_table_html,
        plan_matrix_html,
        responsibility_matrix,
        several_plans,
        unit_plan_table_html,
    )

    columns, rows = responsibility_matrix(analysis.queried)
    if not several_plans(rows):
        return f'<div class="scroll">{matrix_table_html(columns, rows)}</div>'
    if len(rows) <= MATRIX_ROW_LIMIT:
        return '<p class="hint">点击文件名展开该文件的分工矩阵。</p>' + plan_matrix_html(
            columns, rows
        )
    return (
        f'<p class="hint" id="dg-matrix-note">共 {len(rows)} 项任务，这里列出单位 × 文件的汇总'
        "（各单位在每份文件中牵头、配合、责任的任务数）；逐项任务的完整矩阵请用 "
        "<code>dutygraph matrix -o 分工矩阵.html</code>（或 .xlsx）生成。</p>"
        f'<div class="scroll">{unit_plan_table_html(columns, rows)}</div>'
    )


def _sources(documents: Sequence[Document]) -> str:
    """The list of source files; folded into a ``<details>`` past :data:`SOURCES_SHOWN`."""
    items = []
    for d in documents:
        meta = "，".join(_esc(v) for v in (d.issuer, d.date, d.doc_no) if v)
        items.append(f"<li>《{_esc(d.title or d.id)}》{f'（{meta}）' if meta else ''}</li>")
    listed = f'<ul class="sources">{"".join(items)}</ul>'
    if len(documents) <= SOURCES_SHOWN:
        return listed
    return f"<details><summary>共 {len(documents)} 份文件（点击展开）</summary>{listed}</details>"


def _notes(documents: Sequence[Document], analysis: Analysis, expand: bool) -> str:
    notes = [
        "协调缺口与负荷只计原文直接写明的分工；集合单位（如“未保委成员单位”）不计入负荷排名。",
        "负荷＝牵头×3＋责任×2＋配合×1；负荷达中位单位两倍及以上者以红色标出。",
    ]
    if expand:
        source = analysis.summary.get("members_source") or "inferred"
        how = "由文件中出现的单位推断" if source == "inferred" else "见用户提供的成员名单"
        notes.append(f"分工矩阵中括号内的标记（如“（配）”）由集合单位展开而来，成员{how}。")
    notes.append("网络图展示原文写明的分工；可搜索单位、点击突出其任务、按分工与部分筛选。")
    for d in documents:
        for w in d.warnings:
            notes.append(f"解析提示（{_esc(d.title or d.id)}）：{_esc(w.code)}：{_esc(w.message)}")
    return "".join(f"<li>{n}</li>" for n in notes)


def render_report(
    documents: Sequence[Document],
    *,
    title: str | None = None,
    expand: bool = True,
    members: Mapping[str, Sequence[str]] | None = None,
    k: int = 5,
    top: int = 15,
    gazetteer: Gazetteer | None = None,
    include_chart: bool = True,
    include_map: bool = True,
) -> str:
    """The briefing on ``documents`` as one self-contained HTML page.

    ``expand``, ``members`` and ``k`` are :func:`~dutygraph.analysis.analyze`'s options;
    ``top`` units are charted and tabled; ``gazetteer`` lets the map's search know aliases.
    ``include_chart`` and ``include_map`` leave those parts out (a smaller, faster page).
    """
    from dutygraph import __version__

    analysis = analyze(documents, expand=expand, members=members, k=k)
    s = analysis.summary
    names = plan_names_of(analysis)
    plans = plan_rows(analysis)
    if title is None:
        base = documents[0].title if len(documents) == 1 else f"{len(documents)} 份文件"
        title = f"{base} · 分工情况简报"
    ranking = analysis.overload[:top]
    chart = _chart(analysis.overload, top) if include_chart and ranking else ""
    frame, hashes = _map_section(analysis, gazetteer) if include_map else ("", "")
    lead_line = (
        f"{s['tasks']} 项任务中有 <b>{s['tasks_without_lead']}</b> 项"
        f"（{float(s['share_without_lead']):.0%}）没有牵头单位；有协调缺口的任务 "
        f"<b>{s['tasks_with_gaps']}</b> 项，只有一家牵头单位的任务 "
        f"<b>{s['tasks_with_risks']}</b> 项（风险，不计入缺口）。"
    )
    parts = {
        "CSP": _esc(report_csp(hashes)),
        "VERSION": _esc(__version__),
        "TITLE": _esc(title),
        "SOURCES": _sources(documents),
        "FIGURES": _figures(s),
        "LEAD_LINE": lead_line,
        "ATTENTION": attention_html(analysis, plans),
        "PLANS": (
            f'<section id="dg-plans"><h3>分文件汇总</h3>{plan_table_html(plans)}</section>'
            if len(plans) > 1
            else ""
        ),
        "GAPS": _gaps(analysis, names),
        "CHART": f'<figure id="dg-chart">{chart}</figure>' if chart else "",
        "LOAD_ROWS": _load_rows(ranking) or '<tr><td colspan="7">没有单位。</td></tr>',
        "MATRIX": _matrix(analysis),
        "MAP": frame or "<p>（本简报未附网络图。）</p>",
        "NOTES": _notes(documents, analysis, expand),
        "FONT": FONT_STACK,
        "MATRIX_CSS": MATRIX_CSS,
        "FONT_FACE": "",
    }
    # the page's own font holds the characters of everything but the map's frame, which has its own
    readable = re.sub(r"@@([A-Z_]+)@@", lambda m: {**parts, "MAP": ""}[m.group(1)], PAGE)
    parts["FONT_FACE"] = font_face_css(readable)
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], PAGE)


def write_report(
    path: str | os.PathLike[str], documents: Sequence[Document], **options: Any
) -> Path:
    """Write :func:`render_report`'s page to ``path`` (atomically) and return the path."""
    return write_atomic(path, render_report(documents, **options))


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dutygraph @@VERSION@@">
<meta name="referrer" content="no-referrer">
<title>@@TITLE@@</title>
<style>
@@FONT_FACE@@body { font-family: @@FONT@@; color: #1d2733; background: #fbfbfa; margin: 0;
  line-height: 1.55; font-size: 14px; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 30px 0 10px;
  border-bottom: 2px solid #c0392b; padding-bottom: 4px; }
.sources { color: #5b6873; margin: 0; padding-left: 18px; }
dl.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: #fff; border: 1px solid #dde1e5; border-radius: 6px; padding: 10px 16px;
  min-width: 120px; } .card dt { color: #5b6873; font-size: 13px; } .card dd { margin: 0; }
.card .num { font-size: 30px; font-weight: 700; } .card .unit { margin-left: 4px; color: #5b6873; }
#fig-no-lead .num { color: #c0392b; }
table { border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { border: 1px solid #cfd6dd; padding: 4px 6px; vertical-align: top; }
thead th { background: #e8ecf0; } td.n { text-align: right; white-space: nowrap; }
code { font-size: 11px; color: #6b7782; } q.evidence { color: #33414d; }
q.evidence::before { content: "“"; } q.evidence::after { content: "”"; }
.none { color: #8a949d; } tr.kind th { text-align: left; background: #f4ede4; }
table.gaps td:nth-child(2) { min-width: 8em; } table.gaps td:nth-child(3) { min-width: 6em; }
details { margin: 10px 0; } summary { cursor: pointer; color: #33414d; }
tr.flag td { color: #a61b1b; font-weight: 700; }
.side { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
#dg-chart { margin: 0; flex: 1 1 560px; max-width: 760px; }
#dg-chart svg { width: 100%; height: auto; display: block; }
@@MATRIX_CSS@@
.scroll { max-height: 720px; }
.scroll.plans { max-height: 360px; width: fit-content; max-width: 100%; }
#dg-matrix p.hint { color: #5b6873; }
#dg-attention { background: #fff6f4; border: 1px solid #efc4bd; border-left: 5px solid #c0392b;
  border-radius: 6px; padding: 8px 16px 10px; margin: 10px 0 4px; }
#dg-attention h2 { border: 0; margin: 0 0 4px; padding: 0; color: #a61b1b; font-size: 18px; }
#dg-attention .att { display: flex; flex-wrap: wrap; gap: 10px 24px; align-items: flex-start; }
#dg-attention ul { flex: 1 1 560px; margin: 0; padding-left: 20px; }
#dg-attention li { margin: 3px 0; } #dg-attention a { color: #1d2733; }
#dg-attention b { color: #a61b1b; }
#dg-top-units caption { text-align: left; font-weight: 700; padding-bottom: 2px; }
#dg-top-units td:first-child { max-width: 12em; }
#dg-plan-table thead th { position: sticky; top: 0; } #dg-plan-table tfoot th,
#dg-plan-table tfoot td { background: #f4f1ea; font-weight: 700; }
#dg-sources h2 { font-size: 15px; }
#dg-map-frame { width: 100%; height: 720px; border: 1px solid #dde1e5; background: #fff; }
.print-only { display: none; } footer { color: #8a949d; font-size: 12px; margin-top: 30px; }
@media print { #dg-map-frame { display: none; } .print-only { display: block; }
  .scroll { max-height: none; overflow: visible; } body { background: #fff; } }
</style>
</head>
<body>
<main>
<header>
<h1 id="dg-title">@@TITLE@@</h1>
</header>
<section id="dg-attention">
@@ATTENTION@@
</section>
<section id="dg-figures">
<h2>一、总体情况</h2>
<dl class="cards">@@FIGURES@@</dl>
<p id="dg-lead-line">@@LEAD_LINE@@</p>
@@PLANS@@
</section>
<section id="dg-gaps">
<h2>二、协调缺口</h2>
@@GAPS@@
</section>
<section id="dg-load">
<h2>三、单位负荷</h2>
<div class="side">@@CHART@@
<table class="load"><thead><tr><th>名次</th><th>单位</th><th>牵头</th><th>配合</th><th>责任</th>
<th>负荷</th><th>相对中位数</th></tr></thead><tbody>@@LOAD_ROWS@@</tbody></table></div>
</section>
<section id="dg-matrix">
<h2>四、分工矩阵</h2>
<p>牵＝牵头 · 配＝配合 · 责＝责任 · 括号＝由集合单位展开推断 · 黄色行：有协调缺口的任务 ·
单位按负荷排序 · 合计只计原文写明的分工</p>
@@MATRIX@@
</section>
<section id="dg-map">
<h2>五、责任网络图</h2>
<p class="print-only">交互式网络图请在浏览器中打开本文件查看。</p>
@@MAP@@
</section>
<section id="dg-sources">
<h2>文件来源</h2>
@@SOURCES@@
</section>
<section id="dg-notes">
<h2>说明</h2>
<ul>@@NOTES@@</ul>
</section>
<footer>由 dutygraph @@VERSION@@ 生成；本文件离线可用，不访问任何网络资源。</footer>
</main>
</body>
</html>
"""
