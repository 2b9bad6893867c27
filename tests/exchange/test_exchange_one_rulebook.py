"""One loop, one rulebook (ADR 0369): shared checks, codes from the enums, lanes in step."""

from __future__ import annotations

import ast
import random
from datetime import timedelta
from pathlib import Path

import pytest
from exchange_helpers import SYMBOL, T0

from tokenfutures.exchange import (
    CancelOrder,
    NewOrder,
    RejectReason,
    Side,
    TimeInForce,
    apply_many,
    state_hash,
)
from tokenfutures.exchange import array_kernel as kernel
from tokenfutures.exchange.validation import OK, cancel_problem, price_problem, size_problem
from tokenfutures.simulation.workload import generate, opened_state, to_commands

EXCHANGE = Path(__file__).resolve().parents[2] / "src" / "tokenfutures" / "exchange"


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        (0, RejectReason.PRICE_NOT_POSITIVE),
        (-5, RejectReason.PRICE_NOT_POSITIVE),
        (1003, RejectReason.NOT_ON_TICK),  # step 5
        (995, RejectReason.OUTSIDE_BAND),  # band [1000, 1100]
        (1105, RejectReason.OUTSIDE_BAND),
        (1000, OK),
        (1100, OK),
    ],
)
def test_price_checks_in_their_order(price: int, expected: int) -> None:
    assert price_problem(price, 5, 1000, 1100) == expected


def test_size_and_cancel_checks() -> None:
    assert size_problem(0) == RejectReason.SIZE_NOT_POSITIVE
    assert size_problem(1) == OK
    assert cancel_problem(False, False) == RejectReason.UNKNOWN_ORDER
    assert cancel_problem(True, False) == RejectReason.NOT_OWNER
    assert cancel_problem(True, True) == OK


def test_the_kernel_compiles_the_same_checks_and_takes_codes_from_the_enums() -> None:
    for args in [(0, 5, 1, 99), (7, 5, 1, 99), (500, 5, 1, 99), (10, 5, 1, 99)]:
        assert kernel._price_problem(*args) == price_problem(*args)
    assert kernel.R_DUPLICATE == RejectReason.DUPLICATE_CLIENT_ORDER_ID
    assert kernel.TIF_IOC == TimeInForce.IOC


def test_the_exchange_package_imports_no_runtime_policy() -> None:
    banned = {"gc", "threading", "concurrent.futures", "concurrent"}
    found = []
    for path in sorted(EXCHANGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {name}" for name in names if name in banned]
    assert found == []


def test_apply_many_with_and_without_the_fast_lane_agree_on_the_workload() -> None:
    flow, _, _ = generate(random.Random(12), 3_000, 0.30)
    commands = to_commands(flow)
    fast, general = opened_state(), opened_state()
    assert apply_many(fast, commands) == apply_many(general, commands, fast=False)
    assert state_hash(fast) == state_hash(general)


def test_the_fast_lane_keeps_every_field_the_general_handler_keeps() -> None:
    ts = T0 + timedelta(seconds=1)
    log = [
        NewOrder(ts, SYMBOL, "a", "1", Side.BUY, 3, 9_990, expire_at=ts + timedelta(hours=1)),
        NewOrder(ts, SYMBOL, "a", "2", Side.SELL, 2, 10_010, stp_group="g"),
        NewOrder(ts, SYMBOL, "b", "1", Side.SELL, 1, 9_990, tif=TimeInForce.IOC),
        NewOrder(ts, SYMBOL, "b", "1", Side.SELL, 1, 9_990),  # duplicate: rejected
        CancelOrder(ts, SYMBOL, "b", 2),  # not the owner: rejected
        CancelOrder(ts, SYMBOL, "a", 2),
    ]
    fast, general = opened_state(), opened_state()
    assert apply_many(fast, log) == apply_many(general, log, fast=False)
    assert state_hash(fast) == state_hash(general)
