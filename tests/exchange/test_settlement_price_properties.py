"""Hypothesis: the settlement tier is always the first one whose evidence exists (oracle below)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.exchange.settlement_price import (
    BestBidOffer,
    SettlementRules,
    SettlementTier,
    daily_settlement_price,
)

T = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
Trade = tuple[datetime, int, int]

trades_st = st.lists(
    st.tuples(
        st.integers(min_value=-600, max_value=30).map(lambda s: T + timedelta(seconds=s)),
        st.integers(min_value=900, max_value=1100),
        st.integers(min_value=1, max_value=20),
    ),
    max_size=6,
)


@st.composite
def quotes(draw: st.DrawFn) -> BestBidOffer | None:
    if draw(st.booleans()):
        return None
    bid = draw(st.one_of(st.none(), st.integers(min_value=950, max_value=1050)))
    spread = draw(st.integers(min_value=0, max_value=60))
    ask = draw(st.one_of(st.none(), st.just((bid or 1000) + spread)))
    return BestBidOffer(bid, ask)


maybe_price = st.one_of(st.none(), st.integers(min_value=900, max_value=1100))


@dataclass(frozen=True)
class Day:
    """One day's settlement inputs."""

    trades: list[Trade]
    bbo: BestBidOffer | None
    prior: int | None
    change: int | None
    fair: int | None
    min_quantity: int


days = st.builds(
    Day,
    trades_st,
    quotes(),
    maybe_price,
    st.one_of(st.none(), st.integers(min_value=-50, max_value=50)),
    maybe_price,
    st.integers(min_value=1, max_value=10),
)


def expected_tier(day: Day) -> SettlementTier | None:
    """The tier list of ADR 0384, evaluated from scratch."""
    window = [q for ts, _, q in day.trades if T - timedelta(minutes=2) <= ts < T]
    if window and sum(window) >= day.min_quantity:
        return SettlementTier.CLOSING_VWAP
    bid, ask = (None, None) if day.bbo is None else (day.bbo.bid_ticks, day.bbo.ask_ticks)
    if bid is not None and ask is not None and 100 * (ask - bid) <= bid + ask:  # ≤ 2 % of mid
        return SettlementTier.BBO_MID
    if any(ts < T for ts, _, _ in day.trades):
        return SettlementTier.LAST_TRADE_CLAMPED
    if day.prior is not None and day.change is not None:
        return SettlementTier.NEIGHBOUR_CHANGE
    if day.fair is not None:
        return SettlementTier.FAIR_VALUE
    if day.prior is not None:
        return SettlementTier.PRIOR_SETTLEMENT
    return None


@settings(max_examples=400, deadline=None, derandomize=True)
@given(days)
def test_first_applicable_tier_sets_the_price(day: Day) -> None:
    result = daily_settlement_price(
        settlement_time=T,
        trades=day.trades,
        bbo=day.bbo,
        prior_settlement_ticks=day.prior,
        neighbour_change_ticks=day.change,
        fair_value_ticks=day.fair,
        rules=SettlementRules(min_window_quantity=day.min_quantity),
    )
    tier = expected_tier(day)
    assert (None if result is None else result.tier) == tier
    if result is None:
        return
    assert [skip[0] for skip in result.audit.skipped] == list(SettlementTier)[: result.tier - 1]
    bbo, trades = day.bbo, day.trades
    if bbo is not None and result.tier is not SettlementTier.CLOSING_VWAP:
        # every tier below the VWAP ends inside the standing bid/offer
        assert bbo.bid_ticks is None or result.price_ticks >= bbo.bid_ticks
        assert bbo.ask_ticks is None or result.price_ticks <= bbo.ask_ticks
    if result.tier is SettlementTier.LAST_TRADE_CLAMPED:
        before = [(ts, i, p) for i, (ts, p, _) in enumerate(trades) if ts < T]
        last_price = max(before)[2]
        low = bbo.bid_ticks if bbo is not None and bbo.bid_ticks is not None else 0
        high = bbo.ask_ticks if bbo is not None and bbo.ask_ticks is not None else 10**9
        assert result.price_ticks == min(max(last_price, low), high)
