"""The Python engine's fast lane for plain orders and owners' cancels, behind ``apply_many``.

An implementation detail of the engine (ADR 0369), chosen per command by its *shape* (a plain
limit GTC/Day/IOC order in continuous trading; a cancel of a resting order by its owner): it
states no rule. Validation is ``validation``'s checks, any problem hands the command to the
general handler (which emits the rejection), and crossing, resting and IOC remainders are
``handlers.execute`` and ``matching.rest_or_cancel``. What it saves is CPython call overhead:
events and orders built without a Python-level constructor frame. The differential suite runs
the engine with and without this lane (``apply_many(..., fast=False)``) and demands identical
events and state hashes.
"""

from __future__ import annotations

from typing import Any

from tokenfutures.exchange import handlers
from tokenfutures.exchange.commands import CancelOrder, NewOrder
from tokenfutures.exchange.events import OrderAccepted
from tokenfutures.exchange.matching import MATCH_DONE, cancel_event, rest_or_cancel
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import ExchangeState
from tokenfutures.exchange.types import CancelReason, OrderType, Phase, TimeInForce
from tokenfutures.exchange.validation import price_problem, size_problem

_new = tuple.__new__  # a named tuple from its fields without its Python-level __new__
_blank = object.__new__  # an Order whose slots are set here, without its __init__ frame
_CONTINUOUS = Phase.CONTINUOUS
_USER = CancelReason.USER
_LIMIT = OrderType.LIMIT
_GTC, _DAY, _IOC = TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC


def on_new_order(state: ExchangeState, cmd: NewOrder, events: list[Any]) -> None:
    """A plain limit order in continuous trading; any other shape or any problem goes general."""
    (ts, contract, account, coid, side, qty, price, kind, tif, expire_at, post, display, stop, group,
     mode) = cmd  # fmt: skip
    cs = state.contracts.get(contract)
    if (
        cs is None
        or cs.phase is not _CONTINUOUS
        or kind is not _LIMIT
        or post
        or display is not None
        or stop is not None
        or not (tif is _GTC or tif is _DAY or tif is _IOC)
        or price is None
        or size_problem(qty)
        or price_problem(price, cs.step, cs.band_lo, cs.band_hi)
    ):
        handlers.on_new_order(state, cmd, events)
        return
    client_ids = state.client_ids
    known = len(client_ids)
    client_ids.add((account, coid))
    if len(client_ids) == known:  # already taken: the general handler rejects it
        handlers.on_new_order(state, cmd, events)
        return
    oid = state.next_order_id
    state.next_order_id = oid + 1
    priority = state.next_priority
    state.next_priority = priority + 1
    seq = state.seq + 1
    state.seq = seq
    events.append(
        _new(OrderAccepted, (seq, ts, contract, oid, coid, account, side, kind, price, qty))
    )
    order = _blank(Order)  # Order.__init__'s fields for a plain order
    order.order_id = oid
    order.account = account
    order.client_order_id = coid
    order.side = side
    order.price = price
    order.quantity = order.visible = qty
    order.display = 0
    order.tif = tif
    order.priority = priority
    order.expire_at = expire_at
    order.stp_group = group
    order.stp_mode = mode
    order.post_only = post
    order.stop_price = None
    order.live = True
    book = cs.book
    best = book.best_ask() if side > 0 else book.best_bid()
    if best is not None and (best <= price if side > 0 else best >= price):
        handlers.execute(state, cs, order, ts, events)
    else:
        rest_or_cancel(state, cs, order, ts, events, MATCH_DONE)


def on_cancel(state: ExchangeState, cmd: CancelOrder, events: list[Any]) -> None:
    """A resting order cancelled by its owner; stops, errors and rejections go general."""
    ts, contract, account, order_id = cmd
    cs = state.contracts.get(contract)
    if cs is not None:
        order = cs.book.get(order_id)
        if order is not None and order.account == account:
            cs.book.remove(order)
            events.append(cancel_event(state, cs, order, ts, _USER))
            return
    handlers.on_cancel(state, cmd, events)
