"""Venue fixtures: a manual clock, an in-memory venue, and one with a trading day open."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # venue_helpers, any import mode

from venue_helpers import TPI, TRADING_DAY, Market

from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue


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
