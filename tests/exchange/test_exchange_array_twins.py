"""The array path's column kernels: the numba twin and the numpy twin agree (ADR 0371)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.core import accel
from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.array_columns import trade_table_compiled, trade_table_numpy
from tokenfutures.exchange.array_encode import (
    parse_decimals_compiled,
    parse_decimals_numpy,
    spread_compiled,
    spread_numpy,
)
from tokenfutures.exchange.array_engine import ArrayEngine
from tokenfutures.exchange.array_events import flaws_compiled, flaws_numpy
from tokenfutures.simulation.workload import generate, opened_state, to_commands

ints = st.integers(-3, 3)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=24).map(lambda b: bytes(c % 12 + 48 if c % 5 else 10 for c in b)),
       st.integers(0, 4))  # fmt: skip
def test_the_parser_twins_agree_on_any_digit_soup(text: bytes, count: int) -> None:
    outs = [np.full(count, -1, np.int64) for _ in range(2)]
    buffer = np.frombuffer(text, np.uint8)
    ok = [parse(buffer, out, 13, 2**40) for parse, out in
          zip((parse_decimals_compiled, parse_decimals_numpy), outs, strict=True)]  # fmt: skip
    assert ok[0] == ok[1]
    if ok[0]:
        assert outs[0].tolist() == outs[1].tolist() == [int(t) for t in text.split(b"\n")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.booleans(), max_size=30), st.integers(0, 2**40))
def test_the_spread_twins_agree(kinds: list[bool], seed: int) -> None:
    rng = np.random.default_rng(seed)
    kind = np.where(kinds, k.CMD_NEW, k.CMD_CANCEL).astype(np.int64)
    m = int(np.count_nonzero(kind == k.CMD_NEW))
    cols = [rng.integers(0, 1000, m) for _ in range(4)] + [rng.integers(0, 1000, len(kinds) - m)]
    np.testing.assert_array_equal(spread_compiled(kind, *cols), spread_numpy(kind, *cols))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(ints, ints, ints, ints, ints, ints), max_size=12))
def test_the_flaw_twins_agree(rows: list[tuple[int, ...]]) -> None:
    cols = [np.array(c, np.int64) for c in zip(*rows, strict=True)] or [np.zeros(0, np.int64)] * 6
    kind, side, tif, account, coid, ts = cols
    args = (kind, side, tif, account, coid, ts, 2, 3)
    assert flaws_compiled(*args) == flaws_numpy(*args)


@pytest.mark.skipif(not accel.COMPILED, reason="kernel rows exist only where numba runs")
def test_the_trade_table_twins_agree_on_kernel_rows() -> None:
    engine = ArrayEngine(opened_state(), "SITZ26")
    batch = engine.encode(to_commands(generate(random.Random(4), 3_000)[0]))
    view = engine.apply_arrays(batch)
    parts = [p for p in view.parts if not isinstance(p, list)]
    assert parts
    for part in parts:
        args = (part.rows, part.batch.side, part.batch.account, part.batch.ts, part.seq0)
        table = trade_table_numpy(*args)
        assert table.shape[1] == int(np.count_nonzero(part.rows[:, k.E_KIND] == k.EV_TRADE))
        np.testing.assert_array_equal(trade_table_compiled(*args), table)
