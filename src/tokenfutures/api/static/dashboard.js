// tokenfutures dashboard: the selected contract's ladder and trades are pushed over the venue's
// WebSocket (live.js); the joined views (TPI, curve, contracts, account) are polled gently from
// the dashboard's JSON endpoints (ADR 0706). Plain browser JavaScript, no build step, no CDN.
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = script.getAttribute("data-base");
  var WS_BASE = script.getAttribute("data-ws");
  var POLL_MS = Number(script.getAttribute("data-poll-ms")) || 5000;
  var KEY_STORE = "tokenfutures.apiKey";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var Live = window.TokenFuturesLive;
  var selected = null;

  function $(id) { return document.getElementById(id); }
  function text(value) { return value === null || value === undefined ? "" : String(value); }
  function cell(row, value, cls) {
    var td = document.createElement("td");
    td.textContent = text(value);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function fillBody(table, rows, build) {
    var body = table.tBodies[0];
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (item) { var tr = document.createElement("tr"); build(tr, item); body.appendChild(tr); });
  }
  function getJSON(path, headers) {
    return fetch(BASE + path, { headers: headers || {}, cache: "no-store" }).then(function (r) {
      if (!r.ok) { var err = new Error("HTTP " + r.status); err.status = r.status; throw err; }
      return r.json();
    });
  }

  // ---- SVG charts -------------------------------------------------------------------------
  function svgEl(name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }
  function clear(svg) { while (svg.firstChild) { svg.removeChild(svg.firstChild); } }
  function scale(values, lo, hi) {
    var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
    if (!isFinite(min)) { min = 0; max = 1; }
    if (max === min) { max = min + 1e-9 + Math.abs(min) * 0.05; min = min - Math.abs(min) * 0.05; }
    var pad = (max - min) * 0.08;
    min -= pad; max += pad;
    return { f: function (v) { return hi - (v - min) / (max - min) * (hi - lo); }, min: min, max: max };
  }
  function axisLabels(svg, ys, width) {
    [ys.max, ys.min].forEach(function (v, i) {
      var t = svgEl("text", { x: 4, y: i === 0 ? 14 : ys.f(ys.min) - 4, "font-size": 11, fill: "#6b7380" });
      t.textContent = v.toFixed(4);
      svg.appendChild(t);
    });
    svg.appendChild(svgEl("line", { x1: 0, x2: width, y1: 0.5, y2: 0.5, stroke: "#e3e6ea" }));
  }
  function dateLabels(svg, first, last, height, width) {
    [[first, 50, "start"], [last, width - 10, "end"]].forEach(function (item) {
      var t = svgEl("text", { x: item[1], y: height - 2, "font-size": 10, fill: "#6b7380", "text-anchor": item[2] });
      t.textContent = item[0];
      svg.appendChild(t);
    });
  }
  function drawTpi(history) {
    var svg = $("tpi-chart"); clear(svg);
    var pts = history.filter(function (h) { return h.level !== null; });
    if (pts.length === 0) { return; }
    var W = 600, H = 160, vals = pts.map(function (p) { return Number(p.level); });
    var ys = scale(vals, 8, H - 8);
    var xs = function (i) { return pts.length === 1 ? W / 2 : 50 + i * (W - 60) / (pts.length - 1); };
    var d = pts.map(function (p, i) { return (i ? "L" : "M") + xs(i).toFixed(1) + " " + ys.f(vals[i]).toFixed(1); }).join(" ");
    axisLabels(svg, ys, W);
    svg.appendChild(svgEl("path", { d: d, fill: "none", stroke: "#1f6feb", "stroke-width": 2 }));
    var last = pts.length - 1;
    svg.appendChild(svgEl("circle", { cx: xs(last), cy: ys.f(vals[last]), r: 4, fill: "#1f6feb" }));
    dateLabels(svg, pts[0].day, pts[last].day, H, W);
  }
  function drawCurve(contracts, model) {
    var svg = $("curve-chart"); clear(svg);
    var W = 600, H = 200;
    var days = model.map(function (m) { return Date.parse(m.day); })
      .concat(contracts.map(function (c) { return Date.parse(c.last_trading_day); }));
    if (days.length === 0) { return; }
    var t0 = Math.min.apply(null, days), t1 = Math.max.apply(null, days) || t0 + 1;
    var xs = function (t) { return 50 + (t - t0) / Math.max(1, t1 - t0) * (W - 60); };
    var vals = model.map(function (m) { return Number(m.forward); });
    contracts.forEach(function (c) {
      ["settlement", "mid", "last"].forEach(function (k) { if (c[k]) { vals.push(Number(c[k])); } });
    });
    var ys = scale(vals, 8, H - 8);
    axisLabels(svg, ys, W);
    if (model.length) {
      var d = model.map(function (m, i) {
        return (i ? "L" : "M") + xs(Date.parse(m.day)).toFixed(1) + " " + ys.f(Number(m.forward)).toFixed(1);
      }).join(" ");
      svg.appendChild(svgEl("path", { d: d, fill: "none", stroke: "#1f6feb", "stroke-width": 2, "class": "model-line" }));
    }
    dateLabels(svg, new Date(t0).toISOString().slice(0, 10), new Date(t1).toISOString().slice(0, 10), H, W);
    var colours = { settlement: "#7a5af8", mid: "#0b7a3b", last: "#e8710a" };
    contracts.forEach(function (c) {
      var x = xs(Date.parse(c.last_trading_day));
      Object.keys(colours).forEach(function (k) {
        if (!c[k]) { return; }
        var dot = svgEl("circle", { cx: x, cy: ys.f(Number(c[k])), r: k === "mid" ? 4 : 3, fill: colours[k] });
        var title = svgEl("title", {}); title.textContent = c.symbol + " " + k + " " + c[k];
        dot.appendChild(title); svg.appendChild(dot);
      });
    });
  }

  // ---- market panel -------------------------------------------------------------------------
  function renderAudit(tpi) {
    var table = $("tpi-audit-table");
    while (table.firstChild) { table.removeChild(table.firstChild); }
    if (!tpi) { return; }
    (tpi.audit_rows || []).forEach(function (pair) {
      var tr = document.createElement("tr"), th = document.createElement("th");
      th.textContent = pair[0]; tr.appendChild(th); cell(tr, pair[1]); table.appendChild(tr);
    });
  }
  function renderMarket(m) {
    $("as-of").textContent = m.as_of;
    $("tpi-level").textContent = m.tpi && m.tpi.level ? m.tpi.level : "—";
    $("tpi-day").textContent = m.tpi ? m.tpi.day : "no fix yet";
    $("tpi-status").textContent = m.tpi ? m.tpi.status : "";
    renderAudit(m.tpi);
    drawTpi(m.tpi_history || []);
    if (window.tokenfuturesTpiHistory) {  // the attributed history, reloaded on a new fix or revision
      window.tokenfuturesTpiHistory.refresh(m.tpi ? m.tpi.day + ":" + m.tpi.revision : "none");
    }
    drawCurve(m.contracts || [], m.model_curve || []);
    fillBody($("contracts"), m.contracts, function (tr, c) {
      tr.className = "contract-row" + (c.symbol === selected ? " selected" : "");
      tr.setAttribute("data-symbol", c.symbol);
      cell(tr, c.symbol, "sym"); cell(tr, c.last_trading_day); cell(tr, c.phase); cell(tr, c.settlement);
      cell(tr, c.bid); cell(tr, c.ask); cell(tr, c.mid); cell(tr, c.last); cell(tr, c.fair);
      tr.addEventListener("click", function () { select(c.symbol); });
    });
    if (!selected && m.contracts.length) { select(m.contracts[0].symbol); }
    if (market.book) { patchRow(market.book); }
    fillBody($("clearing"), m.clearing || [], function (tr, d) {
      cell(tr, d.day); cell(tr, d.settled); cell(tr, d.front); cell(tr, d.vm_paid);
      cell(tr, d.calls); cell(tr, d.called); cell(tr, d.defaults); cell(tr, d.expiries.join(", "));
      cell(tr, d.fees); cell(tr, d.cover2); cell(tr, (d.auctions || []).join(", "));
    });
  }
  function markSelected() {
    Array.prototype.forEach.call(document.querySelectorAll("tr.contract-row"), function (tr) {
      tr.classList.toggle("selected", tr.getAttribute("data-symbol") === selected);
    });
  }

  // ---- book panel (pushed) -----------------------------------------------------------------
  var CONNECTION_TEXT = { live: "live", connecting: "connecting…", reconnecting: "reconnecting…" };
  function showConnection(state) {
    var el = $("connection");
    el.textContent = CONNECTION_TEXT[state] || state;
    el.setAttribute("data-state", state);
  }
  function renderBook(b) {
    $("book-contract").textContent = b.contract + (b.phase ? " · " + b.phase : "") + (b.last ? " · last " + b.last : "");
    var rows = [];
    Live.ladderLevels(b, "sell").reverse().forEach(function (l) { rows.push({ side: "ask", level: l }); });
    Live.ladderLevels(b, "buy").forEach(function (l) { rows.push({ side: "bid", level: l }); });
    fillBody($("ladder"), rows, function (tr, r) {
      var bid = r.side === "bid";
      tr.className = r.side + "-level";
      tr.setAttribute("data-price", r.level.price);
      cell(tr, bid ? r.level.quantity : "", "bid");
      cell(tr, r.level.price, "px");
      cell(tr, bid ? "" : r.level.quantity, "ask");
    });
    fillBody($("trades"), b.trades, function (tr, t) {
      tr.setAttribute("data-trade-id", t.trade_id);
      cell(tr, text(t.ts).slice(11, 19)); cell(tr, t.price); cell(tr, t.quantity); cell(tr, t.aggressor_side);
    });
  }
  // The selected contract's row in the (polled) contracts table follows the stream too.
  function patchRow(b) {
    var row = document.querySelector("#contracts tr[data-symbol='" + b.contract + "']");
    if (!row || !b.phase) { return; }
    var bid = Live.ladderLevels(b, "buy")[0], ask = Live.ladderLevels(b, "sell")[0];
    var cells = row.cells;
    cells[2].textContent = b.phase;
    cells[4].textContent = bid ? bid.price : "";
    cells[5].textContent = ask ? ask.price : "";
    cells[6].textContent = bid && ask ? Live.midPrice(bid.price, ask.price) : "";
    cells[7].textContent = text(b.last);
  }
  var market = new Live.MarketStream({
    path: WS_BASE + "/market",
    onBook: function (b) { renderBook(b); patchRow(b); },
    onStatus: showConnection,
    onSubscribed: function (contract) {
      // the stream starts at the snapshot; trades printed before it come once from the book view
      getJSON("/book/" + encodeURIComponent(contract)).then(function (b) {
        market.mergeTrades(contract, b.trades);
      }, function () { /* the streamed trades still show */ });
    }
  });
  function select(symbol) {
    if (symbol === selected && market.book) { return; }
    selected = symbol;
    markSelected();
    $("book-contract").textContent = symbol;
    market.select(symbol);
  }

  // ---- account panel ------------------------------------------------------------------------
  function apiKey() { return window.sessionStorage.getItem(KEY_STORE); }
  function renderAccount(a) {
    $("account-status").textContent = "account " + a.account;
    $("account-body").hidden = false;
    var table = $("margin-table");
    while (table.firstChild) { table.removeChild(table.firstChild); }
    a.summary.forEach(function (pair) {
      var tr = document.createElement("tr"), th = document.createElement("th");
      th.textContent = pair[0]; tr.appendChild(th); cell(tr, pair[1]); table.appendChild(tr);
    });
    fillBody($("positions"), a.positions, function (tr, p) {
      cell(tr, p.contract); cell(tr, p.quantity); cell(tr, p.average_price); cell(tr, p.mark);
      cell(tr, p.price);
      cell(tr, p.pnl, Number(p.pnl) < 0 ? "neg" : "pos");
    });
    fillBody($("my-clearing"), a.clearing || [], function (tr, d) {
      cell(tr, d.day); cell(tr, d.vm, Number(d.vm) < 0 ? "neg" : "pos"); cell(tr, d.call);
      cell(tr, d.defaulted ? "yes" : ""); cell(tr, d.fees); cell(tr, d.fund);
    });
    fillBody($("open-orders"), a.open_orders, function (tr, o) {
      cell(tr, o.order_id); cell(tr, o.contract); cell(tr, o.side); cell(tr, o.price);
      cell(tr, o.open_quantity); cell(tr, o.filled_quantity);
    });
  }
  function refreshAccount() {
    var key = apiKey();
    if (!key) { $("account-body").hidden = true; $("account-status").textContent = "no key entered"; return Promise.resolve(); }
    return getJSON("/account", { "X-API-Key": key }).then(renderAccount, function (err) {
      $("account-body").hidden = true;
      $("account-status").textContent = err.status === 401 ? "key not accepted" : "account unavailable";
    });
  }
  $("key-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var key = $("api-key").value.trim();
    if (key) { window.sessionStorage.setItem(KEY_STORE, key); }
    $("api-key").value = "";
    useKey();
  });
  $("forget-key").addEventListener("click", function () { window.sessionStorage.removeItem(KEY_STORE); useKey(); });

  // ---- account panel: refreshed on the caller's own order and fill events --------------------
  var pending = null;
  var own = new Live.PrivateStream({
    path: WS_BASE + "/private",
    onEvent: function (type) {
      if (type === "subscribed" || pending !== null) { return; }
      pending = window.setTimeout(function () { pending = null; refreshAccount(); }, 50);
    }
  });
  function useKey() {
    var key = apiKey();
    if (key) { own.use(key); } else { own.stop(); }
    return refreshAccount();
  }

  // ---- gentle polling of the joined views ---------------------------------------------------
  function poll() {
    Promise.all([getJSON("/market").then(renderMarket), refreshAccount()]).then(
      function () { $("as-of").removeAttribute("data-stale"); },
      function () { $("as-of").setAttribute("data-stale", "true"); }
    ).then(function () { window.setTimeout(poll, POLL_MS); });
  }
  var initial = JSON.parse($("initial-market").textContent);
  renderMarket(initial);
  useKey();
  window.setTimeout(poll, POLL_MS);
  window.tokenfuturesDashboard = { market: market };
}());
