"""Hot paths of the engine: a plain limit/IOC order in continuous trading, and an owner's cancel.

Everything else falls through to ``handlers``. The fast path must emit exactly the events the
general path would (the shared property suite checks both books; ADR 0352 on the trade-offs).
"""

from __future__ import annotations

from typing import Any

from tokenfutures.exchange import handlers
from tokenfutures.exchange.commands import CancelOrder, NewOrder
from tokenfutures.exchange.events import OrderAccepted, OrderCancelled
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import ExchangeState
from tokenfutures.exchange.types import CancelReason, OrderType, Phase, Side, TimeInForce

_new = tuple.__new__
_blank = object.__new__
_CONTINUOUS = Phase.CONTINUOUS
_LIMIT = OrderType.LIMIT
_BUY = Side.BUY
_GTC = TimeInForce.GTC
_DAY = TimeInForce.DAY
_IOC = TimeInForce.IOC
_USER = CancelReason.USER
_IOC_REMAINDER = CancelReason.IOC_REMAINDER


def on_new_order(state: ExchangeState, cmd: NewOrder, events: list[Any]) -> None:
    """Accept and place a plain limit (GTC/Day) or IOC order; anything unusual goes the long way."""
    (
        ts,
        contract,
        account,
        coid,
        side,
        qty,
        price,
        otype,
        tif,
        _exp,
        post,
        display,
        stop,
        group,
        mode,
    ) = cmd
    cs = state.contracts.get(contract)
    if (
        cs is None
        or cs.phase is not _CONTINUOUS
        or otype is not _LIMIT
        or post
        or display is not None
        or stop is not None
        or not (tif is _GTC or tif is _IOC or tif is _DAY)
        or qty <= 0
        or price is None
        or price < cs.band_lo
        or price > cs.band_hi
        or price % cs.step
    ):
        handlers.on_new_order(state, cmd, events)
        return
    client_ids = state.client_ids
    known = len(client_ids)
    client_ids.add((account, coid))
    if len(client_ids) == known:  # a duplicate: the general path rejects it
        handlers.on_new_order(state, cmd, events)
        return
    oid = state.next_order_id
    state.next_order_id = oid + 1
    priority = state.next_priority
    state.next_priority = priority + 1
    seq = state.seq + 1
    state.seq = seq
    events.append(
        _new(OrderAccepted, (seq, ts, contract, oid, coid, account, side, otype, price, qty))
    )
    order = _blank(Order)  # the fields of Order.__init__, without the call (hot path)
    order.order_id = oid
    order.account = account
    order.client_order_id = coid
    order.side = side
    order.price = price
    order.quantity = order.visible = qty
    order.display = 0
    order.tif = tif
    order.priority = priority
    order.expire_at = None
    order.stp_group = group
    order.stp_mode = mode
    order.post_only = False
    order.stop_price = None
    order.live = True
    book = cs.book
    if side is _BUY:
        best = book.best_ask()
        crosses = best is not None and best <= price
    else:
        best = book.best_bid()
        crosses = best is not None and best >= price
    if crosses:
        handlers.execute(state, cs, order, ts, events)
    elif tif is _IOC:
        order.live = False
        state.seq = seq + 1
        events.append(
            _new(OrderCancelled, (seq + 1, ts, contract, oid, account, qty, _IOC_REMAINDER))
        )
    else:
        book.add(order)


def on_cancel(state: ExchangeState, cmd: CancelOrder, events: list[Any]) -> None:
    """Cancel a resting order of its owner in O(1); stops, errors and rejections go the long way."""
    ts, contract, account, order_id = cmd
    cs = state.contracts.get(contract)
    if cs is not None:
        book = cs.book
        order = book.get(order_id)
        if order is not None and order.account == account:
            book.remove(order)
            order.live = False
            seq = state.seq + 1
            state.seq = seq
            events.append(
                _new(OrderCancelled, (seq, ts, contract, order_id, account, order.quantity, _USER))
            )
            return
    handlers.on_cancel(state, cmd, events)
