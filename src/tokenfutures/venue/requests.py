"""Turn a client's ``OrderRequest`` into the engine's ``NewOrder`` (Decimal prices → ticks)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tokenfutures.exchange import NewOrder, OrderType, Side, TimeInForce
from tokenfutures.exchange.types import RejectReason, StpMode
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.views import UNKNOWN_ACCOUNT, OrderRequest

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SIDES = {"buy": Side.BUY, "sell": Side.SELL}
_STP = {
    "none": None,
    "cancel_resting": StpMode.CANCEL_RESTING,
    "cancel_aggressing": StpMode.CANCEL_AGGRESSING,
    "cancel_both": StpMode.CANCEL_BOTH,
}
_TYPES = {"limit": OrderType.LIMIT, "market": OrderType.MARKET, "stop_limit": OrderType.STOP_LIMIT}
_TIFS = {
    "day": TimeInForce.DAY,
    "gtc": TimeInForce.GTC,
    "ioc": TimeInForce.IOC,
    "fok": TimeInForce.FOK,
    "gtd": TimeInForce.GTD,
}


def _ticks(price: Decimal | None, ticks: int | None, tick: Decimal) -> int | str | None:
    if ticks is not None:
        return ticks
    if price is None:
        return None
    return price_to_ticks(price, tick)


def price_to_ticks(price: Decimal, tick: Decimal) -> int | str:
    """``price`` in whole ticks of ``tick``, or the reject reason name when it is not on tick."""
    if not price.is_finite():
        return RejectReason.PRICE_NOT_POSITIVE.name
    exact = price / tick
    if exact != exact.to_integral_value():
        return RejectReason.NOT_ON_TICK.name
    return int(exact)


def to_new_order(state: VenueState, account: str, request: OrderRequest) -> NewOrder | str:
    """The ``NewOrder`` for ``request`` (ts stamped later), or a rejection reason name.

    An unknown account is refused here, before the journal: its name was never checked
    against the journal's limits and must not fail a whole group commit.
    """
    if account not in state.accounts:
        return UNKNOWN_ACCOUNT
    tick = state.tick_size(request.contract)
    price = _ticks(request.price, request.price_ticks, tick)
    stop = _ticks(request.stop_price, request.stop_price_ticks, tick)
    if isinstance(price, str):
        return price
    if isinstance(stop, str):
        return stop
    named = request.self_trade_prevention  # None: the account's default (ADR 0432)
    stp = _STP[(named or state.account_stp.get(account, "none")).lower()]
    return NewOrder(
        _EPOCH,
        request.contract,
        account,
        request.client_order_id,
        _SIDES[request.side.lower()],
        request.quantity,
        price,
        _TYPES[request.order_type.lower()],
        _TIFS[request.tif.lower()],
        request.expire_at,
        request.post_only,
        request.display_quantity,
        stop,
        None if stp is None else account,  # the account's own orders form its STP group
        StpMode.CANCEL_RESTING if stp is None else stp,
    )
