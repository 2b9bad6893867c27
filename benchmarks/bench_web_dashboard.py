"""Dashboard JSON views and one market-maker round, as ratios to ``GET /v1/health`` on the same server.

A real venue (in memory, 120 days of TPI fixes from genai-prices, ten SIT contracts quoted by
the reference market maker) is served by uvicorn on 127.0.0.1 in a thread; one httpx
keep-alive client times each view back to back. The machine is shared: read the ratios.
The last line is JSON.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import httpx

from tokenfutures.api.app import create_app
from tokenfutures.api.dashboard import DashboardSettings, install_dashboard_settings
from tokenfutures.api.server import serve_in_thread
from tokenfutures.cli.serve_cmds import ingest_fixes, tpi_history_from_genai_prices
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.core.clock import ManualClock
from tokenfutures.marketmaking.bot import MarketMakerBot
from tokenfutures.quant.params import preset
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def timed(call: Callable[[], object], repeats: int) -> dict[str, float]:
    """Median and p90 wall time of ``call`` in milliseconds over ``repeats`` runs (after one warm-up)."""
    call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p90_ms": round(samples[int(0.9 * (len(samples) - 1))], 3),
    }


def main() -> None:
    clock = ManualClock(NOW)
    venue = Venue.open(open_store("memory://"), clock)
    history = tpi_history_from_genai_prices(NOW.date(), days=120)
    ingest_fixes(venue, history)
    venue.list_contracts(NOW.date(), reference_price=history[-1].level)
    key = venue.create_account("mm", deposit=Decimal(50_000_000))
    app = create_app(venue)
    install_dashboard_settings(app, DashboardSettings(params=preset("paper"), clock=clock))
    server = serve_in_thread(app)
    url = server.base_url
    try:
        with TokenFuturesClient(url, key) as client, httpx.Client(base_url=url) as http:
            bot = MarketMakerBot(client, preset("paper"), clock)
            bot.step()
            symbol = min(venue.contracts(), key=lambda c: c.last_trading_day).symbol
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
    finally:
        server.stop()
        venue.close()
    base = results["health"]["median_ms"]
    ratios = {name: round(r["median_ms"] / base, 2) for name, r in results.items()}
    for name, r in results.items():
        print(
            f"{name:15s} median {r['median_ms']:8.3f} ms  p90 {r['p90_ms']:8.3f} ms  x{ratios[name]} of health"
        )
    print(json.dumps({"benchmark": "web_dashboard", "results": results, "ratio_to_health": ratios}))


if __name__ == "__main__":
    main()
