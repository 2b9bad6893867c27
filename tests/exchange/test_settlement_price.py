"""Daily settlement price: each tier, their order, rounding and the audit; values worked by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange.settlement_price import (
    BestBidOffer,
    SettlementRules,
    SettlementTier,
    SettlementTrade,
    SkipReason,
    daily_settlement_price,
    round_to_tick,
)

T = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # settlement time; window [14:28, 14:30)


def at(minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, 23, 14, minute, second, tzinfo=UTC)


def test_closing_window_vwap() -> None:
    trades = [
        (at(27, 59), 1000, 50),  # one second before the window: ignored
        (at(28, 0), 1010, 2),  # on the window start: included
        (at(29, 30), 1013, 3),
        (T, 2000, 9),  # at the settlement time: after the window, ignored
    ]
    # (1010·2 + 1013·3) / 5 = 5059 / 5 = 1011.8 → 1012
    result = daily_settlement_price(settlement_time=T, trades=trades, prior_settlement_ticks=990)
    assert result is not None
    assert (result.price_ticks, result.tier) == (1012, SettlementTier.CLOSING_VWAP)
    audit = result.audit
    assert (audit.window_trade_count, audit.window_quantity) == (2, 5)
    assert audit.window_vwap_ticks == Fraction(5059, 5)
    assert audit.window_start == at(28)
    assert audit.skipped == ()
    assert audit.last_trade == SettlementTrade(at(29, 30), 1013, 3)


@pytest.mark.parametrize(
    ("prior", "expected"),
    [(1000, 1010), (1050, 1011), (None, 1010)],  # 1010.5: toward the prior; half-even without
)
def test_half_tick_vwap_rounds_toward_the_prior_settlement(
    prior: int | None, expected: int
) -> None:
    trades = [(at(29), 1010, 1), (at(29, 10), 1011, 1)]
    result = daily_settlement_price(settlement_time=T, trades=trades, prior_settlement_ticks=prior)
    assert result is not None
    assert result.price_ticks == expected


def test_round_to_tick() -> None:
    assert round_to_tick(Fraction(2023, 2), None) == 1012  # 1011.5 → even 1012
    assert round_to_tick(Fraction(2021, 2), None) == 1010  # 1010.5 → even 1010
    assert round_to_tick(Fraction(10114, 10), 2000) == 1011  # 1011.4 → 1011 whatever the prior
    assert round_to_tick(Fraction(10116, 10), 1) == 1012  # 1011.6 → 1012
    assert round_to_tick(Fraction(1011), 5) == 1011


def test_mid_of_a_tight_bbo() -> None:
    # no trade in the window; spread 10 ≤ 2 % of mid 1005 (20.1): mid 1005
    trades = [(at(10), 980, 4)]
    bbo = BestBidOffer(1000, 1010)
    result = daily_settlement_price(settlement_time=T, trades=trades, bbo=bbo)
    assert result is not None
    assert (result.price_ticks, result.tier) == (1005, SettlementTier.BBO_MID)
    assert result.audit.skipped == ((SettlementTier.CLOSING_VWAP, SkipReason.NO_TRADES_IN_WINDOW),)
    assert result.audit.spread_ticks == 10


@pytest.mark.parametrize(("prior", "expected"), [(990, 1005), (1020, 1006)])
def test_half_tick_mid_rounds_toward_the_prior(prior: int, expected: int) -> None:
    result = daily_settlement_price(
        settlement_time=T, trades=[], bbo=BestBidOffer(1000, 1011), prior_settlement_ticks=prior
    )
    assert result is not None
    assert (result.price_ticks, result.tier) == (expected, SettlementTier.BBO_MID)


def test_too_little_window_volume_falls_to_the_mid() -> None:
    rules = SettlementRules(min_window_quantity=10)
    trades = [(at(29), 1020, 5)]
    result = daily_settlement_price(
        settlement_time=T, trades=trades, bbo=BestBidOffer(1000, 1010), rules=rules
    )
    assert result is not None
    assert (result.price_ticks, result.tier) == (1005, SettlementTier.BBO_MID)
    assert result.audit.skipped == (
        (SettlementTier.CLOSING_VWAP, SkipReason.WINDOW_QUANTITY_TOO_SMALL),
    )


def test_spread_bound_in_ticks() -> None:
    rules = SettlementRules(max_spread_ticks=5, max_spread_fraction=None)
    tight = daily_settlement_price(
        settlement_time=T, trades=[], bbo=BestBidOffer(1000, 1005), rules=rules
    )
    assert tight is not None
    assert (tight.price_ticks, tight.tier) == (1002, SettlementTier.BBO_MID)  # 1002.5 → even
    wide = daily_settlement_price(
        settlement_time=T,
        trades=[],
        bbo=BestBidOffer(1000, 1006),
        prior_settlement_ticks=1100,
        rules=rules,
    )
    assert wide is not None
    assert wide.audit.skipped[1] == (SettlementTier.BBO_MID, SkipReason.SPREAD_TOO_WIDE)


@pytest.mark.parametrize(
    ("last_price", "expected", "clamped"),
    [(1040, 1030, True), (1020, 1020, False), (990, 1000, True)],
)
def test_last_trade_clamped_to_a_wide_bbo(last_price: int, expected: int, clamped: bool) -> None:
    # spread 30 > 2 % of mid 1015 (20.3): too wide for the mid tier
    trades = [(at(0), 1111, 1), (at(5), last_price, 2)]
    result = daily_settlement_price(
        settlement_time=T, trades=trades, bbo=BestBidOffer(1000, 1030), prior_settlement_ticks=900
    )
    assert result is not None
    assert (result.price_ticks, result.tier) == (expected, SettlementTier.LAST_TRADE_CLAMPED)
    assert result.audit.clamped is clamped
    assert result.audit.unclamped_ticks == last_price
    assert result.audit.skipped == (
        (SettlementTier.CLOSING_VWAP, SkipReason.NO_TRADES_IN_WINDOW),
        (SettlementTier.BBO_MID, SkipReason.SPREAD_TOO_WIDE),
    )


def test_last_trade_with_a_one_sided_book_and_equal_stamps() -> None:
    # two trades with the same stamp: the later one in execution order is the last trade
    trades = [(at(5), 1200, 1), (at(5), 990, 1)]
    result = daily_settlement_price(settlement_time=T, trades=trades, bbo=BestBidOffer(1000, None))
    assert result is not None
    assert (result.price_ticks, result.tier) == (1000, SettlementTier.LAST_TRADE_CLAMPED)
    assert result.audit.skipped[1] == (SettlementTier.BBO_MID, SkipReason.NO_TWO_SIDED_BBO)


def test_neighbour_change_moves_the_prior_settlement() -> None:
    result = daily_settlement_price(
        settlement_time=T, trades=[], prior_settlement_ticks=1000, neighbour_change_ticks=-35
    )
    assert result is not None
    assert (result.price_ticks, result.tier) == (965, SettlementTier.NEIGHBOUR_CHANGE)
    clamped = daily_settlement_price(
        settlement_time=T,
        trades=[],
        bbo=BestBidOffer(970, None),
        prior_settlement_ticks=1000,
        neighbour_change_ticks=-35,
    )
    assert clamped is not None
    assert (clamped.price_ticks, clamped.audit.clamped) == (970, True)


def test_fair_value_when_no_neighbour() -> None:
    result = daily_settlement_price(
        settlement_time=T, trades=[], prior_settlement_ticks=1000, fair_value_ticks=1100
    )
    assert result is not None
    assert (result.price_ticks, result.tier) == (1100, SettlementTier.FAIR_VALUE)
    assert result.audit.skipped == (
        (SettlementTier.CLOSING_VWAP, SkipReason.NO_TRADES_IN_WINDOW),
        (SettlementTier.BBO_MID, SkipReason.NO_TWO_SIDED_BBO),
        (SettlementTier.LAST_TRADE_CLAMPED, SkipReason.NO_LAST_TRADE),
        (SettlementTier.NEIGHBOUR_CHANGE, SkipReason.NO_NEIGHBOUR_CHANGE),
    )
    no_prior = daily_settlement_price(
        settlement_time=T, trades=[], neighbour_change_ticks=5, fair_value_ticks=1100
    )
    assert no_prior is not None
    assert no_prior.tier is SettlementTier.FAIR_VALUE
    assert no_prior.audit.skipped[3] == (
        SettlementTier.NEIGHBOUR_CHANGE,
        SkipReason.NO_PRIOR_SETTLEMENT,
    )


def test_prior_settlement_is_the_last_resort() -> None:
    result = daily_settlement_price(settlement_time=T, trades=[], prior_settlement_ticks=1000)
    assert result is not None
    assert (result.price_ticks, result.tier) == (1000, SettlementTier.PRIOR_SETTLEMENT)
    assert daily_settlement_price(settlement_time=T, trades=[]) is None


def test_tiers_are_tried_in_order() -> None:
    """Remove the evidence of each tier in turn: the next one down sets the price."""
    window_trades = [(at(29), 1012, 4)]
    early_trade = [(at(1), 1044, 1)]
    inputs: dict[str, object] = {
        "settlement_time": T,
        "trades": early_trade + window_trades,
        "bbo": BestBidOffer(1000, 1010),
        "prior_settlement_ticks": 1000,
        "neighbour_change_ticks": 7,
        "fair_value_ticks": 1003,
    }
    steps: list[tuple[dict[str, object], SettlementTier, int]] = [
        ({}, SettlementTier.CLOSING_VWAP, 1012),
        ({"trades": early_trade}, SettlementTier.BBO_MID, 1005),
        ({"bbo": BestBidOffer(900, 1100)}, SettlementTier.LAST_TRADE_CLAMPED, 1044),
        ({"trades": []}, SettlementTier.NEIGHBOUR_CHANGE, 1007),
        ({"neighbour_change_ticks": None}, SettlementTier.FAIR_VALUE, 1003),
        ({"fair_value_ticks": None}, SettlementTier.PRIOR_SETTLEMENT, 1000),
    ]
    for change, tier, price in steps:
        inputs.update(change)
        result = daily_settlement_price(**inputs)  # type: ignore[arg-type]
        assert result is not None
        assert (result.tier, result.price_ticks) == (tier, price)
        assert [skip[0] for skip in result.audit.skipped] == list(SettlementTier)[: tier - 1]
    inputs["prior_settlement_ticks"] = None
    assert daily_settlement_price(**inputs) is None  # type: ignore[arg-type]


def test_audit_is_json_ready() -> None:
    trades = [(at(29), 1010, 1), (at(29, 10), 1011, 2)]
    result = daily_settlement_price(
        settlement_time=T, trades=trades, bbo=BestBidOffer(1000, 1020), prior_settlement_ticks=1000
    )
    assert result is not None
    data = json.loads(json.dumps(result.to_dict()))
    assert data["tier"] == "CLOSING_VWAP"
    assert data["price_ticks"] == 1011  # 3032/3 = 1010.67
    assert data["window_vwap_ticks"] == "3032/3"
    assert data["last_trade"] == {
        "ts": "2026-11-23T14:29:10+00:00",
        "price_ticks": 1011,
        "quantity": 2,
    }
    assert (data["bid_ticks"], data["ask_ticks"], data["spread_ticks"]) == (1000, 1020, 20)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"settlement_time": datetime(2026, 11, 23, 14, 30)}, "settlement_time"),
        ({"trades": [(datetime(2026, 11, 23, 14, 29), 1000, 1)]}, r"trades\[0\].ts"),
        ({"trades": [(at(29), 0, 1)]}, r"trades\[0\].price_ticks"),
        ({"trades": [(at(29), 1000, 1), (at(29), 1000, 0)]}, r"trades\[1\].quantity"),
        ({"prior_settlement_ticks": 0}, "prior_settlement_ticks"),
        ({"fair_value_ticks": -3}, "fair_value_ticks"),
        ({"neighbour_change_ticks": 1.5}, "neighbour_change_ticks"),
    ],
)
def test_bad_inputs_raise_naming_the_parameter(kwargs: dict[str, object], name: str) -> None:
    inputs: dict[str, object] = {"settlement_time": T, "trades": []}
    inputs.update(kwargs)
    with pytest.raises(InvalidParameterError, match=name):
        daily_settlement_price(**inputs)  # type: ignore[arg-type]


def test_bad_rules_and_quotes_raise() -> None:
    with pytest.raises(InvalidParameterError, match="bbo"):
        BestBidOffer(1010, 1000)
    with pytest.raises(InvalidParameterError, match="bid_ticks"):
        BestBidOffer(0, 1000)
    with pytest.raises(InvalidParameterError, match="window"):
        SettlementRules(window=timedelta(0))
    with pytest.raises(InvalidParameterError, match="min_window_quantity"):
        SettlementRules(min_window_quantity=0)
    with pytest.raises(InvalidParameterError, match="max_spread_ticks"):
        SettlementRules(max_spread_ticks=-1)
    with pytest.raises(InvalidParameterError, match="max_spread_fraction"):
        SettlementRules(max_spread_fraction=Decimal("-0.01"))


window_trades = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=119),  # seconds into the window
        st.integers(min_value=1, max_value=5000),
        st.integers(min_value=1, max_value=500),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(window_trades, st.one_of(st.none(), st.integers(min_value=1, max_value=5000)))
def test_vwap_tier_is_the_rounded_average(
    raw: list[tuple[int, int, int]], prior: int | None
) -> None:
    start = T - timedelta(minutes=2)
    trades = [(start + timedelta(seconds=s), p, q) for s, p, q in raw]
    result = daily_settlement_price(settlement_time=T, trades=trades, prior_settlement_ticks=prior)
    assert result is not None
    assert result.tier is SettlementTier.CLOSING_VWAP
    exact = Fraction(sum(p * q for _, p, q in raw), sum(q for _, _, q in raw))
    assert abs(result.price_ticks - exact) <= Fraction(1, 2)
    assert min(p for _, p, _ in raw) <= result.price_ticks <= max(p for _, p, _ in raw)
    if abs(result.price_ticks - exact) == Fraction(1, 2) and prior is not None:
        assert abs(result.price_ticks - prior) < abs(exact - prior)  # moved toward the prior
