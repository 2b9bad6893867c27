"""``ArrayEngine.apply_arrays`` gives exactly the events and state hash of the ``apply`` loop."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from exchange_helpers import SYMBOL, T0, rules
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import (
    AdvanceTime,
    CancelOrder,
    CancelReason,
    ExchangeState,
    ListContract,
    NewOrder,
    OpenMarket,
    OrderRejected,
    RejectReason,
    Side,
    StartSession,
    TimeInForce,
    Trade,
    apply,
    state_hash,
)
from tokenfutures.exchange.array_engine import ArrayEngine
from tokenfutures.exchange.array_kernel import EV_TRADE
from tokenfutures.simulation.workload import fills_of, generate, opened_state, to_commands

US = timedelta(microseconds=1)


def opened(**overrides: Any) -> ExchangeState:
    """A state with the test contract listed and trading continuously."""
    state = ExchangeState()
    for command in (
        ListContract(T0, rules(**overrides)),
        StartSession(T0, SYMBOL),
        OpenMarket(T0, SYMBOL),
    ):
        apply(state, command)
    return state


def python_run(state: ExchangeState, log: list[Any]) -> tuple[list[Any], str]:
    """Events and final hash of the plain ``apply`` loop."""
    events: list[Any] = []
    for command in log:
        events.extend(apply(state, command)[1])
    return events, state_hash(state)


def array_run(state: ExchangeState, log: list[Any], cuts: list[int]) -> tuple[list[Any], str]:
    """The same log through ``ArrayEngine``: array batches split at ``cuts``; others via apply."""
    engine = ArrayEngine(state, SYMBOL)
    events: list[Any] = []
    batch: list[Any] = []
    for n, command in enumerate(log):
        if (n in cuts or not isinstance(command, NewOrder | CancelOrder)) and batch:
            events.extend(engine.apply_arrays(engine.encode(batch)))
            batch = []
        if isinstance(command, NewOrder | CancelOrder):
            batch.append(command)
        else:
            events.extend(engine.apply(command))
    if batch:
        events.extend(engine.apply_arrays(engine.encode(batch)))
    return events, engine.state_hash()


@pytest.mark.parametrize(("seed", "cancel_share"), [(1, 0.30), (2, 0.38), (3, 0.6)])
def test_workload_streams_give_the_engines_events_and_hash(seed: int, cancel_share: float) -> None:
    flow, expected_fills, _ = generate(random.Random(seed), 5_000, cancel_share)
    log = to_commands(flow)
    py_events, py_hash = python_run(opened_state(), log)
    events, digest = array_run(opened_state(), log, cuts=[1_000, 1_001, 3_333])
    assert fills_of(events) == expected_fills
    assert len(expected_fills) > 100
    assert events == py_events
    assert digest == py_hash


def test_the_event_view_builds_tuples_only_on_demand() -> None:
    flow, expected_fills, _ = generate(random.Random(4), 2_000, 0.30)
    engine = ArrayEngine(opened_state(), SYMBOL)
    view = engine.apply_arrays(engine.encode(to_commands(flow)))
    rows = np.concatenate(view.rows())
    assert len(rows) == len(view)
    assert (
        view.trade_count() == int(np.count_nonzero(rows[:, 0] == EV_TRADE)) == len(expected_fills)
    )
    events = list(view)
    assert [e.seq for e in events if not isinstance(e, Trade)] == sorted(
        e.seq for e in events if not isinstance(e, Trade)
    )
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + len(events)))
    trade_ids = [e.trade_id for e in events if isinstance(e, Trade)]
    assert trade_ids == list(range(1, len(trade_ids) + 1))
    assert view[-1] == events[-1]
    assert view[3:6] == events[3:6]


def test_rejections_carry_the_engines_reasons() -> None:
    state = opened(price_step_ticks=5, band_ticks=50)
    ts = T0
    log: list[Any] = []

    def new(account: str, coid: str, side: Side, qty: int, price: int, **kw: Any) -> None:
        nonlocal ts
        ts += US
        log.append(NewOrder(ts, SYMBOL, account, coid, side, qty, price, **kw))

    def cancel(account: str, oid: int) -> None:
        nonlocal ts
        ts += US
        log.append(CancelOrder(ts, SYMBOL, account, oid))

    new("a", "1", Side.BUY, 0, 1000)  # size
    new("a", "2", Side.BUY, 1, 1002)  # not on tick
    new("a", "3", Side.BUY, 1, 1100)  # outside the band
    new("a", "4", Side.BUY, 1, 0)  # price not positive
    new("a", "5", Side.BUY, 3, 995)  # id 1, rests
    new("a", "5", Side.SELL, 3, 1005)  # duplicate client id
    new("b", "5", Side.SELL, 3, 1005)  # same text, other account: id 2
    cancel("b", 1)  # not the owner
    cancel("a", 99)  # unknown
    new("b", "6", Side.SELL, 5, 990, tif=TimeInForce.IOC)  # id 3: 3 at 995, 2 cancelled
    cancel("a", 3)  # an IOC is never resting
    cancel("a", 1)  # filled: unknown
    cancel("b", 2)  # cancelled
    py_events, py_hash = python_run(opened(price_step_ticks=5, band_ticks=50), log)
    reasons = [e.reason for e in py_events if isinstance(e, OrderRejected)]
    assert reasons == [
        RejectReason.SIZE_NOT_POSITIVE,
        RejectReason.NOT_ON_TICK,
        RejectReason.OUTSIDE_BAND,
        RejectReason.PRICE_NOT_POSITIVE,
        RejectReason.DUPLICATE_CLIENT_ORDER_ID,
        RejectReason.NOT_OWNER,
        RejectReason.UNKNOWN_ORDER,
        RejectReason.UNKNOWN_ORDER,
        RejectReason.UNKNOWN_ORDER,
    ]
    assert [e.reason for e in py_events if hasattr(e, "remaining_quantity")] == [
        CancelReason.IOC_REMAINDER,
        CancelReason.USER,
    ]
    events, digest = array_run(state, log, cuts=[6])
    assert events == py_events
    assert digest == py_hash


def test_a_client_id_used_the_python_way_is_a_duplicate_in_a_batch() -> None:
    state = opened()
    first = NewOrder(T0 + US, SYMBOL, "a", "7", Side.BUY, 1, 990)
    engine = ArrayEngine(state, SYMBOL)
    assert len(engine.apply(first)) == 1
    again = NewOrder(T0 + 2 * US, SYMBOL, "a", "7", Side.SELL, 1, 1010)
    (event,) = list(engine.apply_arrays(engine.encode([again])))
    assert isinstance(event, OrderRejected)
    assert event.reason is RejectReason.DUPLICATE_CLIENT_ORDER_ID


def test_a_closed_market_sends_the_batch_the_python_way() -> None:
    state = ExchangeState()
    apply(state, ListContract(T0, rules()))
    log = [NewOrder(T0 + US, SYMBOL, "a", "1", Side.BUY, 1, 1000)]
    engine = ArrayEngine(state, SYMBOL)
    (event,) = list(engine.apply_arrays(engine.encode(log)))
    assert event.reason is RejectReason.MARKET_CLOSED
    assert event.seq == 2


def test_prices_far_away_and_limit_breaches_go_the_python_way() -> None:
    overrides: dict[str, Any] = {
        "band_ticks": None,
        "band_fraction": None,
        "limit_halt_fraction": Decimal("0.03"),
    }
    log: list[Any] = []
    ts = T0
    orders = [
        ("a", Side.SELL, 4, 1010),
        ("a", Side.SELL, 4, 1040),  # beyond the +3 % limit
        ("a", Side.SELL, 4, 9000),  # far outside the kernel's window
        ("b", Side.BUY, 2, 1010),  # trades inside the limits
        ("b", Side.BUY, 9, 1050),  # would trade at 1040: halts
        ("b", Side.BUY, 1, 1000),  # rests during the halt
    ]
    for n, (account, side, qty, price) in enumerate(orders):
        ts += US
        log.append(NewOrder(ts, SYMBOL, account, str(n), side, qty, price))
    log.append(AdvanceTime(ts + timedelta(minutes=30)))
    log.append(NewOrder(ts + timedelta(minutes=31), SYMBOL, "c", "9", Side.SELL, 1, 1000))
    py_events, py_hash = python_run(opened(**overrides), log)
    assert any(getattr(e, "phase", None) is not None for e in py_events)
    events, digest = array_run(opened(**overrides), log, cuts=[])
    assert events == py_events
    assert digest == py_hash


def test_bad_batches_are_refused() -> None:
    engine = ArrayEngine(opened(), SYMBOL)
    batch = engine.encode([NewOrder(T0 + US, SYMBOL, "a", "1", Side.BUY, 1, 1000)])
    with pytest.raises(ValueError, match="client_order_id"):
        engine.encode([NewOrder(T0 + US, SYMBOL, "a", "x1", Side.BUY, 1, 1000)])
    naive = (T0 + US).replace(tzinfo=None)
    with pytest.raises(ValueError, match="ts"):
        engine.encode([NewOrder(naive, SYMBOL, "a", "1", Side.BUY, 1, 1000)])
    with pytest.raises(ValueError, match="commands"):
        engine.encode([AdvanceTime(T0 + US)])
    for text in ("²", "01", "-1", " 1", str(1 << 40)):
        with pytest.raises(ValueError, match="client_order_id"):
            engine.encode([NewOrder(T0 + US, SYMBOL, "a", text, Side.BUY, 1, 1000)])
    with pytest.raises(ValueError, match="commands"):
        engine.encode([NewOrder(T0 + US, SYMBOL, "a", "1", Side.BUY, 1, 1000, post_only=True)])
    with pytest.raises(ValueError, match="side"):
        engine.apply_arrays(replace(batch, side=np.array([0], np.int64)))
    with pytest.raises(ValueError, match="account"):
        engine.apply_arrays(replace(batch, account=np.array([5], np.int64)))
    engine.apply_arrays(engine.encode([NewOrder(T0 + 9 * US, SYMBOL, "a", "2", Side.BUY, 1, 1000)]))
    with pytest.raises(InvariantError):
        engine.apply_arrays(batch)


ACCOUNTS = ("a", "b", "c")
plain_step = st.one_of(
    st.tuples(
        st.just("new"),
        st.sampled_from(ACCOUNTS),
        st.integers(0, 12),
        st.sampled_from([Side.BUY, Side.SELL]),
        st.integers(-1, 6),
        st.integers(88, 112),
        st.sampled_from([TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC]),
    ),
    st.tuples(st.just("cancel"), st.sampled_from(ACCOUNTS), st.integers(1, 40)),
)
step = st.one_of(plain_step, st.tuples(st.just("wait"), st.integers(1, 900)))
OVERRIDES: dict[str, Any] = {
    "prior_settlement_ticks": 100,
    "price_step_ticks": 2,
    "band_ticks": 8,
    "limit_halt_fraction": Decimal("0.05"),
    "halt_minutes": 1,
}


def build(steps: list[Any]) -> list[Any]:
    """The command log of hypothesis steps, one microsecond apart (waits advance time)."""
    ts = T0
    log: list[Any] = []
    for s in steps:
        ts += US
        if s[0] == "new":
            _, account, coid, side, qty, price, tif = s
            log.append(NewOrder(ts, SYMBOL, account, str(coid), side, qty, price, tif=tif))
        elif s[0] == "cancel":
            log.append(CancelOrder(ts, SYMBOL, s[1], s[2]))
        elif s[0] == "wait":
            ts += timedelta(seconds=s[1])
            log.append(AdvanceTime(ts))
        else:  # an order the array path does not take: post-only or a non-decimal client id
            log.append(NewOrder(ts, SYMBOL, s[1], f"x{s[2]}", Side.BUY, 1, 100, post_only=s[3]))
    return log


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(step, max_size=60), cuts=st.lists(st.integers(0, 60), max_size=4))
def test_random_streams_match_the_apply_loop(steps: list[Any], cuts: list[int]) -> None:
    log = build(steps)
    py_events, py_hash = python_run(opened(**OVERRIDES), log)
    events, digest = array_run(opened(**OVERRIDES), log, cuts)
    assert events == py_events
    assert digest == py_hash


def test_a_sweep_longer_than_the_event_room_resumes_in_a_new_run() -> None:
    log: list[Any] = [
        NewOrder(T0 + n * US, SYMBOL, "a", str(n), Side.SELL, 1, 1001 + n % 7) for n in range(300)
    ]
    log.append(NewOrder(T0 + 400 * US, SYMBOL, "b", "1", Side.BUY, 300, 1010, tif=TimeInForce.IOC))
    py_events, py_hash = python_run(opened(), log)
    engine = ArrayEngine(opened(), SYMBOL)
    view = engine.apply_arrays(engine.encode(log))
    assert len(view.rows()) == 2  # the kernel stopped for room before the sweep
    assert view.trade_count() == 300
    assert list(view) == py_events
    assert engine.state_hash() == py_hash


def test_client_ids_that_no_batch_can_repeat_survive_the_round_trip() -> None:
    log = [
        NewOrder(T0 + US, SYMBOL, "a", "²", Side.BUY, 1, 990),
        NewOrder(T0 + 2 * US, SYMBOL, "a", "x-1", Side.BUY, 1, 991),
    ]
    batch = [NewOrder(T0 + 3 * US, SYMBOL, "a", "2", Side.SELL, 2, 990)]
    py_events, py_hash = python_run(opened(), log + batch)
    engine = ArrayEngine(opened(), SYMBOL)
    events = [e for c in log for e in engine.apply(c)]
    events.extend(engine.apply_arrays(engine.encode(batch)))
    assert events == py_events
    assert engine.state_hash() == py_hash
