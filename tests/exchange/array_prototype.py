"""A numba-compiled array book for the plain message flow: the prototype core of ADR 0361.

Struct-of-arrays order pool (open quantity, side, price, intrusive ``prev``/``next`` links),
per-level FIFO heads and tails in price-indexed arrays around a reference, and the best bid
and ask as level indices that walk outward when a level empties. It handles only the three
messages of issue 4's workload — a passive limit (rests its remainder), a cancel by order id,
a marketable IOC (drops its remainder) — already validated, with ids assigned 1, 2, … to the
priced messages as the engine does. It emits fills, not events, and is not part of the
product (ADR 0369 moved it here from the exchange package): it is a second, independent model
of FIFO matching that a test holds to the generator's model, and the throughput benchmark runs
it on the same stream as a yardstick. Integer ticks and lots only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

from tokenfutures.core.errors import InvalidParameterError

IntArray = NDArray[np.int64]
F = TypeVar("F", bound=Callable[..., Any])

#: Message kinds of the array form (``kinds`` column).
KIND_LIMIT = 0
KIND_CANCEL = 1
KIND_IOC = 2
_CODES = {"L": KIND_LIMIT, "C": KIND_CANCEL, "I": KIND_IOC}


def _jit(fn: F) -> F:
    """Compile with the house options (cached, GIL released, no fast-math)."""
    return cast(F, numba.njit(cache=True, nogil=True, fastmath=False)(fn))


@_jit
def _take_level(
    head: IntArray, tail: IntArray, o_qty: IntArray, o_next: IntArray, o_prev: IntArray,
    fills: IntArray, nf: int, side: int, level: int, price: int, oid: int, qty: int,
) -> tuple[int, int, int]:  # fmt: skip
    """Fill ``qty`` against the FIFO at ``level``; return (qty left, fills, orders emptied)."""
    emptied = 0
    while qty > 0:
        r = head[side, level]
        if r < 0:
            break
        take = qty if qty < o_qty[r] else o_qty[r]
        fills[nf, 0] = oid
        fills[nf, 1] = r
        fills[nf, 2] = price
        fills[nf, 3] = take
        nf += 1
        qty -= take
        o_qty[r] -= take
        if o_qty[r] == 0:
            nxt = o_next[r]
            head[side, level] = nxt
            emptied += 1
            if nxt < 0:
                tail[side, level] = -1
            else:
                o_prev[nxt] = -1
    return qty, nf, emptied


@_jit
def _run(
    kinds: IntArray, sides: IntArray, prices: IntArray, qtys: IntArray, lo: int, width: int
) -> tuple[IntArray, int]:
    """The book loop; level index = price - ``lo``; side 0 bids, 1 asks."""
    n = kinds.shape[0]
    head = np.full((2, width), -1, np.int64)
    tail = np.full((2, width), -1, np.int64)
    o_qty = np.zeros(n + 1, np.int64)
    o_side = np.zeros(n + 1, np.int64)
    o_price = np.zeros(n + 1, np.int64)
    o_prev = np.full(n + 1, -1, np.int64)
    o_next = np.full(n + 1, -1, np.int64)
    fills = np.empty((2 * n + 1, 4), np.int64)
    nf = 0
    best_bid = -1
    best_ask = width
    next_id = 1
    resting = 0
    for i in range(n):
        if kinds[i] == KIND_CANCEL:
            oid = prices[i]
            s = 0 if o_side[oid] > 0 else 1
            lvl = o_price[oid] - lo
            p = o_prev[oid]
            q = o_next[oid]
            if p < 0:
                head[s, lvl] = q
            else:
                o_next[p] = q
            if q < 0:
                tail[s, lvl] = p
            else:
                o_prev[q] = p
            o_qty[oid] = 0
            resting -= 1
            while best_bid >= 0 and head[0, best_bid] < 0:
                best_bid -= 1
            while best_ask < width and head[1, best_ask] < 0:
                best_ask += 1
            continue
        side = sides[i]
        limit = prices[i] - lo
        qty = qtys[i]
        oid = next_id
        next_id += 1
        if side > 0:
            while qty > 0 and best_ask < width and best_ask <= limit:
                qty, nf, gone = _take_level(
                    head, tail, o_qty, o_next, o_prev, fills, nf, 1, best_ask, best_ask + lo,
                    oid, qty,
                )  # fmt: skip
                resting -= gone
                while best_ask < width and head[1, best_ask] < 0:
                    best_ask += 1
        else:
            while qty > 0 and best_bid >= 0 and best_bid >= limit:
                qty, nf, gone = _take_level(
                    head, tail, o_qty, o_next, o_prev, fills, nf, 0, best_bid, best_bid + lo,
                    oid, qty,
                )  # fmt: skip
                resting -= gone
                while best_bid >= 0 and head[0, best_bid] < 0:
                    best_bid -= 1
        if qty > 0 and kinds[i] == KIND_LIMIT:
            s = 0 if side > 0 else 1
            o_qty[oid] = qty
            o_side[oid] = side
            o_price[oid] = prices[i]
            t = tail[s, limit]
            o_prev[oid] = t
            o_next[oid] = -1
            if t < 0:
                head[s, limit] = oid
            else:
                o_next[t] = oid
            tail[s, limit] = oid
            resting += 1
            if s == 0 and limit > best_bid:
                best_bid = limit
            elif s == 1 and limit < best_ask:
                best_ask = limit
    return fills[:nf].copy(), resting


def message_arrays(messages: Sequence[tuple[Any, ...]]) -> tuple[IntArray, ...]:
    """The workload's messages as (kinds, sides, prices or cancelled ids, quantities) arrays."""
    n = len(messages)
    kinds = np.empty(n, np.int64)
    sides = np.zeros(n, np.int64)
    prices = np.empty(n, np.int64)
    qtys = np.zeros(n, np.int64)
    for i, message in enumerate(messages):
        kind = message[0]
        kinds[i] = _CODES[kind]
        if kind == "C":
            prices[i] = message[1]
        else:
            sides[i] = message[1]
            prices[i] = message[2]
            qtys[i] = message[3]
    return kinds, sides, prices, qtys


def run_array_book(
    kinds: IntArray, sides: IntArray, prices: IntArray, qtys: IntArray, reference: int, half: int
) -> tuple[IntArray, int]:
    """Run the flow; return fills (aggressor id, resting id, price, qty) and the resting count.

    Priced messages must lie within ``reference ± half`` ticks (the level arrays' window).
    """
    if half <= 0:
        raise InvalidParameterError("half", half, "positive")
    priced = kinds != KIND_CANCEL
    if priced.any():
        low, high = int(prices[priced].min()), int(prices[priced].max())
        if low < reference - half or high > reference + half:
            raise InvalidParameterError("prices", (low, high), f"within {reference} ± {half}")
    return _run(kinds, sides, prices, qtys, reference - half, 2 * half + 1)
