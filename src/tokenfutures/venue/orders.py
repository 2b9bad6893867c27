"""Order records as owners see them, folded from the engine's events; acks of order commands."""

from __future__ import annotations

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


class OrderTable:
    """Every accepted order by id, and each account's order ids in arrival order."""

    __slots__ = ("by_account", "by_id")

    def __init__(self) -> None:
        self.by_id: dict[int, OrderRecord] = {}
        self.by_account: dict[str, list[int]] = {}

    def accepted(self, event: OrderAccepted) -> None:
        """Record a newly accepted order (the fold's most frequent event)."""
        self.by_id[event.order_id] = OrderRecord(event)
        ids = self.by_account.get(event.account)
        if ids is None:
            self.by_account[event.account] = [event.order_id]
        else:
            ids.append(event.order_id)

    def cancelled(self, event: OrderCancelled) -> None:
        """Close the record of a cancelled order (its open quantity goes to zero)."""
        record = self.by_id.get(event.order_id)
        if record is not None:
            record.open = 0
            record.status = CANCELLED if record.status == OPEN else record.status
            record.updated_at = event.ts

    def fold(self, events: list[Any]) -> int:
        """Apply the engine's events to the records; return the lots traded."""
        traded = 0
        by_id = self.by_id
        for event in events:
            kind = type(event)
            if kind is Trade:
                traded += event.quantity
                for order_id in (event.buy_order_id, event.sell_order_id):
                    record = by_id.get(order_id)
                    if record is not None:
                        _fill(record, event.quantity, event.ts)
            elif kind is OrderAccepted:
                self.accepted(event)
            elif kind is OrderCancelled:
                self.cancelled(event)
            elif kind is OrderReplaced:
                record = by_id.get(event.order_id)
                if record is not None:
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


def rejected_ack(
    account: str,
    contract: str | None,
    client_order_id: str | None,
    order_id: int | None,
    reason: str,
    seq: int,
    ts: datetime,
) -> OrderAck:
    """``rejected_record`` as an ``OrderAck`` (answers the venue gives without journalling)."""
    return to_ack(rejected_record(account, contract, client_order_id, order_id, reason, seq, ts))
