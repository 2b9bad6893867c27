"""Events the engine emits: the only output of ``apply``; clearing and market data fold them.

Every event carries ``seq`` (the state's event sequence number) and ``ts`` (the command's time).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tokenfutures.exchange.settlement_price_types import SettlementAudit
from tokenfutures.exchange.types import CancelReason, OrderType, Phase, RejectReason, Side


class OrderAccepted(NamedTuple):
    """An order passed validation and got an exchange order id."""

    seq: int
    ts: datetime
    contract: str
    order_id: int
    client_order_id: str
    account: str
    side: Side
    order_type: OrderType
    price_ticks: int | None
    quantity: int


class OrderRejected(NamedTuple):
    """A command was refused; ``reason`` is from the closed ``RejectReason`` set."""

    seq: int
    ts: datetime
    contract: str | None
    account: str | None
    client_order_id: str | None
    order_id: int | None
    reason: RejectReason


class Trade(NamedTuple):
    """One fill between a buy and a sell order (the contract with the clearing area)."""

    trade_id: int
    contract: str
    price_ticks: int
    quantity: int
    buyer: str
    seller: str
    buy_order_id: int
    sell_order_id: int
    aggressor_side: Side | None
    seq: int
    ts: datetime


class OrderCancelled(NamedTuple):
    """A live order left the book unfilled for ``remaining_quantity`` lots."""

    seq: int
    ts: datetime
    contract: str
    order_id: int
    account: str
    remaining_quantity: int
    reason: CancelReason


class OrderReplaced(NamedTuple):
    """An order got a new price and/or open quantity."""

    seq: int
    ts: datetime
    contract: str
    order_id: int
    account: str
    price_ticks: int
    quantity: int
    priority_kept: bool


class StopTriggered(NamedTuple):
    """A stop-limit order was triggered by the last trade price and enters as a limit order."""

    seq: int
    ts: datetime
    contract: str
    order_id: int
    last_price_ticks: int


class PhaseChanged(NamedTuple):
    """A contract moved to another trading phase (``until`` set for timed halts)."""

    seq: int
    ts: datetime
    contract: str
    phase: Phase
    reason: str
    until: datetime | None


class ContractListed(NamedTuple):
    """A contract was added to the state."""

    seq: int
    ts: datetime
    contract: str


class SettlementPriceSet(NamedTuple):
    """The daily settlement price, the tier that set it (``SettlementTier`` name) and its audit."""

    seq: int
    ts: datetime
    contract: str
    price_ticks: int
    tier: str
    audit: SettlementAudit


Event = (
    OrderAccepted
    | OrderRejected
    | Trade
    | OrderCancelled
    | OrderReplaced
    | StopTriggered
    | PhaseChanged
    | ContractListed
    | SettlementPriceSet
)
