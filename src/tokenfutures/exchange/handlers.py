"""Order-entry handlers of the engine (general path): new, cancel, replace, mass cancel.

``fastpath`` handles the common cases (a plain limit or IOC in continuous trading, a cancel by
the owner) and falls back to these for everything else; both must emit identical events.
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
    if price <= 0:
        return RejectReason.PRICE_NOT_POSITIVE
    if price % cs.rules.price_step_ticks:
        return RejectReason.NOT_ON_TICK
    if price < cs.band_lo or price > cs.band_hi:
        return RejectReason.OUTSIDE_BAND
    return None


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
    if cmd.quantity <= 0:
        return RejectReason.SIZE_NOT_POSITIVE
    problem = _phase_problem(cs, cmd)
    if problem is not None:
        return problem
    kind = cmd.order_type
    if kind != _MARKET:
        problem = _price_problem(cs, cmd.price_ticks)
        if problem is not None:
            return problem
    if kind == _STOP:
        stop = cmd.stop_price_ticks
        if stop is None:
            return RejectReason.PRICE_MISSING
        if stop <= 0:
            return RejectReason.PRICE_NOT_POSITIVE
        if stop % cs.rules.price_step_ticks:
            return RejectReason.NOT_ON_TICK
    display = cmd.display_quantity
    if display is not None and not 0 < display <= cmd.quantity:
        return RejectReason.INVALID_DISPLAY_QUANTITY
    if cmd.tif == _GTD and (cmd.expire_at is None or cmd.expire_at <= cmd.ts):
        return RejectReason.INVALID_EXPIRY
    if (cmd.account, cmd.client_order_id) in state.client_ids:
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
            cmd.client_order_id,
        )
        return
    problem = _order_problem(state, cs, cmd)
    price = cmd.price_ticks
    if problem is None and cmd.order_type == _MARKET:
        price = _market_limit(cs, cmd)
        if price is None:
            problem = RejectReason.NO_LIQUIDITY
    if (
        problem is None
        and cs.phase == _CONTINUOUS
        and cmd.order_type != _STOP
        and cmd.post_only
        and _crosses(cs, cmd.side, price)  # type: ignore[arg-type]
    ):
        problem = RejectReason.POST_ONLY_WOULD_CROSS
    order_id = state.next_order_id
    if problem is None:
        order = Order(
            order_id,
            cmd.account,
            cmd.client_order_id,
            cmd.side,
            price,  # type: ignore[arg-type]
            cmd.quantity,
            cmd.tif,
            state.next_priority,
            cmd.display_quantity or 0,
            cmd.expire_at,
            cmd.stp_group,
            cmd.stp_mode,
            cmd.post_only,
            cmd.stop_price_ticks,
        )
        if (
            cmd.tif == _FOK
            and cs.phase == _CONTINUOUS
            and cmd.order_type != _STOP
            and not fok_fillable(cs, order)
        ):
            problem = RejectReason.FOK_NOT_FILLABLE
    if problem is not None:
        reject(state, events, ts, problem, cmd.contract, cmd.account, cmd.client_order_id)
        return
    state.next_order_id = order_id + 1
    state.next_priority += 1
    state.client_ids.add((cmd.account, cmd.client_order_id))
    seq = state.seq + 1
    state.seq = seq
    events.append(
        OrderAccepted(
            seq,
            ts,
            cs.symbol,
            order_id,
            cmd.client_order_id,
            cmd.account,
            cmd.side,
            cmd.order_type,
            price,
            cmd.quantity,
        )
    )
    if cmd.order_type == _STOP:
        cs.stops[order_id] = order
        if cs.phase == _CONTINUOUS:
            after_trading(state, cs, ts, events, MATCH_DONE, traded=True)
        return
    execute(state, cs, order, ts, events)


def execute(
    state: ExchangeState, cs: ContractState, order: Order, ts: datetime, events: Events
) -> None:
    """Match an accepted priced order (if the market is continuous), then rest or cancel the rest."""
    if cs.phase == _CONTINUOUS:
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


def on_cancel(state: ExchangeState, cmd: CancelOrder, events: Events) -> None:
    """Cancel a resting order or a pending stop of its owner."""
    cs = state.contracts.get(cmd.contract)
    order = None if cs is None else _find(cs, cmd.order_id)
    if cs is None or order is None or order.account != cmd.account:
        if cs is None:
            reason = RejectReason.UNKNOWN_CONTRACT
        else:
            reason = RejectReason.UNKNOWN_ORDER if order is None else RejectReason.NOT_OWNER
        reject(state, events, cmd.ts, reason, cmd.contract, cmd.account, None, cmd.order_id)
        return
    if order.order_id in cs.stops:
        del cs.stops[order.order_id]
    else:
        cs.book.remove(order)
    events.append(cancel_event(state, cs, order, cmd.ts, CancelReason.USER))


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
    if order is None:
        problem = RejectReason.UNKNOWN_ORDER
    elif order.account != cmd.account:
        problem = RejectReason.NOT_OWNER
    elif cmd.quantity <= 0:
        problem = RejectReason.SIZE_NOT_POSITIVE
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
