"""Shared constants and the ``Market`` bundle of the venue tests (imported by conftest and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tokenfutures.core.clock import ManualClock
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
