"""The array form of one contract's state and its conversion to and from the Python state.

``load_book`` builds the kernel's arrays from the ``ExchangeState`` (book in priority order,
client-id registry, counters, band); ``store_book`` writes them back (a fresh book of
``Order`` objects, the new client ids and session trades, counters). Both are O(book).
"""

from __future__ import annotations

import mmap
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.array_events import MAX_CLIENT_CODE, CommandArrays, IntArray, moment
from tokenfutures.exchange.limits import band_half_width_ticks
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import ContractState, ExchangeState
from tokenfutures.exchange.types import Side, TimeInForce

if TYPE_CHECKING:
    from tokenfutures.exchange.array_engine import ArrayEngine

#: Price levels held either side of the band's reference (at least this, or 4 band widths).
MIN_HALF_WINDOW = 2_048
POOL_ROWS = 10
#: Arrays of at least this many int64 come from ``lazy_zeros``' anonymous mapping (4 MiB).
LAZY_MIN = 1 << 19


class ArrayBook:
    """The kernel's arrays for one contract plus what the Python state still lacks."""

    def __init__(self, pool: IntArray, head: IntArray, tail: IntArray, sc: IntArray,
                 pr: IntArray, seq: int, loaded: dict[int, Order]) -> None:  # fmt: skip
        self.pool = pool
        self.head = head
        self.tail = tail
        self.sc = sc
        self.pr = pr
        self.seq = seq
        self.loaded = loaded
        self.table = np.zeros(16, np.int64)
        self.last_us: int | None = None
        self.runs: list[tuple[CommandArrays, IntArray]] = []

    @property
    def last_ts(self) -> datetime | None:
        """Time of the last command the kernel applied (None: none yet)."""
        return None if self.last_us is None else moment(self.last_us)

    def reserve(self, m: int) -> None:
        """Make room for ``m`` more orders in the pool and the client-id registry."""
        sc = self.sc
        need = int(sc[k.S_NEXT_OID] - sc[k.S_ID_BASE]) + m + 1
        size = self.pool.shape[0]
        if need > size:
            # Zeroed pages are mapped lazily: the kernel touches a row when an order rests
            # there (``rest`` sets its links), so sizing for a whole stream costs no pass.
            grown = lazy_zeros((max(need, 2 * size), POOL_ROWS))
            grown[:size] = self.pool
            self.pool = grown
        wanted = int(sc[k.S_REG_COUNT]) + m
        if 2 * wanted > self.table.shape[0]:
            keys = self.table[self.table != 0]
            self.table = lazy_zeros((_pow2(2 * wanted),))
            k.registry_fill(self.table, keys)

    def event_room(self, m: int) -> int:
        """Event rows for ``m`` commands (the kernel stops and asks again if short)."""
        return m + m // 2 + int(self.sc[k.S_NBIDS] + self.sc[k.S_NASKS]) + 64

    def record(self, batch: CommandArrays, rows: IntArray, start: int, stop: int) -> None:
        """Note a kernel run over commands ``start..stop``; its rows are folded in at store."""
        self.seq += int(rows.shape[0])
        if stop > start:
            self.last_us = int(batch.ts[stop - 1])
        self.runs.append((batch, rows))


def lazy_zeros(shape: tuple[int, ...]) -> IntArray:
    """Zeroed int64 array whose pages the OS maps on first touch, never as huge pages.

    Large numpy allocations ask for transparent huge pages; where the kernel compacts memory
    to find them (``defrag=madvise``), the first touch stalls the matching kernel for tens of
    ms. The pool, client-id table and event rows are written sparsely and in passing, so they
    come from a plain anonymous mapping instead (ADR 0367); small ones from ``np.zeros``.
    """
    count = int(np.prod(shape))
    if count < LAZY_MIN:
        return np.zeros(shape, np.int64)
    return np.frombuffer(mmap.mmap(-1, 8 * count), np.int64, count).reshape(shape)


def _pow2(n: int) -> int:
    size = 16
    while size < n:
        size *= 2
    return size


def _params(cs: ContractState) -> tuple[IntArray, int]:
    """The kernel's read-only parameters and the window's half-width."""
    band = cs.band
    ref = cs.last_price if cs.last_price is not None else cs.prior_settlement
    kind, num, den, half = k.BAND_NONE, 0, 1, MIN_HALF_WINDOW
    if band is not None:
        half = max(half, 4 * band_half_width_ticks(ref, band))
        if band.ticks is not None:
            kind, num = k.BAND_TICKS, band.ticks
        elif band.fraction is not None:
            kind = k.BAND_FRACTION
            num, den = band.fraction.as_integer_ratio()
    pr = np.array([cs.step, cs.limit_lo, cs.limit_hi, kind, num, den, cs.prior_settlement],
                  np.int64)  # fmt: skip
    return pr, half


def load_book(state: ExchangeState, cs: ContractState, engine: ArrayEngine) -> ArrayBook:
    """The array form of ``cs``'s book, the client ids and the counters of ``state``."""
    orders = [o for side in (Side.BUY, Side.SELL) for o in cs.book.in_priority(side)]
    pr, half = _params(cs)
    ref = cs.last_price if cs.last_price is not None else cs.prior_settlement
    lo = min([ref - half, *(o.price for o in orders)])
    hi = max([ref + half, *(o.price for o in orders)])
    width = hi - lo + 1
    base = min([state.next_order_id, *(o.order_id for o in orders)])
    pool = np.zeros((state.next_order_id - base + 1, POOL_ROWS), np.int64)
    pool[:, 7:9] = -1
    sc = np.zeros(k.SCALARS, np.int64)
    sc[k.S_BEST_BID], sc[k.S_BEST_ASK] = -1, width
    sc[k.S_NEXT_OID], sc[k.S_NEXT_PRIO] = state.next_order_id, state.next_priority
    sc[k.S_NEXT_TID], sc[k.S_LAST] = state.next_trade_id, cs.last_price or 0
    sc[k.S_BAND_LO], sc[k.S_BAND_HI] = cs.band_lo, cs.band_hi
    sc[k.S_ID_BASE], sc[k.S_LO] = base, lo
    book = ArrayBook(pool, np.full((2, width), -1, np.int64), np.full((2, width), -1, np.int64),
                     sc, pr, state.seq, {o.order_id: o for o in orders})  # fmt: skip
    slots = np.array([o.order_id - base for o in orders], np.int64)
    if orders:
        pool[slots, 1] = [o.quantity for o in orders]
        pool[slots, 2] = [int(o.side) for o in orders]
        pool[slots, 3] = [o.price for o in orders]
        pool[slots, 4] = [engine.code(o.account) for o in orders]
        pool[slots, 9] = [o.priority for o in orders]
        k.rest_all(pool, book.head, book.tail, sc, slots)
    keys = _client_keys(state, engine)
    sc[k.S_REG_COUNT] = keys.shape[0]
    book.table = np.zeros(_pow2(4 * (keys.shape[0] + 4)), np.int64)
    k.registry_fill(book.table, keys)
    return book


def _client_keys(state: ExchangeState, engine: ArrayEngine) -> IntArray:
    """Registry keys of the state's client ids that a batch could repeat (decimal ids)."""
    accounts: list[int] = []
    coids: list[int] = []
    for account, text in state.client_ids:
        if (
            text.isascii()
            and text.isdigit()
            and str(int(text)) == text
            and int(text) < MAX_CLIENT_CODE
        ):
            accounts.append(engine.code(account))
            coids.append(int(text))
    a = np.array(accounts, np.int64)
    return (a << 40) | np.array(coids, np.int64) | np.int64(1 << 62)


def store_book(state: ExchangeState, cs: ContractState, book: ArrayBook, names: list[str]) -> None:
    """Write the array book, new client ids, session trades and counters back into ``state``."""
    sc = book.sc
    state.seq = book.seq
    state.next_order_id = int(sc[k.S_NEXT_OID])
    state.next_priority = int(sc[k.S_NEXT_PRIO])
    state.next_trade_id = int(sc[k.S_NEXT_TID])
    if book.last_us is not None:
        state.last_ts = moment(book.last_us)
    cs.last_price = int(sc[k.S_LAST]) or None
    cs.band_lo, cs.band_hi = int(sc[k.S_BAND_LO]), int(sc[k.S_BAND_HI])
    for batch, rows in book.runs:
        _store_run(state, cs, batch, rows, names)
    fresh = state.book_factory()
    for order in _orders(book, names):
        fresh.add(order)
    cs.book = fresh


def _store_run(
    state: ExchangeState, cs: ContractState, batch: CommandArrays, rows: IntArray, names: list[str]
) -> None:
    """Add one kernel run's accepted client ids and trades to the Python state."""
    kinds = rows[:, k.E_KIND]
    cmds = rows[kinds == k.EV_ACCEPTED, k.E_CMD]
    accounts = batch.account[cmds].tolist()
    coids = batch.client_order_id[cmds].tolist()
    state.client_ids.update(zip([names[a] for a in accounts], map(str, coids), strict=True))
    traded = rows[kinds == k.EV_TRADE]
    ts = batch.ts[traded[:, k.E_CMD]].tolist()
    prices = traded[:, k.E_PRICE].tolist()
    qtys = traded[:, k.E_QTY].tolist()
    cs.session_trades.extend((moment(t), p, q) for t, p, q in zip(ts, prices, qtys, strict=True))


def _orders(book: ArrayBook, names: list[str]) -> list[Order]:
    """The resting orders, bids best first then asks best first, FIFO within a level."""
    pool, head, sc = book.pool, book.head, book.sc
    base, lo = int(sc[k.S_ID_BASE]), int(sc[k.S_LO])
    out: list[Order] = []
    width = head.shape[1]
    for s, levels in ((0, range(int(sc[k.S_BEST_BID]), -1, -1)),
                      (1, range(int(sc[k.S_BEST_ASK]), width))):  # fmt: skip
        for lvl in levels:
            slot = int(head[s, lvl])
            while slot >= 0:
                qty = int(pool[slot, 1])
                order = book.loaded.get(slot + base)
                if order is None:
                    order = Order(slot + base, names[int(pool[slot, 4])], str(int(pool[slot, 5])),
                                  Side(int(pool[slot, 2])), lo + lvl, qty,
                                  TimeInForce(int(pool[slot, 6])), int(pool[slot, 9]))  # fmt: skip
                order.quantity = order.visible = qty
                out.append(order)
                slot = int(pool[slot, 8])
    return out
