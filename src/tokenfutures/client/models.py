"""Typed answers of the API on the client side: frozen dataclasses parsed from the JSON.

Money and prices are ``Decimal`` (the API sends decimal strings), sizes ``int`` lots, times
timezone-aware ``datetime``. ``parse(cls, data)`` builds any of them from a JSON object.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class OrderAck:
    """Outcome of an order command: ``accepted``, ``cancelled`` or ``rejected`` with ``reason``."""

    status: str
    account: str
    contract: str | None
    client_order_id: str | None
    order_id: int | None
    reason: str | None
    filled_quantity: int
    seq: int
    ts: datetime

    @property
    def rejected(self) -> bool:
        """True when the venue refused the command."""
        return self.status == "rejected"


@dataclasses.dataclass(frozen=True, slots=True)
class Order:
    """One of the account's orders."""

    order_id: int
    client_order_id: str
    account: str
    contract: str
    side: str
    order_type: str
    price: Decimal | None
    price_ticks: int | None
    quantity: int
    filled_quantity: int
    open_quantity: int
    status: str
    created_at: datetime
    updated_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class PriceLevel:
    """Visible quantity and order count at one price."""

    price: Decimal
    price_ticks: int
    quantity: int
    orders: int


@dataclasses.dataclass(frozen=True, slots=True)
class Book:
    """Price levels of one contract, best first."""

    contract: str
    bids: tuple[PriceLevel, ...]
    asks: tuple[PriceLevel, ...]
    last_price: Decimal | None
    phase: str
    seq: int


@dataclasses.dataclass(frozen=True, slots=True)
class Trade:
    """A printed trade."""

    trade_id: int
    contract: str
    price: Decimal
    price_ticks: int
    quantity: int
    aggressor_side: str | None
    ts: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class Settlement:
    """A daily or final settlement price."""

    contract: str
    day: date
    price: Decimal
    price_ticks: int
    kind: str
    tier: str


@dataclasses.dataclass(frozen=True, slots=True)
class Contract:
    """A listed contract."""

    symbol: str
    product: str
    tick_size: Decimal
    last_trading_day: date
    expiry: datetime
    phase: str
    prior_settlement: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class Position:
    """Net lots of one contract, its mark, and P&L against the account's trade prices."""

    contract: str
    quantity: int
    mark_price: Decimal | None
    average_price: Decimal | None = None
    realised_pnl: Decimal = Decimal(0)
    unrealised_pnl: Decimal | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Margin:
    """Collateral against requirements, and an open margin call if any."""

    account: str
    collateral: Decimal
    initial: Decimal
    maintenance: Decimal
    excess: Decimal
    call_amount: Decimal | None
    call_deadline: datetime | None


@dataclasses.dataclass(frozen=True, slots=True)
class LedgerLine:
    """One posting to the account's collateral with the running balance."""

    entry: int
    memo: str
    amount: Decimal
    balance: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class Fixing:
    """A Token Price Index fix and its audit trail."""

    day: date
    level: Decimal | None
    status: str
    audit: dict[str, Any]
    seq: int


def parse(cls: type[T], data: Any) -> T:
    """Build dataclass ``cls`` from a JSON object, converting every field to its annotation."""
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    kwargs = {f.name: _convert(hints[f.name], data.get(f.name)) for f in _fields(cls)}
    return cls(**kwargs)


_HINTS: dict[type[Any], dict[str, Any]] = {}
_FIELDS: dict[type[Any], tuple[dataclasses.Field[Any], ...]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _fields(cls: type[Any]) -> tuple[dataclasses.Field[Any], ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = dataclasses.fields(cls)
    return _FIELDS[cls]


def _convert(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(inner[0], value)
    if origin in (list, tuple):
        return tuple(_convert(typing.get_args(hint)[0], v) for v in value)
    if origin is dict or hint is Any:
        return value
    if hint is Decimal:
        return Decimal(str(value))
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return parse(typing.cast(type[Any], hint), value)
    return value
