"""A real venue (in-memory store, manual clock) with two funded accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from tokenfutures.bootstrap import Settings, load_settings, open_venue
from tokenfutures.core.clock import ManualClock
from tokenfutures.venue.service import Venue

TRADING_DAY = date(2026, 3, 2)
REFERENCE_PRICE = Decimal("2.5")


def memory_settings() -> Settings:
    """The house's settings with the store in memory (the composition root builds from them)."""
    return load_settings(store={"url": "memory://"})


@dataclass
class Market:
    """A venue with listed, open contracts and two accounts with their API keys."""

    venue: Venue
    symbol: str
    price: Decimal
    tick: Decimal
    keys: dict[str, str]


def open_market() -> Market:
    """List and open the SIT contracts of ``TRADING_DAY``; fund alice and bob."""
    clock = ManualClock(datetime(2026, 3, 2, 15, tzinfo=UTC))
    venue = open_venue(memory_settings(), clock)
    contracts = venue.settlement.list_contracts(TRADING_DAY, reference_price=REFERENCE_PRICE)
    front = contracts[0]
    keys = {name: venue.accounts.create_account(name) for name in ("alice", "bob")}
    return Market(venue, front.symbol, front.prior_settlement, front.tick_size, keys)
