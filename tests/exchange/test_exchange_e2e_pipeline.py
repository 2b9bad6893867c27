"""``apply_stream``'s pipeline (ADR 0367): chunk ramp, checks on the caller's thread, one-pass
batch check and fill table, account codes met in later batches.

Expected values come from the ``apply`` loop, the exact encoder or the numpy rules written out
here, never from the code under test.
"""

from __future__ import annotations

import itertools
import random
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from exchange_helpers import SYMBOL, T0
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import CancelOrder, NewOrder, Side, apply, state_hash
from tokenfutures.exchange.array_encode import encode_commands, encode_exact
from tokenfutures.exchange.array_engine import FIRST_CHUNK, ArrayEngine, _chunk_bounds
from tokenfutures.exchange.array_events import MAX_CLIENT_CODE, CommandArrays
from tokenfutures.exchange.array_state import LAZY_MIN, POOL_ROWS, lazy_zeros
from tokenfutures.simulation.workload import generate, opened_state, to_commands

US = timedelta(microseconds=1)


@pytest.mark.parametrize(("n", "chunk"), [(0, 5), (1, 5), (300_000, 65_536), (50_000, 1_000)])
def test_chunks_start_small_double_and_cover_the_stream(n: int, chunk: int) -> None:
    bounds = list(_chunk_bounds(n, chunk))
    assert n == 0 or bounds[0][0] == 0
    assert all(a < b for a, b in bounds)
    assert all(b == a2 for (_, b), (a2, _) in itertools.pairwise(bounds))
    assert (bounds[-1][1] if bounds else 0) == n
    sizes = [b - a for a, b in bounds]
    if n >= 300_000:
        assert sizes[:5] == [FIRST_CHUNK, 2 * FIRST_CHUNK, 4 * FIRST_CHUNK, chunk, chunk]
    elif n:
        assert max(sizes) <= chunk
        assert sizes[0] == min(n, chunk, FIRST_CHUNK)


def numpy_rules(batch: CommandArrays, n_accounts: int) -> str | None:
    """The first rule (by ``check``'s order) the batch breaks, with the rules in numpy."""
    new = batch.kind == 0
    rules = [
        ("kind", np.all(new | (batch.kind == 1))),
        ("side", np.all(~new | (np.abs(batch.side) == 1))),
        ("tif", np.all(~new | np.isin(batch.tif, (0, 1, 3)))),
        ("account", np.all((batch.account >= 0) & (batch.account < n_accounts))),
        ("client_order_id", np.all(~new | ((batch.client_order_id >= 0)
                                           & (batch.client_order_id < MAX_CLIENT_CODE)))),
        ("ts", np.all(np.diff(batch.ts) >= 0)),
    ]  # fmt: skip
    return next((name for name, ok in rules if not ok), None)


column = st.lists(st.integers(-2, 4), min_size=6, max_size=6)


@settings(max_examples=150, deadline=None)
@given(kind=column, side=column, tif=column, account=column, coid=column, ts=column,
       big=st.booleans())  # fmt: skip
def test_the_compiled_check_reports_what_the_numpy_rules_say(
    kind: list[int], side: list[int], tif: list[int], account: list[int], coid: list[int],
    ts: list[int], big: bool,
) -> None:  # fmt: skip
    zeros = [0] * 6
    coids = [c + MAX_CLIENT_CODE - 2 for c in coid] if big else coid
    batch = CommandArrays(*(np.array(c, np.int64) for c in (ts, kind, zeros, account, coids,
                                                              side, zeros, zeros, tif)))  # fmt: skip
    expected = numpy_rules(batch, 3)
    if expected is None:
        batch.check(3)
        return
    with pytest.raises(InvalidParameterError) as raised:
        batch.check(3)
    assert str(raised.value).startswith(expected + " ")


def test_accounts_first_met_in_a_later_batch_get_the_exact_encoders_codes() -> None:
    def order(i: int, account: str) -> NewOrder:
        return NewOrder(T0 + i * US, SYMBOL, account, str(i), Side.BUY, 1, 100)

    batches = [[order(0, "a"), order(1, "b")], [order(2, "c"), order(3, "a"), order(4, "d"),
                                                 CancelOrder(T0 + 5 * US, SYMBOL, "c", 1)]]  # fmt: skip
    results = []
    for encoder in (encode_commands, encode_exact):
        codes: dict[str, int] = {}

        def code(account: str, codes: dict[str, int] = codes) -> int:
            return codes.setdefault(account, len(codes))

        arrays = [encoder(b, SYMBOL, code, codes).account.tolist() for b in batches]
        results.append((arrays, dict(codes)))
    assert results[0] == results[1]
    assert results[0][1] == {"a": 0, "b": 1, "c": 2, "d": 3}


def apply_loop(commands: list[Any]) -> str:
    state = opened_state()
    for command in commands:
        state, _ = apply(state, command)
    return state_hash(state)


def test_a_stream_past_the_first_chunk_ramps_up_and_matches_the_apply_loop() -> None:
    flow, model_fills, _ = generate(random.Random(5), 3 * FIRST_CHUNK + 1_000, 0.30)
    commands = to_commands(flow)
    engine = ArrayEngine(opened_state(), SYMBOL)
    view = engine.apply_stream(commands, chunk=2 * FIRST_CHUNK)  # 8k, 16k, 16k, rest
    assert len([p for p in view.parts if len(p)]) >= 3
    assert view.fills().pairs() == model_fills
    assert engine.state_hash() == apply_loop(commands)


def test_a_chunk_failing_its_check_raises_after_the_chunks_before_it_are_applied() -> None:
    flow, _, _ = generate(random.Random(6), 300, 0.30)
    commands = to_commands(flow)
    late = commands[150]
    commands[150] = late._replace(ts=late.ts - 10 * US)  # time goes back inside chunk 2
    engine = ArrayEngine(opened_state(), SYMBOL)
    with pytest.raises(InvalidParameterError, match="ts"):
        engine.apply_stream(commands, chunk=100)
    assert engine.state_hash() == apply_loop(commands[:100])


def test_lazy_zeros_are_writable_int64_zeros_either_side_of_the_mapping_threshold() -> None:
    for shape in ((LAZY_MIN - 1,), (LAZY_MIN // 10 + 1, 10)):
        array = lazy_zeros(shape)
        assert array.shape == shape
        assert array.dtype == np.int64
        assert array.flags.writeable
        assert array.flags.c_contiguous
        assert not array.any()
        array[-1] = 7
        assert int(array.sum()) == 7 * (1 if len(shape) == 1 else 10)


def test_a_stream_whose_pool_is_mapped_lazily_matches_the_apply_loop() -> None:
    n = LAZY_MIN // POOL_ROWS + 5_000  # room for the pool crosses the mapping threshold
    flow, model_fills, resting = generate(random.Random(8), n, 0.30)
    commands = to_commands(flow)
    engine = ArrayEngine(opened_state(), SYMBOL)
    view = engine.apply_stream(commands, chunk=4 * FIRST_CHUNK)
    assert view.fills().pairs() == model_fills
    assert len(engine.state.contracts[SYMBOL].book) == resting
    assert engine.state_hash() == apply_loop(commands)
