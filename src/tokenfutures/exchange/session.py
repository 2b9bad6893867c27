"""Trading phases: listing, pre-open, opening/re-opening auctions, halts, close, expiry, settlement.

Phase machine per contract: CLOSED → (StartSession) PRE_OPEN → (OpenMarket: auction) CONTINUOUS;
a trade beyond the ±15 % limit → HALTED for ``halt_minutes`` then a re-opening auction; beyond
±25 % → HALTED until the next session; (CloseMarket) → CLOSED, or EXPIRED on the last trading day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from heapq import heappop, heappush
from typing import Any

from tokenfutures.exchange import auction_bridge
from tokenfutures.exchange.events import (
    ContractListed,
    OrderRejected,
    PhaseChanged,
    SettlementPriceSet,
    Trade,
)
from tokenfutures.exchange.matching import cancel_event, fire_stops, update_band
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import (
    TIMER_GTD_EXPIRY,
    TIMER_HALT_END,
    ContractState,
    ExchangeState,
)
from tokenfutures.exchange.types import CancelReason, Phase, RejectReason, Side, TimeInForce

Events = list[Any]


def _reject(
    state: ExchangeState, events: Events, ts: datetime, reason: RejectReason, contract: str | None
) -> None:
    state.seq += 1
    events.append(OrderRejected(state.seq, ts, contract, None, None, None, reason))


def _contract(state: ExchangeState, cmd: Any, events: Events) -> ContractState | None:
    """The command's contract, or None after a ``UNKNOWN_CONTRACT`` rejection."""
    cs = state.contracts.get(cmd.contract)
    if cs is None:
        _reject(state, events, cmd.ts, RejectReason.UNKNOWN_CONTRACT, cmd.contract)
    return cs


def set_phase(
    state: ExchangeState,
    cs: ContractState,
    ts: datetime,
    events: Events,
    phase: Phase,
    reason: str,
    until: datetime | None = None,
) -> None:
    """Move ``cs`` to ``phase`` and announce it."""
    cs.phase = phase
    cs.halt_until = until
    state.seq += 1
    events.append(PhaseChanged(state.seq, ts, cs.symbol, phase, reason, until))


def cancel_where(
    state: ExchangeState,
    cs: ContractState,
    ts: datetime,
    events: Events,
    reason: CancelReason,
    selected: Callable[[Order], bool],
) -> None:
    """Cancel every resting order and pending stop that ``selected`` picks, in order-id order."""
    resting = [o for side in (Side.BUY, Side.SELL) for o in cs.book.in_priority(side)]
    doomed = sorted(
        [o for o in resting if selected(o)] + [o for o in cs.stops.values() if selected(o)],
        key=lambda o: o.order_id,
    )
    for order in doomed:
        if order.order_id in cs.stops:
            del cs.stops[order.order_id]
        else:
            cs.book.remove(order)
        events.append(cancel_event(state, cs, order, ts, reason))


def reset_limits(cs: ContractState) -> None:
    """Static price limits around the prior settlement, in ticks (stage 0: the halt tier active)."""
    halt_lo, halt_hi, session_lo, session_hi = auction_bridge.limit_ticks(
        cs.rules, cs.prior_settlement
    )
    cs.session_lo = session_lo
    cs.session_hi = session_hi
    if cs.limit_stage:
        cs.limit_lo, cs.limit_hi = session_lo, session_hi
    else:
        cs.limit_lo, cs.limit_hi = halt_lo, halt_hi


def on_list_contract(state: ExchangeState, cmd: Any, events: Events) -> None:
    """Add a contract (closed) to the state."""
    rules = cmd.rules
    if rules.symbol in state.contracts:
        _reject(state, events, cmd.ts, RejectReason.DUPLICATE_CONTRACT, rules.symbol)
        return
    cs = ContractState(rules, state.book_factory())
    reset_limits(cs)
    update_band(cs)
    state.contracts[rules.symbol] = cs
    state.seq += 1
    events.append(ContractListed(state.seq, cmd.ts, rules.symbol))


def on_start_session(state: ExchangeState, cmd: Any, events: Events) -> None:
    """Begin a session in pre-open; a new prior settlement re-centres limits and bands."""
    cs = _contract(state, cmd, events)
    if cs is None:
        return
    if cs.phase == Phase.EXPIRED or cmd.ts >= cs.rules.expiry:
        _reject(state, events, cmd.ts, RejectReason.EXPIRED, cmd.contract)
        return
    if cs.phase not in (Phase.CLOSED, Phase.HALTED) or (cs.phase == Phase.HALTED and cs.halt_until):
        _reject(state, events, cmd.ts, RejectReason.NOT_ALLOWED_IN_PHASE, cmd.contract)
        return
    if cmd.prior_settlement_ticks is not None:
        if cmd.prior_settlement_ticks <= 0:
            _reject(state, events, cmd.ts, RejectReason.PRICE_NOT_POSITIVE, cmd.contract)
            return
        cs.prior_settlement = cmd.prior_settlement_ticks
    elif cs.settlement_price is not None:
        cs.prior_settlement = cs.settlement_price
    cs.limit_stage = 0
    cs.last_price = None
    cs.settlement_price = None
    cs.session_trades = []
    reset_limits(cs)
    update_band(cs)
    set_phase(state, cs, cmd.ts, events, Phase.PRE_OPEN, "session start")


def on_open_market(state: ExchangeState, cmd: Any, events: Events) -> None:
    """Run the opening auction and move to continuous trading."""
    cs = _contract(state, cmd, events)
    if cs is None:
        return
    if cs.phase != Phase.PRE_OPEN:
        _reject(state, events, cmd.ts, RejectReason.NOT_ALLOWED_IN_PHASE, cmd.contract)
        return
    reopen(state, cs, cmd.ts, events, "opening auction")


def reopen(state: ExchangeState, cs: ContractState, ts: datetime, events: Events, why: str) -> None:
    """Uncross the book at the volume-maximising price, then trade continuously.

    An auction price beyond the active price limit halts the contract instead (no trades).
    """
    reference = cs.last_price if cs.last_price is not None else cs.prior_settlement
    uncrossed = auction_bridge.run_auction(cs.book, reference)
    if uncrossed is not None:
        price, pairs = uncrossed
        if price > cs.limit_hi or price < cs.limit_lo:
            beyond_session = not cs.session_lo <= price <= cs.session_hi
            start_halt(state, cs, ts, events, cs.limit_stage > 0 or beyond_session)
            return
        allocate_auction(state, cs, price, pairs, ts, events)
    set_phase(state, cs, ts, events, Phase.CONTINUOUS, why)
    if cs.stops:
        fire_stops(state, cs, ts, events)


def allocate_auction(
    state: ExchangeState,
    cs: ContractState,
    price: int,
    pairs: list[tuple[Order, Order, int]],
    ts: datetime,
    events: Events,
) -> None:
    """Print one trade per (buy, sell) pairing at the auction price and update the orders."""
    book = cs.book
    for buy, sell, q in pairs:
        tid = state.next_trade_id
        state.next_trade_id += 1
        state.seq += 1
        events.append(
            Trade(
                tid,
                cs.symbol,
                price,
                q,
                buy.account,
                sell.account,
                buy.order_id,
                sell.order_id,
                None,
                state.seq,
                ts,
            )
        )
        cs.session_trades.append((ts, price, q))
        cs.last_price = price
        for order in (buy, sell):
            order.quantity -= q
            if not order.quantity:
                order.live = False
                book.remove(order)
            elif order.display:
                order.visible = min(order.display, order.quantity)
            else:
                order.visible = order.quantity
    update_band(cs)


def start_halt(
    state: ExchangeState, cs: ContractState, ts: datetime, events: Events, to_next_session: bool
) -> None:
    """Halt ``cs``: for ``halt_minutes`` (then re-open by auction) or until the next session."""
    if to_next_session:
        set_phase(state, cs, ts, events, Phase.HALTED, "price limit: halted until next session")
        return
    until = ts + timedelta(minutes=cs.rules.halt_minutes)
    set_phase(state, cs, ts, events, Phase.HALTED, "price limit: short halt", until)
    cs.limit_stage = 1
    reset_limits(cs)
    state.timer_seq += 1
    heappush(state.timers, (until, TIMER_HALT_END, state.timer_seq, cs.symbol, 0))


def fire_timers(state: ExchangeState, ts: datetime, events: Events) -> None:
    """Fire every timer due at or before ``ts``, in (time, kind, arming order)."""
    timers = state.timers
    while timers and timers[0][0] <= ts:
        when, kind, _, symbol, order_id = heappop(timers)
        cs = state.contracts[symbol]
        if kind == TIMER_HALT_END:
            if cs.phase == Phase.HALTED and cs.halt_until == when:
                reopen(state, cs, ts, events, "re-opening auction after halt")
        elif kind == TIMER_GTD_EXPIRY:
            order = cs.book.get(order_id)
            if order is not None and order.tif == TimeInForce.GTD:
                cs.book.remove(order)
                events.append(cancel_event(state, cs, order, ts, CancelReason.EXPIRED))


def on_close_market(state: ExchangeState, cmd: Any, events: Events) -> None:
    """Close the session: Day orders go; on the last trading day every order goes and it expires."""
    cs = _contract(state, cmd, events)
    if cs is None:
        return
    if cs.phase in (Phase.CLOSED, Phase.EXPIRED):
        _reject(state, events, cmd.ts, RejectReason.MARKET_CLOSED, cmd.contract)
        return
    if cmd.ts >= cs.rules.expiry:
        cancel_where(state, cs, cmd.ts, events, CancelReason.LAST_TRADING_DAY, lambda o: True)
        set_phase(state, cs, cmd.ts, events, Phase.EXPIRED, "last trading day closed")
        return
    cancel_where(
        state, cs, cmd.ts, events, CancelReason.END_OF_DAY, lambda o: o.tif == TimeInForce.DAY
    )
    set_phase(state, cs, cmd.ts, events, Phase.CLOSED, "session close")


def on_settle_day(state: ExchangeState, cmd: Any, events: Events) -> None:
    """Fix the daily settlement price (closing-window VWAP, then fallback tiers)."""
    cs = _contract(state, cmd, events)
    if cs is None:
        return
    result = auction_bridge.settlement(cs, cmd.ts, cmd.neighbour_change_ticks, cmd.fair_value_ticks)
    if result is None:
        _reject(state, events, cmd.ts, RejectReason.NOTHING_TO_SETTLE, cmd.contract)
        return
    cs.settlement_price = result.price_ticks
    state.seq += 1
    events.append(
        SettlementPriceSet(
            state.seq, cmd.ts, cs.symbol, result.price_ticks, result.tier.name, result.audit
        )
    )
