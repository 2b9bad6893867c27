"""Trading phases on both books: pre-open and auctions, limit halts, GTD, close and expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from exchange_helpers import EXPIRY, SYMBOL, Market, of_type

from tokenfutures.exchange import (
    CancelReason,
    CloseMarket,
    OpenMarket,
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    OrderType,
    Phase,
    PhaseChanged,
    RejectReason,
    Side,
    StartSession,
    TimeInForce,
    Trade,
)

BUY, SELL = Side.BUY, Side.SELL
MakeMarket = Callable[..., Market]


def reasons(events: list[object]) -> list[RejectReason]:
    return [e.reason for e in of_type(events, OrderRejected)]


def phase(m: Market) -> Phase:
    return m.state.contracts[SYMBOL].phase


def no_band(make_market: MakeMarket) -> Market:
    return make_market(band_ticks=None, band_fraction=None)


def test_pre_open_rests_without_matching_and_the_opening_auction_uncrosses(
    make_market: MakeMarket,
) -> None:
    m = make_market()
    m.send(StartSession(m.tick(), SYMBOL))
    assert phase(m) == Phase.PRE_OPEN
    m.order("s1", SELL, 5, 998)
    m.order("s2", SELL, 5, 1003)
    m.order("b1", BUY, 4, 1002)
    m.order("b2", BUY, 4, 1001)
    assert of_type(m.events, Trade) == []
    assert reasons(m.order("x", BUY, 1, 1000, tif=TimeInForce.IOC)) == [
        RejectReason.NOT_ALLOWED_IN_PHASE
    ]
    events = m.send(OpenMarket(m.tick(), SYMBOL))
    trades = of_type(events, Trade)
    # demand ≥ p vs supply ≤ p: only 998 sells 5 lots below 1001..1002; volume 5 at the max price
    assert sum(t.quantity for t in trades) == 5
    assert {t.price_ticks for t in trades} == {1001}
    assert [(t.buyer, t.quantity) for t in trades] == [("b1", 4), ("b2", 1)]
    assert all(t.aggressor_side is None for t in trades)
    assert phase(m) == Phase.CONTINUOUS
    book = m.state.contracts[SYMBOL].book
    assert (book.best_bid(), book.best_ask()) == (1001, 1003)


def test_trade_beyond_15_percent_halts_then_reopens_by_auction(make_market: MakeMarket) -> None:
    m = no_band(make_market)
    m.open()
    m.order("s", SELL, 2, 1100)
    m.order("s", SELL, 2, 1160)  # beyond prior 1000 + 15 %
    events = m.order("b", BUY, 4, 1160)
    assert [t.price_ticks for t in of_type(events, Trade)] == [1100]
    (halt,) = of_type(events, PhaseChanged)
    assert halt.phase == Phase.HALTED
    assert halt.until == m.now + timedelta(minutes=10)
    assert phase(m) == Phase.HALTED
    assert reasons(m.order("x", BUY, 1, 1000, order_type=OrderType.MARKET)) == [RejectReason.HALTED]
    m.advance(timedelta(minutes=9))
    assert phase(m) == Phase.HALTED
    events = m.advance(timedelta(minutes=2))
    trades = of_type(events, Trade)
    assert [(t.price_ticks, t.quantity) for t in trades] == [(1160, 2)]
    assert phase(m) == Phase.CONTINUOUS


def test_trade_beyond_25_percent_halts_until_next_session(make_market: MakeMarket) -> None:
    m = no_band(make_market)
    m.open()
    m.order("s", SELL, 2, 1300)
    events = m.order("b", BUY, 2, 1300)
    assert of_type(events, Trade) == []
    (halt,) = of_type(events, PhaseChanged)
    assert (halt.phase, halt.until) == (Phase.HALTED, None)
    assert reasons(m.order("x", BUY, 1, 1000)) == [RejectReason.HALTED]
    m.advance(timedelta(hours=1))
    assert phase(m) == Phase.HALTED
    m.send(CloseMarket(m.tick(), SYMBOL))
    assert phase(m) == Phase.CLOSED
    m.send(StartSession(m.tick(), SYMBOL, prior_settlement_ticks=1250))
    assert phase(m) == Phase.PRE_OPEN


def test_after_a_short_halt_the_25_percent_tier_applies(make_market: MakeMarket) -> None:
    m = no_band(make_market)
    m.open()
    m.order("s", SELL, 1, 1160)
    m.order("b", BUY, 1, 1160)  # halts (15 % tier), both orders rest
    m.advance(timedelta(minutes=10))  # re-opens at 1160 (inside 25 %)
    assert phase(m) == Phase.CONTINUOUS
    assert [t.price_ticks for t in of_type(m.events, Trade)] == [1160]
    m.order("s", SELL, 1, 1260)
    m.order("b", BUY, 1, 1260)
    assert phase(m) == Phase.HALTED
    assert m.state.contracts[SYMBOL].halt_until is None


def test_gtd_order_expires_when_its_time_comes(market: Market) -> None:
    expire = market.now + timedelta(minutes=5)
    (ack,) = of_type(
        market.order("a", BUY, 2, 999, tif=TimeInForce.GTD, expire_at=expire), OrderAccepted
    )
    assert of_type(market.advance(expire - timedelta(seconds=1) - market.now), OrderCancelled) == []
    (gone,) = of_type(market.advance(expire - market.now), OrderCancelled)
    assert (gone.order_id, gone.reason, gone.remaining_quantity) == (
        ack.order_id,
        CancelReason.EXPIRED,
        2,
    )


def test_close_cancels_day_orders_only(market: Market) -> None:
    day = of_type(market.order("a", BUY, 1, 999, tif=TimeInForce.DAY), OrderAccepted)[0].order_id
    market.order("a", BUY, 1, 998, tif=TimeInForce.GTC)
    events = market.send(CloseMarket(market.tick(), SYMBOL))
    assert [(c.order_id, c.reason) for c in of_type(events, OrderCancelled)] == [
        (day, CancelReason.END_OF_DAY)
    ]
    assert phase(market) == Phase.CLOSED
    assert reasons(market.order("a", BUY, 1, 999)) == [RejectReason.MARKET_CLOSED]


def test_last_trading_day_close_cancels_everything_and_expires(market: Market) -> None:
    market.order("a", BUY, 1, 999)
    market.order("b", SELL, 1, 1005, tif=TimeInForce.GTC)
    market.order("c", BUY, 1, 1010, order_type=OrderType.STOP_LIMIT, stop_price_ticks=1008)
    market.now = EXPIRY
    events = market.send(CloseMarket(EXPIRY, SYMBOL))
    cancels = of_type(events, OrderCancelled)
    assert len(cancels) == 3
    assert {c.reason for c in cancels} == {CancelReason.LAST_TRADING_DAY}
    assert phase(market) == Phase.EXPIRED
    assert reasons(market.order("a", BUY, 1, 999)) == [RejectReason.EXPIRED]
    assert reasons(market.send(StartSession(market.tick(), SYMBOL))) == [RejectReason.EXPIRED]


def test_phase_commands_are_rejected_out_of_order(market: Market) -> None:
    assert reasons(market.send(OpenMarket(market.tick(), SYMBOL))) == [
        RejectReason.NOT_ALLOWED_IN_PHASE
    ]
    assert reasons(market.send(StartSession(market.tick(), "NOPE"))) == [
        RejectReason.UNKNOWN_CONTRACT
    ]


def test_rules_are_validated() -> None:
    import pytest
    from exchange_helpers import rules

    with pytest.raises(ValueError, match="prior_settlement_ticks"):
        rules(prior_settlement_ticks=0)
    with pytest.raises(ValueError, match="limit_halt_fraction"):
        rules(limit_halt_fraction=Decimal("0.3"))


def test_daily_settlement_is_the_closing_window_vwap(market: Market) -> None:
    from tokenfutures.exchange import SettleDay, SettlementPriceSet

    market.order("s", SELL, 10, 1010)
    market.order("b", BUY, 2, 1010)  # long before the window
    market.advance(timedelta(minutes=30))
    market.order("s", SELL, 3, 1004)
    market.order("b", BUY, 3, 1004)
    market.order("b", BUY, 1, 1010)
    # window trades: 3 @ 1004 and 1 @ 1010 → VWAP 1005.5 → half tick goes toward prior (1000)
    (settled,) = of_type(market.send(SettleDay(market.tick(), SYMBOL)), SettlementPriceSet)
    assert (settled.price_ticks, settled.tier) == (1005, "CLOSING_VWAP")
    assert settled.audit.window_quantity == 4
    assert market.state.contracts[SYMBOL].settlement_price == 1005


def test_settlement_falls_back_to_the_prior_without_trades_or_quotes(market: Market) -> None:
    from tokenfutures.exchange import SettleDay, SettlementPriceSet

    (settled,) = of_type(market.send(SettleDay(market.tick(), SYMBOL)), SettlementPriceSet)
    assert (settled.price_ticks, settled.tier) == (1000, "PRIOR_SETTLEMENT")


def test_next_session_uses_the_new_settlement_as_prior(market: Market) -> None:
    from tokenfutures.exchange import SettleDay

    market.order("s", SELL, 1, 1040)
    market.order("b", BUY, 1, 1040)
    market.send(SettleDay(market.tick(), SYMBOL))
    market.send(CloseMarket(market.tick(), SYMBOL))
    market.send(StartSession(market.tick(), SYMBOL))
    cs = market.state.contracts[SYMBOL]
    assert cs.prior_settlement == 1040
    assert (cs.limit_lo, cs.limit_hi) == (884, 1196)  # ceil(1040·0.85), floor(1040·1.15)
