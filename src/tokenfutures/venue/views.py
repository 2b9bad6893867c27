"""What the venue's services take (``OrderRequest``) and return (the shapes of ``wire``).

The venue names the public shapes ``*View`` (its own vocabulary); each is the one definition
in ``tokenfutures.wire`` (ADR 0003), a frozen msgspec struct whose ``to_dict()`` is JSON-ready
(``Decimal`` as canonical strings, dates and times in ISO 8601, enums by name).
``OrderRequest`` is the venue's validated command input, not a wire shape: clients send the
API's ``OrderCreate`` body.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.wire import Book as BookView
from tokenfutures.wire import Contract as ContractView
from tokenfutures.wire import (
    EndOfDayReport,
    LedgerLine,
    OrderAck,
    PriceLevel,
    StreamMessage,
    jsonable,
)
from tokenfutures.wire import Fixing as FixingView
from tokenfutures.wire import Margin as MarginView
from tokenfutures.wire import MarginBacktest as MarginBacktestView
from tokenfutures.wire import Order as OrderView
from tokenfutures.wire import Position as PositionView
from tokenfutures.wire import Settlement as SettlementView
from tokenfutures.wire import Trade as TradeView

#: Venue-level rejection reasons beside the exchange's ``RejectReason`` names.
INSUFFICIENT_MARGIN = "INSUFFICIENT_MARGIN"
UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT"
ACCOUNT_IN_DEFAULT = "ACCOUNT_IN_DEFAULT"
INVALID_PRICE = "INVALID_PRICE"
#: Self-trade prevention per order: none, or which side of a self-match to cancel.
STP_CHOICES = ("none", "cancel_resting", "cancel_aggressing", "cancel_both")


@dataclasses.dataclass(frozen=True, slots=True)
class OrderRequest:
    """An order as a client sends it: price as ``Decimal`` (``price``) or ticks (``price_ticks``).

    ``side`` is ``"buy"``/``"sell"``; ``order_type`` ``"limit"``/``"market"``/``"stop_limit"``;
    ``tif`` ``"day"``/``"gtc"``/``"ioc"``/``"fok"``/``"gtd"`` (with ``expire_at``).
    ``self_trade_prevention`` ``"none"`` or what to cancel when the order would trade against
    the same account's resting order: ``"cancel_resting"``/``"cancel_aggressing"``/
    ``"cancel_both"`` (ADR 0410); None takes the account's default (ADR 0432).
    """

    contract: str
    side: str
    quantity: int
    client_order_id: str
    price: Decimal | None = None
    price_ticks: int | None = None
    order_type: str = "limit"
    tif: str = "gtc"
    post_only: bool = False
    display_quantity: int | None = None
    stop_price: Decimal | None = None
    stop_price_ticks: int | None = None
    expire_at: datetime | None = None
    self_trade_prevention: str | None = None

    def __post_init__(self) -> None:
        if not self.client_order_id or len(self.client_order_id) > 64:
            raise InvalidParameterError(
                "client_order_id", self.client_order_id, "1 to 64 characters"
            )
        if self.side.lower() not in ("buy", "sell"):
            raise InvalidParameterError("side", self.side, "'buy' or 'sell'")
        if self.order_type.lower() not in ("limit", "market", "stop_limit"):
            raise InvalidParameterError(
                "order_type", self.order_type, "'limit', 'market' or 'stop_limit'"
            )
        if self.tif.lower() not in ("day", "gtc", "ioc", "fok", "gtd"):
            raise InvalidParameterError("tif", self.tif, "one of day, gtc, ioc, fok, gtd")
        if type(self.quantity) is not int:
            raise InvalidParameterError("quantity", self.quantity, "an integer number of lots")
        if self.price is not None and self.price_ticks is not None:
            raise InvalidParameterError("price", self.price, "given once: price or price_ticks")
        stp = self.self_trade_prevention
        if stp is not None and stp.lower() not in STP_CHOICES:
            raise InvalidParameterError(
                "self_trade_prevention", self.self_trade_prevention, f"one of {STP_CHOICES}"
            )

    def to_dict(self) -> dict[str, object]:
        """The request as a JSON-ready dict (Decimal as strings)."""
        result: dict[str, object] = jsonable(self)
        return result


__all__ = [
    "ACCOUNT_IN_DEFAULT",
    "INSUFFICIENT_MARGIN",
    "INVALID_PRICE",
    "UNKNOWN_ACCOUNT",
    "BookView",
    "ContractView",
    "EndOfDayReport",
    "FixingView",
    "LedgerLine",
    "MarginBacktestView",
    "MarginView",
    "OrderAck",
    "OrderRequest",
    "OrderView",
    "PositionView",
    "PriceLevel",
    "SettlementView",
    "StreamMessage",
    "TradeView",
    "jsonable",
]
