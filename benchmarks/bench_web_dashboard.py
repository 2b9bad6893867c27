"""Dashboard views, pushed ladder updates and one market-maker round, as ratios to ``/v1/health``.

A real venue (in memory, 120 days of TPI fixes from genai-prices, ten SIT contracts quoted by
the reference market maker) is served by uvicorn on 127.0.0.1 in a thread.

- views: one httpx keep-alive client times each JSON view back to back;
- push: a REST order from one client until its ``book`` frame reaches a market WebSocket
  subscriber (a reader thread timestamps frames), beside the order's own REST round trip;
- browser (when ``/usr/bin/chromium`` exists): inside the real page, a ``fetch`` POST of an
  order until the ladder's DOM changes (MutationObserver), beside a ``fetch`` of
  ``/v1/health`` from the same page.

The page used to poll the book view once a second: a change waited on average half a period
(500 ms) plus one view. The machine is shared: read the ratios. The last line is JSON.
"""

from __future__ import annotations

import json
import queue
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tokenfutures.api.app import create_app
from tokenfutures.api.dashboard import DashboardSettings, install_dashboard_settings
from tokenfutures.api.server import serve_in_thread
from tokenfutures.cli.serve_cmds import publish_index
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.core.clock import ManualClock
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.marketmaking.bot import MarketMakerBot
from tokenfutures.quant.params import preset
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")
OLD_POLL_MS = 1000.0


def timed(call: Callable[[], object], repeats: int) -> dict[str, float]:
    """Median and p90 wall time of ``call`` in milliseconds over ``repeats`` runs (after one warm-up)."""
    call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return summary(samples)


def summary(samples: list[float]) -> dict[str, float]:
    """Median and p90 of millisecond samples."""
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
    }


def resting_bids(venue: Venue, symbol: str, count: int) -> list[Decimal]:
    """``count`` one-lot bid prices one and two ticks under the best bid (inside the band)."""
    book = venue.market.book(symbol, depth=1)
    tick = next(c.tick_size for c in venue.settlement.contracts() if c.symbol == symbol)
    best = book.bids[0].price_ticks
    return [tick * (best - 1 - i % 2) for i in range(count)]


def push_latency(url: str, key: str, venue: Venue, symbol: str, repeats: int) -> dict[str, Any]:
    """REST order → its ``book`` frame on a market WebSocket, and the order's REST round trip."""
    frames: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
    ws_url = url.replace("http", "ws", 1) + f"/v1/ws/market?contract={symbol}"
    with connect(ws_url) as socket, TokenFuturesClient(url, key) as client:
        socket.recv()  # the snapshot

        def read() -> None:
            try:
                for raw in socket:
                    frames.put((time.perf_counter(), json.loads(raw)))
            except ConnectionClosed:
                pass

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        pushed, acked = [], []
        for i, price in enumerate(resting_bids(venue, symbol, repeats)):
            start = time.perf_counter()
            client.submit_order(symbol, "buy", 1, f"bench-push-{i}", price=price)
            acked.append((time.perf_counter() - start) * 1000)
            while (arrival := frames.get(timeout=5))[1]["type"] != "book":
                pass
            pushed.append((arrival[0] - start) * 1000)
    return {"push_frame": summary(pushed), "order_ack": summary(acked)}


_IN_PAGE = """async ([key, orders]) => {
  const health = [], pushed = [], acked = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await (await fetch('/v1/health', {cache: 'no-store'})).text();
    health.push(performance.now() - t);
  }
  const body = document.querySelector('#ladder tbody');
  for (const order of orders) {
    const seen = new Promise(resolve => {
      const watch = new MutationObserver(() => { watch.disconnect(); resolve(performance.now()); });
      watch.observe(body, {childList: true, subtree: true, characterData: true});
    });
    const start = performance.now();
    const reply = await fetch('/v1/orders', {method: 'POST', body: JSON.stringify(order),
      headers: {'Content-Type': 'application/json', 'X-API-Key': key}});
    await reply.json();
    acked.push(performance.now() - start);
    pushed.push(await seen - start);
  }
  return {health, pushed, acked};
}"""


def browser_latency(url: str, key: str, venue: Venue, symbol: str, repeats: int) -> dict[str, Any]:
    """In the real page: an order POSTed by ``fetch`` until the ladder's DOM changes."""
    from playwright.sync_api import sync_playwright

    orders = [
        {"contract": symbol, "side": "buy", "quantity": 1, "price": str(price),
         "client_order_id": f"bench-page-{i}", "order_type": "limit", "tif": "gtc"}
        for i, price in enumerate(resting_bids(venue, symbol, repeats))
    ]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(f"{url}/dashboard")
            page.wait_for_selector("#connection[data-state='live']")
            page.wait_for_selector("#ladder tr.bid-level")
            found = page.evaluate(_IN_PAGE, [key, orders])
        finally:
            browser.close()
    return {
        "page_health": summary(found["health"]),
        "page_order_to_ladder": summary(found["pushed"]),
        "page_order_ack": summary(found["acked"]),
    }


def main() -> None:
    clock = ManualClock(NOW)
    venue = Venue.open(open_store("memory://"), clock)
    tpi = publish_index(venue, open_index_service(), NOW)
    venue.settlement.list_contracts(NOW.date(), reference_price=tpi.level)
    key = venue.accounts.create_account("mm", deposit=Decimal(50_000_000))
    app = create_app(venue)
    install_dashboard_settings(app, DashboardSettings(params=preset("paper"), clock=clock))
    server = serve_in_thread(app)
    url = server.base_url
    try:
        with TokenFuturesClient(url, key) as client, httpx.Client(base_url=url) as http:
            bot = MarketMakerBot(client, preset("paper"), clock)
            bot.step()
            symbol = min(venue.settlement.contracts(), key=lambda c: c.last_trading_day).symbol
            results = {
                "health": timed(lambda: http.get("/v1/health"), 300),
                "dashboard_page": timed(lambda: http.get("/dashboard"), 40),
                "market_json": timed(lambda: http.get("/dashboard/data/market"), 40),
                "book_json": timed(lambda: http.get(f"/dashboard/data/book/{symbol}"), 200),
                "account_json": timed(
                    lambda: http.get("/dashboard/data/account", headers={"X-API-Key": key}), 100
                ),
                "bot_step_idle": timed(bot.step, 20),
            }
            results.update(push_latency(url, key, venue, symbol, 200))
            if CHROMIUM.exists():
                results.update(browser_latency(url, key, venue, symbol, 100))
    finally:
        server.stop()
        venue.close()
    base = results["health"]["median_ms"]
    ratios = {name: round(r["median_ms"] / base, 2) for name, r in results.items()}
    for name, r in results.items():
        print(
            f"{name:15s} median {r['median_ms']:8.3f} ms  p90 {r['p90_ms']:8.3f} ms  x{ratios[name]} of health"
        )
    if "page_health" in results:
        page_base = results["page_health"]["median_ms"]
        for name in ("page_order_to_ladder", "page_order_ack"):
            ratios[f"{name}_to_page_health"] = round(results[name]["median_ms"] / page_base, 2)
        ratios["page_order_to_ladder_to_page_order_ack"] = round(
            results["page_order_to_ladder"]["median_ms"] / results["page_order_ack"]["median_ms"], 2
        )
    ratios["push_frame_to_order_ack"] = round(
        results["push_frame"]["median_ms"] / results["order_ack"]["median_ms"], 2
    )
    old_poll = OLD_POLL_MS / 2 + results["book_json"]["median_ms"]
    ratios["old_poll_mean_delay_to_push_frame"] = round(
        old_poll / results["push_frame"]["median_ms"], 1
    )
    print(
        f"old 1 s polling: mean delay to see a change ≈ {old_poll:.1f} ms (half a period + a view)"
    )
    print(json.dumps({"benchmark": "web_dashboard", "results": results, "ratio_to_health": ratios}))


if __name__ == "__main__":
    main()
