"""End to end: command tuples in, ``encode`` → ``apply_arrays`` → event columns out (ADR 0363/4).

The path must give exactly the ``apply`` loop's events (as tuples) and state hash, and its fill
and order-event columns must say what those tuples say (the expected columns are built here
from the tuples, not by the code under test).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import typer
from exchange_helpers import SYMBOL, T0
from hypothesis import given, settings
from hypothesis import strategies as st
from test_exchange_arrays import (
    ACCOUNTS,
    OVERRIDES,
    build,
    opened,
    plain_step,
    python_run,
    step,
)
from typer.testing import CliRunner

from tokenfutures.cli import exchange_cmds
from tokenfutures.exchange import (
    CancelOrder,
    NewOrder,
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    RejectReason,
    Side,
    TimeInForce,
    Trade,
)
from tokenfutures.exchange.array_engine import ArrayEngine
from tokenfutures.simulation.workload import generate, opened_state, to_commands

US = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def us(ts: datetime) -> int:
    return (ts - EPOCH) // US


def expected_fills(events: list[Any]) -> list[tuple[Any, ...]]:
    """One row per ``Trade``, in the column order of ``FillColumns`` (names for accounts)."""
    rows = []
    for t in events:
        if isinstance(t, Trade):
            side = 0 if t.aggressor_side is None else int(t.aggressor_side)
            aggressor, resting = (
                (t.buy_order_id, t.sell_order_id) if side > 0 else (t.sell_order_id, t.buy_order_id)
            )
            rows.append((t.trade_id, t.seq, us(t.ts), t.price_ticks, t.quantity, side, aggressor,
                         resting, t.buy_order_id, t.sell_order_id, t.buyer, t.seller))  # fmt: skip
    return rows


def coid_code(text: str | None) -> int:
    return int(text) if text is not None and text.isdigit() and str(int(text)) == text else -1


def expected_orders(events: list[Any]) -> list[tuple[Any, ...]]:
    """One row per acceptance, rejection or cancellation (kernel kind codes 0, 1, 3)."""
    rows: list[tuple[Any, ...]] = []
    for e in events:
        if isinstance(e, OrderAccepted):
            rows.append((0, e.seq, us(e.ts), e.order_id, e.account, coid_code(e.client_order_id),
                         int(e.side), e.price_ticks, e.quantity, 0))  # fmt: skip
        elif isinstance(e, OrderRejected):
            rows.append((1, e.seq, us(e.ts), e.order_id or 0, e.account,
                         coid_code(e.client_order_id), 0, 0, 0, int(e.reason)))  # fmt: skip
        elif isinstance(e, OrderCancelled):
            rows.append((3, e.seq, us(e.ts), e.order_id, e.account, -1, 0, 0,
                         e.remaining_quantity, int(e.reason)))  # fmt: skip
    return rows


def fill_rows(engine: ArrayEngine, view: Any) -> list[tuple[Any, ...]]:
    f = view.fills()
    names = engine.accounts
    return [
        (*row[:10], names[row[10]], names[row[11]])
        for row in zip(
            f.trade_id.tolist(), f.seq.tolist(), f.ts.tolist(), f.price_ticks.tolist(),
            f.quantity.tolist(), f.aggressor_side.tolist(), f.aggressor_order_id.tolist(),
            f.resting_order_id.tolist(), f.buy_order_id.tolist(), f.sell_order_id.tolist(),
            f.buyer.tolist(), f.seller.tolist(), strict=True,
        )
    ]  # fmt: skip


def order_rows(engine: ArrayEngine, view: Any) -> list[tuple[Any, ...]]:
    o = view.orders()
    names = engine.accounts
    return [
        (*row[:4], names[row[4]], *row[5:])
        for row in zip(
            o.kind.tolist(), o.seq.tolist(), o.ts.tolist(), o.order_id.tolist(),
            o.account.tolist(), o.client_order_id.tolist(), o.side.tolist(),
            o.price_ticks.tolist(), o.quantity.tolist(), o.reason.tolist(), strict=True,
        )
    ]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(plain_step, max_size=80), chunk=st.integers(1, 100))
def test_plain_streams_end_to_end_match_the_apply_loop(steps: list[Any], chunk: int) -> None:
    log = build(steps)
    py_events, py_hash = python_run(opened(**OVERRIDES), log)
    engine = ArrayEngine(opened(**OVERRIDES), SYMBOL)
    view = engine.apply_stream(log, chunk=chunk)  # chunks below the length: pipelined
    assert fill_rows(engine, view) == expected_fills(py_events)
    assert order_rows(engine, view) == expected_orders(py_events)
    assert view.to_list() == py_events
    assert engine.state_hash() == py_hash


mixed_step = st.one_of(
    step,
    st.tuples(st.just("odd"), st.sampled_from(ACCOUNTS), st.integers(0, 5), st.booleans()),
)


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(mixed_step, max_size=60), chunk=st.integers(1, 70))
def test_mixed_streams_run_the_plain_runs_as_arrays_and_match(steps: list[Any], chunk: int) -> None:
    log = build(steps)
    py_events, py_hash = python_run(opened(**OVERRIDES), log)
    engine = ArrayEngine(opened(**OVERRIDES), SYMBOL)
    view = engine.apply_stream(log, chunk=chunk)
    assert list(view) == py_events
    assert fill_rows(engine, view) == expected_fills(py_events)
    assert order_rows(engine, view) == expected_orders(py_events)
    assert engine.state_hash() == py_hash


def test_a_workload_stream_gives_the_models_fills_in_one_call() -> None:
    flow, model_fills, resting = generate(random.Random(11), 20_000, 0.30)
    engine = ArrayEngine(opened_state(), "SITZ26")
    fills = engine.apply_stream(to_commands(flow), chunk=3_000).fills()  # 7 pipelined chunks
    assert len(model_fills) > 1_000
    assert fills.pairs() == model_fills
    assert np.all(np.diff(fills.trade_id) == 1)
    assert len(engine.state.contracts["SITZ26"].book) == resting


def test_the_fill_frame_names_accounts_and_utc_times() -> None:
    log = [
        NewOrder(T0 + US, SYMBOL, "maker", "1", Side.SELL, 5, 1001),
        NewOrder(T0 + 2 * US, SYMBOL, "taker", "1", Side.BUY, 3, 1001, tif=TimeInForce.IOC),
        CancelOrder(T0 + 3 * US, SYMBOL, "taker", 1),
    ]
    engine = ArrayEngine(opened(), SYMBOL)
    view = engine.apply_stream(log)
    frame = view.fills().to_frame()
    assert list(frame["buyer"]) == ["taker"]
    assert list(frame["seller"]) == ["maker"]
    assert frame["ts"].iloc[0] == pd.Timestamp(T0 + 2 * US)
    assert (frame["price_ticks"].iloc[0], frame["quantity"].iloc[0]) == (1001, 3)
    orders = view.orders().to_frame()
    assert list(orders["kind"]) == [0, 0, 1]  # accepted, accepted (filled), not the owner
    assert list(orders["account"]) == ["maker", "taker", "taker"]
    assert list(orders["quantity"]) == [5, 3, 0]
    assert list(orders["reason"]) == [0, 0, int(RejectReason.NOT_OWNER)]


def simulate(*args: str) -> Any:
    app = typer.Typer()
    exchange_cmds.register(app)

    @app.command()
    def noop() -> None:
        """Keep typer in multi-command mode."""

    return CliRunner().invoke(app, ["exchange", "simulate", "--messages", "3000", *args])


def test_cli_simulate_takes_the_compiled_path_with_the_apply_loops_hash() -> None:
    runs = {}
    for path in ("auto", "python"):
        result = simulate("--seed", "3", "--path", path, "--json")
        assert result.exit_code == 0, result.output
        runs[path] = json.loads(result.output.strip().splitlines()[-1])
    assert runs["auto"]["path"] == "arrays"
    assert runs["python"]["path"] == "python"
    assert runs["auto"]["state_hash"] == runs["python"]["state_hash"]
    assert runs["auto"]["trades"] == runs["python"]["trades"] > 0
    assert runs["auto"]["fills_match_model"]
    assert runs["auto"]["replay_hash_matches"]
    assert runs["auto"]["msgs_per_s"] > 0


def test_cli_simulate_refuses_an_unknown_path() -> None:
    result = simulate("--path", "gpu")
    assert isinstance(result.exception, ValueError)
    assert "path" in str(result.exception)
