"""The default-auction scenario of the API tests: carol defaults, alice and bob are invited.

carol sells 10 lots (25,000 USD each) at 2.50 with 20,500 USD; the day settles at 2.60, her
collateral falls to 10,500 under the 15,600 maintenance and she is called; the next end of
day she defaults and her short book is auctioned to the clearing members alice and bob.
dave clears through alice (a client, not a member): he is not invited, nor is carol.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tokenfutures.core.clock import ManualClock
from tokenfutures.venue.views import OrderRequest

from .helpers import TRADING_DAY, Market

NEXT_DAY = TRADING_DAY + timedelta(days=1)
#: What an invited member reads of an auction: nothing about the defaulter or the others.
MEMBER_FIELDS = {
    "auction_id", "day", "status", "opened", "closes", "portfolio", "reserve", "bid",
    "bid_submitted", "closed", "won", "allocation", "payment", "penalty", "fund_used",
    "assessment",
}  # fmt: skip


def at(market: Market, day: Any, hour: int, minute: int = 0) -> None:
    clock = market.venue.clock
    assert isinstance(clock, ManualClock)
    clock.current = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def call_carol(market: Market) -> None:
    """carol and dave join; carol is called at the first end of day; the clock is at the next."""
    v, symbol = market.venue, market.symbol
    market.keys["carol"] = v.accounts.create_account("carol", deposit=Decimal(20_500))
    market.keys["dave"] = v.accounts.create_account("dave", member="alice")
    v.trading.submit_order("carol", OrderRequest(symbol, "sell", 10, "c", Decimal("2.50")))
    v.trading.submit_order("bob", OrderRequest(symbol, "buy", 10, "b", Decimal("2.50")))
    at(market, TRADING_DAY, 20, 59)  # the closing window sets the settlement price
    v.trading.submit_order("alice", OrderRequest(symbol, "buy", 1, "a2", Decimal("2.60")))
    v.trading.submit_order("bob", OrderRequest(symbol, "sell", 1, "b2", Decimal("2.60")))
    at(market, TRADING_DAY, 21)
    first = v.settlement.end_of_day(TRADING_DAY)
    assert first.margin_calls["carol"] > 0
    at(market, NEXT_DAY, 10)
    v.settlement.list_contracts(NEXT_DAY)
    at(market, NEXT_DAY, 21)


def default_carol(market: Market) -> None:
    """The next end of day: carol defaults, her book is auctioned (the CCP's own record)."""
    assert market.venue.settlement.end_of_day(NEXT_DAY).defaults == ("carol",)
    (auction,) = market.venue.auctions.views()
    assert auction.invited == ("alice", "bob")
