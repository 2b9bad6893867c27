"""Typed answers of the API on the client side: the public shapes of ``tokenfutures.wire``.

Money and prices are ``Decimal`` (the API sends decimal strings), sizes ``int`` lots, times
timezone-aware ``datetime``. The client decodes response bytes straight into these shapes
with the wire codec; ``parse(cls, data)`` builds one from an already-parsed JSON object.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tokenfutures.wire import (
    AccountFees,
    AuctionBid,
    Book,
    Contract,
    Fixing,
    LedgerLine,
    Margin,
    MassCancel,
    MemberAuction,
    Order,
    OrderAck,
    Position,
    PriceLevel,
    Settlement,
    Trade,
    convert,
)

T = TypeVar("T")

__all__ = [
    "AccountFees",
    "AuctionBid",
    "Book",
    "Contract",
    "Fixing",
    "LedgerLine",
    "Margin",
    "MassCancel",
    "MemberAuction",
    "Order",
    "OrderAck",
    "Position",
    "PriceLevel",
    "Settlement",
    "Trade",
    "parse",
]


def parse(cls: type[T], data: Any) -> T:
    """Build shape ``cls`` from a JSON object (``TypeError`` when ``data`` is not one)."""
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
    return convert(data, cls)
