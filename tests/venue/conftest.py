"""Venue fixtures: a manual clock, an in-memory venue, and one with a trading day open."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

TRADING_DAY = date(2026, 11, 24)  # a Tuesday; SITZ26 is the front month
FRONT = "SITZ26"
TPI = Decimal("3.50")


@dataclass
class Market:
    """A venue with the day's contracts open and two funded accounts."""

    venue: Venue
    clock: ManualClock
    alice: str
    bob: str


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))


@pytest.fixture
def venue(clock: ManualClock) -> Iterator[Venue]:
    venue = Venue.open(open_store("memory://"), clock)
    yield venue
    venue.close()


@pytest.fixture
def market(venue: Venue, clock: ManualClock) -> Market:
    venue.fix_index(date(2026, 11, 23), TPI)
    venue.list_contracts(TRADING_DAY)
    alice = venue.create_account("alice", deposit=Decimal(10_000))
    bob = venue.create_account("bob", deposit=Decimal(10_000))
    return Market(venue, clock, alice, bob)
