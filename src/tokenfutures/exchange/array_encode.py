"""Encoding of the engine's command tuples into ``CommandArrays`` (ADR 0362, ADR 0363).

Two encoders give the same arrays. ``encode_exact`` transposes the commands with ``zip`` and
checks each column with ``set``/``map`` passes; it is the reference and the one that names
what is wrong with a bad batch. ``encode_commands`` is the fast one (ADR 0363): one C-level
``itemgetter`` pass per field it needs, the plain-order check and the side/tif columns folded
into one dictionary lookup per order, the client ids joined into one ASCII buffer and parsed
by a compiled kernel, the timestamps converted in one vectorised call. Whatever it cannot
prove plain and canonical it hands to ``encode_exact``, so errors and results are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from itertools import compress, repeat
from operator import countOf, floordiv, itemgetter, sub
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core import accel
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.array_events import EPOCH, MAX_CLIENT_CODE, CommandArrays, IntArray
from tokenfutures.exchange.commands import CancelOrder, NewOrder
from tokenfutures.exchange.types import OrderType, Side, StpMode, TimeInForce

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
_TS, _CONTRACT, _ACCOUNT, _FOURTH = (itemgetter(i) for i in range(4))
_QTY, _PRICE = itemgetter(5), itemgetter(6)
_KINDS = {NewOrder: k.CMD_NEW, CancelOrder: k.CMD_CANCEL}
#: Side, order type and tif of a ``NewOrder``: one key per order.
_SHAPE = itemgetter(4, 7, 8)
#: The keys of plain orders and their packed (tif, side) code: ``2 * tif + (side > 0)``.
_PLAIN_SHAPES = {
    (side, OrderType.LIMIT, tif): 2 * int(tif) + (side is Side.BUY)
    for side in (Side.BUY, Side.SELL)
    for tif in (TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC)
}
#: The fields after ``tif`` (``expire_at`` to ``stp_mode``), as a plain order has them.
_TAIL = itemgetter(slice(9, None))
_PLAIN_TAIL = (None, False, None, None, None, StpMode.CANCEL_RESTING)
#: Decimal digits of the largest client-id code (``MAX_CLIENT_CODE - 1``).
_MAX_DIGITS = len(str(MAX_CLIENT_CODE - 1))
_NONE = np.zeros(0, np.int64)


class _NotPlainError(Exception):
    """The fast encoder cannot vouch for the batch; the exact one decides."""


def _ints(values: Any, n: int) -> IntArray:
    return np.fromiter(values, dtype=np.int64, count=n)


def _micros(stamps: Iterable[Any], n: int) -> IntArray:
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


def encode_exact(
    commands: Sequence[Any], symbol: str, code: Callable[[str], int], codes: dict[str, int]
) -> CommandArrays:
    """``CommandArrays`` of plain ``NewOrder`` and ``CancelOrder`` tuples for ``symbol``.

    The reference encoder (column by column, every check spelt out); ``code`` registers an
    account name and ``codes`` is the name → code table it fills.
    """
    n = len(commands)
    kinds = set(map(type, commands))
    if not kinds <= {NewOrder, CancelOrder}:
        raise InvalidParameterError("commands", sorted(t.__name__ for t in kinds), _PLAIN)
    if n == 0:
        return _empty()
    head = list(zip(*commands, strict=False))  # ts, contract, account, 4th field (all kinds)
    if set(head[1]) != {symbol}:
        raise InvalidParameterError("commands", sorted(set(head[1])), f"for {symbol} only")
    for account in dict.fromkeys(head[2]):  # first-seen order
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


def _empty() -> CommandArrays:
    empty = np.zeros(0, np.int64)
    return CommandArrays(*(empty for _ in range(9)))


def encode_commands(
    commands: Sequence[Any], symbol: str, code: Callable[[str], int], codes: dict[str, int]
) -> CommandArrays:
    """``CommandArrays`` of plain ``NewOrder`` and ``CancelOrder`` tuples for ``symbol``.

    Same result and same ``InvalidParameterError`` as ``encode_exact``, a few C-level passes
    per field instead of Python work per command (ADR 0363).
    """
    try:
        return _encode_fast(commands, symbol, code, codes)
    except (_NotPlainError, TypeError, ValueError, KeyError, AttributeError, OverflowError):
        return encode_exact(commands, symbol, code, codes)


def _encode_fast(
    commands: Sequence[Any], symbol: str, code: Callable[[str], int], codes: dict[str, int]
) -> CommandArrays:
    """The fast encoder; raises (anything) where it cannot vouch for the batch."""
    n = len(commands)
    if n == 0:
        raise _NotPlainError
    kind = _ints(map(_KINDS.__getitem__, map(type, commands)), n)
    if countOf(map(_CONTRACT, commands), symbol) != n:
        raise _NotPlainError
    is_new = kind == k.CMD_NEW
    m = int(np.count_nonzero(is_new))
    news = commands
    packed = qty = price = coid = oids = _NONE
    if m < n:
        news = list(compress(commands, is_new.tolist()))
        oids = _ints(map(_FOURTH, compress(commands, (~is_new).tolist())), n - m)
    if m:
        if countOf(map(_TAIL, news), _PLAIN_TAIL) != m:  # compared item by item, `is` first
            raise _NotPlainError
        packed = _ints(map(_PLAIN_SHAPES.__getitem__, map(_SHAPE, news)), m)
        qty = _ints(map(_QTY, news), m)
        price = _ints(map(_PRICE, news), m)
        coid = _fast_client_codes(map(_FOURTH, news), m)
    order_id, coids, side, prices, quantities, tif = spread(kind, packed, qty, price, coid, oids)
    ts = _fast_micros(commands, n)
    accounts = _account_codes(commands, n, code, codes)
    return CommandArrays(ts, kind, order_id, accounts, coids, side, prices, quantities, tif)


@k.jit
def spread_compiled(
    kind: IntArray, packed: IntArray, qty: IntArray, price: IntArray, coid: IntArray,
    oids: IntArray,
) -> IntArray:  # fmt: skip
    """Rows order id, client id, side, price, quantity, tif of a batch from its orders' and
    cancels' own columns (``packed`` = ``2 * tif + (side > 0)``), zeros where a kind has none."""
    out = np.zeros((6, kind.shape[0]), np.int64)
    j = 0
    c = 0
    for i in range(kind.shape[0]):
        if kind[i] == k.CMD_NEW:
            out[1, i] = coid[j]
            out[2, i] = 2 * (packed[j] & 1) - 1
            out[3, i] = price[j]
            out[4, i] = qty[j]
            out[5, i] = packed[j] >> 1
            j += 1
        else:
            out[0, i] = oids[c]
            c += 1
    return out


def spread_numpy(
    kind: IntArray, packed: IntArray, qty: IntArray, price: IntArray, coid: IntArray,
    oids: IntArray,
) -> IntArray:  # fmt: skip
    """The numpy twin of ``spread_compiled``."""
    out = np.zeros((6, kind.shape[0]), np.int64)
    new = kind == k.CMD_NEW
    out[0, ~new] = oids
    out[1:, new] = (coid, 2 * (packed & 1) - 1, price, qty, packed >> 1)
    return out


#: Rows of a batch from its orders' and cancels' own columns (compiled, or its numpy twin).
spread = accel.pick(spread_compiled, spread_numpy)


def _account_codes(
    commands: Sequence[Any], n: int, code: Callable[[str], int], codes: dict[str, int]
) -> IntArray:
    """The account codes of the commands: one lookup pass once every account is known.

    A stream's accounts are mostly registered by its first chunk; an unknown one registers
    the batch's new accounts in first-seen order (as ``encode_exact`` does) and looks again.
    """
    try:
        return _ints(map(codes.__getitem__, map(_ACCOUNT, commands)), n)
    except KeyError:
        for account in dict.fromkeys(map(_ACCOUNT, commands)):  # first-seen order
            code(account)
        return _ints(map(codes.__getitem__, map(_ACCOUNT, commands)), n)


def _fast_client_codes(texts: Iterable[Any], m: int) -> IntArray:
    """Codes of canonical decimal client ids: one ASCII buffer, parsed by ``parse_decimals``."""
    buffer = np.frombuffer("\n".join(texts).encode("ascii"), np.uint8)
    out = np.empty(m, np.int64)
    if not parse_decimals(buffer, out, _MAX_DIGITS, MAX_CLIENT_CODE):
        raise _NotPlainError
    return out


def _fast_micros(commands: Sequence[Any], n: int) -> IntArray:
    """Microseconds since the epoch of the commands' times in one vectorised conversion.

    pandas converts aware ``datetime`` objects sharing one zone exactly (``fold`` included);
    naive times, mixed zones or anything but datetimes take the exact arithmetic (and its error).
    """
    import pandas as pd

    stamps = np.fromiter(map(_TS, commands), object, n)
    if pd.api.types.infer_dtype(stamps, skipna=False) != "datetime":
        return _micros(stamps, n)
    try:
        index = pd.to_datetime(stamps, cache=False)
    except ValueError:
        return _micros(stamps, n)
    if index.tz is None or index.unit != "us":
        return _micros(stamps, n)
    return np.asarray(index.asi8, dtype=np.int64)


@k.jit
def parse_decimals_compiled(
    buffer: NDArray[np.uint8], out: IntArray, max_digits: int, limit: int
) -> bool:
    """Parse ``\\n``-separated canonical decimals (``0`` or no leading zero) below ``limit``.

    Fills ``out`` and returns True only when the buffer holds exactly ``len(out)`` of them.
    """
    count = 0
    value = 0
    digits = 0
    leading_zero = False
    for i in range(buffer.shape[0] + 1):
        c = buffer[i] if i < buffer.shape[0] else 10
        if c == 10:
            if digits == 0 or count >= out.shape[0] or value >= limit:
                return False
            out[count] = value
            count += 1
            value = 0
            digits = 0
            leading_zero = False
            continue
        if c < 48 or c > 57 or leading_zero or digits >= max_digits:
            return False
        leading_zero = digits == 0 and c == 48
        value = value * 10 + (c - 48)
        digits += 1
    return bool(count == out.shape[0])


def parse_decimals_numpy(
    buffer: NDArray[np.uint8], out: IntArray, max_digits: int, limit: int
) -> bool:
    """The numpy twin of ``parse_decimals_compiled`` (``out`` is written only on success)."""
    n = out.shape[0]
    ends = np.flatnonzero(buffer == 10)
    if n == 0 or ends.size != n - 1:
        return False
    starts = np.concatenate(([0], ends + 1))
    lengths = np.concatenate((ends, [buffer.shape[0]])) - starts
    if lengths.min() == 0 or lengths.max() > max_digits:
        return False
    digits = np.delete(buffer, ends).astype(np.int64) - 48
    if np.any((digits < 0) | (digits > 9)) or np.any((buffer[starts] == 48) & (lengths > 1)):
        return False
    first = starts - np.arange(n)  # each number's first digit among ``digits``
    power = np.repeat(first + lengths, lengths) - np.arange(digits.shape[0]) - 1
    values = np.add.reduceat(digits * 10**power, first)
    if np.any(values >= limit):
        return False
    out[:] = values
    return True


#: Parse canonical decimals (compiled, or its numpy twin).
parse_decimals = accel.pick(parse_decimals_compiled, parse_decimals_numpy)
