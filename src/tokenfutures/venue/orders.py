"""Order records as owners see them, folded from the engine's events; acks of order commands."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from tokenfutures.exchange import (
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    OrderReplaced,
    OrderType,
    Side,
    Trade,
)
from tokenfutures.venue.views import OrderAck, OrderView

OPEN = "open"
FILLED = "filled"
CANCELLED = "cancelled"


class OrderRecord:
    """Mutable record of one accepted order (owned by the venue state, mutated by the fold)."""

    __slots__ = (
        "account",
        "client_order_id",
        "contract",
        "created_at",
        "filled",
        "open",
        "order_id",
        "order_type",
        "price_ticks",
        "side",
        "status",
        "updated_at",
    )

    def __init__(self, event: OrderAccepted) -> None:
        self.order_id = event.order_id
        self.client_order_id = event.client_order_id
        self.account = event.account
        self.contract = event.contract
        self.side = event.side
        self.order_type = event.order_type
        self.price_ticks = event.price_ticks
        self.filled = 0
        self.open = event.quantity
        self.status = OPEN
        self.created_at = event.ts
        self.updated_at = event.ts

    def view(self, tick_size: Decimal) -> OrderView:
        """The record as an ``OrderView``."""
        price = None if self.price_ticks is None else tick_size * self.price_ticks
        return OrderView(
            order_id=self.order_id,
            client_order_id=self.client_order_id,
            account=self.account,
            contract=self.contract,
            side="buy" if self.side == Side.BUY else "sell",
            order_type=OrderType(self.order_type).name.lower(),
            price=price,
            price_ticks=self.price_ticks,
            quantity=self.filled + self.open,
            filled_quantity=self.filled,
            open_quantity=self.open,
            status=self.status,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


Stored = OrderRecord | OrderAccepted
"""What the table keeps per order: its ``OrderAccepted`` event until the order first changes."""


class OrderRecords(Mapping[int, OrderRecord]):
    """Read view of the table's records by order id (each one materialised when read)."""

    __slots__ = ("_stored",)

    def __init__(self, stored: dict[int, Stored]) -> None:
        self._stored = stored

    def __getitem__(self, order_id: int) -> OrderRecord:
        return _record(self._stored, order_id)

    def __iter__(self) -> Iterator[int]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


def _record(stored: dict[int, Stored], order_id: int) -> OrderRecord:
    """The mutable record of ``order_id``, built from its acceptance the first time it is needed."""
    entry = stored[order_id]
    if type(entry) is OrderAccepted:
        entry = stored[order_id] = OrderRecord(entry)
    return entry  # type: ignore[return-value]


class OrderTable:
    """Every accepted order by id, and each account's order ids in arrival order.

    A new order is kept as its ``OrderAccepted`` event (nothing to build for the resting
    orders that never change); the first fill, cancel or replace, or a reader of ``by_id``,
    turns it into an ``OrderRecord``.
    """

    __slots__ = ("_stored", "by_account", "by_id")

    def __init__(self) -> None:
        self._stored: dict[int, Stored] = {}
        self.by_id = OrderRecords(self._stored)
        self.by_account: dict[str, list[int]] = {}

    def __getstate__(self) -> tuple[dict[int, Stored], dict[str, list[int]]]:
        return self._stored, self.by_account

    def __setstate__(self, state: Any) -> None:
        if state[0] is None:  # a snapshot from before lazy records: (None, {slot: value})
            state = (state[1]["by_id"], state[1]["by_account"])
        self._stored, self.by_account = state
        self.by_id = OrderRecords(self._stored)

    def accepted(self, event: OrderAccepted) -> None:
        """Record a newly accepted order (the fold's most frequent event)."""
        self._stored[event.order_id] = event
        ids = self.by_account.get(event.account)
        if ids is None:
            self.by_account[event.account] = [event.order_id]
        else:
            ids.append(event.order_id)

    def cancelled(self, event: OrderCancelled) -> None:
        """Close the record of a cancelled order (its open quantity goes to zero)."""
        if event.order_id in self._stored:
            record = _record(self._stored, event.order_id)
            record.open = 0
            record.status = CANCELLED if record.status == OPEN else record.status
            record.updated_at = event.ts

    def hash_rows(self) -> list[list[Any]]:
        """``[order id, account, status, filled, open, price]`` per order, in acceptance order."""
        rows: list[list[Any]] = []
        for entry in self._stored.values():
            if type(entry) is OrderAccepted:
                e: Any = entry
                rows.append([e.order_id, e.account, OPEN, 0, e.quantity, e.price_ticks])
            else:
                r: Any = entry
                rows.append([r.order_id, r.account, r.status, r.filled, r.open, r.price_ticks])
        return rows

    def fold(self, events: list[Any]) -> int:
        """Apply the engine's events to the records; return the lots traded."""
        traded = 0
        stored = self._stored
        for event in events:
            kind = type(event)
            if kind is Trade:
                traded += event.quantity
                for order_id in (event.buy_order_id, event.sell_order_id):
                    if order_id in stored:
                        _fill(_record(stored, order_id), event.quantity, event.ts)
            elif kind is OrderAccepted:
                self.accepted(event)
            elif kind is OrderCancelled:
                self.cancelled(event)
            elif kind is OrderReplaced and event.order_id in stored:
                record = _record(stored, event.order_id)
                record.price_ticks = event.price_ticks
                record.open = event.quantity
                record.updated_at = event.ts
        return traded


def _fill(record: OrderRecord, quantity: int, ts: datetime) -> None:
    record.filled += quantity
    record.open -= quantity
    record.updated_at = ts
    if record.open <= 0:
        record.open = 0
        record.status = FILLED


AckRecord = tuple[str, str, str | None, str | None, int | None, str | None, int, int, datetime]
"""An ack as a plain tuple in ``OrderAck`` field order (cheap to keep for every order)."""


def to_ack(record: AckRecord) -> OrderAck:
    """The ``OrderAck`` of a stored ack record."""
    return OrderAck(*record)


def order_ack(
    command: Any, events: list[Any], seq: int, ts: datetime, account: str, contract: str | None
) -> AckRecord:
    """The ack of an order, cancel or mass-cancel command from the events it produced."""
    order_id: int | None = getattr(command, "order_id", None)
    client_order_id: str | None = getattr(command, "client_order_id", None)
    status, reason, filled = "accepted", None, 0
    for event in events:
        kind = type(event)
        if kind is OrderRejected:
            status, reason = "rejected", event.reason.name
            break
        if kind is OrderAccepted and event.client_order_id == client_order_id:
            order_id = event.order_id
        elif kind is Trade and order_id in (event.buy_order_id, event.sell_order_id):
            filled += event.quantity
        elif kind is OrderCancelled and client_order_id is None:
            status = "cancelled"
    return (status, account, contract, client_order_id, order_id, reason, filled, seq, ts)


def rejected_record(
    account: str,
    contract: str | None,
    client_order_id: str | None,
    order_id: int | None,
    reason: str,
    seq: int,
    ts: datetime,
) -> AckRecord:
    """A rejection decided by the venue (margin, unknown account), not by the engine."""
    return ("rejected", account, contract, client_order_id, order_id, reason, 0, seq, ts)
