"""The numba array book (ADR 0361 prototype) reproduces the workload model's fills exactly."""

from __future__ import annotations

import random

import numpy as np
import pytest
from array_prototype import KIND_CANCEL, message_arrays, run_array_book

from tokenfutures.exchange import apply
from tokenfutures.simulation.workload import MID, fills_of, generate, opened_state, to_commands


def fills_as_tuples(fills: np.ndarray) -> list[tuple[int, int, int, int]]:
    return [(int(a), int(r), int(p), int(q)) for a, r, p, q in fills]


@pytest.mark.parametrize(("seed", "cancel_share"), [(1, 0.30), (2, 0.38), (3, 0.6)])
def test_array_book_matches_the_model(seed: int, cancel_share: float) -> None:
    flow, expected, resting = generate(random.Random(seed), 6_000, cancel_share)
    fills, rest = run_array_book(*message_arrays(flow), reference=MID, half=64)
    assert len(expected) > 200
    assert fills_as_tuples(fills) == expected
    assert rest == resting


def test_array_book_matches_the_engine() -> None:
    flow, _, resting = generate(random.Random(9), 3_000, 0.30)
    state = opened_state()
    engine = [f for c in to_commands(flow) for f in fills_of(apply(state, c)[1])]
    fills, rest = run_array_book(*message_arrays(flow), reference=MID, half=64)
    assert fills_as_tuples(fills) == engine
    assert rest == len(state.contracts["SITZ26"].book) == resting


def test_a_sweep_through_three_levels_fills_in_price_then_time_order() -> None:
    flow = [
        ("L", -1, 101, 5),  # id 1
        ("L", -1, 102, 5),  # id 2
        ("L", -1, 101, 5),  # id 3
        ("L", 1, 99, 4),  # id 4
        ("C", 1),
        ("I", 1, 102, 12),  # id 5: 5 at 101 (id 3), 5 at 102 (id 2); 2 left, dropped
        ("I", -1, 98, 1),  # id 6: 1 at 99 against id 4
    ]
    fills, rest = run_array_book(*message_arrays(flow), reference=100, half=8)
    assert fills_as_tuples(fills) == [(5, 3, 101, 5), (5, 2, 102, 5), (6, 4, 99, 1)]
    assert rest == 1


def test_prices_outside_the_window_are_refused() -> None:
    kinds, sides, prices, qtys = message_arrays([("L", 1, 100, 1), ("C", 1)])
    assert kinds[1] == KIND_CANCEL
    with pytest.raises(ValueError, match="prices"):
        run_array_book(kinds, sides, prices, qtys, reference=200, half=50)
    with pytest.raises(ValueError, match="half"):
        run_array_book(kinds, sides, prices, qtys, reference=100, half=0)
