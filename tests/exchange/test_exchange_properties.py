"""Hypothesis command streams: invariants after every command, fast vs reference, replay hash."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from exchange_helpers import EXPIRY, SYMBOL, T0, rules
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.exchange import (
    AdvanceTime,
    CancelOrder,
    CloseMarket,
    ExchangeState,
    FastBook,
    ListContract,
    MassCancel,
    NewOrder,
    OpenMarket,
    OrderAccepted,
    OrderCancelled,
    OrderReplaced,
    OrderType,
    Phase,
    ReferenceBook,
    ReplaceOrder,
    Side,
    StartSession,
    StpMode,
    TimeInForce,
    Trade,
    apply,
    replay,
    state_hash,
)
from tokenfutures.exchange.engine import apply_general
from tokenfutures.exchange.state import BookFactory

ACCOUNTS = ("a", "b", "c")

new_order = st.tuples(
    st.just("new"),
    st.sampled_from(ACCOUNTS),
    st.sampled_from([Side.BUY, Side.SELL]),
    st.integers(1, 12),
    st.integers(993, 1007),
    st.sampled_from(
        [TimeInForce.GTC, TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK]
    ),
    st.sampled_from([OrderType.LIMIT] * 6 + [OrderType.MARKET, OrderType.STOP_LIMIT]),
    st.sampled_from([False, False, False, True]),  # post-only
    st.sampled_from([None, None, None, 2]),  # display quantity
    st.sampled_from([None, None, "g1"]),  # stp group
    st.sampled_from(list(StpMode)),
)
cancel = st.tuples(st.just("cancel"), st.sampled_from(ACCOUNTS), st.integers(1, 30))
replace = st.tuples(
    st.just("replace"),
    st.sampled_from(ACCOUNTS),
    st.integers(1, 30),
    st.integers(993, 1007),
    st.integers(-1, 12),
)
mass = st.tuples(st.just("mass"), st.sampled_from(ACCOUNTS))
advance = st.tuples(st.just("advance"), st.integers(0, 12))
actions = st.lists(
    st.one_of(new_order, new_order, new_order, new_order, cancel, cancel, replace, mass, advance),
    min_size=8,
    max_size=80,
)


def random_steps(seed: int, n: int) -> list[tuple[Any, ...]]:
    """A long seeded stream with the same vocabulary as the hypothesis strategy."""
    rng = random.Random(seed)
    steps: list[tuple[Any, ...]] = []
    for _ in range(n):
        roll = rng.random()
        acct = rng.choice(ACCOUNTS)
        top = max(1, len(steps))
        if roll < 0.6:
            steps.append(
                (
                    "new",
                    acct,
                    rng.choice([Side.BUY, Side.SELL]),
                    rng.randint(1, 12),
                    rng.randint(993, 1007),
                    rng.choice(
                        [TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK]
                    ),
                    rng.choice([OrderType.LIMIT] * 8 + [OrderType.MARKET, OrderType.STOP_LIMIT]),
                    rng.random() < 0.1,
                    rng.choice([None, None, None, 2]),
                    rng.choice([None, None, "g1", "g2"]),
                    rng.choice(list(StpMode)),
                )
            )
        elif roll < 0.85:
            steps.append(("cancel", acct, rng.randint(1, top)))
        elif roll < 0.97:
            steps.append(
                ("replace", acct, rng.randint(1, top), rng.randint(993, 1007), rng.randint(0, 12))
            )
        elif roll < 0.985:
            steps.append(("mass", acct))
        else:
            steps.append(("advance", rng.randint(0, 12)))
    return steps


def build_log(steps: list[tuple[Any, ...]]) -> list[Any]:
    """Turn abstract steps into a timed command log (order ids are guessed as 1..n)."""
    ts = T0
    tight = rules(
        band_ticks=None,
        band_fraction=None,
        market_protection_ticks=3,
        limit_halt_fraction=Decimal("0.004"),  # trades beyond 996..1004 halt for 10 minutes
        limit_session_fraction=Decimal("0.006"),  # beyond 994..1006: halted until next session
    )
    log: list[Any] = [ListContract(ts, tight), StartSession(ts, SYMBOL)]
    opening = len(steps) // 4
    for n, step in enumerate(steps):
        ts += timedelta(seconds=1)
        if n == opening:
            log.append(OpenMarket(ts, SYMBOL))
        kind = step[0]
        if kind == "advance":
            ts += timedelta(minutes=step[1])
            log.append(AdvanceTime(ts))
        elif kind == "new":
            _, acct, side, qty, price, tif, otype, post, display, group, mode = step
            stop = price if otype == OrderType.STOP_LIMIT else None
            limit = None if otype == OrderType.MARKET else price
            disp = display if display is not None and display <= qty else None
            log.append(
                NewOrder(
                    ts,
                    SYMBOL,
                    acct,
                    f"o{n}",
                    side,
                    qty,
                    limit,
                    otype,
                    tif,
                    None,
                    post,
                    disp,
                    stop,
                    group,
                    mode,
                )
            )
        elif kind == "cancel":
            log.append(CancelOrder(ts, SYMBOL, step[1], step[2]))
        elif kind == "replace":
            log.append(ReplaceOrder(ts, SYMBOL, step[1], step[2], step[3], step[4]))
        else:
            log.append(MassCancel(ts, step[1]))
    log.append(CloseMarket(EXPIRY, SYMBOL))
    return log


class Ledger:
    """An independent account of every order's open quantity, built from events only."""

    def __init__(self) -> None:
        self.open: dict[int, int] = {}
        self.terminal: dict[int, str] = {}

    def fold(self, event: Any) -> None:
        if isinstance(event, OrderAccepted):
            assert event.order_id not in self.open
            self.open[event.order_id] = event.quantity
        elif isinstance(event, Trade):
            assert event.quantity > 0
            for oid in (event.buy_order_id, event.sell_order_id):
                assert oid not in self.terminal, f"trade on terminal order {oid}"
                self.open[oid] -= event.quantity
                assert self.open[oid] >= 0, "overfilled"
                if self.open[oid] == 0:
                    self.terminal[oid] = "filled"
        elif isinstance(event, OrderCancelled):
            assert event.order_id not in self.terminal, f"second terminal for {event.order_id}"
            assert event.remaining_quantity == self.open[event.order_id]
            assert event.remaining_quantity > 0
            self.terminal[event.order_id] = "cancelled"
        elif isinstance(event, OrderReplaced):
            assert event.order_id not in self.terminal
            self.open[event.order_id] = event.quantity


def check_book(state: ExchangeState, ledger: Ledger) -> None:
    """Never crossed when continuous, FIFO within levels, resting quantity = ledger's open."""
    cs = state.contracts[SYMBOL]
    book = cs.book
    bid, ask = book.best_bid(), book.best_ask()
    if cs.phase == Phase.CONTINUOUS and bid is not None and ask is not None:
        assert bid < ask, "crossed book"
    for side in (Side.BUY, Side.SELL):
        orders = list(book.in_priority(side))
        keys = [(-side * o.price, o.priority) for o in orders]
        assert keys == sorted(keys), "priority order broken"
        assert len(set(keys)) == len(keys)
        for o in orders:
            assert o.side is side
            assert 0 < o.visible <= o.quantity == ledger.open[o.order_id]
            assert o.order_id not in ledger.terminal
    live = {o.order_id for s in (Side.BUY, Side.SELL) for o in book.in_priority(s)} | set(cs.stops)
    not_terminal = {oid for oid in ledger.open if oid not in ledger.terminal}
    assert live == not_terminal, "an order is neither live nor terminal (or both)"


def run_checked(
    log: list[Any], factory: BookFactory, step: Callable[..., Any] = apply
) -> tuple[list[Any], str]:
    state = ExchangeState(factory)
    ledger = Ledger()
    every: list[Any] = []
    for command in log:
        state, events = step(state, command)
        for event in events:
            ledger.fold(event)
        every.extend(events)
        check_book(state, ledger)
    assert [e.seq for e in every] == list(range(1, len(every) + 1)), "event seq has gaps"
    trade_ids = [e.trade_id for e in every if isinstance(e, Trade)]
    assert trade_ids == list(range(1, len(trade_ids) + 1))
    assert state.contracts[SYMBOL].phase == Phase.EXPIRED
    assert set(ledger.terminal) == set(ledger.open), "an order ended without a terminal state"
    return every, state_hash(state)


@settings(max_examples=120, deadline=None)
@given(actions)
def test_invariants_and_identical_streams_on_both_books(steps: list[tuple[Any, ...]]) -> None:
    log = build_log(steps)
    fast_events, fast_hash = run_checked(log, FastBook)
    ref_events, ref_hash = run_checked(log, ReferenceBook, apply_general)
    assert fast_events == ref_events
    assert fast_hash == ref_hash


@pytest.mark.parametrize("seed", range(12))
def test_long_seeded_streams_agree_on_both_books(seed: int) -> None:
    log = build_log(random_steps(seed, 400))
    fast_events, fast_hash = run_checked(log, FastBook)
    ref_events, ref_hash = run_checked(log, ReferenceBook, apply_general)
    assert sum(isinstance(e, Trade) for e in fast_events) > 5
    assert fast_events == ref_events
    assert fast_hash == ref_hash


@settings(max_examples=40, deadline=None)
@given(actions)
def test_replay_gives_identical_events_and_state_hash(steps: list[tuple[Any, ...]]) -> None:
    log = build_log(steps)[:-1]  # stop before expiry so the book is not empty
    state_one, events_one = replay(log)
    state_two, events_two = replay(log)
    assert events_one == events_two
    assert state_hash(state_one) == state_hash(state_two)
    assert state_one is not state_two


def test_state_hash_changes_with_the_state() -> None:
    log = build_log(
        [
            (
                "new",
                "a",
                Side.BUY,
                3,
                999,
                TimeInForce.GTC,
                OrderType.LIMIT,
                False,
                None,
                None,
                StpMode.CANCEL_RESTING,
            )
        ]
    )[:-1]
    state, _ = replay(log[:-1])
    before = state_hash(state)
    state, _ = apply(state, log[-1])
    assert state_hash(state) != before
