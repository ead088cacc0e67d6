"""What a reader of the report must act on: the 需要关注 box and the per-plan summary.

:func:`plan_rows` counts, per plan, its tasks, the tasks without a lead, the tasks with a
coordination gap, the units it names and its most loaded unit; every count is of distinct
tasks (or units), so the plans' counts add up to the report's totals. :func:`attention_html`
puts the few lines that need action first — tasks without a lead (the soonest due first),
overloaded units with their load against the median, the plans with most gaps — each linking to
its detail lower in the page; :func:`plan_table_html` is the per-plan table. All document text
is HTML-escaped; gap labels come from :mod:`dutygraph.queries.gaps`.

>>> from dutygraph import parse_workplan
>>> from dutygraph.analysis import analyze
>>> text = "要点\\n一、任务\\n1.<b>甲</b>。（责任单位：市民政局、市妇联）\\n"
>>> doc = parse_workplan(text, doc_id="d")
>>> analysis = analyze([doc])
>>> [(r["plan"], r["tasks"], r["no_lead"], r["with_gaps"], r["units"]) for r in plan_rows(analysis)]
[('要点', 1, 1, 1, 2)]
>>> box = attention_html(analysis, plan_rows(analysis))
>>> "无牵头单位的任务 <b>1</b> 项</a>：1 &lt;b&gt;甲&lt;/b&gt;" in box
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from dutygraph.analysis import Analysis
from dutygraph.analysis.metrics import load_weights, role_edges
from dutygraph.extract.attributes import ONGOING
from dutygraph.queries.catalog import run_query
from dutygraph.queries.gaps import gap_label

__all__ = ["attention_html", "plan_names_of", "plan_rows", "plan_table_html", "task_label"]

_esc = html.escape
#: How many tasks, units and plans a line of the box names before "等".
FIRST = 3
#: How many units the box's load table shows.
TOP_UNITS = 5


def plan_names_of(analysis: Analysis) -> dict[str, str]:
    """Each document's short name (:func:`~dutygraph.views.maps.style.plan_names`), by id."""
    from dutygraph.views.maps.style import plan_names

    return plan_names(
        {str(d["id"]): d for _, d in analysis.graph.nodes(data=True) if d.get("kind") == "document"}
    )


def task_label(row: Mapping[str, Any], names: Mapping[str, str], several: bool) -> str:
    """A task's number; with several plans, its plan's short name and its key in the plan (the
    uid after ``#``: unique there, e.g. ``一.1`` where numbering restarts by section). Unescaped.

    >>> task_label({"uid": "p#一.1", "number": "1"}, {"p": "要点"}, True)
    '要点 · 一.1'
    >>> task_label({"uid": "p#一.1", "number": "1"}, {"p": "要点"}, False)
    '1'
    """
    if not several:
        return str(row["number"])
    doc, key = str(row["uid"]).rsplit("#", 1)
    return f"{names.get(doc, doc)} · {key}"


def plan_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """Per plan, in document order: ``plan`` (short name), ``doc_id``, ``tasks``, ``no_lead``
    (tasks without a lead), ``with_gaps`` (tasks with any gap, each once), ``units`` (units
    named), ``top_unit`` and ``top_load`` (the most loaded unit that is not a collective, by
    the ``overload`` weights over the plan's own assignments as written; ties by name)."""
    g = analysis.graph
    names = plan_names_of(analysis)
    docs = [str(d["id"]) for _, d in g.nodes(data=True) if d.get("kind") == "document"]
    tasks: dict[str, int] = defaultdict(int)
    led: set[str] = set()
    units: dict[str, set[str]] = defaultdict(set)
    loads: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    weights = load_weights()
    for _, d in g.nodes(data=True):
        if d.get("kind") == "task":
            tasks[str(d["doc_id"])] += 1
    for u, t, role, _ in role_edges(g):
        doc = str(g.nodes[t]["doc_id"])
        unit = g.nodes[u]
        units[doc].add(str(unit["name"]))
        if role == "lead":
            led.add(t)
        if not unit.get("collective"):
            loads[doc][str(unit["name"])] += weights[role]
    no_lead: dict[str, int] = defaultdict(int)
    for n, d in g.nodes(data=True):
        if d.get("kind") == "task" and n not in led:
            no_lead[str(d["doc_id"])] += 1
    gapped: dict[str, set[str]] = defaultdict(set)
    for r in analysis.gaps:
        gapped[str(r["uid"]).rsplit("#", 1)[0]].add(str(r["uid"]))
    rows = []
    for doc in docs:
        ranked = sorted(loads[doc].items(), key=lambda item: (-item[1], item[0]))
        rows.append(
            {
                "plan": names[doc],
                "doc_id": doc,
                "tasks": tasks[doc],
                "no_lead": no_lead[doc],
                "with_gaps": len(gapped[doc]),
                "units": len(units[doc]),
                "top_unit": ranked[0][0] if ranked else None,
                "top_load": ranked[0][1] if ranked else None,
            }
        )
    return rows


def _no_lead_tasks(analysis: Analysis) -> list[dict[str, Any]]:
    """The tasks without a lead: those with a due date first (soonest first), then the others
    in document order."""
    rows = [r for r in analysis.gaps if r["kind"] == "no-lead"]
    due = {
        str(r["uid"]): str(r["due"])
        for r in run_query("due", analysis.queried, {"gap": "no-lead"})
        if r["due"] not in (None, ONGOING)
    }
    order = sorted(
        range(len(rows)),
        key=lambda i: (0, due[rows[i]["uid"]], i) if rows[i]["uid"] in due else (1, "", i),
    )
    return [rows[i] | {"due": due.get(str(rows[i]["uid"]))} for i in order]


def _ratio(row: Mapping[str, Any]) -> str:
    return "—" if row.get("ratio") is None else f"{float(row['ratio']):.1f}×"


def attention_html(analysis: Analysis, plans: Sequence[Mapping[str, Any]]) -> str:
    """The 需要关注 box: a few lines in Chinese, each linking to its detail, and the most
    loaded units (escaped HTML, the inside of ``<section id="dg-attention">``)."""
    several = len(plans) > 1
    names = plan_names_of(analysis)
    lines = []
    no_lead = _no_lead_tasks(analysis)
    count = len({r["uid"] for r in no_lead})
    if count:
        first = "；".join(
            f"{_esc(task_label(r, names, several))} {_esc(str(r['title']))}"
            + (f"（{_esc(str(r['due']))} 到期）" if r.get("due") else "")
            for r in no_lead[:FIRST]
        )
        lines.append(
            f'<li id="att-no-lead"><a href="#gap-no-lead">{gap_label("no-lead")}的任务 '
            f"<b>{count}</b> 项</a>：{first}{'……' if count > FIRST else ''}</li>"
        )
    else:
        lines.append(f'<li id="att-no-lead">没有{gap_label("no-lead")}的任务。</li>')
    flagged = [r for r in analysis.overload if r.get("flag")]
    if flagged:
        first = "、".join(
            f"{_esc(str(r['unit']))}（{float(r['ratio']):.1f}×中位数）" for r in flagged[:FIRST]
        )
        lines.append(
            f'<li id="att-overload"><a href="#dg-load">负荷过重的单位 <b>{len(flagged)}</b> 个'
            f"</a>（负荷达中位数两倍及以上）：{first}{'……' if len(flagged) > FIRST else ''}</li>"
        )
    else:
        lines.append('<li id="att-overload">没有负荷达中位数两倍的单位。</li>')
    s = analysis.summary
    kinds = "、".join(
        f"{gap_label(k)} {n}" for k, n in sorted(s["gaps_by_kind"].items(), key=lambda x: -x[1])
    )
    gap_line = f"有协调缺口的任务 <b>{s['tasks_with_gaps']}</b> 项（每项只计一次"
    gap_line += f"；{kinds}）" if kinds else "）"
    if several:
        worst = sorted(
            (p for p in plans if p["with_gaps"]), key=lambda p: (-p["with_gaps"], p["plan"])
        )
        if worst:
            named = "、".join(f"{_esc(p['plan'])} {p['with_gaps']} 项" for p in worst[:FIRST])
            gap_line += f"，分布在 {len(worst)} 份文件中，最多的是 {named}"
    lines.append(f'<li id="att-gaps"><a href="#dg-gaps">{gap_line}</a>。</li>')
    if several:
        lines.append('<li id="att-plans"><a href="#dg-plans">各文件情况见分文件汇总表</a>。</li>')
    top = analysis.overload[:TOP_UNITS]
    units = "".join(
        ('<tr class="flag">' if r.get("flag") else "<tr>") + f"<td>{_esc(str(r['unit']))}</td>"
        f'<td class="n">{r["lead"]}</td><td class="n">{r["support"]}</td>'
        f'<td class="n">{r["responsible"]}</td><td class="n">{r["load"]:g}</td>'
        f'<td class="n">{_ratio(r)}</td></tr>'
        for r in top
    )
    table = (
        f'<table id="dg-top-units"><caption>负荷最重的 {len(top)} 个单位</caption><thead><tr>'
        "<th>单位</th><th>牵头</th><th>配合</th><th>责任</th><th>负荷</th><th>相对中位数</th>"
        f"</tr></thead><tbody>{units}</tbody></table>"
        if top
        else ""
    )
    return f'<h2>需要关注</h2><div class="att"><ul>{"".join(lines)}</ul>{table}</div>'


def plan_table_html(plans: Sequence[Mapping[str, Any]]) -> str:
    """The per-plan summary table (escaped), with a totals row; empty for a single plan.

    >>> rows = [{"plan": "<i>甲</i>", "tasks": 2, "no_lead": 1, "with_gaps": 1, "units": 3,
    ...          "top_unit": "团市委", "top_load": 6.0},
    ...         {"plan": "乙", "tasks": 1, "no_lead": 0, "with_gaps": 0, "units": 1,
    ...          "top_unit": None, "top_load": None}]
    >>> page = plan_table_html(rows)
    >>> "&lt;i&gt;甲&lt;/i&gt;" in page, "<td>团市委（负荷 6）</td>" in page
    (True, True)
    """
    if len(plans) < 2:
        return ""
    body = "".join(
        f'<tr><td>{_esc(str(p["plan"]))}</td><td class="n">{p["tasks"]}</td>'
        f'<td class="n">{p["no_lead"]}</td><td class="n">{p["with_gaps"]}</td>'
        f'<td class="n">{p["units"]}</td><td>'
        + (f"{_esc(str(p['top_unit']))}（负荷 {float(p['top_load']):g}）" if p["top_unit"] else "—")
        + "</td></tr>"
        for p in plans
    )
    total = (
        f'<tr class="total"><th>合计（{len(plans)} 份）</th>'
        f'<td class="n">{sum(p["tasks"] for p in plans)}</td>'
        f'<td class="n">{sum(p["no_lead"] for p in plans)}</td>'
        f'<td class="n">{sum(p["with_gaps"] for p in plans)}</td><td></td><td></td></tr>'
    )
    return (
        '<div class="scroll plans"><table id="dg-plan-table"><thead><tr><th>文件</th>'
        f"<th>任务</th><th>{gap_label('no-lead')}</th><th>有协调缺口</th><th>单位</th>"
        f"<th>负荷最重的单位</th></tr></thead><tbody>{body}</tbody><tfoot>{total}</tfoot>"
        "</table></div>"
    )
