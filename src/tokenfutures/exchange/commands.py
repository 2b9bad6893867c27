"""Commands the engine applies; each carries its own timestamp (the engine never reads a clock).

Commands are immutable named tuples: cheap to build on the hot path, hashable, and replayable.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tokenfutures.exchange.rules import InstrumentRules
from tokenfutures.exchange.types import OrderType, Side, StpMode, TimeInForce


class NewOrder(NamedTuple):
    """Enter an order; ``price_ticks`` is the limit (None for market orders)."""

    ts: datetime
    contract: str
    account: str
    client_order_id: str
    side: Side
    quantity: int
    price_ticks: int | None = None
    order_type: OrderType = OrderType.LIMIT
    tif: TimeInForce = TimeInForce.GTC
    expire_at: datetime | None = None
    post_only: bool = False
    display_quantity: int | None = None
    stop_price_ticks: int | None = None
    stp_group: str | None = None
    stp_mode: StpMode = StpMode.CANCEL_RESTING


class CancelOrder(NamedTuple):
    """Cancel one live order of ``account``."""

    ts: datetime
    contract: str
    account: str
    order_id: int


class ReplaceOrder(NamedTuple):
    """Change price and/or open quantity; priority is kept only for a pure size decrease."""

    ts: datetime
    contract: str
    account: str
    order_id: int
    price_ticks: int
    quantity: int


class MassCancel(NamedTuple):
    """Cancel every live order of ``account`` (in one contract, or all when ``contract`` is None)."""

    ts: datetime
    account: str
    contract: str | None = None


class ListContract(NamedTuple):
    """Add a contract to the state, closed, with its trading rules."""

    ts: datetime
    rules: InstrumentRules


class StartSession(NamedTuple):
    """Begin a session: pre-open (orders rest, no matching); optionally a new prior settlement."""

    ts: datetime
    contract: str
    prior_settlement_ticks: int | None = None


class OpenMarket(NamedTuple):
    """End pre-open: uncross the book in the opening auction, then trade continuously."""

    ts: datetime
    contract: str


class CloseMarket(NamedTuple):
    """End the session: Day orders are cancelled; on the last trading day every order is."""

    ts: datetime
    contract: str


class SettleDay(NamedTuple):
    """Fix the daily settlement price from the session's trades and book (``ts`` ends the window).

    ``neighbour_change_ticks`` and ``fair_value_ticks`` feed the lower fallback tiers.
    """

    ts: datetime
    contract: str
    neighbour_change_ticks: int | None = None
    fair_value_ticks: int | None = None


class AdvanceTime(NamedTuple):
    """Let time pass: fires due timers (GTD expiries, ends of halts)."""

    ts: datetime


Command = (
    NewOrder
    | CancelOrder
    | ReplaceOrder
    | MassCancel
    | ListContract
    | StartSession
    | OpenMarket
    | CloseMarket
    | SettleDay
    | AdvanceTime
)
