"""The map page's own script: tooltips, highlight on click, search, filters, views, share, export.

It reads the map's data from ``<script type="application/json" id="dg-data">`` and builds every
piece of document text into the page with ``textContent`` (never ``innerHTML``), tooltips
included: vis-network receives them as DOM elements. ``window.dutygraph`` exposes the network,
its data sets and the actions, for tests and for analysts at the console.

A click on a unit highlights exactly the nodes it has a visible edge to (and a click on a task,
its units; every other node and edge is dimmed) and lists its tasks, with their plans, in the
side panel; a click on a task shows its details there. A large map (``mode`` ``overview``)
holds only the units and their links in vis-network's data sets: the tasks of a plan are put
in when that plan (or one of its sections, or one of its tasks) is chosen, and laid out then.
Filters (role, plan, section) re-fit the view; the URL's hash holds the selection and the
filters (``#unit=团市委&roles=lead,support&plan=…&section=…``), so a link reopens the same
view and back/forward step through them; the export button saves the canvas as a PNG.

>>> "innerHTML" in APP_JS, "textContent" in APP_JS
(False, True)
"""

from __future__ import annotations

__all__ = ["APP_JS"]

APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("dg-data").textContent);
  var MODE = DATA.mode;
  var own = Object.prototype.hasOwnProperty;
  var $ = function (id) { return document.getElementById(id); };
  var DIM_NODE = {background: "#f2f4f6", border: "#d9dde2",
                  highlight: {background: "#f2f4f6", border: "#d9dde2"},
                  hover: {background: "#f2f4f6", border: "#d9dde2"}};
  var DIM_FONT = {color: "#c4cad1", strokeWidth: 0};
  var DIM_EDGE = {color: "#e3e6ea", highlight: "#e3e6ea", hover: "#e3e6ea", opacity: 0.35};
  var ROLE_RANK = {};
  DATA.roles.forEach(function (r) { ROLE_RANK[r.role] = r.rank; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function tipElement(tip) {
    var box = el("div", "dg-tip");
    box.appendChild(el("div", "dg-tip-head", tip.head));
    (tip.rows || []).forEach(function (row) {
      var line = el("div", "dg-tip-row");
      line.appendChild(el("span", "dg-tip-key", row[0]));
      line.appendChild(el("span", "dg-tip-val", row[1]));
      box.appendChild(line);
    });
    if (tip.body) { box.appendChild(el("div", "dg-tip-body", tip.body)); }
    return box;
  }

  function keyOf(name) {
    return String(name).replace(/\s+/g, "").replace(/\(/g, "\uff08").replace(/\)/g, "\uff09");
  }

  // Every node and edge of the map, whether or not vis-network holds it now.
  var ALL = {}, EDGES_OF = {}, EDGE = {}, base = {};
  DATA.nodes.forEach(function (n) { ALL[n.id] = n; EDGES_OF[n.id] = []; });
  DATA.edges.forEach(function (e) {
    EDGE[e.id] = e;
    EDGES_OF[e.from].push(e);
    EDGES_OF[e.to].push(e);
  });
  var PLAN = {};
  DATA.plans.forEach(function (p) { PLAN[p.id] = p; });

  function visNode(n) {
    if (!n.title) { n.title = tipElement(n.tip); }
    base[n.id] = {color: n.color, font: n.font};
    return n;
  }
  function visEdge(e) {
    var out = e;
    if (!e.color) {  // a large map's edge: its style comes from its role
      out = Object.assign({}, DATA.roleStyles[e.role], e);
      if (e.via) { out.color = Object.assign({}, out.color, {opacity: 0.45}); }
    }
    if (!out.title && out.tip) { out.title = tipElement(out.tip); }
    if (!out.title) {
      var r = DATA.roles.filter(function (x) { return x.role === e.role; })[0];
      out.title = tipElement({head: ALL[e.from].name + " → 任务 " + ALL[e.to].number,
                              rows: [["角色", r.label + "（" + e.role + "）"],
                                     ["分工原文", e.clause || ""]], body: ""});
    }
    base[out.id] = {color: out.color};
    return out;
  }
  function visLink(x) {
    var st = DATA.roleStyles[x.role];
    var out = {id: x.id, from: x.from, to: x.to, role: x.role, link: true,
               width: Math.min(1 + Math.log2(1 + x.weight), 9),
               color: {color: st.color.color, highlight: st.color.color, hover: st.color.color,
                       opacity: 0.35},
               smooth: false,
               title: tipElement({head: ALL[x.from].name + " — " + ALL[x.to].name,
                                  rows: [["共同任务", x.weightLabel]], body: ""})};
    base[out.id] = {color: out.color};
    return out;
  }

  var nodes = new vis.DataSet(MODE === "overview" ? [] : DATA.nodes.map(visNode));
  var edges = new vis.DataSet(MODE === "overview" ? [] : DATA.edges.map(visEdge));
  var network = new vis.Network($("dg-map"), {}, DATA.options);
  var state = {selected: null, highlighted: [], ready: false, view: MODE, plan: "",
               listed: []};
  var applying = false, lastHash = null;

  function ready() {
    state.ready = true;
    document.body.setAttribute("data-ready", "1");
    var p = $("dg-progress");
    if (p) { p.hidden = true; }
  }

  // ---------------------------------------------------------------- filters and views
  // The filter boxes, found once (a map of 1,000 plans has 7,000 section boxes).
  var BOXES = {"dg-role": Array.from(document.querySelectorAll("input[name=dg-role]")),
               "dg-section": Array.from(document.querySelectorAll("input[name=dg-section]"))};
  var ROWS = Array.from(document.querySelectorAll("#dg-sections label.dg-row"));
  function checked(name) {
    var out = new Set();
    BOXES[name].forEach(function (box) { if (box.checked) { out.add(box.value); } });
    return out;
  }
  function filters() {
    var sections = checked("dg-section"), plan = $("dg-plan") ? $("dg-plan").value : "";
    var all = BOXES["dg-section"].length === sections.size;
    return {roles: checked("dg-role"), plan: plan, sections: all ? null : sections};
  }
  function taskShown(t, f) {
    return (f.plan === "" || t.plan === f.plan) &&
      (f.sections === null || f.sections.has(t.section));
  }
  var shownCache = {key: null, sets: null};
  function shownSets(f) {
    var key = [Array.from(f.roles).join(","), f.plan,
               f.sections === null ? "*" : Array.from(f.sections).join(",")].join("|");
    if (shownCache.key !== key) { shownCache = {key: key, sets: computeShown(f)}; }
    return shownCache.sets;
  }
  function computeShown(f) {
    var tasks = new Set(), units = new Set(), es = new Set();
    DATA.nodes.forEach(function (n) {
      if (n.kind === "task" && taskShown(n, f)) { tasks.add(n.id); }
    });
    DATA.edges.forEach(function (e) {
      if (f.roles.has(e.role) && tasks.has(e.to)) { es.add(e.id); units.add(e.from); }
    });
    return {tasks: tasks, units: units, edges: es};
  }
  function overviewWanted(f) { return MODE === "overview" && f.plan === "" && f.sections === null; }

  function showSectionRows(plan) {
    ROWS.forEach(function (row) {
      row.hidden = MODE === "overview" && plan === "" ? true
        : Boolean(plan) && row.getAttribute("data-plan") !== plan;
    });
    var hint = $("dg-sections-hint");
    if (hint) { hint.hidden = !(MODE === "overview" && plan === ""); }
  }

  function fitVisible() {
    var ids = nodes.getIds({filter: function (n) { return !n.hidden; }});
    if (ids.length) { network.fit({nodes: ids, animation: false, maxZoomLevel: 1.6}); }
  }

  // A plan's (or section's) view on a large map, computed at once (no physics): its tasks in
  // a column in document order, its units in a column beside them, each level with the middle
  // of its tasks (and never on top of another).
  function columnLayout(list) {
    var tasks = list.filter(function (n) { return n.kind === "task"; });
    tasks.sort(function (a, b) {
      return a.plan < b.plan ? -1 : a.plan > b.plan ? 1 : a.order - b.order;
    });
    var at = {};
    tasks.forEach(function (t, i) { t.x = 0; t.y = i * 72; at[t.id] = t; });
    var units = list.filter(function (n) { return n.kind === "unit"; });
    units.forEach(function (u) {
      var ys = 0, k = 0;
      EDGES_OF[u.id].forEach(function (e) { if (at[e.to]) { ys += at[e.to].y; k++; } });
      u.y = k ? ys / k : 0;
      u.x = 560;
      u.size = Math.min(u.size, 18);
      u.font = Object.assign({}, u.font, {size: 17});
    });
    units.sort(function (a, b) { return a.y - b.y || (a.id < b.id ? -1 : 1); });
    var gap = Math.min(Math.max(62, tasks.length * 72 / Math.max(units.length, 1)), 80);
    var last = -Infinity, shift = 0;
    units.forEach(function (u) { u.y = Math.max(u.y, last + gap); last = u.y; });
    if (units.length && tasks.length) {
      shift = (tasks[tasks.length - 1].y - units[units.length - 1].y) / 2;
      if (shift < 0) { units.forEach(function (u) { u.y += shift; }); }
    }
  }

  function applyFilters() {
    var f = filters(), sets = shownSets(f), selected = state.selected;
    state.plan = f.plan;
    showSectionRows(f.plan);
    if (MODE !== "overview") {
      var nu = [], eu = [];
      edges.forEach(function (e) {
        var hide = !sets.edges.has(e.id);
        if (hide !== Boolean(e.hidden)) { eu.push({id: e.id, hidden: hide}); }
      });
      nodes.forEach(function (n) {
        var hide = n.kind === "task" ? !sets.tasks.has(n.id)
          : !sets.units.has(n.id) && !(MODE === "ego" && n.focus);
        if (hide !== Boolean(n.hidden)) { nu.push({id: n.id, hidden: hide}); }
      });
      nodes.update(nu);
      edges.update(eu);
      finish();
    } else if (overviewWanted(f)) {
      state.view = "overview";
      var units = DATA.nodes.filter(function (n) {
        return n.kind === "unit" && sets.units.has(n.id);
      });
      var shown = new Set(units.map(function (n) { return n.id; }));
      var links = DATA.links.filter(function (x) {
        return shown.has(x.from) && shown.has(x.to) && x.pairs.some(function (pair) {
          return pair.split("+").every(function (r) { return f.roles.has(r); });
        });
      });
      replace(units.map(visNode), links.map(visLink));
      finish();
    } else {
      state.view = "detail";
      var list = DATA.nodes.filter(function (n) {
        return sets.tasks.has(n.id) || sets.units.has(n.id);
      });
      var es = DATA.edges.filter(function (e) { return sets.edges.has(e.id); });
      var copies = list.map(function (n) {
        var c = Object.assign({}, n, {title: null});
        if (c.kind === "task" && f.plan) { c.label = c.label.replace(/\n〔[^\n]*〕$/, ""); }
        return c;
      });
      if (copies.length <= 1500) { columnLayout(copies); }
      replace(copies.map(visNode), es.map(visEdge));
      finish();
    }
    function finish() {
      fitVisible();
      if (selected !== null && !select(selected)) { clear(); }
      writeHash();
    }
  }

  function replace(ns, es) {
    state.selected = null;
    state.highlighted = [];
    edges.clear();
    nodes.clear();
    nodes.add(ns);
    edges.add(es);
  }

  // ---------------------------------------------------------------- highlight and panel
  function neighbours(id) {
    var near = new Set(), via = new Set();
    edges.forEach(function (e) {
      if (e.hidden) { return; }
      if (e.from === id) { near.add(e.to); via.add(e.id); }
      else if (e.to === id) { near.add(e.from); via.add(e.id); }
    });
    return {nodes: near, edges: via};
  }

  function paint(keepNodes, keepEdges) {
    var nu = [], eu = [];
    nodes.forEach(function (n) {
      var dim = keepNodes !== null && !keepNodes.has(n.id);
      if (dim !== Boolean(n.dimmed)) {
        nu.push(dim ? {id: n.id, dimmed: true, color: DIM_NODE, font: DIM_FONT}
                    : {id: n.id, dimmed: false, color: base[n.id].color, font: base[n.id].font});
      }
    });
    edges.forEach(function (e) {
      var dim = keepEdges !== null && !keepEdges.has(e.id);
      if (dim !== Boolean(e.dimmed)) {
        eu.push(dim ? {id: e.id, dimmed: true, color: DIM_EDGE}
                    : {id: e.id, dimmed: false, color: base[e.id].color});
      }
    });
    nodes.update(nu);
    edges.update(eu);
  }

  var LIST_LIMIT = 150;  // rows per role in the side panel (a unit of 1,000 plans has 8,000)
  function taskText(t) { return t.number + ". " + t.name + "〔" + t.planName + "〕"; }

  function listItem(o, label) {
    var li = el("li", null, label);
    li.setAttribute("data-node", o.id);
    li.addEventListener("click", function () { open(o.id); });
    return li;
  }

  // The side panel: a unit's tasks by role (with their plans), or a task's details and units.
  function showInfo(node) {
    var body = $("dg-info-body"), f = filters(), sets = shownSets(f), byRole = {};
    $("dg-info-title").textContent = node.kind === "task" ? node.tip.head : node.name;
    body.textContent = "";
    if (node.kind === "task") {
      node.tip.rows.forEach(function (row) {
        var line = el("div", "dg-tip-row");
        line.appendChild(el("span", "dg-tip-key", row[0]));
        line.appendChild(el("span", "dg-tip-val", row[1]));
        body.appendChild(line);
      });
    }
    EDGES_OF[node.id].forEach(function (e) {
      if (!sets.edges.has(e.id)) { return; }
      (byRole[e.role] = byRole[e.role] || []).push(e);
    });
    DATA.roles.forEach(function (r) {
      var list = byRole[r.role];
      if (!list) { return; }
      body.appendChild(el("h3", "dg-role-" + r.role, r.label + "（" + list.length + "）"));
      var ul = el("ul");
      list.sort(function (a, b) {
        return node.kind === "task" ? a.order - b.order
          : (ALL[a.to].plan < ALL[b.to].plan ? -1 : ALL[a.to].plan > ALL[b.to].plan ? 1
             : ALL[a.to].order - ALL[b.to].order);
      });
      list.slice(0, LIST_LIMIT).forEach(function (e) {
        var o = ALL[node.kind === "task" ? e.from : e.to];
        ul.appendChild(listItem(o, o.kind === "task" ? taskText(o) : o.name));
      });
      body.appendChild(ul);
      if (list.length > LIST_LIMIT) {
        body.appendChild(el("p", "dg-more", "另有 " + (list.length - LIST_LIMIT) +
                            " 项未列出：选择一份文件或查找任务名称，可缩小范围。"));
      }
    });
    if (node.kind === "task") { body.appendChild(el("div", "dg-tip-body", node.tip.body)); }
    if (node.kind === "unit" && $("dg-plan") && !f.plan) { body.appendChild(planList(node, sets)); }
    $("dg-info").hidden = false;
  }

  // A unit's plans, most tasks first: a click opens that plan's tasks.
  function planList(node, sets) {
    var count = {}, box = el("div");
    EDGES_OF[node.id].forEach(function (e) {
      if (sets.edges.has(e.id)) { count[ALL[e.to].plan] = (count[ALL[e.to].plan] || 0) + 1; }
    });
    var plans = Object.keys(count).sort(function (a, b) {
      return count[b] - count[a] || (a < b ? -1 : 1);
    });
    box.appendChild(el("h3", null, "所在文件（" + plans.length + "，点击打开）"));
    var ul = el("ul", "dg-plans");
    plans.slice(0, LIST_LIMIT).forEach(function (id) {
      var li = el("li", null, PLAN[id].name + "（" + count[id] + "）");
      li.setAttribute("data-plan", id);
      li.addEventListener("click", function () { openPlan(id, node.id); });
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  function openPlan(plan, keep) {
    $("dg-plan").value = plan;
    BOXES["dg-section"].forEach(function (b) { b.checked = true; });
    state.selected = keep || null;
    applyFilters();
  }

  function select(id) {
    var node = nodes.get(id);
    if (!node || node.hidden) { return false; }
    var near = neighbours(id);
    var keep = new Set(near.nodes);
    keep.add(id);
    state.selected = id;
    state.highlighted = Array.from(near.nodes).sort();
    if (nodes.length <= 1500) {
      paint(keep, near.edges);
      network.selectNodes([id], false);
    } else {
      network.setSelection({nodes: Array.from(keep), edges: Array.from(near.edges)},
                           {unselectAll: true, highlightEdges: false});
    }
    showInfo(ALL[id]);
    writeHash();
    return true;
  }

  function clear() {
    state.selected = null;
    state.highlighted = [];
    paint(null, null);
    network.unselectAll();
    $("dg-info").hidden = true;
    writeHash();
  }

  // Show a node: select it where it is drawn, else open its plan's view first.
  function open(id) {
    var n = ALL[id];
    if (!n) { return false; }
    if (!select(id) && n.kind === "task" && $("dg-plan")) {
      BOXES["dg-role"].forEach(function (b) { b.checked = true; });
      openPlan(n.plan, id);
    }
    if (state.selected === id) {
      network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
      return true;
    }
    return false;
  }

  function hideTooltip() {
    // vis-network's own popup object, so that it knows it is hidden (and a move over the same
    // node does not show it again)
    var popup = network.interactionHandler && network.interactionHandler.popup;
    if (popup) { popup.hide(); }
  }
  network.on("click", function (p) {
    if (p.nodes.length) { select(p.nodes[0]); hideTooltip(); }
    else if (!p.edges.length) { clear(); }
  });
  // After a click the details are in the side panel: no tooltip over the node just chosen.
  network.on("showPopup", function (id) { if (id === state.selected) { hideTooltip(); } });

  // ---------------------------------------------------------------- search
  function find(query) {
    var key = keyOf(query), names = DATA.search.names, name = null, how = "name";
    if (!key) { return {found: null, matches: [], tasks: []}; }
    if (own.call(names, key)) {
      name = names[key];
      how = name === key ? "name" : "alias";
    } else {
      DATA.search.patterns.some(function (p) {
        try {
          if (new RegExp(p[0], "u").test(key)) { name = p[1]; how = "alias"; return true; }
        } catch (err) { /* a pattern JavaScript cannot read: skip it */ }
        return false;
      });
    }
    var matches = [];
    if (name === null) {
      matches = DATA.nodes.filter(function (n) {
        return n.kind === "unit" &&
          (n.name.indexOf(key) >= 0 || (n.name.length >= 3 && key.indexOf(n.name) >= 0));
      }).map(function (n) { return n.name; });
      if (matches.length === 1) { name = matches[0]; how = "partial"; }
    }
    if (name !== null) {
      return {found: "unit:" + name, name: name, how: how, matches: [name], tasks: []};
    }
    var tasks = DATA.nodes.filter(function (n) {
      return n.kind === "task" && keyOf(n.name).indexOf(key) >= 0;
    }).map(function (n) { return n.id; });
    return {found: null, matches: matches, tasks: tasks};
  }

  function search(query) {
    var r = find(query), status = $("dg-search-status"), shown;
    if (r.found && ALL[r.found]) {
      shown = select(r.found);
      if (shown) {
        network.focus(r.found, {scale: Math.max(network.getScale(), 0.8), animation: false});
      }
      status.textContent = "找到：" + r.name +
        (r.how === "alias" ? "（" + String(query).trim() + " 是其别称）" : "") +
        (shown ? "" : "，但已被筛选隐藏");
    } else if (r.matches.length > 1) {
      status.textContent = "有多个单位：" + r.matches.slice(0, 8).join("、") +
        (r.matches.length > 8 ? "…" : "");
    } else if (r.tasks.length === 1) {
      open(r.tasks[0]);
      status.textContent = "找到任务：" + taskText(ALL[r.tasks[0]]);
    } else if (r.tasks.length > 1) {
      status.textContent = "有 " + r.tasks.length + " 项任务含“" +
        String(query).trim() + "”";
      var body = $("dg-info-body"), ul = el("ul");
      $("dg-info-title").textContent = "任务（" + r.tasks.length + "）";
      body.textContent = "";
      r.tasks.slice(0, LIST_LIMIT).forEach(function (id) {
        ul.appendChild(listItem(ALL[id], taskText(ALL[id])));
      });
      body.appendChild(ul);
      $("dg-info").hidden = false;
    } else {
      status.textContent = "图中没有“" + String(query).trim() + "”";
    }
    state.listed = r.tasks;
    return r;
  }

  $("dg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search($("dg-search-input").value);
  });

  // ---------------------------------------------------------------- the URL's hash
  function writeHash() {
    if (applying || !state.ready) { return; }
    var f = filters(), q = new URLSearchParams();
    if (state.selected) {
      var n = ALL[state.selected];
      if (n.kind === "unit") { q.set("unit", n.name); } else { q.set("task", n.id.slice(5)); }
    }
    if (f.roles.size !== DATA.roles.length) { q.set("roles", Array.from(f.roles).join(",")); }
    if (f.plan) { q.set("plan", f.plan); }
    if (f.sections !== null) { q.set("section", Array.from(f.sections).join(",")); }
    var text = q.toString().replace(/\+/g, "%20");
    if (location.hash.slice(1) !== text) {
      lastHash = "#" + text;
      location.hash = text;
    }
  }

  function readHash() {
    var q = new URLSearchParams(location.hash.slice(1));
    applying = true;
    try {
      var roles = q.get("roles") ? new Set(q.get("roles").split(",")) : null;
      BOXES["dg-role"].forEach(function (b) {
        b.checked = roles === null || roles.has(b.value);
      });
      if ($("dg-plan")) {
        var plan = q.get("plan") || "";
        $("dg-plan").value = own.call(PLAN, plan) ? plan : "";
      }
      var secs = q.get("section") ? new Set(q.get("section").split(",")) : null;
      BOXES["dg-section"].forEach(function (b) {
        b.checked = secs === null || secs.has(b.value);
      });
      var target = q.get("unit") ? "unit:" + (find(q.get("unit")).name || q.get("unit"))
        : q.get("task") ? "task:" + q.get("task") : null;
      state.selected = target;
      applyFilters();
      if (target === null) { clear(); }
      else if (state.selected !== target) { applying = false; open(target); }
    } finally {
      applying = false;
    }
  }
  window.addEventListener("hashchange", function () {
    if (location.hash !== lastHash && !(location.hash === "" && lastHash === "#")) { readHash(); }
  });

  // ---------------------------------------------------------------- controls
  document.querySelectorAll("input[name=dg-role], input[name=dg-section], #dg-plan").forEach(
    function (box) { box.addEventListener("change", applyFilters); });
  $("dg-reset").addEventListener("click", function () {
    applying = true;
    document.querySelectorAll("input[name=dg-role], input[name=dg-section]").forEach(
      function (box) { box.checked = true; });
    if ($("dg-plan")) { $("dg-plan").value = ""; }
    state.selected = null;
    applyFilters();
    applying = false;
    clear();
    $("dg-search-status").textContent = "";
    fitVisible();
  });

  function png() {
    var src = $("dg-map").querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = src.width;
    out.height = src.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    return out.toDataURL("image/png");
  }
  $("dg-export").addEventListener("click", function () {
    var a = el("a");
    a.href = png();
    a.download = "dutygraph-map.png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // ---------------------------------------------------------------- opening
  function opened() {
    ready();
    if (location.hash.length > 1) { readHash(); }
  }
  if (MODE === "overview") {
    network.setData({nodes: nodes, edges: edges});
    showSectionRows("");
    applyFilters();
    network.once("afterDrawing", opened);
  } else {
    if (MODE === "full") {
      network.on("stabilizationProgress", function (p) {
        $("dg-progress").textContent = "正在布局… " +
          Math.round(100 * p.iterations / p.total) + "%";
      });
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({physics: false});
        network.fit({animation: false});
        opened();
      });
      network.setData({nodes: nodes, edges: edges});
    } else {
      network.setData({nodes: nodes, edges: edges});
      network.fit({animation: false});
      network.once("afterDrawing", opened);
    }
  }

  // labels are drawn on a canvas: draw again once the embedded font (fonts.py) has loaded
  if (document.fonts) {
    document.fonts.load("12px dutygraph-cjk").then(function () { network.redraw(); });
  }

  window.dutygraph = {
    network: network, nodes: nodes, edges: edges, state: state, data: DATA,
    select: select, clear: clear, find: find, search: search, applyFilters: applyFilters,
    open: open, png: png, readHash: readHash,
    highlightedTasks: function () {
      return state.highlighted.filter(function (id) { return ALL[id].kind === "task"; });
    }
  };
})();
"""
