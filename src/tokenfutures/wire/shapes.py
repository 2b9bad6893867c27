"""The public shapes: what the venue returns, the API sends and the client reads (msgspec).

One definition per shape (ADR 0003). Money and prices are ``Decimal`` (written as exact
strings), sizes ``int`` lots, times timezone-aware ``datetime``; enumerations travel as their
names (strings). Shapes are frozen and untracked by
the garbage collector (``gc=False``: they hold no cycles).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec

from tokenfutures.wire.codec import jsonable


class Shape(msgspec.Struct, frozen=True, gc=False):
    """Base of every public shape: a frozen msgspec struct with ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]:
        """The shape as JSON-ready builtins (what the codec writes)."""
        result: dict[str, Any] = jsonable(self)
        return result


class OrderAck(Shape, frozen=True):
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

    @property
    def rejected(self) -> bool:
        """True when the venue refused the command."""
        return self.status == "rejected"


class MassCancel(Shape, frozen=True):
    """Acks of a mass cancel, one per cancelled order."""

    cancelled: tuple[OrderAck, ...]


class Order(Shape, frozen=True):
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


class PriceLevel(Shape, frozen=True):
    """Aggregated visible quantity and order count at one price."""

    price: Decimal
    price_ticks: int
    quantity: int
    orders: int


class Book(Shape, frozen=True):
    """Top of the book of one contract, best first, with the last trade, phase and venue seq."""

    contract: str
    bids: tuple[PriceLevel, ...]
    asks: tuple[PriceLevel, ...]
    last_price: Decimal | None
    phase: str
    seq: int


class Trade(Shape, frozen=True):
    """A printed trade (public: no account names)."""

    trade_id: int
    contract: str
    price: Decimal
    price_ticks: int
    quantity: int
    aggressor_side: str | None
    ts: datetime


class Settlement(Shape, frozen=True):
    """A daily (or final) settlement price of one contract and how it was made."""

    contract: str
    day: date
    price: Decimal
    price_ticks: int
    kind: str
    tier: str


class Contract(Shape, frozen=True):
    """A listed contract: symbol, product, tick, last trading day, phase, prior settlement."""

    symbol: str
    product: str
    tick_size: Decimal
    last_trading_day: date
    expiry: datetime
    phase: str
    prior_settlement: Decimal


class Position(Shape, frozen=True):
    """Net lots of one contract, its mark, and P&L against the account's trade prices (ADR 0409)."""

    contract: str
    quantity: int
    mark_price: Decimal | None
    average_price: Decimal | None = None
    realised_pnl: Decimal = Decimal(0)
    unrealised_pnl: Decimal | None = None


class Margin(Shape, frozen=True):
    """An account's collateral against its requirement, and any open margin call."""

    account: str
    collateral: Decimal
    initial: Decimal
    maintenance: Decimal
    excess: Decimal
    call_amount: Decimal | None
    call_deadline: datetime | None


class LedgerLine(Shape, frozen=True):
    """One posting to an account's collateral, with the entry's memo and the running balance."""

    entry: int
    memo: str
    amount: Decimal
    balance: Decimal


class Fixing(Shape, frozen=True):
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


class FinalSettlementAudit(Shape, frozen=True):
    """A contract's final-settlement audit as the venue journalled it (or why it is not settled)."""

    symbol: str
    settled: bool
    audit: Mapping[str, Any]


class MarginBacktest(Shape, frozen=True):
    """A contract's IM backtest so far: 2-day breaches of long and short lots, Kupiec at 99 %
    (``rejected``: two-sided; ``undercovered``: too many breaches, one-sided; ADR 0431)."""

    observations: int
    breaches: int
    breach_rate: float
    p_value: float
    rejected: bool
    undercovered: bool = False


class AuctionLot(Shape, frozen=True):
    """One contract of a default auction's portfolio: the lots the winner takes, at what price."""

    contract: str
    quantity: int
    price: Decimal
    price_ticks: int


class Waterfall(Shape, frozen=True):
    """How a default's loss was covered, layer by layer (USD; ADR 0406, 0420)."""

    closeout_loss: Decimal
    defaulter_margin: Decimal
    defaulter_fund: Decimal
    skin_in_the_game: Decimal
    penalties: Decimal
    mutualised_fund: Mapping[str, Decimal]
    assessments: Mapping[str, Decimal]
    uncovered: Decimal


class DefaultAuction(Shape, frozen=True):
    """A defaulter's portfolio auctioned to the members (sealed bids; ADR 0408, 0420): the
    CCP's whole record, kept in the venue (end-of-day reports, replay checks). A member sees
    only its ``MemberAuction`` (ADR 0621).

    While ``status`` is ``"open"`` it holds only the number of bids; once closed, the winner,
    its amount (USD paid to the CCP for the book; negative: paid by the CCP), the forced
    allocation of a failed auction, the non-bidders' penalties and the waterfall. A bid below
    ``reserve`` (the fallback's cost to the CCP) is not accepted. ``status``: ``open``,
    ``awarded``, ``allocated`` (no acceptable bid), ``unallocated`` (nobody to allocate to: the
    CCP keeps the book) or ``empty`` (the defaulter held no positions).
    """

    auction_id: int
    day: date
    defaulter: str
    status: str
    opened: datetime
    closes: datetime
    portfolio: tuple[AuctionLot, ...]
    invited: tuple[str, ...]
    bids_received: int
    reserve: Decimal = Decimal(0)
    winner: str | None = None
    amount: Decimal | None = None
    allocation: Mapping[str, Mapping[str, int]] = msgspec.field(default_factory=dict)
    payments: Mapping[str, Decimal] = msgspec.field(default_factory=dict)
    penalties: Mapping[str, Decimal] = msgspec.field(default_factory=dict)
    waterfall: Waterfall | None = None
    closed: datetime | None = None


class MemberAuction(Shape, frozen=True):
    """A default auction as one invited clearing member sees it (ADR 0621).

    What it prices and when: the portfolio (lots at the settlement prices it moves at), the
    window, the reserve (the published fallback's cost) and the member's own last sealed
    ``bid``. Never the defaulter, the other members invited, their bids or how many came.
    Once closed: the outcome (``status``) and the member's own part of it, namely whether it
    ``won``, the lots it took (``allocation``: won, or forced on it), what it paid the CCP
    for them (``payment``; negative: it was paid), its ``penalty`` for not bidding and the
    waterfall's draw on it (``fund_used``, ``assessment``); zero until then.
    """

    auction_id: int
    day: date
    status: str
    opened: datetime
    closes: datetime
    portfolio: tuple[AuctionLot, ...]
    reserve: Decimal
    bid: Decimal | None = None
    bid_submitted: datetime | None = None
    closed: datetime | None = None
    won: bool = False
    allocation: Mapping[str, int] = msgspec.field(default_factory=dict)
    payment: Decimal = Decimal(0)
    penalty: Decimal = Decimal(0)
    fund_used: Decimal = Decimal(0)
    assessment: Decimal = Decimal(0)


class AuctionBid(Shape, frozen=True):
    """A sealed bid as the venue took it: the member, its amount and when (the last one counts)."""

    auction_id: int
    member: str
    amount: Decimal
    submitted: datetime


class EndOfDayReport(Shape, frozen=True):
    """What an end of day did: settlement prices, VM, calls, final settlements, defaults."""

    day: date
    settlements: tuple[Settlement, ...]
    variation_margin: Mapping[str, Decimal]
    margin_calls: Mapping[str, Decimal]
    final_settlements: tuple[Settlement, ...]
    seq: int
    defaults: tuple[str, ...] = ()
    final_audits: Mapping[str, Mapping[str, Any]] = msgspec.field(default_factory=dict)
    margin_method: str = "paper-eq7"
    margin_backtest: Mapping[str, MarginBacktest] = msgspec.field(default_factory=dict)
    auctions: tuple[DefaultAuction, ...] = ()
    trading_fees: Mapping[str, Decimal] = msgspec.field(default_factory=dict)
    clearing_fees: Mapping[str, Decimal] = msgspec.field(default_factory=dict)
    default_fund: Mapping[str, Decimal] = msgspec.field(default_factory=dict)
    cover2: Decimal = Decimal(0)

    def of_account(self, account: str) -> AccountDay:
        """``account``'s own figures of this end of day (what only it may read)."""
        zero = Decimal(0)
        return AccountDay(
            day=self.day,
            seq=self.seq,
            variation_margin=self.variation_margin.get(account, zero),
            margin_call=self.margin_calls.get(account),
            defaulted=account in self.defaults,
            trading_fees=self.trading_fees.get(account, zero),
            clearing_fees=self.clearing_fees.get(account, zero),
            default_fund=self.default_fund.get(account, zero),
        )


class EndOfDay(Shape, frozen=True):
    """One end of day in public: settlement prices, final settlements and clearing's totals."""

    day: date
    seq: int
    settlements: tuple[Settlement, ...]
    final_settlements: tuple[Settlement, ...]
    variation_margin_paid: Decimal
    margin_calls: int
    margin_called: Decimal
    defaults: int
    margin_method: str = "paper-eq7"
    margin_backtest: Mapping[str, MarginBacktest] = msgspec.field(default_factory=dict)
    trading_fees: Decimal = Decimal(0)
    clearing_fees: Decimal = Decimal(0)
    default_fund: Decimal = Decimal(0)
    cover2: Decimal = Decimal(0)


class AccountDay(Shape, frozen=True):
    """An account's end of day: variation margin (+ received, − paid), its call, a default,
    the fees it was charged (a rebate < 0) and its default-fund contribution after the day."""

    day: date
    seq: int
    variation_margin: Decimal
    margin_call: Decimal | None
    defaulted: bool
    trading_fees: Decimal = Decimal(0)
    clearing_fees: Decimal = Decimal(0)
    default_fund: Decimal = Decimal(0)


class AccountFees(Shape, frozen=True):
    """An account's fees: lots and fees accrued since the last end of day (billed at the next),
    fees billed to date, and its default-fund contribution on hand."""

    account: str
    maker_lots: int
    taker_lots: int
    trading_fees_accrued: Decimal
    clearing_fees_accrued: Decimal
    fees_billed: Decimal
    default_fund: Decimal


class StreamMessage(Shape, frozen=True):
    """One message of a stream: gap-free ``seq`` per stream, a ``type`` and its ``data``."""

    stream: str
    seq: int
    type: str
    data: Mapping[str, Any]
