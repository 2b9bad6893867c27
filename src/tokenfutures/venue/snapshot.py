"""Snapshot blobs of the venue state: versioned, hashed, non-executable (ADR 0615, 0603, 0008).

A blob is the wire's binary envelope ``["snapshot", 4, body]`` (msgpack), the body a
:class:`SnapshotBody`: the state's layout (a SHA-256 of its field names and the order's), the
SHA-256 of the sections after it, the state's object graph in the snapshot codec
(``venue.snapcodec``), the acks as a typed column, and the order table, the engine's client
order ids and the books' resting orders as others (``venue.snapcolumns``, ADR 0632). Each
order book is carried as its orders in priority order (the fast book links its orders into
intrusive lists, which a graph walk would follow one level per order) and rebuilt on load;
the columns — one row per order, most of a snapshot — are encoded and decoded by msgspec in
C, not walked (in the graph only where a time is not in UTC).
The digest is checked before the body is decoded; the decoded state's hash is checked
against the snapshot record's by recovery before the state is used. Version 3 (no order
column) and version 2 (``MAGIC_V2``, layout, digest, graph) are still read, lifted to a
version-4 body with the missing columns in the graph.
Blobs of an earlier format (pickle, or version 1 without a layout), of an unknown version and
blobs written by a build whose state has other fields are refused unread
(``LegacySnapshotError``): recovery replays the journal instead.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC
from operator import attrgetter, itemgetter
from typing import Any

import msgspec

from tokenfutures.exchange import FastBook, Side
from tokenfutures.exchange.order import Book, Order
from tokenfutures.venue.orders import AckRecord, OrderTable
from tokenfutures.venue.snapcodec import SnapshotFormatError, decode_object, encode_object
from tokenfutures.venue.snapcolumns import OrderColumnError, decode_columns, encode_columns
from tokenfutures.venue.state import VenueState
from tokenfutures.wire import Records, WireError, binary_encoder, encode_envelope

RECORD = "snapshot"
#: The envelope version the writer writes.
FORMAT = 4
#: The opening bytes of every blob this build writes (the envelope's type and version).
MAGIC = encode_envelope(RECORD, FORMAT, None, binary=True)[:-1]
#: The opening bytes of version 3 (before the order column), still read.
MAGIC_V3 = encode_envelope(RECORD, 3, None, binary=True)[:-1]
#: The header of version 2, before snapshots moved onto the wire's envelope.
MAGIC_V2 = b"tokenfutures-snapshot/2\n"
_ANY_VERSION = MAGIC[:-1]
_DIGEST = 32

_ORDER_FIELDS = tuple(f for f in Order.__slots__ if f not in ("prev", "next"))
_ACKS = msgspec.msgpack.Decoder(list[tuple[tuple[str, str], AckRecord]])
_TS_ZONE = attrgetter("tzinfo")
_ACK_TS = itemgetter(8)


class SnapshotBody(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """Version 4's body: layout, digest of the three sections, graph, acks and orders columns.

    A column is empty when its rows travel inside the graph (an older version, or a clock
    not in UTC).
    """

    layout: bytes
    digest: bytes
    graph: bytes
    acks: bytes
    orders: bytes


class SnapshotBodyV3(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """Version 3's body: layout, digest of ``graph`` + ``acks``, the graph, the acks column."""

    layout: bytes
    digest: bytes
    graph: bytes
    acks: bytes


def _lift_v3(body: SnapshotBodyV3) -> SnapshotBody:
    """A version-3 body as version 4's: the orders in the graph (the digest is the same)."""
    return SnapshotBody(body.layout, body.digest, body.graph, body.acks, b"")


#: Every version of the snapshot record that is an envelope (version 2 is read apart).
SNAPSHOTS = Records("snapshot")
SNAPSHOTS.register(RECORD, 3, SnapshotBodyV3, upgrade=_lift_v3)
SNAPSHOTS.register(RECORD, FORMAT, SnapshotBody)


class LegacySnapshotError(SnapshotFormatError):
    """A blob of an earlier format or state layout: never loaded; the journal rebuilds the state."""


def _layout(state: VenueState) -> bytes:
    """The SHA-256 of the state's and the order's field names: another build, another layout."""
    return hashlib.sha256(repr((sorted(vars(state)), _ORDER_FIELDS)).encode()).digest()


@functools.cache
def _current_layout() -> bytes:
    return _layout(VenueState())


def _digest(graph: bytes, acks: bytes, orders: bytes) -> bytes:
    digest = hashlib.sha256(graph)
    digest.update(acks)
    digest.update(orders)  # empty in a lifted version 3: its digest stays valid
    return digest.digest()


def _flatten(order: Order) -> list[Any]:
    return [getattr(order, name) for name in _ORDER_FIELDS]


def _rebuild(fields: list[Any]) -> Order:
    order = Order.__new__(Order)
    for name, value in zip(_ORDER_FIELDS, fields, strict=True):
        setattr(order, name, value)
    return order


def _columnar(acks: dict[tuple[str, str], AckRecord]) -> bool:
    """Whether msgpack's timestamps keep every ack's time as it is (UTC, in C passes)."""
    return set(map(_TS_ZONE, map(_ACK_TS, acks.values()))) <= {UTC}


def dump_state(state: VenueState) -> bytes:
    """Serialise ``state`` (the caller holds the writer lock; the state is left unchanged)."""
    books = {symbol: cs.book for symbol, cs in state.exchange.contracts.items()}
    acks, table, client_ids = state.acks, state.orders, state.exchange.client_ids
    column = _columnar(acks)
    order_rows = encode_columns(state, books)
    orders = {} if order_rows is not None else _flattened(books)
    try:
        for cs in state.exchange.contracts.values():
            cs.book = None  # type: ignore[assignment]
        if column:
            state.acks = {}
        if order_rows is not None:
            state.orders, state.exchange.client_ids = _without_rows(table), set()
        graph = encode_object([state, orders])
    finally:
        state.acks, state.orders, state.exchange.client_ids = acks, table, client_ids
        for symbol, cs in state.exchange.contracts.items():
            cs.book = books[symbol]
    rows = binary_encoder().encode(list(acks.items())) if column else b""
    order_rows = order_rows or b""
    body = SnapshotBody(_layout(state), _digest(graph, rows, order_rows), graph, rows, order_rows)
    return encode_envelope(RECORD, FORMAT, body, binary=True)


def _flattened(books: dict[str, Book]) -> dict[str, list[list[Any]]]:
    """Each book's orders as field lists in priority order (for the graph)."""
    return {
        symbol: [_flatten(o) for side in (Side.BUY, Side.SELL) for o in book.in_priority(side)]
        for symbol, book in books.items()
    }


def _without_rows(table: OrderTable) -> OrderTable:
    """A table with ``table``'s account index and no rows (the rows go in their column)."""
    empty: OrderTable = OrderTable.__new__(OrderTable)
    empty.__setstate__(({}, table.__getstate__()[1]))
    return empty


def _open(blob: bytes) -> SnapshotBody:
    """The version-4 body of ``blob`` (versions 2 and 3 lifted); refuses other formats unread."""
    if blob.startswith(MAGIC_V2):
        start = len(MAGIC_V2)
        layout, digest = blob[start : start + _DIGEST], blob[start + _DIGEST : start + 2 * _DIGEST]
        return SnapshotBody(layout, digest, blob[start + 2 * _DIGEST :], b"", b"")
    if not blob.startswith((MAGIC, MAGIC_V3)):
        version = "another version" if blob.startswith(_ANY_VERSION) else "an earlier format"
        raise LegacySnapshotError(f"a snapshot of {version} (not loaded)")
    try:
        _, body = SNAPSHOTS.open(blob, binary=True)
    except WireError as error:
        raise SnapshotFormatError(f"an unreadable snapshot envelope: {error}") from error
    result: SnapshotBody = body
    return result


def _read_columns(body: SnapshotBody, state: VenueState) -> dict[str, list[Order]] | None:
    """Put the acks and order columns (when the blob has them) into ``state``; the books'
    orders when the columns carry them."""
    if body.acks:
        try:
            state.acks = dict(_ACKS.decode(body.acks))
        except msgspec.DecodeError as error:
            raise SnapshotFormatError(f"unreadable acks in a snapshot: {error}") from error
    if not body.orders:
        return None
    try:
        return decode_columns(body.orders, state)
    except OrderColumnError as error:  # another build's order fields: the journal rebuilds
        raise LegacySnapshotError(f"{error} (not loaded)") from error


def load_state(blob: bytes) -> VenueState:
    """The state serialised by ``dump_state``, books rebuilt in priority order.

    Raises ``LegacySnapshotError`` for an earlier format and ``SnapshotFormatError`` for a blob
    whose body does not match its digest or does not hold a venue state.
    """
    body = _open(blob)
    if body.layout != _current_layout():
        raise LegacySnapshotError("a snapshot of another state layout (not loaded)")
    if _digest(body.graph, body.acks, body.orders) != body.digest:
        raise SnapshotFormatError("a snapshot body that does not match its digest")
    decoded = decode_object(body.graph)
    if not isinstance(decoded, list) or len(decoded) != 2:
        raise SnapshotFormatError("a snapshot body that is not [state, orders]")
    state, orders = decoded
    if not isinstance(state, VenueState):
        raise SnapshotFormatError("a snapshot body that does not hold a VenueState")
    resting = _read_columns(body, state)
    if resting is None:
        resting = {symbol: list(map(_rebuild, rows)) for symbol, rows in orders.items()}
    factory = state.exchange.book_factory
    for symbol, cs in state.exchange.contracts.items():
        book = factory() if factory is not None else FastBook()
        for order in resting[symbol]:
            book.add(order)
        cs.book = book
    return state
