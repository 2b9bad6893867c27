"""Daily price limits and dynamic bands: limit prices, halts, fill caps; values worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange.limits import (
    BUY,
    SELL,
    LimitAction,
    LimitRules,
    PriceBand,
    PriceLimits,
    band_half_width_ticks,
    band_reference,
    beyond_cap,
    classify,
    fill_cap_ticks,
    limit_prices,
    reopen_time,
    trading_bounds,
    within_band,
)

PAPER = LimitRules()  # ±15 % → 10-minute halt, ±25 % → halt to the next session


def test_paper_defaults() -> None:
    assert PAPER.halt_fraction == Decimal("0.15")
    assert PAPER.session_fraction == Decimal("0.25")
    assert PAPER.halt_minutes == 10


def test_limit_prices_on_a_round_settlement() -> None:
    # $10.00 = 1000 ticks: 15 % = 150 ticks, 25 % = 250 ticks, no rounding needed.
    assert limit_prices(1000, PAPER) == PriceLimits(850, 1150, 750, 1250)


def test_limit_prices_round_inward() -> None:
    # 1001 · 1.15 = 1151.15 → 1151; 1001 · 0.85 = 850.85 → 851;
    # 1001 · 1.25 = 1251.25 → 1251; 1001 · 0.75 = 750.75 → 751.
    assert limit_prices(1001, PAPER) == PriceLimits(851, 1151, 751, 1251)
    # 7 ticks: 8.05 → 8, 5.95 → 6, 8.75 → 8, 5.25 → 6 (the tiers coincide on tiny prices)
    assert limit_prices(7, PAPER) == PriceLimits(6, 8, 6, 8)


@pytest.mark.parametrize(
    ("price", "action"),
    [
        (1000, LimitAction.NONE),
        (1150, LimitAction.NONE),  # at the limit: allowed
        (850, LimitAction.NONE),
        (1151, LimitAction.HALT_10_MIN),  # one tick beyond
        (849, LimitAction.HALT_10_MIN),
        (1250, LimitAction.HALT_10_MIN),
        (750, LimitAction.HALT_10_MIN),
        (1251, LimitAction.HALT_TO_NEXT_SESSION),
        (749, LimitAction.HALT_TO_NEXT_SESSION),
        (5000, LimitAction.HALT_TO_NEXT_SESSION),
    ],
)
def test_classify_on_prior_settlement_1000(price: int, action: LimitAction) -> None:
    assert classify(price, 1000, PAPER) is action


def test_expanded_limits_after_a_first_tier_halt() -> None:
    assert classify(1200, 1000, PAPER, first_tier_done=True) is LimitAction.NONE
    assert classify(800, 1000, PAPER, first_tier_done=True) is LimitAction.NONE
    assert classify(1251, 1000, PAPER, first_tier_done=True) is LimitAction.HALT_TO_NEXT_SESSION
    assert trading_bounds(1000, PAPER) == (850, 1150)
    assert trading_bounds(1000, PAPER, first_tier_done=True) == (750, 1250)


def test_fill_cap_and_sweep_stop() -> None:
    assert fill_cap_ticks(BUY, 1000, PAPER) == 1150
    assert fill_cap_ticks(SELL, 1000, PAPER) == 850
    assert fill_cap_ticks(BUY, 1000, PAPER, first_tier_done=True) == 1250
    assert fill_cap_ticks(SELL, 1000, PAPER, first_tier_done=True) == 750
    # a buy sweeping asks 1140, 1150, 1160: it trades 1140 and 1150, stops before 1160
    levels = [1140, 1150, 1160]
    cap = fill_cap_ticks(BUY, 1000, PAPER)
    assert [beyond_cap(BUY, level, cap) for level in levels] == [False, False, True]
    assert classify(1160, 1000, PAPER) is LimitAction.HALT_10_MIN
    # a sell sweeping bids 860, 850, 840
    cap = fill_cap_ticks(SELL, 1000, PAPER)
    assert [beyond_cap(SELL, level, cap) for level in [860, 850, 840]] == [False, False, True]


def test_reopen_time_is_ten_minutes_later() -> None:
    halted = datetime(2026, 11, 23, 14, 3, 7, tzinfo=UTC)
    assert reopen_time(halted, PAPER) == datetime(2026, 11, 23, 14, 13, 7, tzinfo=UTC)
    with pytest.raises(InvalidParameterError, match="halted_at"):
        reopen_time(datetime(2026, 11, 23), PAPER)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"halt_fraction": Decimal(0)}, "halt_fraction"),
        ({"halt_fraction": 0.15}, "halt_fraction"),
        ({"halt_fraction": Decimal("NaN")}, "halt_fraction"),
        ({"halt_fraction": Decimal("0.3")}, "session_fraction"),
        ({"session_fraction": Decimal(1)}, "session_fraction"),
        ({"halt_minutes": 0}, "halt_minutes"),
        ({"halt_minutes": True}, "halt_minutes"),
    ],
)
def test_limit_rules_validation(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidParameterError, match=name):
        LimitRules(**kwargs)  # type: ignore[arg-type]


def test_bad_prices_and_sides_raise() -> None:
    with pytest.raises(InvalidParameterError, match="prior_settlement_ticks"):
        limit_prices(0, PAPER)
    with pytest.raises(InvalidParameterError, match="trade_price_ticks"):
        classify(-5, 1000, PAPER)
    with pytest.raises(InvalidParameterError, match="side_sign"):
        fill_cap_ticks(0, 1000, PAPER)


def test_band_in_ticks() -> None:
    band = PriceBand(ticks=5)
    assert [within_band(p, 100, band) for p in (94, 95, 100, 105, 106)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    # one-sided: a buy far below is passive (allowed), far above is rejected
    assert within_band(50, 100, band, side_sign=BUY)
    assert not within_band(106, 100, band, side_sign=BUY)
    assert within_band(150, 100, band, side_sign=SELL)
    assert not within_band(94, 100, band, side_sign=SELL)


def test_band_as_a_fraction_rounds_down_but_never_below_one_tick() -> None:
    assert band_half_width_ticks(1010, PriceBand(fraction=Decimal("0.05"))) == 50  # 50.5
    assert band_half_width_ticks(100, PriceBand(fraction=Decimal("0.001"))) == 1  # 0.1
    assert within_band(1060, 1010, PriceBand(fraction=Decimal("0.05")))
    assert not within_band(1061, 1010, PriceBand(fraction=Decimal("0.05")))


def test_band_reference_prefers_the_last_trade() -> None:
    assert band_reference(1040, 1000) == 1040
    assert band_reference(None, 1000) == 1000


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"ticks": 5, "fraction": Decimal("0.1")},
        {"ticks": 0},
        {"fraction": Decimal(1)},
        {"fraction": Decimal("sNaN")},
    ],
)
def test_price_band_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidParameterError):
        PriceBand(**kwargs)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.integers(min_value=1, max_value=10**7),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.5"), places=3),
)
def test_limits_are_the_innermost_ticks_within_the_fraction(settle: int, fraction: Decimal) -> None:
    rules = LimitRules(halt_fraction=fraction, session_fraction=max(fraction, Decimal("0.5")))
    limits = limit_prices(settle, rules)
    f = Fraction(fraction)
    # on the limit: within the fraction; one tick outward: beyond it
    assert (
        Fraction(limits.halt_high - settle, settle)
        <= f
        < Fraction(limits.halt_high + 1 - settle, settle)
    )
    assert (
        Fraction(settle - limits.halt_low, settle)
        <= f
        < Fraction(settle - limits.halt_low + 1, settle)
    )
    assert classify(limits.halt_high, settle, rules) is LimitAction.NONE
    assert classify(limits.halt_high + 1, settle, rules) is not LimitAction.NONE


def test_precomputed_limits_answer_like_the_functions() -> None:
    limits = limit_prices(1000, PAPER)
    assert limits.bounds() == (850, 1150)
    assert limits.bounds(first_tier_done=True) == (750, 1250)
    assert limits.cap(BUY) == 1150
    assert limits.cap(SELL, first_tier_done=True) == 750
    for price in (700, 749, 750, 849, 850, 1000, 1150, 1151, 1250, 1251):
        for done in (False, True):
            assert limits.action(price, first_tier_done=done) is classify(
                price, 1000, PAPER, first_tier_done=done
            )
    with pytest.raises(InvalidParameterError, match="side_sign"):
        limits.cap(2)
