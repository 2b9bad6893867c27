"""``/v1/clearing/end-of-day`` and ``/v1/account/end-of-day`` over HTTP, paginated by day."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx

from tokenfutures.api import RunningServer
from tokenfutures.venue.views import OrderRequest

from .helpers import TRADING_DAY, Market


def test_end_of_day_reports_public_and_private_one_page_at_a_time(
    market: Market, server: RunningServer
) -> None:
    v = market.venue
    v.trading.submit_order("alice", OrderRequest(market.symbol, "buy", 4, "a", market.price))
    v.trading.submit_order("bob", OrderRequest(market.symbol, "sell", 4, "b", market.price))
    first = v.settlement.end_of_day(TRADING_DAY)
    v.settlement.list_contracts(TRADING_DAY + timedelta(days=1))
    above = market.price + market.tick
    v.trading.submit_order("bob", OrderRequest(market.symbol, "buy", 1, "b2", above))
    v.trading.submit_order("alice", OrderRequest(market.symbol, "sell", 1, "a2", above))
    second = v.settlement.end_of_day(TRADING_DAY + timedelta(days=1))
    base = server.base_url

    page = httpx.get(f"{base}/v1/clearing/end-of-day", params={"limit": 1}, timeout=10)
    assert page.status_code == 200
    assert [d["day"] for d in page.json()] == [first.day.isoformat()]
    cursor = page.headers["X-Next-Cursor"]
    rest = httpx.get(f"{base}/v1/clearing/end-of-day", params={"after": cursor}, timeout=10)
    assert "X-Next-Cursor" not in rest.headers
    (day,) = rest.json()
    assert day["day"] == second.day.isoformat()
    moved = second.variation_margin
    assert moved["alice"] == -moved["bob"] != 0  # the second day settled a tick up
    assert Decimal(day["variation_margin_paid"]) == max(moved["alice"], moved["bob"])
    assert {s["contract"] for s in day["settlements"]} >= {market.symbol}
    assert "alice" not in rest.text  # no member's own figures in the public view

    mine = httpx.get(
        f"{base}/v1/account/end-of-day", headers={"X-API-Key": market.keys["alice"]}, timeout=10
    ).json()
    assert [Decimal(d["variation_margin"]) for d in mine] == [
        first.variation_margin.get("alice", Decimal(0)),
        moved["alice"],
    ]
    anonymous = httpx.get(f"{base}/v1/account/end-of-day", timeout=10)
    assert anonymous.status_code == 401
