"""``apply_many`` is a loop over ``apply``: differential tests on the shared command streams."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from exchange_helpers import SYMBOL, T0
from hypothesis import given, settings
from test_exchange_properties import actions, build_log, random_steps

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import (
    CancelOrder,
    ExchangeState,
    FastBook,
    NewOrder,
    ReferenceBook,
    Side,
    Trade,
    apply,
    apply_many,
    state_hash,
)
from tokenfutures.exchange.state import BookFactory
from tokenfutures.simulation.workload import fills_of, generate, opened_state, to_commands


def one_by_one(log: list[Any], factory: BookFactory) -> tuple[list[list[Any]], str]:
    """Per-command events and the final hash of a plain ``apply`` loop."""
    state = ExchangeState(factory)
    per_command = []
    for command in log:
        state, events = apply(state, command)
        per_command.append(events)
    return per_command, state_hash(state)


def batched(log: list[Any], factory: BookFactory) -> tuple[list[list[Any]], str]:
    state = ExchangeState(factory)
    per_command = apply_many(state, log)
    return per_command, state_hash(state)


@settings(max_examples=60, deadline=None)
@given(actions)
def test_apply_many_equals_the_apply_loop_on_hypothesis_streams(
    steps: list[tuple[Any, ...]],
) -> None:
    log = build_log(steps)
    assert batched(log, FastBook) == one_by_one(log, FastBook)


@pytest.mark.parametrize("seed", range(4))
def test_apply_many_equals_the_apply_loop_on_long_streams(
    seed: int, book_factory: BookFactory
) -> None:
    log = build_log(random_steps(seed, 400))
    expected_events, expected_hash = one_by_one(log, book_factory)
    events, digest = batched(log, book_factory)
    assert sum(isinstance(e, Trade) for batch in events for e in batch) > 5
    assert len(events) == len(log)
    assert events == expected_events
    assert digest == expected_hash


@pytest.mark.parametrize("cancel_share", [0.30, 0.38])
def test_apply_many_reproduces_the_workload_model(cancel_share: float) -> None:
    flow, expected_fills, resting = generate(random.Random(5), 4_000, cancel_share)
    commands = to_commands(flow)
    loop_state = opened_state()
    loop_events = [apply(loop_state, c)[1] for c in commands]
    state = opened_state()
    events = apply_many(state, commands)
    assert events == loop_events
    assert state_hash(state) == state_hash(loop_state)
    assert len(state.contracts[SYMBOL].book) == resting
    assert [f for batch in events for f in fills_of(batch)] == expected_fills


@pytest.fixture
def gc_was(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Set the collector to the requested state for the test and restore it afterwards."""
    before = gc.isenabled()
    wanted: bool = request.param
    if wanted:
        gc.enable()
    else:
        gc.disable()
    yield wanted
    if before:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("gc_was", [True, False], indirect=True)
def test_apply_many_leaves_the_collector_as_it_found_it(gc_was: bool) -> None:
    flow, _, _ = generate(random.Random(2), 200, 0.30)
    apply_many(opened_state(), to_commands(flow))
    assert gc.isenabled() is gc_was


def test_time_going_backwards_stops_the_batch_after_the_good_commands() -> None:
    ts = T0 + timedelta(seconds=5)
    good = [
        NewOrder(ts, SYMBOL, "a", "o1", Side.BUY, 3, 10_000),
        NewOrder(ts, SYMBOL, "a", "o2", Side.SELL, 3, 10_005),
        CancelOrder(ts, SYMBOL, "a", 1),
    ]
    late = NewOrder(ts - timedelta(seconds=1), SYMBOL, "a", "o3", Side.BUY, 1, 10_000)
    state = opened_state(ReferenceBook)
    seq_before = state.seq
    with pytest.raises(InvariantError, match="before the previous"):
        apply_many(state, [*good, late])
    assert state.seq == seq_before + 3
    assert state.last_ts == ts
    assert len(state.contracts[SYMBOL].book) == 1


def test_apply_many_of_nothing_is_nothing() -> None:
    state = opened_state()
    digest = state_hash(state)
    assert apply_many(state, []) == []
    assert apply_many(state, iter(())) == []
    assert state_hash(state) == digest
