"""Final settlement: mean of daily fixes over the delivery month to the LTD, with its audit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.contracts import (
    FixSource,
    InsufficientFixesError,
    final_settlement_price,
    paper_spec,
    parse_symbol,
    product_spec,
    settlement_window,
)
from tokenfutures.core.errors import InvalidParameterError

SIT = paper_spec()
SITZ26 = parse_symbol("SITZ26")
# Business days 1-16 December 2026 (LTD = Wednesday 16th): 12 days.
WINDOW = [date(2026, 12, d) for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16)]


def flat_fixes(level: str = "10.00") -> dict[date, Decimal]:
    return dict.fromkeys(WINDOW, Decimal(level))


def test_window_is_business_days_from_the_first_to_the_ltd() -> None:
    assert settlement_window(SIT, SITZ26) == WINDOW


def test_flat_fixes_settle_at_the_level() -> None:
    result = final_settlement_price(SIT, SITZ26, flat_fixes().items())
    assert result.price == Decimal("10.00")
    assert result.price_ticks == 1000
    assert result.observed_count == 12
    assert result.missing_days == ()


@pytest.mark.parametrize(
    ("last_fix", "raw_mean", "price"),
    [
        ("10.06", "10.005", "10.00"),  # 120.06 / 12: a tie, rounds to the even tick
        ("10.18", "10.015", "10.02"),  # 120.18 / 12: a tie, rounds to the even tick
        ("10.30", "10.025", "10.02"),
        ("10.31", "10.0258333333", "10.03"),
    ],
)
def test_mean_and_half_even_rounding(last_fix: str, raw_mean: str, price: str) -> None:
    fixes = flat_fixes()
    fixes[date(2026, 12, 16)] = Decimal(last_fix)
    result = final_settlement_price(SIT, SITZ26, fixes.items())
    assert result.raw_mean.quantize(Decimal("1e-10")) == Decimal(raw_mean)
    assert result.price == Decimal(price)
    assert result.rounding == "half-even to the tick"


def test_missing_day_is_carried_forward_and_audited() -> None:
    fixes = flat_fixes()
    fixes[date(2026, 12, 4)] = Decimal("12.40")  # Friday
    del fixes[date(2026, 12, 7)]  # Monday: carries Friday's level
    result = final_settlement_price(SIT, SITZ26, fixes.items())
    assert result.missing_days == (date(2026, 12, 7),)
    monday = next(f for f in result.window if f.day == date(2026, 12, 7))
    assert monday.source is FixSource.CARRIED_FORWARD
    assert monday.fixed_on == date(2026, 12, 4)
    assert monday.level == Decimal("12.40")
    # (10 × 10.00 + 2 × 12.40) / 12 = 124.80 / 12 = 10.40
    assert result.raw_mean == Decimal("10.4")
    assert result.observed_count == 11


def test_first_window_day_carries_from_the_prior_month() -> None:
    fixes = flat_fixes()
    del fixes[date(2026, 12, 1)]
    fixes[date(2026, 11, 30)] = Decimal("11.20")
    result = final_settlement_price(SIT, SITZ26, fixes.items())
    assert result.window[0].fixed_on == date(2026, 11, 30)
    # (11 × 10.00 + 11.20) / 12 = 10.10
    assert result.price == Decimal("10.10")


def test_fixes_outside_the_window_or_on_weekends_do_not_count() -> None:
    fixes = flat_fixes()
    fixes[date(2026, 12, 5)] = Decimal("99.00")  # Saturday inside the window
    fixes[date(2026, 12, 17)] = Decimal("99.00")  # after the LTD
    fixes[date(2026, 11, 20)] = Decimal("99.00")  # before the window
    result = final_settlement_price(SIT, SITZ26, fixes.items())
    assert result.price == Decimal("10.00")
    assert result.ignored_days == (date(2026, 12, 5), date(2026, 12, 17))


def test_no_fix_within_the_carry_forward_limit_raises() -> None:
    fixes = flat_fixes()
    for day in (date(2026, 12, 1), date(2026, 12, 2)):
        del fixes[day]
    # 26 Nov is 5 days before 1 Dec (usable) but 6 before 2 Dec (too old); carried levels
    # are never carried again.
    fixes[date(2026, 11, 26)] = Decimal("10.00")
    with pytest.raises(InsufficientFixesError, match="2026-12-02"):
        final_settlement_price(SIT, SITZ26, fixes.items())


def test_too_few_observed_fixes_raise() -> None:
    # 12 window days × 0.6 = 7.2, so 8 observed are needed; keep 7 (every other day carried).
    kept = [WINDOW[i] for i in (0, 1, 3, 5, 7, 9, 11)]
    with pytest.raises(InsufficientFixesError, match="only 7 of 12"):
        final_settlement_price(SIT, SITZ26, [(d, Decimal("10")) for d in kept])
    kept.append(WINDOW[2])
    result = final_settlement_price(SIT, SITZ26, [(d, Decimal("10")) for d in kept])
    assert result.observed_count == 8


def test_duplicate_and_bad_levels_name_the_input() -> None:
    pairs = [(date(2026, 12, 1), Decimal("10")), (date(2026, 12, 1), Decimal("11"))]
    with pytest.raises(InvalidParameterError, match="fixes"):
        final_settlement_price(SIT, SITZ26, pairs)
    with pytest.raises(InvalidParameterError, match="2026-12-01"):
        final_settlement_price(SIT, SITZ26, [(date(2026, 12, 1), Decimal("-1"))])
    with pytest.raises(InvalidParameterError, match="2026-12-01"):
        final_settlement_price(SIT, SITZ26, [(date(2026, 12, 1), Decimal("NaN"))])


def test_scu_settles_on_its_own_tick() -> None:
    scu = product_spec("SCU")
    symbol = parse_symbol("SCUZ26")
    fixes = [(d, Decimal("2.3604")) for d in WINDOW[:-1]] + [(WINDOW[-1], Decimal("2.4"))]
    result = final_settlement_price(scu, symbol, fixes)
    # (11 × 2.3604 + 2.4) / 12 = 28.3644 / 12 = 2.3637
    assert result.raw_mean == Decimal("2.3637")
    assert result.price == Decimal("2.364")
    assert result.price_ticks == 2364


@settings(deadline=None, max_examples=60)
@given(
    cents=st.lists(st.integers(1, 100_000), min_size=12, max_size=12),
    shuffle_seed=st.randoms(use_true_random=False),
)
def test_price_is_the_nearest_tick_to_the_mean_whatever_the_order(
    cents: list[int], shuffle_seed: object
) -> None:
    pairs = [(day, Decimal(c) / 100) for day, c in zip(WINDOW, cents, strict=True)]
    shuffled = list(pairs)
    shuffle_seed.shuffle(shuffled)  # type: ignore[attr-defined]
    result = final_settlement_price(SIT, SITZ26, shuffled)
    exact_mean_cents = Decimal(sum(cents)) / 12
    assert abs(result.price_ticks - exact_mean_cents) <= Decimal("0.5")
    assert result.window == final_settlement_price(SIT, SITZ26, pairs).window
    assert [f.day for f in result.window] == WINDOW


def test_calendar_days_variant_counts_weekends() -> None:
    from dataclasses import replace

    from tokenfutures.contracts.spec import FixDays

    spec = replace(SIT, final_settlement=replace(SIT.final_settlement, fix_days=FixDays.CALENDAR))
    days = settlement_window(spec, SITZ26)
    assert days[0] == date(2026, 12, 1)
    assert len(days) == 16
    assert days[-1] - days[0] == timedelta(days=15)
