"""Default auctions over HTTP: members list them, bid sealed, and read the award after the close.

carol sells 10 lots (25,000 USD each) at 2.50 with 20,500 USD; the day settles at 2.60, her
collateral falls to 10,500 under the 15,600 maintenance and she is called; the next end of
day she defaults and her short book is auctioned to alice and bob.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from tokenfutures.api import RunningServer
from tokenfutures.core.clock import ManualClock
from tokenfutures.venue.views import OrderRequest

from .helpers import TRADING_DAY, Market

NEXT_DAY = TRADING_DAY + timedelta(days=1)


def _at(market: Market, day: Any, hour: int, minute: int = 0) -> None:
    clock = market.venue.clock
    assert isinstance(clock, ManualClock)
    clock.current = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _default_carol(market: Market) -> None:
    v, symbol = market.venue, market.symbol
    v.accounts.create_account("carol", deposit=Decimal(20_500))
    v.trading.submit_order("carol", OrderRequest(symbol, "sell", 10, "c", Decimal("2.50")))
    v.trading.submit_order("bob", OrderRequest(symbol, "buy", 10, "b", Decimal("2.50")))
    _at(market, TRADING_DAY, 20, 59)  # the closing window sets the settlement price
    v.trading.submit_order("alice", OrderRequest(symbol, "buy", 1, "a2", Decimal("2.60")))
    v.trading.submit_order("bob", OrderRequest(symbol, "sell", 1, "b2", Decimal("2.60")))
    _at(market, TRADING_DAY, 21)
    first = v.settlement.end_of_day(TRADING_DAY)
    assert first.margin_calls["carol"] > 0
    _at(market, NEXT_DAY, 10)
    v.settlement.list_contracts(NEXT_DAY)
    _at(market, NEXT_DAY, 21)
    assert v.settlement.end_of_day(NEXT_DAY).defaults == ("carol",)


def test_members_bid_sealed_over_http_and_read_the_award(
    market: Market, server: RunningServer
) -> None:
    _default_carol(market)
    base, keys = server.base_url, market.keys
    keys["carol"] = market.venue.accounts.issue_api_key("carol")

    def call(method: str, path: str, who: str | None, **kw: Any) -> httpx.Response:
        headers = {} if who is None else {"X-API-Key": keys[who]}
        return httpx.request(method, f"{base}{path}", headers=headers, timeout=10, **kw)

    assert call("GET", "/v1/clearing/auctions", None).status_code == 401  # members only
    (auction,) = call("GET", "/v1/clearing/auctions", "alice").json()
    assert auction["status"] == "open"
    assert auction["defaulter"] == "carol"
    assert auction["invited"] == ["alice", "bob"]
    assert auction["portfolio"] == [
        {"contract": market.symbol, "quantity": -10, "price": "2.60000", "price_ticks": 260000}
    ]
    assert auction["reserve"] == "-5200.00"  # 2 % of 10 lots x 26,000 USD: the fallback's cost
    bids = f"/v1/clearing/auctions/{auction['auction_id']}/bids"
    _at(market, NEXT_DAY, 21, 10)
    taken = call("POST", bids, "alice", json={"amount": "-900.00"})
    assert taken.status_code == 201, taken.text
    assert taken.json()["submitted"] == "2026-03-03T21:10:00Z"
    assert call("POST", bids, "bob", json={"amount": "-400.50"}).status_code == 201
    refused = {
        "carol": call("POST", bids, "carol", json={"amount": "1.00"}),  # the defaulter
        "sub-cent": call("POST", bids, "bob", json={"amount": "1.001"}),
        "number": call("POST", bids, "bob", json={"amount": 5}),
        "unknown": call("POST", "/v1/clearing/auctions/99/bids", "bob", json={"amount": "1"}),
        "anonymous": call("POST", bids, None, json={"amount": "1.00"}),
    }
    assert {k: r.status_code for k, r in refused.items()} == {
        "carol": 422,
        "sub-cent": 422,
        "number": 422,
        "unknown": 404,
        "anonymous": 401,
    }
    sealed = call("GET", f"/v1/clearing/auctions/{auction['auction_id']}", "carol").json()
    assert (sealed["bids_received"], sealed["winner"], sealed["amount"]) == (2, None, None)
    assert "-400.50" not in str(sealed)

    _at(market, NEXT_DAY, 22)
    market.venue.auctions.close_due(market.venue.clock.now())  # the scheduler's step
    (closed,) = call("GET", "/v1/clearing/auctions", "bob", params={"status": "awarded"}).json()
    assert (closed["winner"], closed["amount"]) == ("bob", "-400.50")
    assert closed["allocation"] == {"bob": {market.symbol: -10}}
    assert Decimal(closed["waterfall"]["closeout_loss"]) == Decimal("400.50")
    assert Decimal(closed["waterfall"]["uncovered"]) == 0
    assert call("GET", "/v1/clearing/auctions", "bob", params={"status": "open"}).json() == []
    assert call("GET", "/v1/clearing/auctions/7", "bob").status_code == 404
    mine = call("GET", "/v1/account/positions", "bob").json()
    assert [(p["contract"], p["quantity"]) for p in mine] == [(market.symbol, -1)]
