"""Pydantic schemas of the REST API: what clients send (``*Create``) apart from what they get.

Public schemas are built from the venue's frozen views (``model_validate(view,
from_attributes=True)``); money and prices travel as decimal strings, sizes as integer lots.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from tokenfutures.venue.views import OrderRequest

ClientOrderId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
#: A positive price as a decimal string: up to 9 integer and 9 decimal digits (ADR 0659). The
#: pattern is the whole rule, so the OpenAPI document and the server accept the same texts.
PRICE_PATTERN = (
    r"^([1-9][0-9]{0,8}(\.[0-9]{1,9})?|0\.("
    + "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{8 - zeros}}}" for zeros in range(9))
    + "))$"
)
_PRICE = re.compile(PRICE_PATTERN)


def _price_text(value: object) -> object:
    """Only a decimal string of the documented shape becomes a price."""
    if not isinstance(value, str) or _PRICE.fullmatch(value) is None:
        raise ValueError('a price is a positive decimal string, e.g. "3.50"')
    return value


PriceIn = Annotated[
    Decimal,
    BeforeValidator(_price_text),
    WithJsonSchema({"type": "string", "pattern": PRICE_PATTERN, "examples": ["3.50"]}),
]


def _lot_count(value: object) -> object:
    """A JSON integer (``5`` or, as JSON Schema has it, ``5.0``); never ``true`` or ``"5"``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a lot count is a JSON integer")
    return value


def _instant_text(value: object) -> object:
    """An instant is an RFC 3339 string (``0`` would otherwise be read as the Unix epoch)."""
    if not isinstance(value, str):
        raise ValueError("an instant is an RFC 3339 date-time string")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_instant_text)]


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` is a day (pydantic alone would read ``0`` as 1970-01-01)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value) is None:
        raise ValueError("a day is YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A day in a query: ``YYYY-MM-DD`` only (ADR 0659)."""


def _iso_instant(value: object) -> object:
    """Only an ISO 8601 time is an instant (pydantic alone would read ``0.5`` as a Unix time)."""
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("an instant is ISO 8601, e.g. 2026-12-06T16:00:00Z") from None
    return value


IsoInstant = Annotated[datetime, BeforeValidator(_iso_instant)]
"""An instant in a query: ISO 8601 only (naive means UTC where the route says so)."""

#: Sizes and flags are strict (ADR 0659): ``true`` is no quantity, ``"5"`` or ``1.5`` no lot
#: count, ``"yes"`` no flag; prices are decimal strings.
Lots = Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(_lot_count)]
Flag = Annotated[bool, Field(strict=True)]


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class OrderCreate(BaseModel):
    """A new order. ``price`` for limit and stop-limit orders; ``client_order_id`` makes retries safe.

    Strict types (ADR 0659): ``true`` is no quantity, ``"5"`` no integer, ``"yes"`` no flag.
    """

    model_config = ConfigDict(extra="forbid")

    contract: str = Field(min_length=1, max_length=64, examples=["SIT-2026M07"])
    side: Literal["buy", "sell"]
    quantity: Lots
    client_order_id: ClientOrderId
    price: PriceIn | None = None
    order_type: Literal["limit", "market", "stop_limit"] = "limit"
    tif: Literal["day", "gtc", "ioc", "fok", "gtd"] = "gtc"
    post_only: Flag = False
    display_quantity: Lots | None = None
    stop_price: PriceIn | None = None
    expire_at: Instant | None = None
    self_trade_prevention: Literal["none", "cancel_resting", "cancel_aggressing", "cancel_both"] = (
        Field("none", description="against the same account's resting orders (ADR 0410)")
    )

    def to_request(self) -> OrderRequest:
        """The venue's order request for this body."""
        return OrderRequest(
            contract=self.contract,
            side=self.side,
            quantity=self.quantity,
            client_order_id=self.client_order_id,
            price=self.price,
            order_type=self.order_type,
            tif=self.tif,
            post_only=self.post_only,
            display_quantity=self.display_quantity,
            stop_price=self.stop_price,
            expire_at=self.expire_at,
            self_trade_prevention=self.self_trade_prevention,
        )


class OrderReplace(BaseModel):
    """Cancel/replace of an open order: its new open ``quantity``, and a new ``price`` if given.

    Priority is kept only for a pure size decrease; a larger size is margin-checked.
    """

    model_config = ConfigDict(extra="forbid")

    quantity: Lots
    price: PriceIn | None = None


class OrderAckPublic(_Public):
    """Outcome of an order command: ``accepted``/``cancelled`` or ``rejected`` with a ``reason``."""

    status: str = Field(examples=["accepted", "rejected", "cancelled"])
    account: str
    contract: str | None
    client_order_id: str | None
    order_id: int | None
    reason: str | None = Field(examples=[None, "INSUFFICIENT_MARGIN", "NOT_ON_TICK"])
    filled_quantity: int
    seq: int
    ts: datetime


class OrderPublic(_Public):
    """One of the caller's orders."""

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


class PriceLevelPublic(_Public):
    """Visible quantity and order count at one price."""

    price: Decimal
    price_ticks: int
    quantity: int
    orders: int


class BookPublic(_Public):
    """Price levels of one contract, best first, with last price, phase and venue seq."""

    contract: str
    bids: list[PriceLevelPublic]
    asks: list[PriceLevelPublic]
    last_price: Decimal | None
    phase: str
    seq: int


class TradePublic(_Public):
    """A printed trade (no account names)."""

    trade_id: int
    contract: str
    price: Decimal
    price_ticks: int
    quantity: int
    aggressor_side: str | None
    ts: datetime


class SettlementPublic(_Public):
    """A daily or final settlement price and how it was determined."""

    contract: str
    day: date
    price: Decimal
    price_ticks: int
    kind: str
    tier: str


class ContractPublic(_Public):
    """A listed contract."""

    symbol: str
    product: str
    tick_size: Decimal
    last_trading_day: date
    expiry: datetime
    phase: str
    prior_settlement: Decimal


class PositionPublic(_Public):
    """Net lots of one contract, its mark, and P&L against the account's trade prices."""

    contract: str
    quantity: int
    mark_price: Decimal | None
    average_price: Decimal | None = None
    realised_pnl: Decimal = Decimal(0)
    unrealised_pnl: Decimal | None = None


class MarginPublic(_Public):
    """Collateral against requirements, and an open margin call if any."""

    account: str
    collateral: Decimal
    initial: Decimal
    maintenance: Decimal
    excess: Decimal
    call_amount: Decimal | None
    call_deadline: datetime | None


class LedgerLinePublic(_Public):
    """One posting to the caller's collateral with the running balance."""

    entry: int
    memo: str
    amount: Decimal
    balance: Decimal


class FixingPublic(_Public):
    """A Token Price Index fix with its audit trail."""

    day: date
    level: Decimal | None
    status: str
    audit: dict[str, Any]
    seq: int
    revision: int = 0
    published_at: datetime | None = None
    recorded_at: datetime | None = None
    reason: str = "original"


class FinalSettlementAuditPublic(BaseModel):
    """A contract's final-settlement audit as the venue journalled it (or why it is not settled)."""

    symbol: str
    settled: bool
    audit: dict[str, Any]


class MassCancelPublic(BaseModel):
    """Acks of a mass cancel, one per cancelled order."""

    cancelled: list[OrderAckPublic]


class Health(BaseModel):
    """Liveness answer (also the benchmark's baseline route)."""

    status: Literal["ok"] = "ok"
