"""Column-wise encoding of the engine's command tuples into ``CommandArrays`` (ADR 0362).

The commands are transposed with ``zip`` and each column is checked and converted by C-level
``map``/``set`` passes instead of a Python loop body per command: the encoding is the part of
the array path that CPython pays per message, so it is kept to a few passes over the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from itertools import repeat
from operator import floordiv, sub
from typing import Any

import numpy as np

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.array_events import EPOCH, MAX_CLIENT_CODE, CommandArrays, IntArray
from tokenfutures.exchange.commands import CancelOrder, NewOrder
from tokenfutures.exchange.types import OrderType, StpMode, TimeInForce

_US = timedelta(microseconds=1)
_PLAIN = "plain limit/IOC orders (GTC, Day, IOC) or cancels"
_TIFS = {TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC}
#: Allowed values of the ``NewOrder`` fields from ``order_type`` on (by field index).
_PLAIN_FIELDS: dict[int, set[Any]] = {
    7: {OrderType.LIMIT},
    9: {None},
    10: {False},
    11: {None},
    12: {None},
    13: {None},
    14: {StpMode.CANCEL_RESTING},
}


def _ints(values: Any, n: int) -> IntArray:
    return np.fromiter(values, dtype=np.int64, count=n)


def _micros(stamps: Sequence[Any], n: int) -> IntArray:
    """Microseconds since the epoch of aware datetimes (C-level subtraction and division)."""
    try:
        return _ints(map(floordiv, map(sub, stamps, repeat(EPOCH)), repeat(_US)), n)
    except TypeError as exc:
        raise InvalidParameterError("ts", "…", "timezone-aware datetimes") from exc


def _client_codes(texts: Sequence[str], n: int) -> IntArray:
    """The integer codes of canonical ASCII decimal client ids below ``MAX_CLIENT_CODE``."""
    try:
        codes = list(map(int, texts))
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError("client_order_id", "…", "canonical decimals") from exc
    if list(map(str, codes)) != list(texts) or not all(map(str.isascii, texts)):
        raise InvalidParameterError("client_order_id", "…", "canonical decimals")
    if n and (min(codes) < 0 or max(codes) >= MAX_CLIENT_CODE):
        raise InvalidParameterError("client_order_id", "…", f"in [0, {MAX_CLIENT_CODE})")
    return _ints(codes, n)


def encode_commands(
    commands: Sequence[Any], symbol: str, code: Callable[[str], int], codes: dict[str, int]
) -> CommandArrays:
    """``CommandArrays`` of plain ``NewOrder`` and ``CancelOrder`` tuples for ``symbol``.

    ``code`` registers an account name; ``codes`` is the name → code table it fills.
    """
    n = len(commands)
    kinds = set(map(type, commands))
    if not kinds <= {NewOrder, CancelOrder}:
        raise InvalidParameterError("commands", sorted(t.__name__ for t in kinds), _PLAIN)
    if n == 0:
        empty = np.zeros(0, np.int64)
        return CommandArrays(*(empty for _ in range(9)))
    head = list(zip(*commands, strict=False))  # ts, contract, account, 4th field (all kinds)
    if set(head[1]) != {symbol}:
        raise InvalidParameterError("commands", sorted(set(head[1])), f"for {symbol} only")
    for account in set(head[2]):
        code(account)
    is_new = _ints(map(NewOrder.__instancecheck__, commands), n).astype(bool)
    news = [c for c in commands if type(c) is NewOrder]
    m = len(news)
    kind = np.where(is_new, k.CMD_NEW, k.CMD_CANCEL).astype(np.int64)
    order_id = np.zeros(n, np.int64)
    order_id[~is_new] = _ints((c[3] for c in commands if type(c) is CancelOrder), n - m)
    columns = {name: np.zeros(n, np.int64) for name in ("coid", "side", "price", "qty", "tif")}
    if m:
        cols = list(zip(*news, strict=True))
        for index, allowed in _PLAIN_FIELDS.items():
            if not set(cols[index]) <= allowed:
                raise InvalidParameterError("commands", sorted(map(repr, set(cols[index]))), _PLAIN)
        if not set(cols[8]) <= _TIFS or None in set(cols[6]):
            raise InvalidParameterError("commands", "tif or price", _PLAIN)
        columns["coid"][is_new] = _client_codes(cols[3], m)
        for name, index in (("side", 4), ("qty", 5), ("price", 6), ("tif", 8)):
            columns[name][is_new] = _ints(cols[index], m)
    return CommandArrays(
        _micros(head[0], n),
        kind,
        order_id,
        _ints(map(codes.__getitem__, head[2]), n),
        columns["coid"],
        columns["side"],
        columns["price"],
        columns["qty"],
        columns["tif"],
    )
