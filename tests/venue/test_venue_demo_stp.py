"""The demo trading day asks for self-trade prevention: no account trades with itself."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from tokenfutures.venue.demo import run_day
from tokenfutures.venue.service import Venue


def test_demo_day_has_no_self_trades(venue: Venue) -> None:
    result = run_day(venue, date(2026, 11, 24), Decimal("0.30"), 400, random.Random(3))
    assert result.trades > 0
    trades = [t for kept in venue._state.trades.values() for t in kept]
    assert trades
    assert all(t.buyer != t.seller for t in trades)
