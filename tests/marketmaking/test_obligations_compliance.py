"""Obligations and compliance measurement: presence share, response time, spread limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.marketmaking import (
    PAPER_OBLIGATIONS,
    Obligations,
    QuoteSample,
    max_spread_ticks,
    measure_compliance,
    qualifies,
)

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
END = START + timedelta(hours=10)


def good(at: datetime) -> QuoteSample:
    return QuoteSample(at, 1000, 50, 1010, 60)  # 10 ticks on a 1005 mid < 2 % = 20 ticks


def gone(at: datetime) -> QuoteSample:
    return QuoteSample(at, 1000, 50, None, 0)


def test_paper_numbers() -> None:
    assert PAPER_OBLIGATIONS.front_max_spread == Decimal("0.02")
    assert PAPER_OBLIGATIONS.back_max_spread == Decimal("0.05")
    assert PAPER_OBLIGATIONS.min_size_lots == 50
    assert PAPER_OBLIGATIONS.min_presence == Decimal("0.80")
    assert PAPER_OBLIGATIONS.min_net_capital == Decimal("50000000")


def test_spread_limit_in_ticks_with_one_tick_floor() -> None:
    assert max_spread_ticks(PAPER_OBLIGATIONS, Decimal(1000), True) == 20
    assert max_spread_ticks(PAPER_OBLIGATIONS, Decimal(1000), False) == 50
    assert max_spread_ticks(PAPER_OBLIGATIONS, Decimal("1049.9"), True) == 20  # floor of 20.998
    assert max_spread_ticks(PAPER_OBLIGATIONS, Decimal(29), True) == 1  # 0.58 tick -> one tick


@pytest.mark.parametrize(
    ("sample", "front", "expected"),
    [
        (QuoteSample(START, 1000, 50, 1020, 50), True, True),  # exactly 20 ticks on mid 1010
        (QuoteSample(START, 1000, 50, 1021, 50), True, False),  # 21 > floor(0.02 * 1010.5)
        (QuoteSample(START, 1000, 50, 1021, 50), False, True),  # back month: 5 %
        (QuoteSample(START, 1000, 49, 1001, 50), True, False),  # bid too small
        (QuoteSample(START, None, 0, 1001, 50), True, False),  # one-sided
        (QuoteSample(START, 1001, 50, 1001, 50), True, False),  # locked
    ],
)
def test_qualifies(sample: QuoteSample, front: bool, expected: bool) -> None:
    assert qualifies(sample, PAPER_OBLIGATIONS, front) is expected


def test_presence_is_qualifying_time_over_session() -> None:
    samples = [
        good(START + timedelta(hours=1)),  # nothing for the first hour
        gone(START + timedelta(hours=5)),  # hit: 30 s without the ask
        good(START + timedelta(hours=5, seconds=30)),
        gone(START + timedelta(hours=8)),  # 2 h outage, never restored before the end
    ]
    report = measure_compliance(samples, (START, END), PAPER_OBLIGATIONS, is_front=True)
    qualifying = timedelta(hours=7) - timedelta(seconds=30)
    assert report.qualifying == qualifying
    assert report.presence == Decimal(qualifying.total_seconds()) / Decimal(36000)
    assert report.outages == (timedelta(seconds=30), timedelta(hours=2))
    assert report.worst_response == timedelta(hours=2)
    assert report.response_breaches == 1
    assert report.compliant is False


def test_compliant_session() -> None:
    samples = [
        good(START),
        gone(START + timedelta(hours=2)),
        good(START + timedelta(hours=2, seconds=5)),
    ]
    report = measure_compliance(samples, (START, END), PAPER_OBLIGATIONS, is_front=True)
    assert report.presence == Decimal(36000 - 5) / Decimal(36000)
    assert report.compliant is True
    assert report.to_dict()["outages_s"] == [5.0]


def test_samples_before_the_session_carry_in_and_after_it_are_clipped() -> None:
    samples = [good(START - timedelta(hours=1)), gone(END + timedelta(hours=1))]
    report = measure_compliance(samples, (START, END), PAPER_OBLIGATIONS, is_front=False)
    assert report.presence == Decimal(1)
    assert report.outages == ()


def test_bad_input_names_the_parameter() -> None:
    with pytest.raises(ValueError, match="session"):
        measure_compliance([], (END, START), PAPER_OBLIGATIONS, is_front=True)
    with pytest.raises(ValueError, match="samples"):
        measure_compliance([good(END), good(START)], (START, END), PAPER_OBLIGATIONS, is_front=True)
    with pytest.raises(ValueError, match="min_presence"):
        Obligations(min_presence=Decimal("1.5"))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 36000), st.booleans()), max_size=30))
def test_presence_matches_a_second_by_second_count(events: list[tuple[int, bool]]) -> None:
    events.sort(key=lambda e: e[0])
    samples = [
        good(START + timedelta(seconds=s)) if ok else gone(START + timedelta(seconds=s))
        for s, ok in events
    ]
    state = [False] * 36000
    for s, ok in events:
        for k in range(s, 36000):
            state[k] = ok
    report = measure_compliance(samples, (START, END), PAPER_OBLIGATIONS, is_front=True)
    assert report.qualifying == timedelta(seconds=sum(state))
    assert sum(report.outages, timedelta(0)) <= report.eligible - report.qualifying
