"""Order handling of the engine, on both books: priority, order types, TIF, STP, cancels."""

from __future__ import annotations

from datetime import timedelta

from exchange_helpers import SYMBOL, Market, of_type

from tokenfutures.exchange import (
    CancelOrder,
    CancelReason,
    MassCancel,
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    OrderReplaced,
    OrderType,
    RejectReason,
    ReplaceOrder,
    Side,
    StopTriggered,
    StpMode,
    TimeInForce,
    Trade,
)

BUY, SELL = Side.BUY, Side.SELL


def accepted_id(events: list[object]) -> int:
    (ack,) = of_type(events, OrderAccepted)
    return int(ack.order_id)


def reasons(events: list[object]) -> list[RejectReason]:
    return [e.reason for e in of_type(events, OrderRejected)]


def test_crossing_order_trades_at_resting_price_with_the_clearing_contract(market: Market) -> None:
    sell_id = accepted_id(market.order("alice", SELL, 10, 1001))
    events = market.order("bob", BUY, 4, 1005)
    buy_id = accepted_id(events)
    (trade,) = of_type(events, Trade)
    assert (trade.trade_id, trade.contract, trade.price_ticks, trade.quantity) == (
        1,
        SYMBOL,
        1001,
        4,
    )
    assert (trade.buyer, trade.seller) == ("bob", "alice")
    assert (trade.buy_order_id, trade.sell_order_id) == (buy_id, sell_id)
    assert trade.aggressor_side is BUY
    assert trade.ts == market.now
    assert trade.seq > of_type(events, OrderAccepted)[0].seq


def test_fifo_within_a_price_and_price_priority_across_levels(market: Market) -> None:
    first = accepted_id(market.order("a1", SELL, 5, 1002))
    second = accepted_id(market.order("a2", SELL, 5, 1002))
    better = accepted_id(market.order("a3", SELL, 5, 1001))
    trades = of_type(market.order("b", BUY, 12, 1002), Trade)
    assert [(t.sell_order_id, t.price_ticks, t.quantity) for t in trades] == [
        (better, 1001, 5),
        (first, 1002, 5),
        (second, 1002, 2),
    ]


def test_unfilled_limit_rests_and_later_fills(market: Market) -> None:
    market.order("a", BUY, 3, 999)
    trades = of_type(market.order("b", SELL, 5, 999), Trade)
    assert [(t.quantity, t.price_ticks) for t in trades] == [(3, 999)]
    trades = of_type(market.order("c", BUY, 2, 999), Trade)
    assert [(t.buyer, t.seller, t.quantity) for t in trades] == [("c", "b", 2)]


def test_ioc_remainder_is_cancelled(market: Market) -> None:
    market.order("a", SELL, 3, 1001)
    events = market.order("b", BUY, 5, 1001, tif=TimeInForce.IOC)
    assert sum(t.quantity for t in of_type(events, Trade)) == 3
    (cancel,) = of_type(events, OrderCancelled)
    assert (cancel.remaining_quantity, cancel.reason) == (2, CancelReason.IOC_REMAINDER)
    assert market.state.contracts[SYMBOL].book.best_bid() is None


def test_fok_rejected_when_not_fillable_and_filled_when_it_is(market: Market) -> None:
    market.order("a", SELL, 3, 1001)
    market.order("a", SELL, 3, 1003)
    assert reasons(market.order("b", BUY, 7, 1003, tif=TimeInForce.FOK)) == [
        RejectReason.FOK_NOT_FILLABLE
    ]
    assert reasons(market.order("b", BUY, 5, 1002, tif=TimeInForce.FOK)) == [
        RejectReason.FOK_NOT_FILLABLE
    ]
    trades = of_type(market.order("b", BUY, 5, 1003, tif=TimeInForce.FOK), Trade)
    assert [(t.price_ticks, t.quantity) for t in trades] == [(1001, 3), (1003, 2)]


def test_post_only_rejected_when_it_would_cross(market: Market) -> None:
    market.order("a", SELL, 3, 1001)
    assert reasons(market.order("b", BUY, 1, 1001, post_only=True)) == [
        RejectReason.POST_ONLY_WOULD_CROSS
    ]
    assert reasons(market.order("b", BUY, 1, 1000, post_only=True)) == []


def test_market_order_fills_within_protection_and_rests_at_the_band_edge(market: Market) -> None:
    market.order("a", SELL, 2, 1001)
    market.order("a", SELL, 2, 1006)
    market.order("a", SELL, 2, 1007)  # beyond 1001 + 5 ticks of protection
    events = market.order("b", BUY, 10, None, order_type=OrderType.MARKET)
    trades = of_type(events, Trade)
    assert [(t.price_ticks, t.quantity) for t in trades] == [(1001, 2), (1006, 2)]
    book = market.state.contracts[SYMBOL].book
    assert book.best_bid() == 1006
    assert book.head(BUY, 1006).quantity == 6


def test_market_order_without_opposite_side_is_rejected(market: Market) -> None:
    assert reasons(market.order("b", BUY, 1, None, order_type=OrderType.MARKET)) == [
        RejectReason.NO_LIQUIDITY
    ]


def test_stop_limit_triggers_on_last_trade(market: Market) -> None:
    stop_events = market.order(
        "s", BUY, 2, 1010, order_type=OrderType.STOP_LIMIT, stop_price_ticks=1003
    )
    stop_id = accepted_id(stop_events)
    market.order("a", SELL, 1, 1002)
    market.order("a", SELL, 5, 1004)
    assert of_type(market.order("b", BUY, 1, 1002), StopTriggered) == []
    events = market.order("b", BUY, 1, 1004)  # last trade 1004 ≥ stop 1003
    (triggered,) = of_type(events, StopTriggered)
    assert triggered.order_id == stop_id
    stop_trades = [t for t in of_type(events, Trade) if t.buy_order_id == stop_id]
    assert [(t.price_ticks, t.quantity) for t in stop_trades] == [(1004, 2)]


def test_iceberg_shows_display_quantity_and_replenishes_at_the_back(market: Market) -> None:
    ice = accepted_id(market.order("ice", SELL, 10, 1001, display_quantity=3))
    plain = accepted_id(market.order("p", SELL, 2, 1001))
    trades = of_type(market.order("b", BUY, 6, 1001), Trade)
    assert [(t.sell_order_id, t.quantity) for t in trades] == [(ice, 3), (plain, 2), (ice, 1)]
    head = market.state.contracts[SYMBOL].book.head(SELL, 1001)
    assert (head.order_id, head.visible, head.quantity) == (ice, 2, 6)


def test_cancel_rules(market: Market) -> None:
    oid = accepted_id(market.order("a", BUY, 3, 999))
    ts = market.tick()
    assert reasons(market.send(CancelOrder(ts, SYMBOL, "b", oid))) == [RejectReason.NOT_OWNER]
    assert reasons(market.send(CancelOrder(ts, SYMBOL, "a", 999_999))) == [
        RejectReason.UNKNOWN_ORDER
    ]
    assert reasons(market.send(CancelOrder(ts, "NOPE", "a", oid))) == [
        RejectReason.UNKNOWN_CONTRACT
    ]
    (cancel,) = of_type(market.send(CancelOrder(ts, SYMBOL, "a", oid)), OrderCancelled)
    assert (cancel.order_id, cancel.remaining_quantity, cancel.reason) == (
        oid,
        3,
        CancelReason.USER,
    )
    assert reasons(market.send(CancelOrder(ts, SYMBOL, "a", oid))) == [RejectReason.UNKNOWN_ORDER]


def test_replace_keeps_priority_on_size_decrease_only(market: Market) -> None:
    first = accepted_id(market.order("a", SELL, 5, 1002))
    second = accepted_id(market.order("b", SELL, 5, 1002))
    events = market.send(ReplaceOrder(market.tick(), SYMBOL, "a", first, 1002, 4))
    assert of_type(events, OrderReplaced)[0].priority_kept
    head = market.state.contracts[SYMBOL].book.head(SELL, 1002)
    assert head.order_id == first
    events = market.send(ReplaceOrder(market.tick(), SYMBOL, "a", first, 1002, 6))
    assert not of_type(events, OrderReplaced)[0].priority_kept
    assert market.state.contracts[SYMBOL].book.head(SELL, 1002).order_id == second


def test_replace_to_a_crossing_price_trades(market: Market) -> None:
    market.order("a", SELL, 5, 1002)
    bid = accepted_id(market.order("b", BUY, 5, 1000))
    trades = of_type(market.send(ReplaceOrder(market.tick(), SYMBOL, "b", bid, 1002, 5)), Trade)
    assert [(t.buy_order_id, t.price_ticks, t.quantity) for t in trades] == [(bid, 1002, 5)]


def test_mass_cancel_cancels_only_the_accounts_orders(market: Market) -> None:
    mine = {accepted_id(market.order("a", BUY, 1, p)) for p in (990, 995, 996)}
    market.order("b", BUY, 1, 991)
    events = market.send(MassCancel(market.tick(), "a"))
    cancels = of_type(events, OrderCancelled)
    assert {c.order_id for c in cancels} == mine
    assert {c.reason for c in cancels} == {CancelReason.MASS_CANCEL}
    assert len(market.state.contracts[SYMBOL].book) == 1


def test_stp_cancel_resting_is_the_default(market: Market) -> None:
    resting = accepted_id(market.order("a", SELL, 2, 1001, stp_group="firm"))
    other = accepted_id(market.order("x", SELL, 2, 1001))
    events = market.order("a2", BUY, 2, 1001, stp_group="firm")
    (cancel,) = of_type(events, OrderCancelled)
    assert (cancel.order_id, cancel.reason) == (resting, CancelReason.SELF_TRADE)
    assert [t.sell_order_id for t in of_type(events, Trade)] == [other]


def test_stp_cancel_aggressing_and_cancel_both(market: Market) -> None:
    resting = accepted_id(market.order("a", SELL, 2, 1001, stp_group="firm"))
    events = market.order("a", BUY, 2, 1001, stp_group="firm", stp_mode=StpMode.CANCEL_AGGRESSING)
    aggressor = accepted_id(events)
    assert [c.order_id for c in of_type(events, OrderCancelled)] == [aggressor]
    assert of_type(events, Trade) == []
    events = market.order("a", BUY, 2, 1001, stp_group="firm", stp_mode=StpMode.CANCEL_BOTH)
    both = accepted_id(events)
    assert [c.order_id for c in of_type(events, OrderCancelled)] == [resting, both]
    assert len(market.state.contracts[SYMBOL].book) == 0


def test_no_stp_without_a_group(market: Market) -> None:
    market.order("a", SELL, 2, 1001)
    assert len(of_type(market.order("a", BUY, 2, 1001), Trade)) == 1


def test_duplicate_client_order_id_is_rejected(market: Market) -> None:
    market.order("a", BUY, 1, 999, client_order_id="X")
    assert reasons(market.order("a", BUY, 1, 998, client_order_id="X")) == [
        RejectReason.DUPLICATE_CLIENT_ORDER_ID
    ]
    assert reasons(market.order("b", BUY, 1, 998, client_order_id="X")) == []


def test_validation_rejections(make_market: object) -> None:
    m = make_market(price_step_ticks=5)  # type: ignore[operator]
    assert reasons(m.order("a", BUY, 1, 1000)) == [RejectReason.MARKET_CLOSED]
    m.open()
    assert reasons(m.order("a", BUY, 1, 1001)) == [RejectReason.NOT_ON_TICK]
    assert reasons(m.order("a", BUY, 0, 1000)) == [RejectReason.SIZE_NOT_POSITIVE]
    assert reasons(m.order("a", BUY, 1, -5)) == [RejectReason.PRICE_NOT_POSITIVE]
    assert reasons(m.order("a", BUY, 1, 1105)) == [RejectReason.OUTSIDE_BAND]
    assert reasons(m.order("a", BUY, 1, 895)) == [RejectReason.OUTSIDE_BAND]
    assert reasons(m.order("a", BUY, 1, 1100)) == []
    assert reasons(m.order("a", BUY, 1, 1000, contract="NOPE")) == [RejectReason.UNKNOWN_CONTRACT]
    assert reasons(m.order("a", BUY, 2, 1000, display_quantity=3)) == [
        RejectReason.INVALID_DISPLAY_QUANTITY
    ]
    assert reasons(m.order("a", BUY, 2, 1000, tif=TimeInForce.GTD)) == [RejectReason.INVALID_EXPIRY]


def test_contracts_are_independent_and_mass_cancel_spans_them(book_factory: object) -> None:
    from exchange_helpers import rules

    from tokenfutures.exchange import ListContract, OpenMarket, StartSession

    m = Market(book_factory)  # type: ignore[arg-type]
    m.send(ListContract(m.tick(), rules(symbol="SITH27")))
    for symbol in (SYMBOL, "SITH27"):
        m.send(StartSession(m.tick(), symbol))
        m.send(OpenMarket(m.tick(), symbol))
    m.order("a", SELL, 2, 1001)
    assert of_type(m.order("b", BUY, 2, 1001, contract="SITH27"), Trade) == []
    m.order("a", BUY, 1, 990, contract="SITH27")
    cancels = of_type(m.send(MassCancel(m.tick(), "a")), OrderCancelled)
    assert sorted(c.contract for c in cancels) == ["SITH27", SYMBOL]
    assert len(m.state.contracts["SITH27"].book) == 1  # b's bid stays


def test_time_never_runs_backwards(market: Market) -> None:
    import pytest

    from tokenfutures.core.errors import InvariantError

    with pytest.raises(InvariantError, match="before the previous"):
        market.send(CancelOrder(market.now - timedelta(seconds=5), SYMBOL, "a", 1))


def test_replace_rejections_leave_the_order_alone(market: Market) -> None:
    oid = accepted_id(market.order("a", BUY, 5, 999, post_only=True))
    market.order("s", SELL, 5, 1002)
    ts = market.tick()
    assert reasons(market.send(ReplaceOrder(ts, SYMBOL, "b", oid, 999, 4))) == [
        RejectReason.NOT_OWNER
    ]
    assert reasons(market.send(ReplaceOrder(ts, SYMBOL, "a", oid, 999, 0))) == [
        RejectReason.SIZE_NOT_POSITIVE
    ]
    assert reasons(market.send(ReplaceOrder(ts, SYMBOL, "a", oid, 1002, 5))) == [
        RejectReason.POST_ONLY_WOULD_CROSS
    ]
    assert reasons(market.send(ReplaceOrder(ts, SYMBOL, "a", 12345, 999, 5))) == [
        RejectReason.UNKNOWN_ORDER
    ]
    order = market.state.contracts[SYMBOL].book.get(oid)
    assert order is not None
    assert (order.price, order.quantity) == (999, 5)


def test_replace_of_a_pending_stop_changes_its_limit(market: Market) -> None:
    stop = accepted_id(
        market.order("s", BUY, 2, 1005, order_type=OrderType.STOP_LIMIT, stop_price_ticks=1003)
    )
    market.send(ReplaceOrder(market.tick(), SYMBOL, "s", stop, 1004, 3))
    market.order("a", SELL, 10, 1004)
    events = market.order("b", BUY, 1, 1004)  # last 1004 ≥ 1003 triggers the stop
    stop_trades = [t for t in of_type(events, Trade) if t.buy_order_id == stop]
    assert [(t.price_ticks, t.quantity) for t in stop_trades] == [(1004, 3)]
