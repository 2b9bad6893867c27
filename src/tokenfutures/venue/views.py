"""What the venue's facade takes and returns: small frozen dataclasses with ``to_dict()``.

``to_dict()`` is JSON-ready: ``Decimal`` as canonical strings, dates and times in ISO 8601,
enums by name. The API layer turns these into its pydantic schemas.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from tokenfutures.core.errors import InvalidParameterError

#: Venue-level rejection reasons beside the exchange's ``RejectReason`` names.
INSUFFICIENT_MARGIN = "INSUFFICIENT_MARGIN"
UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT"
ACCOUNT_IN_DEFAULT = "ACCOUNT_IN_DEFAULT"
INVALID_PRICE = "INVALID_PRICE"


def jsonable(value: Any) -> Any:
    """``value`` with Decimals, Fractions, dates, enums, tuples and dataclasses as JSON types.

    Decimals and Fractions become exact strings (``"0.25"``, ``"1/3"``), never floats.
    """
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.name
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


class _View:
    """Mixin: ``to_dict()`` of a frozen dataclass."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The view as a JSON-ready dict (Decimal as strings)."""
        result: dict[str, Any] = jsonable(self)
        return result


#: Self-trade prevention per order: none, or which side of a self-match to cancel.
STP_CHOICES = ("none", "cancel_resting", "cancel_aggressing", "cancel_both")


@dataclasses.dataclass(frozen=True, slots=True)
class OrderRequest(_View):
    """An order as a client sends it: price as ``Decimal`` (``price``) or ticks (``price_ticks``).

    ``side`` is ``"buy"``/``"sell"``; ``order_type`` ``"limit"``/``"market"``/``"stop_limit"``;
    ``tif`` ``"day"``/``"gtc"``/``"ioc"``/``"fok"``/``"gtd"`` (with ``expire_at``).
    ``self_trade_prevention`` ``"none"`` or what to cancel when the order would trade against
    the same account's resting order: ``"cancel_resting"``/``"cancel_aggressing"``/
    ``"cancel_both"`` (ADR 0410).
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
    self_trade_prevention: str = "none"

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
        if self.self_trade_prevention.lower() not in STP_CHOICES:
            raise InvalidParameterError(
                "self_trade_prevention", self.self_trade_prevention, f"one of {STP_CHOICES}"
            )


@dataclasses.dataclass(frozen=True, slots=True)
class OrderAck(_View):
    """The answer to an order command: ``status`` is ``"accepted"``, ``"cancelled"`` or ``"rejected"``.

    ``reason`` names an exchange ``RejectReason`` or ``INSUFFICIENT_MARGIN``/``UNKNOWN_ACCOUNT``.
    ``filled_quantity`` is what traded while the command was applied.
    """

    status: str
    account: str
    contract: str | None
    client_order_id: str | None
    order_id: int | None
    reason: str | None
    filled_quantity: int
    seq: int
    ts: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class OrderView(_View):
    """One order as its owner sees it: open, filled and cancelled lots and its status."""

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
class PriceLevel(_View):
    """Aggregated visible quantity and order count at one price."""

    price: Decimal
    price_ticks: int
    quantity: int
    orders: int


@dataclasses.dataclass(frozen=True, slots=True)
class BookView(_View):
    """Top of the book of one contract, best first, with the last trade, phase and venue seq."""

    contract: str
    bids: tuple[PriceLevel, ...]
    asks: tuple[PriceLevel, ...]
    last_price: Decimal | None
    phase: str
    seq: int


@dataclasses.dataclass(frozen=True, slots=True)
class TradeView(_View):
    """A printed trade (public: no account names)."""

    trade_id: int
    contract: str
    price: Decimal
    price_ticks: int
    quantity: int
    aggressor_side: str | None
    ts: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class SettlementView(_View):
    """A daily (or final) settlement price of one contract and how it was made."""

    contract: str
    day: date
    price: Decimal
    price_ticks: int
    kind: str
    tier: str


@dataclasses.dataclass(frozen=True, slots=True)
class ContractView(_View):
    """A listed contract: symbol, product, tick, last trading day, phase, prior settlement."""

    symbol: str
    product: str
    tick_size: Decimal
    last_trading_day: date
    expiry: datetime
    phase: str
    prior_settlement: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class PositionView(_View):
    """Net lots of one contract, its mark, and P&L against the account's trade prices."""

    contract: str
    quantity: int
    mark_price: Decimal | None
    average_price: Decimal | None = None
    realised_pnl: Decimal = Decimal(0)
    unrealised_pnl: Decimal | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class MarginView(_View):
    """An account's collateral against its requirement, and any open margin call."""

    account: str
    collateral: Decimal
    initial: Decimal
    maintenance: Decimal
    excess: Decimal
    call_amount: Decimal | None
    call_deadline: datetime | None


@dataclasses.dataclass(frozen=True, slots=True)
class LedgerLine(_View):
    """One posting to an account's collateral, with the entry's memo and the running balance."""

    entry: int
    memo: str
    amount: Decimal
    balance: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class FixingView(_View):
    """A TPI fix the venue ingested: level, status, audit (JSON-ready) and its revision.

    ``published_at`` is when the index published this value, ``recorded_at`` when the venue
    journalled it (the "as known at" axis); revision 0 is the original, later ones corrections.
    """

    day: date
    level: Decimal | None
    status: str
    audit: Mapping[str, Any]
    seq: int
    revision: int = 0
    published_at: datetime | None = None
    recorded_at: datetime | None = None
    reason: str = "original"


@dataclasses.dataclass(frozen=True, slots=True)
class MarginBacktestView(_View):
    """A contract's IM backtest so far: 2-day breaches of long and short lots, Kupiec at 99 %."""

    observations: int
    breaches: int
    breach_rate: float
    p_value: float
    rejected: bool


@dataclasses.dataclass(frozen=True, slots=True)
class EndOfDayReport(_View):
    """What an end of day did: settlement prices, VM, calls, final settlements, defaults."""

    day: date
    settlements: tuple[SettlementView, ...]
    variation_margin: Mapping[str, Decimal]
    margin_calls: Mapping[str, Decimal]
    final_settlements: tuple[SettlementView, ...]
    seq: int
    defaults: tuple[str, ...] = ()
    final_audits: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)
    margin_method: str = "paper-eq7"
    margin_backtest: Mapping[str, MarginBacktestView] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class StreamMessage(_View):
    """One message of a stream: gap-free ``seq`` per stream, a ``type`` and its ``data``."""

    stream: str
    seq: int
    type: str
    data: Mapping[str, Any]
