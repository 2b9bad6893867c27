"""Quote computation (ticks, bands, skew, obligations) and model fair values."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.marketmaking import (
    PAPER_OBLIGATIONS,
    QuoteSample,
    QuotingPolicy,
    compute_quote,
    contract_fair_values,
    qualifies,
    window_fair_value,
)
from tokenfutures.quant.params import JumpDiffusionParams, preset

TODAY = date(2026, 11, 23)


def flat(beta: float = 0.0) -> JumpDiffusionParams:
    return JumpDiffusionParams(
        kappa=2.0,
        theta0=0.0,
        beta=beta,
        sigma=0.0,
        jump_intensity=0.0,
        jump_mean=0.0,
        jump_std=0.0,
        season_amplitude=0.0,
        season_period=1.0,
        x0=0.0,
    )


def test_quote_is_two_sided_on_ticks_around_fair() -> None:
    quote = compute_quote("SITH27", Decimal("1000.3"), 0, is_front=True)
    # allowed 20 ticks, 60 % of it = 12 ticks; bid = round(1000.3 - 6) = 994
    assert (quote.bid_ticks, quote.ask_ticks) == (994, 1006)
    assert quote.bid_lots == quote.ask_lots == 50


def test_one_tick_market_at_low_levels() -> None:
    quote = compute_quote("SITZ26", Decimal("29.22"), 0, is_front=True)
    assert (quote.bid_ticks, quote.ask_ticks) == (29, 30)


def test_inventory_skews_the_quote_against_the_position() -> None:
    flat_quote = compute_quote("X", Decimal(1000), 0, is_front=False)
    long_quote = compute_quote("X", Decimal(1000), 300, is_front=False)  # 3 ticks lower
    assert long_quote.bid_ticks == flat_quote.bid_ticks - 3
    assert long_quote.spread_ticks == flat_quote.spread_ticks


def test_inventory_limit_withdraws_the_growing_side() -> None:
    policy = QuotingPolicy(max_inventory_lots=100)
    assert compute_quote("X", Decimal(1000), 100, is_front=True, policy=policy).bid_lots == 0
    assert compute_quote("X", Decimal(1000), -100, is_front=True, policy=policy).ask_lots == 0


def test_quote_is_moved_into_the_price_band() -> None:
    quote = compute_quote("X", Decimal(1000), 0, is_front=True, band=(1100, 1300))
    assert quote.bid_ticks == 1100
    assert quote.spread_ticks == 12
    quote = compute_quote("X", Decimal(1000), 0, is_front=True, band=(800, 990))
    assert quote.ask_ticks == 990
    assert quote.spread_ticks == 12


def test_policy_refuses_sizes_below_the_obligation() -> None:
    with pytest.raises(ValueError, match="size_lots"):
        QuotingPolicy(size_lots=10)


@settings(deadline=None, max_examples=80)
@given(
    st.decimals(min_value=Decimal("2"), max_value=Decimal("100000"), places=2),
    st.integers(-400, 400),
    st.booleans(),
)
def test_quotes_meet_the_obligation_they_are_built_for(
    fair: Decimal, inventory: int, front: bool
) -> None:
    quote = compute_quote("X", fair, inventory, is_front=front)
    assert 1 <= quote.bid_ticks < quote.ask_ticks
    sample = QuoteSample(
        datetime(2026, 1, 1, tzinfo=UTC),
        quote.bid_ticks,
        quote.bid_lots,
        quote.ask_ticks,
        quote.ask_lots,
    )
    assert qualifies(sample, PAPER_OBLIGATIONS, front)


def test_fair_value_without_randomness_is_the_level() -> None:
    window = [TODAY + timedelta(days=k) for k in range(30, 50)]
    assert window_fair_value(flat(), TODAY, Decimal("0.5"), window) == Decimal("0.500000")


def test_fair_value_follows_the_trend_in_closed_form() -> None:
    # sigma = 0, no jumps: X_T = x + beta (T - (1 - e^{-kappa T}) / kappa) with theta anchored at x
    beta, kappa, level = -0.35, 2.0, 0.4
    window = [TODAY + timedelta(days=365)]
    expected = level * math.exp(beta * (1.0 - (1.0 - math.exp(-kappa)) / kappa))
    got = window_fair_value(flat(beta), TODAY, Decimal(str(level)), window)
    assert abs(float(got) - expected) < 1e-6


def test_known_fixes_stand_in_for_past_days() -> None:
    window = [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
    known = {window[0]: Decimal("1.0"), window[1]: Decimal("2.0")}
    got = window_fair_value(preset("paper"), TODAY, Decimal("3.0"), window, known)
    assert got == Decimal("2.000000")


def test_contract_fair_values_for_listed_symbols_are_near_the_level() -> None:
    values = contract_fair_values(preset("paper"), TODAY, Decimal("0.292196"), ["SITZ26", "SITH28"])
    assert set(values) == {"SITZ26", "SITH28"}
    for value in values.values():
        assert Decimal("0.15") < value < Decimal("0.6")
    with pytest.raises(ValueError, match="level"):
        contract_fair_values(preset("paper"), TODAY, Decimal(0), ["SITZ26"])
