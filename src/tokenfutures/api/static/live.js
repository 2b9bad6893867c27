// tokenfutures dashboard, live part: the selected contract's ladder and trades from the venue's
// public WebSocket, and a nudge on the caller's private stream (ADR 0706). Plain JavaScript.
//
// Market stream protocol (ADR 0652): every frame has `seq`, gap-free per connection from 1; the
// first is a `snapshot` of the book, then `book` (one level's new visible lots, 0 removes it),
// `trade` and `phase` deltas. A frame whose seq is not the next one means a lost frame: the
// page drops its state and subscribes again for a fresh snapshot. A closed socket is reopened
// with capped exponential backoff.
(function (global) {
  "use strict";
  var BACKOFF_MS = [250, 500, 1000, 2000, 4000];
  var TRADES_KEPT = 20;
  var LADDER_DEPTH = 10;

  function backoffDelay(attempt) {
    var base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    return Math.round(base * (1 + 0.2 * Math.random()));
  }

  function wsUrl(path) {
    var scheme = global.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + global.location.host + path;
  }

  // ---- one contract's book, folded from a snapshot and deltas ----------------------------------
  function emptyBook(contract) {
    return { contract: contract, phase: "", last: null, buy: {}, sell: {}, trades: [] };
  }

  function applySnapshot(book, data) {
    book.phase = data.phase || "";
    book.last = data.last_price || null;
    book.buy = {}; book.sell = {};
    (data.levels || []).forEach(function (level) { setLevel(book, level); });
  }

  function setLevel(book, level) {
    var side = book[level.side];
    if (!side) { return; }
    if (level.quantity > 0) {
      side[level.price_ticks] = { price: level.price, quantity: level.quantity, ticks: level.price_ticks };
    } else {
      delete side[level.price_ticks];
    }
  }

  function addTrades(book, trades) {
    var byId = {};
    book.trades.concat(trades).forEach(function (t) { byId[t.trade_id] = t; });
    book.trades = Object.keys(byId).map(function (id) { return byId[id]; })
      .sort(function (a, b) { return b.trade_id - a.trade_id; })
      .slice(0, TRADES_KEPT);
  }

  function ladderLevels(book, side) {
    var levels = Object.keys(book[side]).map(function (ticks) { return book[side][ticks]; });
    levels.sort(function (a, b) { return side === "buy" ? b.ticks - a.ticks : a.ticks - b.ticks; });
    return levels.slice(0, LADDER_DEPTH);
  }

  // Exact (bid + ask) / 2 of two decimal strings, written as the venue writes a Decimal mid:
  // the sum at the finer of the two scales, halved, one more digit only when it is odd.
  function midPrice(bid, ask) {
    var scale = Math.max(decimals(bid), decimals(ask));
    var sum = scaled(bid, scale) + scaled(ask, scale);
    if (sum % BigInt(2) === BigInt(0)) { return unscaled(sum / BigInt(2), scale); }
    return unscaled(sum * BigInt(5), scale + 1);
  }
  function decimals(value) {
    var dot = value.indexOf(".");
    return dot < 0 ? 0 : value.length - dot - 1;
  }
  function scaled(value, scale) {
    var parts = value.split(".");
    var fraction = (parts[1] || "") + new Array(scale - decimals(value) + 1).join("0");
    return BigInt(parts[0] + fraction);
  }
  function unscaled(units, scale) {
    var digits = units.toString();
    if (scale === 0) { return digits; }
    while (digits.length <= scale) { digits = "0" + digits; }
    return digits.slice(0, digits.length - scale) + "." + digits.slice(digits.length - scale);
  }

  // ---- the market stream of the selected contract ---------------------------------------------
  // options: path (e.g. "/v1/ws/market"), onBook(book), onStatus(state), onSubscribed(contract)
  function MarketStream(options) {
    this.options = options;
    this.book = null;
    this.socket = null;
    this.expected = 1;
    this.attempt = 0;
    this.timer = null;
    this.stats = { connections: 0, snapshots: 0, gaps: 0, drops: 0 };
  }

  MarketStream.prototype.select = function (contract) {
    this.book = emptyBook(contract);
    this.attempt = 0;
    this.open();
  };

  MarketStream.prototype.open = function () {
    var self = this;
    this.discard();
    if (!this.book) { return; }
    var contract = this.book.contract;
    var socket = new WebSocket(wsUrl(this.options.path + "?contract=" + encodeURIComponent(contract)));
    this.socket = socket;
    this.expected = 1;
    this.stats.connections += 1;
    if (this.attempt === 0) { this.options.onStatus("connecting"); }
    socket.onmessage = function (event) { if (socket === self.socket) { self.receive(event.data); } };
    socket.onclose = function () { if (socket === self.socket) { self.dropped(); } };
  };

  MarketStream.prototype.discard = function () {
    var old = this.socket;
    this.socket = null;
    if (this.timer !== null) { global.clearTimeout(this.timer); this.timer = null; }
    if (old) { old.onmessage = null; old.onclose = null; old.close(1000); }
  };

  MarketStream.prototype.dropped = function () {
    var self = this;
    this.socket = null;
    this.stats.drops += 1;
    this.options.onStatus("reconnecting");
    this.timer = global.setTimeout(function () { self.timer = null; self.open(); }, backoffDelay(this.attempt));
    this.attempt += 1;
  };

  MarketStream.prototype.receive = function (text) {
    var frame;
    try { frame = JSON.parse(text); } catch (err) { this.resubscribe(); return; }
    if (frame.type === "error") { return; }  // the server closes next; onclose retries with backoff
    if (frame.seq !== this.expected || (frame.seq === 1 && frame.type !== "snapshot")) {
      this.stats.gaps += 1;
      this.resubscribe();
      return;
    }
    this.expected += 1;
    this.apply(frame.type, frame.data);
    this.options.onBook(this.book);
  };

  MarketStream.prototype.apply = function (type, data) {
    var book = this.book;
    if (type === "snapshot") {
      applySnapshot(book, data);
      this.attempt = 0;
      this.stats.snapshots += 1;
      this.options.onStatus("live");
      this.options.onSubscribed(book.contract);
    } else if (type === "book") {
      setLevel(book, data);
    } else if (type === "trade") {
      book.last = data.price;
      addTrades(book, [data]);
    } else if (type === "phase") {
      book.phase = data.phase;
    }
  };

  // A lost frame: forget the socket (state is rebuilt from the next snapshot) and subscribe again.
  MarketStream.prototype.resubscribe = function () {
    this.book = emptyBook(this.book.contract);
    this.open();
  };

  // Trades from before the subscription (the book view), merged by trade id with streamed ones.
  MarketStream.prototype.mergeTrades = function (contract, trades) {
    if (!this.book || this.book.contract !== contract) { return; }
    addTrades(this.book, trades);
    this.options.onBook(this.book);
  };

  // ---- the private stream: each own order or fill event asks for an account refresh -----------
  // options: path ("/v1/ws/private"), onEvent(type)
  function PrivateStream(options) {
    this.options = options;
    this.key = null;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
  }

  PrivateStream.prototype.use = function (key) {
    this.key = key;
    this.attempt = 0;
    this.open();
  };

  PrivateStream.prototype.stop = function () {
    var old = this.socket;
    this.key = null;
    this.socket = null;
    if (this.timer !== null) { global.clearTimeout(this.timer); this.timer = null; }
    if (old) { old.onclose = null; old.onmessage = null; old.close(1000); }
  };

  PrivateStream.prototype.open = function () {
    var self = this, key = this.key;
    if (this.socket) { this.socket.onclose = null; this.socket.onmessage = null; this.socket.close(1000); }
    this.socket = null;
    if (!key) { return; }
    var socket = new WebSocket(wsUrl(this.options.path));
    this.socket = socket;
    // the key goes in the first message, not the URL, so it never lands in an access log
    socket.onopen = function () { socket.send(JSON.stringify({ api_key: key })); };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "error") { self.key = null; return; }  // refused: the account view says why
      if (frame.type === "subscribed") { self.attempt = 0; }
      self.options.onEvent(frame.type);
    };
    socket.onclose = function () {
      if (socket !== self.socket || !self.key) { return; }
      self.socket = null;
      self.timer = global.setTimeout(function () { self.timer = null; self.open(); }, backoffDelay(self.attempt));
      self.attempt += 1;
    };
  };

  global.TokenFuturesLive = {
    MarketStream: MarketStream,
    PrivateStream: PrivateStream,
    ladderLevels: ladderLevels,
    midPrice: midPrice
  };
}(window));
