"""The map page's own script: tooltips, highlight on click, search by alias, filters, physics.

It reads the map's data from ``<script type="application/json" id="dg-data">`` and builds every
piece of document text into the page with ``textContent`` (never ``innerHTML``), tooltips
included: vis-network receives them as DOM elements. ``window.dutygraph`` exposes the network,
its data sets and the actions, for tests and for analysts at the console.

A click on a unit highlights exactly the tasks it has a visible edge to (and a click on a task,
its units): on a map with physics every other node and edge is dimmed; on a large map
(precomputed layout) re-styling thousands of items would take seconds, so the unit, its tasks
and edges are *selected* instead, which vis-network draws at once.

>>> "innerHTML" in APP_JS, "textContent" in APP_JS
(False, True)
"""

from __future__ import annotations

__all__ = ["APP_JS"]

APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("dg-data").textContent);
  var own = Object.prototype.hasOwnProperty;
  var $ = function (id) { return document.getElementById(id); };
  var DIM_NODE = {background: "#f2f4f6", border: "#d9dde2",
                  highlight: {background: "#f2f4f6", border: "#d9dde2"},
                  hover: {background: "#f2f4f6", border: "#d9dde2"}};
  var DIM_FONT = {color: "#c4cad1", strokeWidth: 0};
  var DIM_EDGE = {color: "#e3e6ea", highlight: "#e3e6ea", hover: "#e3e6ea", opacity: 0.35};

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

  var base = {};
  DATA.nodes.forEach(function (n) {
    base[n.id] = {color: n.color, font: n.font};
    n.title = tipElement(n.tip);
  });
  DATA.edges.forEach(function (e) {
    base[e.id] = {color: e.color};
    e.title = tipElement(e.tip);
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network($("dg-map"), {}, DATA.options);
  var state = {selected: null, highlighted: [], ready: false};

  function ready() {
    state.ready = true;
    document.body.setAttribute("data-ready", "1");
    var p = $("dg-progress");
    if (p) { p.hidden = true; }
  }
  if (DATA.layout.physics) {
    network.on("stabilizationProgress", function (p) {
      $("dg-progress").textContent = "正在布局… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit({animation: false});
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }
  network.setData({nodes: nodes, edges: edges});
  // labels are drawn on a canvas: draw again once the embedded font (fonts.py) has loaded
  if (document.fonts) {
    document.fonts.load("12px dutygraph-cjk").then(function () { network.redraw(); });
  }

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

  function showInfo(node, near) {
    var box = $("dg-info"), body = $("dg-info-body");
    $("dg-info-title").textContent = node.kind === "task" ? node.tip.head : node.name;
    body.textContent = "";
    var byRole = {};
    edges.forEach(function (e) {
      if (!near.edges.has(e.id)) { return; }
      var other = nodes.get(e.from === node.id ? e.to : e.from);
      (byRole[e.role] = byRole[e.role] || []).push(other);
    });
    DATA.roles.forEach(function (r) {
      var list = byRole[r.role];
      if (!list) { return; }
      body.appendChild(el("h3", "dg-role-" + r.role, r.label + "（" + list.length + "）"));
      var ul = el("ul");
      list.sort(function (a, b) { return (a.order || 0) - (b.order || 0); });
      list.forEach(function (o) {
        var li = el("li", null, o.kind === "task" ? o.number + ". " + o.name : o.name);
        li.setAttribute("data-node", o.id);
        li.addEventListener("click", function () { network.focus(o.id, {scale: 1.2}); });
        ul.appendChild(li);
      });
      body.appendChild(ul);
    });
    box.hidden = false;
  }

  function select(id) {
    var node = nodes.get(id);
    if (!node || node.hidden) { return false; }
    var near = neighbours(id);
    var keep = new Set(near.nodes);
    keep.add(id);
    state.selected = id;
    state.highlighted = Array.from(near.nodes).sort();
    if (DATA.layout.physics) {
      paint(keep, near.edges);
      network.selectNodes([id], false);
    } else {
      // Large map: re-styling thousands of items takes seconds, so select them instead.
      network.setSelection({nodes: Array.from(keep), edges: Array.from(near.edges)},
                           {unselectAll: true, highlightEdges: false});
    }
    showInfo(node, near);
    return true;
  }

  function clear() {
    state.selected = null;
    state.highlighted = [];
    if (DATA.layout.physics) { paint(null, null); }
    network.unselectAll();
    $("dg-info").hidden = true;
  }

  network.on("click", function (p) {
    if (p.nodes.length) { select(p.nodes[0]); }
    else if (!p.edges.length) { clear(); }
  });

  function find(query) {
    var key = keyOf(query), names = DATA.search.names, name = null, how = "name";
    if (!key) { return {found: null, matches: []}; }
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
    if (name === null) {
      var matches = DATA.nodes.filter(function (n) {
        return n.kind === "unit" &&
          (n.name.indexOf(key) >= 0 || (n.name.length >= 3 && key.indexOf(n.name) >= 0));
      }).map(function (n) { return n.name; });
      if (matches.length !== 1) { return {found: null, matches: matches}; }
      name = matches[0];
      how = "partial";
    }
    return {found: "unit:" + name, name: name, how: how, matches: [name]};
  }

  function search(query) {
    var r = find(query), status = $("dg-search-status");
    if (r.found && nodes.get(r.found)) {
      var shown = select(r.found);
      if (shown) { network.focus(r.found, {scale: 1.1, animation: {duration: 300}}); }
      status.textContent = "找到：" + r.name +
        (r.how === "alias" ? "（" + String(query).trim() + " 是其别称）" : "") +
        (shown ? "" : "，但已被筛选隐藏");
    } else if (r.matches.length > 1) {
      status.textContent = "有多个单位：" + r.matches.slice(0, 8).join("、") +
        (r.matches.length > 8 ? "…" : "");
    } else {
      status.textContent = "图中没有“" + String(query).trim() + "”";
    }
    return r;
  }

  $("dg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search($("dg-search-input").value);
  });

  function checked(name) {
    var out = new Set();
    document.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
      if (box.checked) { out.add(box.value); }
    });
    return out;
  }

  function applyFilters() {
    var roles = checked("dg-role"), sections = checked("dg-section");
    var hiddenTask = {}, linked = {}, nu = [], eu = [];
    nodes.forEach(function (n) {
      if (n.kind === "task") { hiddenTask[n.id] = !sections.has(n.section); }
    });
    edges.forEach(function (e) {
      var hide = !roles.has(e.role) || Boolean(hiddenTask[e.to]);
      if (!hide) { linked[e.from] = true; }
      if (hide !== Boolean(e.hidden)) { eu.push({id: e.id, hidden: hide}); }
    });
    nodes.forEach(function (n) {
      var hide = n.kind === "task" ? hiddenTask[n.id] : !linked[n.id];
      if (hide !== Boolean(n.hidden)) { nu.push({id: n.id, hidden: hide}); }
    });
    nodes.update(nu);
    edges.update(eu);
    if (state.selected !== null && !select(state.selected)) { clear(); }
  }

  document.querySelectorAll("input[name=dg-role], input[name=dg-section]").forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  $("dg-reset").addEventListener("click", function () {
    document.querySelectorAll("input[name=dg-role], input[name=dg-section]").forEach(
      function (box) { box.checked = true; });
    applyFilters();
    clear();
    $("dg-search-status").textContent = "";
    network.fit({animation: {duration: 300}});
  });

  window.dutygraph = {
    network: network, nodes: nodes, edges: edges, state: state, data: DATA,
    select: select, clear: clear, find: find, search: search, applyFilters: applyFilters,
    highlightedTasks: function () {
      return state.highlighted.filter(function (id) { return nodes.get(id).kind === "task"; });
    }
  };
})();
"""
