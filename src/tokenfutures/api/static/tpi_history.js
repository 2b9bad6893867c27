// tokenfutures dashboard: the full TPI history with every day's move explained (ADR 0240).
// Three bands in one SVG: the level (log scale) with withheld and carried days marked, the
// day's log move stacked as matched / entries-exits / re-weighting, and the running sums of
// the parts. Hovering or clicking a day (or choosing a date) names the routes behind its move.
// Reads the dashboard's /tpi-history JSON; plain browser JavaScript, no build step, no CDN.
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = script.getAttribute("data-base");
  var SVG_NS = "http://www.w3.org/2000/svg";
  var PARTS = ["matched", "entries_exits", "reweighting"];
  var LABEL = { matched: "matched price changes", entries_exits: "entries/exits", reweighting: "re-weighting",
    entry: "entry", exit: "exit" };
  var COLOUR = { matched: "#1f6feb", entries_exits: "#e8710a", reweighting: "#7a5af8" };
  var W = 900, LEFT = 56, RIGHT = 10;
  var BANDS = { level: [8, 150], move: [170, 262], cum: [280, 352] };
  var history = null, loadedKey = null;

  function $(id) { return document.getElementById(id); }
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function label(svg, x, y, textValue, anchor) {
    var t = el("text", { x: x, y: y, "font-size": 10, fill: "#6b7380", "text-anchor": anchor || "start" }, svg);
    t.textContent = textValue;
  }
  function exact(value) { return Number(value).toFixed(9); }  // log changes carry 9 decimals
  function pct(value) { return (Number(value) * 100).toFixed(3) + " %"; }
  function range(values) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (hi === lo) { hi = lo + 1e-9; }
    return [lo, hi];
  }
  function yScale(lo, hi, band) {
    return function (v) { return band[1] - (v - lo) / (hi - lo) * (band[1] - band[0]); };
  }

  function draw(h) {
    var svg = $("tpi-history-chart");
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var days = h.days, n = days.length;
    if (!n) { return; }
    var step = (W - LEFT - RIGHT) / n;
    var x = function (i) { return LEFT + (i + 0.5) * step; };
    drawLevel(svg, days, x, step);
    drawMoves(svg, days, x, step);
    drawCumulative(svg, days, x);
    label(svg, LEFT, 368, days[0].day); label(svg, W - RIGHT, 368, days[n - 1].day, "end");
    el("line", { id: "tpi-cursor", x1: -10, x2: -10, y1: 0, y2: 356, stroke: "#1d2430", "stroke-dasharray": "2 2" }, svg);
    days.forEach(function (d, i) {
      var hit = el("rect", { "class": "hit", "data-day": d.day, x: LEFT + i * step, y: 0, width: step, height: 356,
        fill: "transparent" }, svg);
      hit.addEventListener("mouseenter", function () { show(i); });
      hit.addEventListener("click", function () { show(i); });
    });
  }
  function drawLevel(svg, days, x, step) {
    var logs = days.filter(function (d) { return d.level !== null; }).map(function (d) { return Math.log(Number(d.level)); });
    var r = range(logs), y = yScale(r[0], r[1], BANDS.level);
    days.forEach(function (d, i) {
      var kind = d.level === null ? "withheld" : (d.status !== "fixed" ? "carried" : null);
      if (!kind) { return; }
      var band = el("rect", { "class": "mark " + kind + (/stale/.test(d.note || "") ? " stale" : ""), "data-day": d.day,
        x: x(i) - step / 2, y: BANDS.level[0], width: step, height: BANDS.level[1] - BANDS.level[0] }, svg);
      el("title", {}, band).textContent = d.day + ": " + (d.note || d.status);
    });
    var path = "", pen = "M";
    days.forEach(function (d, i) {
      if (d.level === null) { pen = "M"; return; }
      path += pen + x(i).toFixed(1) + " " + y(Math.log(Number(d.level))).toFixed(1) + " "; pen = "L";
    });
    el("path", { "class": "level-line", d: path, fill: "none", stroke: "#1d2430", "stroke-width": 1.6 }, svg);
    label(svg, 4, BANDS.level[0] + 8, Math.exp(r[1]).toFixed(4));
    label(svg, 4, BANDS.level[1], Math.exp(r[0]).toFixed(4));
    label(svg, W - RIGHT - 4, BANDS.level[0] + 10, "TPI, USD per million SIT (log scale)", "end");
  }
  function drawMoves(svg, days, x, step) {
    var ends = [0];
    days.forEach(function (d) {
      if (!d.move) { return; }
      var up = 0, down = 0;
      PARTS.forEach(function (p) { var v = Number(d.move[p]); if (v > 0) { up += v; } else { down += v; } });
      ends.push(up, down);
    });
    var r = range(ends), y = yScale(r[0], r[1], BANDS.move), width = Math.max(step * 0.9, 0.6);
    el("line", { x1: LEFT, x2: W - RIGHT, y1: y(0), y2: y(0), stroke: "#c4c9d0" }, svg);
    days.forEach(function (d, i) {
      if (!d.move) { return; }
      var up = 0, down = 0;
      PARTS.forEach(function (p) {
        var v = Number(d.move[p]);
        if (v === 0) { return; }
        var from = v > 0 ? up : down, to = from + v;
        if (v > 0) { up = to; } else { down = to; }
        el("rect", { "class": "bar part-" + p, "data-day": d.day, x: x(i) - width / 2, y: Math.min(y(from), y(to)),
          width: width, height: Math.max(Math.abs(y(to) - y(from)), 0.5), fill: COLOUR[p] }, svg);
      });
    });
    label(svg, 4, BANDS.move[0] + 8, pct(r[1])); label(svg, 4, BANDS.move[1], pct(r[0]));
    label(svg, W - RIGHT - 4, BANDS.move[0] + 8, "the day's move in log, by part", "end");
  }
  function drawCumulative(svg, days, x) {
    var values = [0];
    days.forEach(function (d) { if (d.cumulative) { PARTS.forEach(function (p) { values.push(Number(d.cumulative[p])); }); } });
    var r = range(values), y = yScale(r[0], r[1], BANDS.cum);
    el("line", { x1: LEFT, x2: W - RIGHT, y1: y(0), y2: y(0), stroke: "#c4c9d0" }, svg);
    PARTS.forEach(function (p) {
      var path = "";
      days.forEach(function (d, i) {
        if (d.cumulative) { path += (path ? "L" : "M") + x(i).toFixed(1) + " " + y(Number(d.cumulative[p])).toFixed(1) + " "; }
      });
      if (path) { el("path", { "class": "cum-line cum-" + p, d: path, fill: "none", stroke: COLOUR[p], "stroke-width": 1.5 }, svg); }
    });
    label(svg, 4, BANDS.cum[0] + 8, pct(r[1])); label(svg, 4, BANDS.cum[1], pct(r[0]));
    label(svg, W - RIGHT - 4, BANDS.cum[0] + 8, "cumulative log change by part", "end");
  }

  function cell(tr, value, cls) {
    var td = document.createElement("td");
    td.textContent = value === null || value === undefined ? "" : String(value);
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }
  function valueRow(table, key, name, value) {
    var tr = document.createElement("tr"), th = document.createElement("th");
    tr.setAttribute("data-key", key);
    th.textContent = name; tr.appendChild(th);
    cell(tr, value === null ? "" : exact(value) + " (" + pct(value) + ")").setAttribute("data-value", value);
    table.appendChild(tr);
  }
  function show(i) {
    var d = history.days[i], box = $("tpi-move"), table = $("tpi-move-table"), body = $("tpi-move-routes").tBodies[0];
    box.setAttribute("data-day", d.day);
    $("tpi-move-day").value = d.day;
    var cursor = $("tpi-cursor"), hit = document.querySelector("#tpi-history-chart rect.hit[data-day='" + d.day + "']");
    if (cursor && hit) {
      var cx = Number(hit.getAttribute("x")) + Number(hit.getAttribute("width")) / 2;
      cursor.setAttribute("x1", cx); cursor.setAttribute("x2", cx);
    }
    $("tpi-move-head").textContent = d.day + ": " + (d.level === null ? "no level" : d.level) + " · " + d.status +
      (d.revision ? " · revision " + d.revision : "") + (d.note ? " · " + d.note : "");
    while (table.firstChild) { table.removeChild(table.firstChild); }
    while (body.firstChild) { body.removeChild(body.firstChild); }
    if (!d.move) { $("tpi-move-since").textContent = "no move explained for this day"; return; }
    $("tpi-move-since").textContent = d.move.since ? "move since " + d.move.since : "first fix";
    valueRow(table, "log_change", "log change", d.move.log_change);
    PARTS.forEach(function (p) { valueRow(table, p, LABEL[p], d.move[p]); });
    d.move.routes.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.className = "route part-" + r[0];
      cell(tr, LABEL[r[0]] || r[0]); cell(tr, r[1]); cell(tr, exact(r[2])).setAttribute("data-value", r[2]);
      body.appendChild(tr);
    });
  }
  function showDay(day) {
    for (var i = 0; i < history.days.length; i += 1) { if (history.days[i].day === day) { show(i); return; } }
  }
  function render(h) {
    history = h;
    $("tpi-history-methodology").textContent = h.methodology || "";
    PARTS.forEach(function (p) {
      var node = document.querySelector("#tpi-cumulative [data-part='" + p + "']");
      node.setAttribute("data-value", h.cumulative[p]);
      node.textContent = LABEL[p] + " " + pct(h.cumulative[p]);
    });
    draw(h);
    if (h.latest) { showDay(h.latest); }
  }
  // Loads the history when the newest fix (day and revision: ``key``) differs from the one shown.
  function refresh(key) {
    if (key === loadedKey) { return Promise.resolve(); }
    loadedKey = key;
    return fetch(BASE + "/tpi-history", { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(render, function () {
      loadedKey = null;
      $("tpi-history-methodology").textContent = "history unavailable";
    });
  }
  $("tpi-move-day").addEventListener("change", function (ev) { if (history) { showDay(ev.target.value); } });
  window.tokenfuturesTpiHistory = { refresh: refresh, showDay: showDay };
}());
