"""Order-entry handlers of the engine: new, cancel, replace, mass cancel.

One handler per command, for every order type and phase; the checks shared with the compiled
array path live in ``validation`` (ADR 0369). A plain order that does not cross the book rests
without entering the aggressor loop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import session
from tokenfutures.exchange.commands import (
    CancelOrder,
    MassCancel,
    NewOrder,
    ReplaceOrder,
)
from tokenfutures.exchange.events import OrderAccepted, OrderRejected, OrderReplaced
from tokenfutures.exchange.matching import (
    MATCH_DONE,
    MATCH_HALT_SESSION,
    MATCH_HALT_SHORT,
    cancel_event,
    fire_stops,
    fok_fillable,
    match_aggressor,
    rest_or_cancel,
)
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import ContractState, ExchangeState
from tokenfutures.exchange.types import (
    CancelReason,
    OrderType,
    Phase,
    RejectReason,
    TimeInForce,
)
from tokenfutures.exchange.validation import REASONS, cancel_problem, price_problem, size_problem

_CONTINUOUS = Phase.CONTINUOUS
_LIMIT = OrderType.LIMIT
_MARKET = OrderType.MARKET
_STOP = OrderType.STOP_LIMIT
_GTC = TimeInForce.GTC
_IOC = TimeInForce.IOC
_FOK = TimeInForce.FOK
_GTD = TimeInForce.GTD

Events = list[Any]


def reject(
    state: ExchangeState,
    events: Events,
    ts: datetime,
    reason: RejectReason,
    contract: str | None = None,
    account: str | None = None,
    client_order_id: str | None = None,
    order_id: int | None = None,
) -> None:
    """Append a rejection event."""
    state.seq += 1
    events.append(
        OrderRejected(state.seq, ts, contract, account, client_order_id, order_id, reason)
    )


def _price_problem(cs: ContractState, price: int | None) -> RejectReason | None:
    if price is None:
        return RejectReason.PRICE_MISSING
    code = price_problem(price, cs.step, cs.band_lo, cs.band_hi)
    return REASONS[code] if code else None


def _phase_problem(cs: ContractState, cmd: NewOrder) -> RejectReason | None:
    phase = cs.phase
    if phase == _CONTINUOUS:
        return None
    if phase == Phase.CLOSED:
        return RejectReason.MARKET_CLOSED
    if phase == Phase.EXPIRED:
        return RejectReason.EXPIRED
    if phase == Phase.HALTED and cs.halt_until is None:
        return RejectReason.HALTED
    if cmd.tif in (_IOC, _FOK) or cmd.order_type == _MARKET:
        return RejectReason.HALTED if phase == Phase.HALTED else RejectReason.NOT_ALLOWED_IN_PHASE
    return None


def _order_problem(state: ExchangeState, cs: ContractState, cmd: NewOrder) -> RejectReason | None:
    """Static validation of a new order (everything that needs no matching)."""
    (ts, _, account, coid, _, qty, price, kind, tif, expire_at, _, display, stop, _, _) = cmd
    if qty <= 0:
        return REASONS[size_problem(qty)]
    if cs.phase is not _CONTINUOUS:
        problem = _phase_problem(cs, cmd)
        if problem is not None:
            return problem
    if kind != _MARKET:
        if price is None:
            return RejectReason.PRICE_MISSING
        code = price_problem(price, cs.step, cs.band_lo, cs.band_hi)
        if code:
            return REASONS[code]
    if kind == _STOP:
        if stop is None:
            return RejectReason.PRICE_MISSING
        code = price_problem(stop, cs.step, 1, stop)
        if code:
            return REASONS[code]
    if display is not None and not 0 < display <= qty:
        return RejectReason.INVALID_DISPLAY_QUANTITY
    if tif == _GTD and (expire_at is None or expire_at <= ts):
        return RejectReason.INVALID_EXPIRY
    if (account, coid) in state.client_ids:
        return RejectReason.DUPLICATE_CLIENT_ORDER_ID
    return None


def _market_limit(cs: ContractState, cmd: NewOrder) -> int | None:
    """Protection price of a market order: best opposite ± the protection band, or None."""
    book = cs.book
    protection = cs.rules.market_protection_ticks
    if cmd.side > 0:
        best = book.best_ask()
        return None if best is None else best + protection
    best = book.best_bid()
    return None if best is None else max(1, best - protection)


def _crosses(cs: ContractState, side: int, price: int) -> bool:
    if side > 0:
        best = cs.book.best_ask()
        return best is not None and best <= price
    best = cs.book.best_bid()
    return best is not None and best >= price


def on_new_order(state: ExchangeState, cmd: NewOrder, events: Events) -> None:
    """Validate, accept and match or rest a new order (stops wait for their trigger)."""
    (ts, contract, account, coid, side, qty, price, kind, tif, expire_at, post, display, stop,
     group, mode) = cmd  # fmt: skip
    cs = state.contracts.get(contract)
    if cs is None:
        reject(state, events, ts, RejectReason.UNKNOWN_CONTRACT, contract, account, coid)
        return
    problem = _order_problem(state, cs, cmd)
    if problem is None and kind == _MARKET:
        price = _market_limit(cs, cmd)
        if price is None:
            problem = RejectReason.NO_LIQUIDITY
    continuous = cs.phase is _CONTINUOUS
    if problem is None and post and continuous and kind != _STOP and _crosses(cs, side, price):  # type: ignore[arg-type]
        problem = RejectReason.POST_ONLY_WOULD_CROSS
    order_id = state.next_order_id
    if problem is None:
        order = Order(order_id, account, coid, side, price, qty, tif, state.next_priority,  # type: ignore[arg-type]
                      display or 0, expire_at, group, mode, post, stop)  # fmt: skip
        if tif == _FOK and continuous and kind != _STOP and not fok_fillable(cs, order):
            problem = RejectReason.FOK_NOT_FILLABLE
    if problem is not None:
        reject(state, events, ts, problem, contract, account, coid)
        return
    state.next_order_id = order_id + 1
    state.next_priority += 1
    state.client_ids.add((account, coid))
    seq = state.seq + 1
    state.seq = seq
    events.append(
        OrderAccepted(seq, ts, cs.symbol, order_id, coid, account, side, kind, price, qty)
    )
    if kind == _STOP:
        cs.stops[order_id] = order
        if continuous:
            after_trading(state, cs, ts, events, MATCH_DONE, traded=True)
        return
    execute(state, cs, order, ts, events)


def execute(
    state: ExchangeState, cs: ContractState, order: Order, ts: datetime, events: Events
) -> None:
    """Match an accepted priced order (if the market is continuous), then rest or cancel the rest.

    An order that does not cross the book skips the aggressor loop (it would trade nothing).
    """
    if cs.phase is _CONTINUOUS:
        book = cs.book
        if order.side > 0:
            best = book.best_ask()
            crosses = best is not None and best <= order.price
        else:
            best = book.best_bid()
            crosses = best is not None and best >= order.price
        if crosses:
            before = len(events)
            outcome = match_aggressor(state, cs, order, ts, events)
            rest_or_cancel(state, cs, order, ts, events, outcome)
            if outcome or len(events) > before:
                after_trading(state, cs, ts, events, outcome, traded=True)
            return
    rest_or_cancel(state, cs, order, ts, events, MATCH_DONE)


def after_trading(
    state: ExchangeState,
    cs: ContractState,
    ts: datetime,
    events: Events,
    outcome: int,
    traded: bool,
) -> None:
    """Halt on a limit breach, fire triggered stops, and check the book is not crossed."""
    if outcome in (MATCH_HALT_SHORT, MATCH_HALT_SESSION):
        session.start_halt(state, cs, ts, events, outcome == MATCH_HALT_SESSION)
        return
    if traded and cs.stops:
        outcome = fire_stops(state, cs, ts, events)
        if outcome in (MATCH_HALT_SHORT, MATCH_HALT_SESSION):
            session.start_halt(state, cs, ts, events, outcome == MATCH_HALT_SESSION)
            return
    if cs.phase == _CONTINUOUS:
        bid = cs.book.best_bid()
        ask = cs.book.best_ask()
        if bid is not None and ask is not None and bid >= ask:
            raise InvariantError(f"{cs.symbol}: book crossed after matching ({bid} >= {ask})")


def _find(cs: ContractState, order_id: int) -> Order | None:
    order = cs.book.get(order_id)
    return order if order is not None else cs.stops.get(order_id)


def _ownership(order: Order | None, account: str) -> int:
    """``validation.cancel_problem`` of an order looked up for ``account``."""
    return cancel_problem(order is not None, order is not None and order.account == account)


def on_cancel(state: ExchangeState, cmd: CancelOrder, events: Events) -> None:
    """Cancel a resting order or a pending stop of its owner."""
    ts, contract, account, order_id = cmd
    cs = state.contracts.get(contract)
    if cs is None:
        reason = RejectReason.UNKNOWN_CONTRACT
        reject(state, events, ts, reason, contract, account, None, order_id)
        return
    book = cs.book
    order = book.get(order_id)
    resting = order is not None
    if not resting:
        order = cs.stops.get(order_id)
    code = _ownership(order, account)
    if code or order is None:
        reject(state, events, ts, REASONS[code], contract, account, None, order_id)
        return
    if resting:
        book.remove(order)
    else:
        del cs.stops[order_id]
    events.append(cancel_event(state, cs, order, ts, CancelReason.USER))


def on_replace(state: ExchangeState, cmd: ReplaceOrder, events: Events) -> None:
    ts = cmd.ts
    cs = state.contracts.get(cmd.contract)
    if cs is None:
        reject(
            state,
            events,
            ts,
            RejectReason.UNKNOWN_CONTRACT,
            cmd.contract,
            cmd.account,
            None,
            cmd.order_id,
        )
        return
    order = _find(cs, cmd.order_id)
    problem: RejectReason | None = None
    code = _ownership(order, cmd.account) or size_problem(cmd.quantity)
    if code:
        problem = REASONS[code]
    elif cs.phase in (Phase.CLOSED, Phase.EXPIRED):
        problem = RejectReason.MARKET_CLOSED
    elif cs.phase == Phase.HALTED and cs.halt_until is None:
        problem = RejectReason.HALTED
    else:
        problem = _price_problem(cs, cmd.price_ticks)
    if problem is None and order is not None and order.display and order.display > cmd.quantity:
        problem = RejectReason.INVALID_DISPLAY_QUANTITY
    resting = order is not None and order.order_id not in cs.stops
    if (
        problem is None
        and order is not None
        and resting
        and order.post_only
        and cs.phase == _CONTINUOUS
        and cmd.price_ticks != order.price
        and _crosses(cs, order.side, cmd.price_ticks)
    ):
        problem = RejectReason.POST_ONLY_WOULD_CROSS
    if problem is not None or order is None:
        reject(
            state,
            events,
            ts,
            problem or RejectReason.UNKNOWN_ORDER,
            cmd.contract,
            cmd.account,
            None,
            cmd.order_id,
        )
        return
    keep = cmd.price_ticks == order.price and cmd.quantity <= order.quantity
    state.seq += 1
    events.append(
        OrderReplaced(
            state.seq,
            ts,
            cs.symbol,
            order.order_id,
            order.account,
            cmd.price_ticks,
            cmd.quantity,
            keep,
        )
    )
    if not resting:
        order.price = cmd.price_ticks
        order.quantity = cmd.quantity
        return
    if keep:
        order.quantity = cmd.quantity
        if order.visible > cmd.quantity:
            order.visible = cmd.quantity
        return
    cs.book.remove(order)
    order.price = cmd.price_ticks
    order.quantity = cmd.quantity
    order.priority = state.next_priority
    state.next_priority += 1
    execute(state, cs, order, ts, events)


def on_mass_cancel(state: ExchangeState, cmd: MassCancel, events: Events) -> None:
    if cmd.contract is not None and cmd.contract not in state.contracts:
        reject(state, events, cmd.ts, RejectReason.UNKNOWN_CONTRACT, cmd.contract, cmd.account)
        return
    names = sorted(state.contracts) if cmd.contract is None else [cmd.contract]
    for name in names:
        cs = state.contracts[name]
        session.cancel_where(
            state, cs, cmd.ts, events, CancelReason.MASS_CANCEL, lambda o: o.account == cmd.account
        )
