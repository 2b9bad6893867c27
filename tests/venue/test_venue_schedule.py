"""The trading-day scheduler: pure step plans and the runner."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from venue_helpers import FRONT

from tokenfutures.core.clock import ManualClock
from tokenfutures.venue.schedule import END_OF_DAY, FIX_INDEX, OPEN_DAY, day_steps, due_steps
from tokenfutures.venue.service import Venue


def test_a_business_day_opens_the_evening_before_and_settles_at_the_close() -> None:
    steps = day_steps(date(2026, 11, 24))
    assert [(s.at, s.action) for s in steps] == [
        (datetime(2026, 11, 23, 22, 0, tzinfo=UTC), OPEN_DAY),
        (datetime(2026, 11, 24, 21, 0, tzinfo=UTC), END_OF_DAY),
    ]
    assert day_steps(date(2026, 11, 28)) == []  # Saturday
    assert day_steps(date(2026, 12, 25)) == []  # exchange holiday
    with_fix = [s.action for s in day_steps(date(2026, 11, 24), with_fix=True)]
    assert with_fix == [OPEN_DAY, FIX_INDEX, END_OF_DAY]


def test_due_steps_span_a_weekend_in_order() -> None:
    after = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # Friday noon
    until = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # Monday 22:00
    steps = due_steps(after, until)
    assert [(s.day, s.action) for s in steps] == [
        (date(2026, 11, 27), END_OF_DAY),
        (date(2026, 11, 30), OPEN_DAY),  # Sunday 22:00
        (date(2026, 11, 30), END_OF_DAY),
        (date(2026, 12, 1), OPEN_DAY),
    ]


def test_run_schedule_lists_opens_and_settles(venue: Venue, clock: ManualClock) -> None:
    venue.index.fix_index(date(2026, 11, 23), Decimal("3.50"))
    clock.current = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    done = venue.settlement.run_schedule(clock.current)
    assert [d.split()[1] for d in done] == [OPEN_DAY]  # the session of Tuesday, 24 November
    phases = {c.symbol: c.phase for c in venue.settlement.contracts()}
    assert phases[FRONT] == "CONTINUOUS"
    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    assert [d.split()[1] for d in venue.settlement.run_schedule(clock.current)] == [END_OF_DAY]
    assert venue.settlement.settlements(FRONT)[-1].price == Decimal("3.50")
    assert venue.settlement.run_schedule(clock.current) == []  # nothing runs twice


def test_a_fix_provider_is_called_at_the_settlement_time(venue: Venue, clock: ManualClock) -> None:
    venue.index.fix_index(date(2026, 11, 23), Decimal("3.50"))
    asked: list[date] = []

    def fixer(day: date) -> Decimal:
        asked.append(day)
        return Decimal("3.55")

    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    done = [d.split()[1] for d in venue.settlement.run_schedule(clock.current, fixer=fixer)]
    assert done == [OPEN_DAY, FIX_INDEX, END_OF_DAY]
    assert asked == [date(2026, 11, 24)]
    assert venue.index.index_fixings()[-1].level == Decimal("3.55")
