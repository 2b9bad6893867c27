"""The order table, the client order ids and the books as typed snapshot columns (ADR 0632).

One row per order ever accepted in the first two, one per resting order in the books — most
of a busy venue's state after the acks. The object codec walked each one in Python (an
``OrderRecord`` as twelve tagged attributes and two tagged enums, a client id as a tagged
tuple, a resting order as sixteen values and three tagged enums); here msgspec encodes and
decodes them in C: the ``OrderAccepted`` rows of orders never changed as named tuples, the
``OrderRecord`` rows and the resting orders as typed tuples, the table's ids in its order so
the mix is put back in place (``dict.fromkeys``, then ``update``), the client ids as pairs
of strings. The field names travel with the column: a build whose ``OrderRecord`` or
``Order`` has other fields refuses it (``LegacySnapshotError`` upstream: the journal
rebuilds the state).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any

import msgspec

from tokenfutures.exchange import Side
from tokenfutures.exchange.events import OrderAccepted
from tokenfutures.exchange.order import Book, Order
from tokenfutures.exchange.types import OrderType, StpMode, TimeInForce
from tokenfutures.venue.orders import OrderRecord
from tokenfutures.venue.state import VenueState

#: ``OrderRecord``'s fields, in the order of ``RecordRow``.
FIELDS = (
    "account", "client_order_id", "contract", "created_at", "filled", "open", "order_id",
    "order_type", "price_ticks", "side", "status", "updated_at",
)  # fmt: skip
RecordRow = tuple[
    str, str, str, datetime, int, int, int, OrderType, int | None, Side, str, datetime
]
#: A resting ``Order``'s fields (all but its book links), in the order of ``BookRow``.
ORDER_FIELDS = (
    "account", "client_order_id", "display", "expire_at", "live", "order_id", "post_only",
    "price", "priority", "quantity", "side", "stop_price", "stp_group", "stp_mode", "tif",
    "visible",
)  # fmt: skip
BookRow = tuple[
    str, str, int, datetime | None, bool, int, bool, int, int, int, Side, int | None,
    str | None, StpMode, TimeInForce, int,
]  # fmt: skip
_ROW = attrgetter(*FIELDS)
_BOOK_ROW = attrgetter(*ORDER_FIELDS)
_ORDER_ID = attrgetter("order_id")
_ZONE = attrgetter("tzinfo")
_EXPIRY = itemgetter(3)


class OrderColumns(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """The table's ids in order, its unchanged orders, its records (``fields`` order), the
    engine's client order ids and each book's orders in priority order (``order_fields``)."""

    fields: list[str]
    ids: list[int]
    accepted: list[OrderAccepted]
    records: msgspec.Raw
    client_ids: set[tuple[str, str]]
    order_fields: list[str]
    books: msgspec.Raw


_HEAD = msgspec.msgpack.Decoder(OrderColumns)
_RECORDS = msgspec.msgpack.Decoder(list[RecordRow])
_BOOKS = msgspec.msgpack.Decoder(dict[str, list[BookRow]])
_ENCODER = msgspec.msgpack.Encoder()


class OrderColumnError(ValueError):
    """A column this build cannot read: other fields, or rows its types refuse."""


def encode_columns(state: VenueState, books: dict[str, Book]) -> bytes | None:
    """The table's rows, the client ids and the books' orders as msgpack columns; None when
    a time is not in UTC (the graph keeps them then: msgpack's timestamps drop the zone)."""
    stored, _ = state.orders.__getstate__()
    accepted = [e for e in stored.values() if type(e) is OrderAccepted]
    records = [e for e in stored.values() if type(e) is not OrderAccepted]
    resting = {
        symbol: list(map(_BOOK_ROW, chain(book.in_priority(Side.BUY), book.in_priority(Side.SELL))))
        for symbol, book in books.items()
    }
    zones = set(map(_ZONE, map(attrgetter("ts"), accepted)))
    zones.update(map(_ZONE, map(attrgetter("created_at"), records)))
    zones.update(map(_ZONE, map(attrgetter("updated_at"), records)))
    for rows in resting.values():
        zones.update(map(_ZONE, filter(None, map(_EXPIRY, rows))))
    if not zones <= {UTC}:
        return None
    column = OrderColumns(
        list(FIELDS),
        list(stored),
        accepted,
        msgspec.Raw(_ENCODER.encode(list(map(_ROW, records)))),
        state.exchange.client_ids,
        list(ORDER_FIELDS),
        msgspec.Raw(_ENCODER.encode(resting)),
    )
    return _ENCODER.encode(column)


def decode_columns(blob: bytes, state: VenueState) -> dict[str, list[Order]]:
    """Put the table's rows (in its order) and the client ids into ``state`` (decoded from
    the graph without them); return each book's orders in priority order."""
    try:
        column = _HEAD.decode(blob)
        if tuple(column.fields) != FIELDS or tuple(column.order_fields) != ORDER_FIELDS:
            raise OrderColumnError(f"orders of other fields {column.fields} {column.order_fields}")
        rows = _RECORDS.decode(column.records)
        books = _BOOKS.decode(column.books)
    except msgspec.DecodeError as error:
        raise OrderColumnError(f"unreadable order columns: {error}") from error
    if len(column.accepted) + len(rows) != len(column.ids):
        raise OrderColumnError("an order column whose rows are not its ids")
    stored: dict[int, Any] = dict.fromkeys(column.ids)  # the table's order, filled below
    _fill(stored, column.accepted)
    _fill(stored, map(_record, rows))
    if len(stored) != len(column.ids):
        raise OrderColumnError("an order column whose rows are not its ids")
    _, by_account = state.orders.__getstate__()
    state.orders.__setstate__((stored, by_account))
    state.exchange.client_ids = column.client_ids
    return {symbol: list(map(_order, resting)) for symbol, resting in books.items()}


def _fill(stored: dict[int, Any], rows: Iterable[Any]) -> None:
    rows = list(rows)
    stored.update(zip(map(_ORDER_ID, rows), rows, strict=True))


def _record(row: RecordRow) -> OrderRecord:
    record: OrderRecord = object.__new__(OrderRecord)
    (
        record.account, record.client_order_id, record.contract, record.created_at,
        record.filled, record.open, record.order_id, record.order_type, record.price_ticks,
        record.side, record.status, record.updated_at,
    ) = row  # fmt: skip
    return record


def _order(row: BookRow) -> Order:
    order: Order = object.__new__(Order)
    (
        order.account, order.client_order_id, order.display, order.expire_at, order.live,
        order.order_id, order.post_only, order.price, order.priority, order.quantity,
        order.side, order.stop_price, order.stp_group, order.stp_mode, order.tif,
        order.visible,
    ) = row  # fmt: skip
    return order
