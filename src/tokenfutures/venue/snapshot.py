"""Snapshot blobs of the venue state: versioned, hashed, non-executable (ADR 0615, 0603).

A blob is ``MAGIC`` (format and version), the state's layout (a SHA-256 of its field names
and the order's), the SHA-256 of its body, then the body: the state's
object graph in the snapshot codec (``venue.snapcodec``, msgpack), with each order book
carried as its orders in priority order (the fast book links its orders into intrusive
lists, which a graph walk would follow one level per order) and rebuilt on load. The digest
is checked before the body is decoded; the decoded state's hash is checked against the
snapshot record's by recovery before the state is used. Blobs of an earlier format (pickle,
or version 1 without a layout) and blobs written by a build whose state has other fields are
refused unread (``LegacySnapshotError``): recovery replays the journal instead.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from tokenfutures.exchange import FastBook, Side
from tokenfutures.exchange.order import Order
from tokenfutures.venue.snapcodec import SnapshotFormatError, decode_object, encode_object
from tokenfutures.venue.state import VenueState

#: Format name and version of the blob; a new layout gets a new version line beside this one.
MAGIC = b"tokenfutures-snapshot/2\n"
_DIGEST = 32

_ORDER_FIELDS = tuple(f for f in Order.__slots__ if f not in ("prev", "next"))


class LegacySnapshotError(SnapshotFormatError):
    """A blob of an earlier format or state layout: never loaded; the journal rebuilds the state."""


def _layout(state: VenueState) -> bytes:
    """The SHA-256 of the state's and the order's field names: another build, another layout."""
    return hashlib.sha256(repr((sorted(vars(state)), _ORDER_FIELDS)).encode()).digest()


@functools.cache
def _current_layout() -> bytes:
    return _layout(VenueState())


def _flatten(order: Order) -> list[Any]:
    return [getattr(order, name) for name in _ORDER_FIELDS]


def _rebuild(fields: list[Any]) -> Order:
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
    try:
        for cs in state.exchange.contracts.values():
            cs.book = None  # type: ignore[assignment]
        body = encode_object([state, orders])
    finally:
        for symbol, cs in state.exchange.contracts.items():
            cs.book = books[symbol]
    return MAGIC + _layout(state) + hashlib.sha256(body).digest() + body


def load_state(blob: bytes) -> VenueState:
    """The state serialised by ``dump_state``, books rebuilt in priority order.

    Raises ``LegacySnapshotError`` for an earlier format and ``SnapshotFormatError`` for a blob
    whose body does not match its digest or does not hold a venue state.
    """
    if not blob.startswith(MAGIC):
        raise LegacySnapshotError("a snapshot of an earlier format (not loaded)")
    start = len(MAGIC)
    if blob[start : start + _DIGEST] != _current_layout():
        raise LegacySnapshotError("a snapshot of another state layout (not loaded)")
    start += _DIGEST
    digest, body = blob[start : start + _DIGEST], blob[start + _DIGEST :]
    if hashlib.sha256(body).digest() != digest:
        raise SnapshotFormatError("a snapshot body that does not match its digest")
    decoded = decode_object(body)
    if not isinstance(decoded, list) or len(decoded) != 2:
        raise SnapshotFormatError("a snapshot body that is not [state, orders]")
    state, orders = decoded
    if not isinstance(state, VenueState):
        raise SnapshotFormatError("a snapshot body that does not hold a VenueState")
    factory = state.exchange.book_factory
    for symbol, cs in state.exchange.contracts.items():
        book = factory() if factory is not None else FastBook()
        for fields in orders[symbol]:
            book.add(_rebuild(fields))
        cs.book = book
    return state
