"""A seeded trading day on a venue: TPI fix, listing, accounts, random orders, end of day.

Used by ``tokenfutures venue day`` and handy in notebooks; the randomness is a parameter.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import EndOfDayReport, OrderRequest

DEMO_ACCOUNTS = ("mm-1", "mm-2", "fund-1", "fund-2")


@dataclass(frozen=True, slots=True)
class DayResult:
    """What the day did: orders sent, accepted, trades, wall time, the EOD report, the hash."""

    orders: int
    accepted: int
    trades: int
    seconds: float
    report: EndOfDayReport
    state_hash: str


def run_day(
    venue: Venue,
    day: date,
    tpi: Decimal,
    orders: int,
    rng: random.Random,
    progress: Callable[[int], None] | None = None,
) -> DayResult:
    """Fix the TPI, open ``day``, trade ``orders`` random limit orders, then settle the day.

    Every order asks for self-trade prevention (cancel the resting order), so accounts never
    trade with themselves.
    """
    venue.index.fix_index(day - timedelta(days=1), tpi, audit={"source": "demo"})
    listed = venue.settlement.list_contracts(day)[:3]
    contracts = [c.symbol for c in listed]
    center = {c.symbol: int(c.prior_settlement / c.tick_size) for c in listed}
    for account in DEMO_ACCOUNTS:
        if account not in venue.accounts.ids():
            venue.accounts.create_account(account, deposit=Decimal(1_000_000))
    accepted = 0
    start = time.perf_counter()
    for i in range(orders):
        contract = rng.choice(contracts)
        ticks = center[contract] + rng.randint(-8, 8)
        request = OrderRequest(
            contract,
            rng.choice(["buy", "sell"]),
            rng.randint(1, 20),
            f"{day.isoformat()}-{i}",
            price_ticks=ticks,
            self_trade_prevention="cancel_resting",  # no wash trades (ADR 0410)
        )
        ack = venue.trading.submit_order(rng.choice(DEMO_ACCOUNTS), request)
        accepted += ack.status == "accepted"
        if progress is not None and i % 100 == 99:
            progress(100)
    seconds = time.perf_counter() - start
    trades = sum(len(venue.market.trades(c, limit=1000)) for c in contracts)
    report = venue.settlement.end_of_day(day)
    return DayResult(orders, accepted, trades, seconds, report, venue.state_hash())
