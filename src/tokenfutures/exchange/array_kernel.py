"""The compiled core of ``apply_arrays`` (ADR 0362): validation, matching and events on arrays.

One contract in continuous trading, plain limit (GTC/Day) and IOC orders and cancels by id.
The book is the struct-of-arrays pool of the ADR 0361 prototype (open quantity, side, price, account,
client-id code, tif, priority, intrusive ``prev``/``next`` slots; slot = order id - ``id_base``)
with per-level FIFO heads and tails around a price window. Client ids live in an open-address
hash table of integer keys. Events are rows of a preallocated ``(capacity, 8)`` array; the
kernel stops *before* a command it must not handle (a price outside the window, a trade that
could meet the static price limits, too little event room) and returns its index.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core import accel
from tokenfutures.exchange import validation
from tokenfutures.exchange.types import CancelReason, RejectReason, TimeInForce

IntArray = NDArray[np.int64]

#: Command kinds (``kind`` column of the batch).
CMD_NEW = 0
CMD_CANCEL = 1

#: Event kinds (column ``E_KIND`` of the event rows).
EV_ACCEPTED = 0
EV_REJECTED = 1
EV_TRADE = 2
EV_CANCELLED = 3

#: Event columns: kind, command index, order id, price, quantity, resting order id, resting
#: account code, and the reject/cancel reason or the trade id.
E_KIND, E_CMD, E_OID, E_PRICE, E_QTY, E_OTHER, E_OTHER_ACCT, E_CODE = range(8)
EVENT_COLUMNS = 8

#: Scalar slots of the mutable ``sc`` array.
S_BEST_BID, S_BEST_ASK, S_NEXT_OID, S_NEXT_PRIO, S_NEVENTS, S_NEXT_TID = range(6)
S_LAST, S_BAND_LO, S_BAND_HI, S_REG_COUNT, S_ID_BASE, S_LO, S_NBIDS, S_NASKS = range(6, 14)
SCALARS = 14

#: Read-only parameters in the ``pr`` array.
P_STEP, P_LIMIT_LO, P_LIMIT_HI, P_BAND_KIND, P_BAND_NUM, P_BAND_DEN, P_PRIOR = range(7)
PARAMS = 7
BAND_NONE, BAND_TICKS, BAND_FRACTION = 0, 1, 2

#: Why the kernel stopped before a command (0: it ran to the end).
STOP_NONE, STOP_WINDOW, STOP_LIMITS, STOP_ROOM = 0, 1, 2, 3

#: Codes the kernel writes itself, taken from the engine's enums (never restated as numbers);
#: every other reject reason comes from the ``validation`` checks compiled below.
R_DUPLICATE = int(RejectReason.DUPLICATE_CLIENT_ORDER_ID)
C_USER = int(CancelReason.USER)
C_IOC_REMAINDER = int(CancelReason.IOC_REMAINDER)
TIF_IOC = int(TimeInForce.IOC)

_MIX = 0x5851F42D4C957F2D
BAND_TOP = 1 << 62


#: Compile with the house options (cached, GIL released, no fast-math) where numba is installed;
#: without it the kernel is never run (``ArrayEngine`` applies every command through
#: ``exchange.apply_many``, ADR 0371) and the column helpers run their numpy twins.
jit = accel.jit
_jit = jit
#: The order-entry checks of the Python handlers, compiled (one rulebook, ADR 0369).
_size_problem = jit(validation.size_problem)
_price_problem = jit(validation.price_problem)
_cancel_problem = jit(validation.cancel_problem)


@_jit
def client_key(account: int, coid: int) -> int:
    """The registry key of (account code, client-order-id code); never 0 (0 marks empty)."""
    return (account << 40) | coid | (1 << 62)


@_jit
def registry_find(table: IntArray, key: int) -> int:
    """Slot holding ``key``, or the empty slot where it would go (as ``-1 - slot``)."""
    mask = table.shape[0] - 1
    h = ((key * _MIX) >> 17) & mask
    while True:
        k = table[h]
        if k == key:
            return int(h)
        if k == 0:
            return int(-1 - h)
        h = (h + 1) & mask


@_jit
def registry_fill(table: IntArray, keys: IntArray) -> int:
    """Insert ``keys`` into an empty ``table``; return how many were new."""
    added = 0
    for key in keys:
        at = registry_find(table, key)
        if at < 0:
            table[-1 - at] = key
            added += 1
    return added


@_jit
def _band(pr: IntArray, sc: IntArray, ref: int) -> None:
    """Recentre the dynamic band on ``ref`` as ``matching.update_band`` does."""
    kind = pr[P_BAND_KIND]
    if kind == BAND_NONE:
        sc[S_BAND_LO] = 1
        sc[S_BAND_HI] = BAND_TOP
        return
    width = pr[P_BAND_NUM]
    if kind == BAND_FRACTION:
        width = max(1, ref * pr[P_BAND_NUM] // pr[P_BAND_DEN])
    sc[S_BAND_LO] = max(1, ref - width)
    sc[S_BAND_HI] = ref + width


@_jit
def _fix_best(head: IntArray, sc: IntArray, width: int) -> None:
    """Walk the best bid down and the best ask up past empty levels."""
    b = sc[S_BEST_BID]
    while b >= 0 and head[0, b] < 0:
        b -= 1
    sc[S_BEST_BID] = b
    a = sc[S_BEST_ASK]
    while a < width and head[1, a] < 0:
        a += 1
    sc[S_BEST_ASK] = a


@_jit
def _emit(ev: IntArray, sc: IntArray, kind: int, cmd: int, oid: int, price: int, qty: int,
          other: int, other_acct: int, code: int) -> None:  # fmt: skip
    e = sc[S_NEVENTS]
    ev[e, E_KIND] = kind
    ev[e, E_CMD] = cmd
    ev[e, E_OID] = oid
    ev[e, E_PRICE] = price
    ev[e, E_QTY] = qty
    ev[e, E_OTHER] = other
    ev[e, E_OTHER_ACCT] = other_acct
    ev[e, E_CODE] = code
    sc[S_NEVENTS] = e + 1


@_jit
def _unlink(pool: IntArray, head: IntArray, tail: IntArray, sc: IntArray, slot: int) -> None:
    """Take resting ``slot`` out of its level's FIFO (O(1))."""
    s = 0 if pool[slot, 2] > 0 else 1
    lvl = pool[slot, 3] - sc[S_LO]
    p = pool[slot, 7]
    q = pool[slot, 8]
    if p < 0:
        head[s, lvl] = q
    else:
        pool[p, 8] = q
    if q < 0:
        tail[s, lvl] = p
    else:
        pool[q, 7] = p
    pool[slot, 1] = 0
    sc[S_NBIDS + s] -= 1


@_jit
def rest(pool: IntArray, head: IntArray, tail: IntArray, sc: IntArray, slot: int) -> None:
    """Append ``slot`` (fields already set, quantity in row 1) to the back of its level."""
    s = 0 if pool[slot, 2] > 0 else 1
    lvl = pool[slot, 3] - sc[S_LO]
    t = tail[s, lvl]
    pool[slot, 7] = t
    pool[slot, 8] = -1
    if t < 0:
        head[s, lvl] = slot
    else:
        pool[t, 8] = slot
    tail[s, lvl] = slot
    sc[S_NBIDS + s] += 1
    if s == 0 and lvl > sc[S_BEST_BID]:
        sc[S_BEST_BID] = lvl
    elif s == 1 and lvl < sc[S_BEST_ASK]:
        sc[S_BEST_ASK] = lvl


@_jit
def _match(pool: IntArray, head: IntArray, tail: IntArray, sc: IntArray, ev: IntArray,
           width: int, cmd: int, oid: int, buy: bool, limit: int, qty: int) -> int:  # fmt: skip
    """Trade ``qty`` against the opposite side up to level ``limit``; return the open rest."""
    s = 1 if buy else 0
    lo = sc[S_LO]
    last = 0
    while qty > 0:
        lvl = sc[S_BEST_ASK] if buy else sc[S_BEST_BID]
        if buy and (lvl >= width or lvl > limit):
            break
        if not buy and (lvl < 0 or lvl < limit):
            break
        while qty > 0:
            r = head[s, lvl]
            if r < 0:
                break
            take = qty if qty < pool[r, 1] else pool[r, 1]
            tid = sc[S_NEXT_TID]
            sc[S_NEXT_TID] = tid + 1
            _emit(ev, sc, EV_TRADE, cmd, oid, lvl + lo, take, r + sc[S_ID_BASE], pool[r, 4], tid)
            last = lvl + lo
            qty -= take
            pool[r, 1] -= take
            if pool[r, 1] == 0:
                _unlink(pool, head, tail, sc, r)
        _fix_best(head, sc, width)
    if last:
        sc[S_LAST] = last
    return qty


@_jit
def run_commands(
    kind: IntArray, oid_in: IntArray, acct: IntArray, coid: IntArray, side: IntArray,
    price: IntArray, qty: IntArray, tif: IntArray, start: int,
    pool: IntArray, head: IntArray, tail: IntArray, table: IntArray,
    sc: IntArray, pr: IntArray, ev: IntArray,
) -> tuple[int, int]:  # fmt: skip
    """Apply commands ``start..`` in order; return (index stopped at, ``STOP_*`` reason).

    ``pool`` columns (row = slot): 0 unused, 1 open qty, 2 side, 3 price, 4 account, 5 client-id code, 6 tif,
    7 prev slot, 8 next slot, 9 priority. Pool, table and event room are sized by the caller.
    """
    n = kind.shape[0]
    width = head.shape[1]
    cap = ev.shape[0]
    for i in range(start, n):
        if cap - sc[S_NEVENTS] < 3 + sc[S_NBIDS] + sc[S_NASKS]:
            return i, STOP_ROOM
        a = acct[i]
        if kind[i] == CMD_CANCEL:
            oid = oid_in[i]
            slot = oid - sc[S_ID_BASE]
            found = sc[S_ID_BASE] <= oid < sc[S_NEXT_OID] and pool[slot, 1] != 0
            reason = _cancel_problem(found, found and pool[slot, 4] == a)
            if reason:
                _emit(ev, sc, EV_REJECTED, i, oid, 0, 0, 0, 0, reason)
            else:
                left = pool[slot, 1]
                _unlink(pool, head, tail, sc, slot)
                _fix_best(head, sc, width)
                _emit(ev, sc, EV_CANCELLED, i, oid, 0, left, 0, 0, C_USER)
            continue
        q = qty[i]
        p = price[i]
        reason = _size_problem(q)
        if reason == 0:
            reason = _price_problem(p, pr[P_STEP], sc[S_BAND_LO], sc[S_BAND_HI])
        key = client_key(a, coid[i])
        at = 0
        if reason == 0:
            at = registry_find(table, key)
            if at >= 0:
                reason = R_DUPLICATE
        if reason:
            _emit(ev, sc, EV_REJECTED, i, 0, 0, 0, 0, 0, reason)
            continue
        lvl = p - sc[S_LO]
        if lvl < 0 or lvl >= width:
            return i, STOP_WINDOW
        buy = side[i] > 0
        if buy:
            best = sc[S_BEST_ASK]
            crosses = best < width and best <= lvl
            if crosses and (best + sc[S_LO] < pr[P_LIMIT_LO] or p > pr[P_LIMIT_HI]):
                return i, STOP_LIMITS
        else:
            best = sc[S_BEST_BID]
            crosses = best >= 0 and best >= lvl
            if crosses and (best + sc[S_LO] > pr[P_LIMIT_HI] or p < pr[P_LIMIT_LO]):
                return i, STOP_LIMITS
        table[-1 - at] = key
        sc[S_REG_COUNT] += 1
        oid = sc[S_NEXT_OID]
        sc[S_NEXT_OID] = oid + 1
        prio = sc[S_NEXT_PRIO]
        sc[S_NEXT_PRIO] = prio + 1
        _emit(ev, sc, EV_ACCEPTED, i, oid, p, q, 0, 0, 0)
        if crosses:
            trades = sc[S_NEXT_TID]
            q = _match(pool, head, tail, sc, ev, width, i, oid, buy, lvl, q)
            if sc[S_NEXT_TID] != trades:
                _band(pr, sc, sc[S_LAST])
        if q == 0:
            continue
        if tif[i] == TIF_IOC:
            _emit(ev, sc, EV_CANCELLED, i, oid, 0, q, 0, 0, C_IOC_REMAINDER)
            continue
        slot = oid - sc[S_ID_BASE]
        pool[slot, 1] = q
        pool[slot, 2] = side[i]
        pool[slot, 3] = p
        pool[slot, 4] = a
        pool[slot, 5] = coid[i]
        pool[slot, 6] = tif[i]
        pool[slot, 9] = prio
        rest(pool, head, tail, sc, slot)
    return n, STOP_NONE


@_jit
def rest_all(pool: IntArray, head: IntArray, tail: IntArray, sc: IntArray, slots: IntArray) -> None:
    """Rest ``slots`` in the order given (priority order within each level)."""
    for slot in slots:
        rest(pool, head, tail, sc, slot)
