"""The trading day on the venue's clock: the scheduler through two expiries, checked by replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from venue_helpers import FRONT, TPI, Market

from tokenfutures.core.clock import AcceleratedClock, ManualClock
from tokenfutures.venue.queries import money_identity
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.scheduler import DayScheduler
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest

SECOND = "SITF27"


def _order(contract: str, side: str, qty: int, coid: str, price: str) -> OrderRequest:
    return OrderRequest(contract, side, qty, coid, price=Decimal(price))


def _run_until(scheduler: DayScheduler, clock: ManualClock, until: datetime) -> None:
    while clock.current < until:
        clock.advance(timedelta(hours=1))
        scheduler.step()


def test_the_schedule_settles_calls_defaults_rolls_and_expires_twice(market: Market) -> None:
    v, clock = market.venue, market.clock
    scheduler = DayScheduler(v.settlement, clock, fixer=lambda day: TPI)
    v.accounts.create_account("carol", deposit=Decimal(3))
    clock.current = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    scheduler.step()
    v.trading.submit_order("bob", _order(FRONT, "buy", 10, "b1", "3.50"))
    v.trading.submit_order("carol", _order(FRONT, "sell", 10, "c1", "3.50"))
    v.trading.submit_order("alice", _order(SECOND, "buy", 5, "a1", "3.50"))
    v.trading.submit_order("bob", _order(SECOND, "sell", 5, "b2", "3.50"))
    clock.current = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)  # the closing window
    v.trading.submit_order("alice", _order(FRONT, "sell", 1, "a2", "3.60"))
    v.trading.submit_order("bob", _order(FRONT, "buy", 1, "b3", "3.60"))
    _run_until(scheduler, clock, datetime(2027, 1, 22, 12, 0, tzinfo=UTC))

    reports = v.settlement.reports()
    first = reports[0]
    assert first.day == date(2026, 11, 24)
    assert first.margin_calls["carol"] > 0  # short 10 at 3.50, settled at 3.60
    assert first.variation_margin["carol"] == Decimal("-1.00")
    assert reports[1].defaults == ("carol",)  # the call was not met by the next end of day
    finals = {s.contract: s for r in reports for s in r.final_settlements}
    assert set(finals) == {FRONT, SECOND}
    assert finals[FRONT].day == date(2026, 12, 16)  # third Wednesdays
    assert finals[SECOND].day == date(2027, 1, 20)
    assert finals[FRONT].price == finals[SECOND].price == TPI  # the fixes' average
    days = [r.day for r in reports]
    assert days == sorted(set(days))
    assert all(d.weekday() < 5 for d in days)
    listed = {c.symbol for c in v.settlement.contracts()}
    assert {"SITN27", "SITM28"} <= listed, "new months were listed as the calendar rolled"
    assert {FRONT, SECOND} <= {c.symbol for c in v.settlement.contracts() if c.phase == "EXPIRED"}

    replayed = replay_journal(v.store)
    assert replayed.eod_reports == reports  # every settlement, call, default and final
    assert state_hash(replayed) == v.state_hash()
    inside, outside = money_identity(replayed)
    assert inside == outside == (10_000 + 10_000 + 3) * 1_000_000  # alice, bob and carol paid in
    assert scheduler.error is None


def test_an_accelerated_clock_runs_at_its_speed_and_waits_until_told() -> None:
    start = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    held = AcceleratedClock(start, 3600.0, running=False)
    assert held.now() == start
    held.run()
    later = held.now()
    assert later >= start
    with pytest.raises(ValueError, match="timezone"):
        AcceleratedClock(datetime(2026, 12, 7), 2.0)
    with pytest.raises(ValueError, match="speed"):
        AcceleratedClock(start, 0.0)
