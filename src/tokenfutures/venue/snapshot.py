"""Snapshot blobs of the venue state: a pickle with the order books flattened to lists.

The fast book links its orders into intrusive lists, which ``pickle`` would follow
recursively (one stack frame per order in a level). The blob therefore carries each book
as its orders in priority order and rebuilds the books on load (ADR 0603).
"""

from __future__ import annotations

import pickle
from typing import Any

from tokenfutures.exchange import FastBook, Side
from tokenfutures.exchange.order import Order
from tokenfutures.venue.state import VenueState

_ORDER_FIELDS = tuple(f for f in Order.__slots__ if f not in ("prev", "next"))


def _flatten(order: Order) -> tuple[Any, ...]:
    return tuple(getattr(order, name) for name in _ORDER_FIELDS)


def _rebuild(fields: tuple[Any, ...]) -> Order:
    order = Order.__new__(Order)
    for name, value in zip(_ORDER_FIELDS, fields, strict=True):
        setattr(order, name, value)
    return order


def dump_state(state: VenueState) -> bytes:
    """Serialise ``state`` (the caller holds the writer lock; the state is left unchanged)."""
    books = {symbol: cs.book for symbol, cs in state.exchange.contracts.items()}
    orders = {
        symbol: [_flatten(o) for side in (Side.BUY, Side.SELL) for o in book.in_priority(side)]
        for symbol, book in books.items()
    }
    factory = state.exchange.book_factory
    try:
        for cs in state.exchange.contracts.values():
            cs.book = None  # type: ignore[assignment]
        return pickle.dumps((state, orders, factory), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for symbol, cs in state.exchange.contracts.items():
            cs.book = books[symbol]


def load_state(blob: bytes) -> VenueState:
    """The state serialised by ``dump_state``, books rebuilt in priority order."""
    state, orders, factory = pickle.loads(blob)
    if not isinstance(state, VenueState):
        raise TypeError("snapshot blob does not hold a VenueState")
    for symbol, cs in state.exchange.contracts.items():
        book = factory() if factory is not None else FastBook()
        for fields in orders[symbol]:
            book.add(_rebuild(fields))
        cs.book = book
    return state
