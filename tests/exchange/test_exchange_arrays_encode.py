"""The fast command encoder gives exactly the exact encoder's arrays, or its very error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.exchange import (
    AdvanceTime,
    CancelOrder,
    NewOrder,
    OrderType,
    Side,
    StpMode,
    TimeInForce,
)
from tokenfutures.exchange.array_encode import (
    _encode_fast,
    encode_commands,
    encode_exact,
    parse_decimals_compiled,
    parse_decimals_numpy,
)

SYMBOL = "SITZ26"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
#: Both twins of the client-id parser (ADR 0371).
TWINS = pytest.mark.parametrize(
    "parse", [parse_decimals_compiled, parse_decimals_numpy], ids=["compiled", "numpy"]
)


def run(encoder: Any, commands: list[Any]) -> tuple[Any, dict[str, int]]:
    """The encoder's arrays (or its error as type and text) and the account table it filled."""
    codes: dict[str, int] = {}

    def code(account: str) -> int:
        return codes.setdefault(account, len(codes))

    try:
        batch = encoder(commands, SYMBOL, code, codes)
    except Exception as exc:  # the error itself is the result compared
        return (type(exc), str(exc)), codes
    return [getattr(batch, name).tolist() for name in batch.__slots__], codes


def same(commands: list[Any]) -> None:
    assert run(encode_commands, commands) == run(encode_exact, commands)


zones = st.sampled_from(
    [UTC, UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5)), None,
     ZoneInfo("Europe/Paris")]
)  # fmt: skip
client_ids = st.one_of(
    st.integers(0, 10**6).map(str),
    st.sampled_from(["0", "007", "-3", " 4", "٣", "1_0", "", "²", str(2**40 - 1), str(2**40),
                     "99999999999999999999", "1\n2", "x1"]),
)  # fmt: skip
TAILS = [
    (OrderType.LIMIT, None, False, None, None, None, StpMode.CANCEL_RESTING),
    (OrderType.LIMIT, None, False, None, None, None, StpMode.CANCEL_RESTING),
    (OrderType.MARKET, None, False, None, None, None, StpMode.CANCEL_RESTING),
    (OrderType.LIMIT, None, True, None, None, None, StpMode.CANCEL_RESTING),
    (OrderType.LIMIT, None, 0, None, None, None, StpMode.CANCEL_RESTING),
    (OrderType.LIMIT, None, False, 2, None, None, StpMode.CANCEL_RESTING),
    (OrderType.LIMIT, None, False, None, None, "g", StpMode.CANCEL_BOTH),
]


def new_order(us: int, zone: Any, account: str, coid: Any, side: Any, qty: int, price: Any,
              tif: Any, tail: tuple[Any, ...]) -> NewOrder:  # fmt: skip
    """A ``NewOrder`` at ``T0 + us`` in ``zone`` (naive when None) with the given fields."""
    ts = T0 + timedelta(microseconds=us)
    ts = ts.astimezone(zone) if zone is not None else ts.replace(tzinfo=None)
    return NewOrder(ts, SYMBOL, account, coid, side, qty, price, tail[0], tif, *tail[1:])


new = st.builds(
    new_order,
    st.integers(0, 10**9),
    zones,
    st.sampled_from(["a", "b", "c"]),
    client_ids,
    st.sampled_from([Side.BUY, Side.SELL, 1, -1, 0, True]),
    st.integers(-2, 300),
    st.one_of(st.integers(-5, 20_000), st.none()),
    st.sampled_from([TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK, 1]),
    st.sampled_from(TAILS),
)
cancel = st.builds(
    lambda us, account, oid: CancelOrder(T0 + timedelta(microseconds=us), SYMBOL, account, oid),
    st.integers(0, 10**9),
    st.sampled_from(["a", "b", "d"]),
    st.integers(0, 10**6),
)
other = st.sampled_from(
    [
        AdvanceTime(T0),
        CancelOrder(T0, "SITH27", "a", 1),
        NewOrder(T0, "SITH27", "a", "1", Side.BUY, 1, 1),
    ]
)


@settings(max_examples=150, deadline=None)
@given(commands=st.lists(st.one_of(new, new, cancel), max_size=30))
def test_plain_looking_batches_encode_alike(commands: list[Any]) -> None:
    same(commands)


@settings(max_examples=60, deadline=None)
@given(commands=st.lists(st.one_of(new, cancel, other), max_size=12))
def test_batches_with_foreign_commands_encode_alike(commands: list[Any]) -> None:
    same(commands)


clean_new = st.builds(
    new_order,
    st.integers(0, 10**9),
    st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(minutes=-330))]),
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 2**40 - 1).map(str),
    st.sampled_from([Side.BUY, Side.SELL]),
    st.integers(-2, 300),
    st.integers(-5, 20_000),
    st.sampled_from([TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC]),
    st.just(TAILS[0]),
)


@settings(max_examples=100, deadline=None)
@given(commands=st.lists(st.one_of(clean_new, cancel), min_size=1, max_size=30))
def test_clean_batches_need_no_fallback(commands: list[Any]) -> None:
    assert run(_encode_fast, commands) == run(encode_exact, commands)


def test_a_clean_stream_takes_the_fast_path_and_reads_back() -> None:
    paris = timezone(timedelta(hours=1))
    commands = [
        NewOrder(T0, SYMBOL, "a", "0", Side.BUY, 5, 1000),
        CancelOrder((T0 + timedelta(microseconds=7)).astimezone(paris), SYMBOL, "b", 1),
        NewOrder(T0 + timedelta(seconds=1), SYMBOL, "b", str(2**40 - 1), Side.SELL, 2, 999,
                 tif=TimeInForce.IOC),
    ]  # fmt: skip
    (ts, kind, oid, account, coid, side, price, qty, tif), codes = run(_encode_fast, commands)
    t0 = (T0 - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert ts == [t0, t0 + 7, t0 + 1_000_000]
    assert (kind, oid, account, codes) == ([0, 1, 0], [0, 1, 0], [0, 1, 1], {"a": 0, "b": 1})
    assert (coid, side, price, qty) == ([0, 0, 2**40 - 1], [1, 0, -1], [1000, 0, 999], [5, 0, 2])
    assert tif == [int(TimeInForce.GTC), 0, int(TimeInForce.IOC)]


@pytest.mark.parametrize(
    ("text", "codes"),
    [(b"0", [0]), (b"7\n12\n0", [7, 12, 0]), (b"1099511627775", [2**40 - 1])],
)
@TWINS
def test_canonical_decimals_parse(parse: Any, text: bytes, codes: list[int]) -> None:
    out = np.zeros(len(codes), np.int64)
    assert parse(np.frombuffer(text, np.uint8), out, 13, 2**40)
    assert out.tolist() == codes


@pytest.mark.parametrize(
    ("text", "count"),
    [(b"", 1), (b"01", 1), (b"1\n\n2", 3), (b"1\n2", 1), (b"1099511627776", 1), (b"-1", 1),
     (b"1 ", 1), (b"99999999999999", 1), (b"1\n2", 3)],
)  # fmt: skip
@TWINS
def test_anything_else_does_not(parse: Any, text: bytes, count: int) -> None:
    assert not parse(np.frombuffer(text, np.uint8), np.zeros(count, np.int64), 13, 2**40)
