"""The order table and the engine's client order ids as typed snapshot columns (ADR 0632).

One row per order ever accepted in each — most of a busy venue's state after the acks. The
object codec walked each one in Python (an ``OrderRecord`` as twelve tagged attributes and
two tagged enums, a client id as a tagged tuple); here msgspec encodes and decodes them in
C: the ``OrderAccepted`` rows of orders never changed as named tuples, the ``OrderRecord``
rows as typed tuples, the ids in the table's order so the mix is put back in place
(``dict.fromkeys``, then ``update``), the client ids as pairs of strings. The record's field
names travel with the column: a build whose ``OrderRecord`` has other fields refuses it
(``LegacySnapshotError`` upstream: the journal rebuilds the state).
"""

from __future__ import annotations

from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

import msgspec

from tokenfutures.exchange.events import OrderAccepted
from tokenfutures.exchange.types import OrderType, Side
from tokenfutures.venue.orders import OrderRecord, OrderTable

#: ``OrderRecord``'s fields, in the order of ``RecordRow`` (checked against its slots).
FIELDS = (
    "account", "client_order_id", "contract", "created_at", "filled", "open", "order_id",
    "order_type", "price_ticks", "side", "status", "updated_at",
)  # fmt: skip
RecordRow = tuple[
    str, str, str, datetime, int, int, int, OrderType, int | None, Side, str, datetime
]
_ROW = attrgetter(*FIELDS)
_ORDER_ID = attrgetter("order_id")
_ZONE = attrgetter("tzinfo")


class OrderColumns(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """The table's order ids in order, its unchanged orders, its records (``fields`` order),
    and the engine's client order ids."""

    fields: list[str]
    ids: list[int]
    accepted: list[OrderAccepted]
    records: msgspec.Raw
    client_ids: set[tuple[str, str]]


_HEAD = msgspec.msgpack.Decoder(OrderColumns)
_RECORDS = msgspec.msgpack.Decoder(list[RecordRow])
_ENCODER = msgspec.msgpack.Encoder()


class OrderColumnError(ValueError):
    """A column this build cannot read: other record fields, or rows its types refuse."""


def encode_orders(table: OrderTable, client_ids: set[tuple[str, str]]) -> bytes | None:
    """The table's rows and the client ids as msgpack columns; None when a time is not in UTC
    (the graph keeps them then: msgpack's timestamps would drop the zone)."""
    stored, _ = table.__getstate__()
    accepted = [e for e in stored.values() if type(e) is OrderAccepted]
    records = [e for e in stored.values() if type(e) is not OrderAccepted]
    zones = set(map(_ZONE, map(attrgetter("ts"), accepted)))
    zones.update(map(_ZONE, map(attrgetter("created_at"), records)))
    zones.update(map(_ZONE, map(attrgetter("updated_at"), records)))
    if not zones <= {UTC}:
        return None
    rows = _ENCODER.encode(list(map(_ROW, records)))
    column = OrderColumns(list(FIELDS), list(stored), accepted, msgspec.Raw(rows), client_ids)
    return _ENCODER.encode(column)


def decode_orders(blob: bytes, table: OrderTable) -> set[tuple[str, str]]:
    """Put the rows into ``table`` (decoded from the graph without them), in their order;
    return the client ids."""
    try:
        column = _HEAD.decode(blob)
        if tuple(column.fields) != FIELDS:
            raise OrderColumnError(f"order records of other fields {column.fields}")
        rows = _RECORDS.decode(column.records)
    except msgspec.DecodeError as error:
        raise OrderColumnError(f"unreadable order column: {error}") from error
    if len(column.accepted) + len(rows) != len(column.ids):
        raise OrderColumnError("an order column whose rows are not its ids")
    stored: dict[int, Any] = dict.fromkeys(column.ids)  # the table's order, filled below
    stored.update(zip(map(_ORDER_ID, column.accepted), column.accepted, strict=True))
    records = list(map(_record, rows))
    stored.update(zip(map(_ORDER_ID, records), records, strict=True))
    if len(stored) != len(column.ids):
        raise OrderColumnError("an order column whose rows are not its ids")
    _, by_account = table.__getstate__()
    table.__setstate__((stored, by_account))
    return column.client_ids


def _record(row: RecordRow) -> OrderRecord:
    record: OrderRecord = object.__new__(OrderRecord)
    (
        record.account, record.client_order_id, record.contract, record.created_at,
        record.filled, record.open, record.order_id, record.order_type, record.price_ticks,
        record.side, record.status, record.updated_at,
    ) = row  # fmt: skip
    return record
