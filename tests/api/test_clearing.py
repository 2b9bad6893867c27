"""``/v1/clearing/end-of-day`` and ``/v1/account/end-of-day`` over HTTP, paginated by day."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx

from tokenfutures.api import RunningServer
from tokenfutures.client.rest import TokenFuturesClient
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


def test_fees_and_default_fund_per_account_through_the_client(
    market: Market, server: RunningServer
) -> None:
    """SIT v2 fees: maker 0.10, taker 0.30, clearing 0.10 USD a lot (ADR 0411)."""
    v = market.venue
    alice = TokenFuturesClient(server.base_url, market.keys["alice"])
    v.trading.submit_order("alice", OrderRequest(market.symbol, "buy", 4, "a", market.price))
    v.trading.submit_order("bob", OrderRequest(market.symbol, "sell", 4, "b", market.price))
    accrued = alice.fees()  # alice rested: 4 lots as maker, not yet billed
    assert (accrued.maker_lots, accrued.taker_lots) == (4, 0)
    assert accrued.trading_fees_accrued == Decimal("0.40")
    assert accrued.clearing_fees_accrued == Decimal("0.40")
    assert (accrued.fees_billed, accrued.default_fund) == (0, 0)
    report = v.settlement.end_of_day(TRADING_DAY)
    # 4 lots of 2.50 x 10,000 SIT-millions: ±50 % costs 50,000 less 8 % margin (8,000) on the
    # side that loses; long and short never lose together, so Cover-2 is one side: 42,000
    assert report.cover2 == Decimal(42_000)
    assert report.default_fund == {"alice": Decimal(21_000), "bob": Decimal(21_000)}
    billed = alice.fees()
    assert (billed.maker_lots, billed.trading_fees_accrued) == (0, 0)
    assert billed.fees_billed == Decimal("0.80")
    assert billed.default_fund == Decimal(21_000)
    assert alice.margin().collateral == Decimal(1_000_000) - Decimal("0.80") - Decimal(21_000)
    (day,) = httpx.get(f"{server.base_url}/v1/clearing/end-of-day", timeout=10).json()
    assert Decimal(day["trading_fees"]) == Decimal("1.60")  # 0.40 maker + 1.20 taker
    assert Decimal(day["clearing_fees"]) == Decimal("0.80")
    assert Decimal(day["default_fund"]) == Decimal(42_000)
    assert Decimal(day["cover2"]) == Decimal(42_000)
    (mine,) = httpx.get(
        f"{server.base_url}/v1/account/end-of-day",
        headers={"X-API-Key": market.keys["bob"]},
        timeout=10,
    ).json()
    assert (Decimal(mine["trading_fees"]), Decimal(mine["clearing_fees"])) == (
        Decimal("1.20"),
        Decimal("0.40"),
    )
    assert Decimal(mine["default_fund"]) == Decimal(21_000)
    alice.close()
