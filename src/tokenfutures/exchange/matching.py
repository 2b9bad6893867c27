"""Continuous matching: the aggressor loop, resting the remainder, stops, cancels.

Price-time (FIFO) priority; trades print at the resting order's price. Self-trade prevention
applies to orders of the same ``stp_group``; the aggressor's ``stp_mode`` decides the action.
"""

from __future__ import annotations

from datetime import datetime
from heapq import heappush

from tokenfutures.exchange.events import OrderCancelled, StopTriggered, Trade
from tokenfutures.exchange.limits import band_half_width_ticks
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import TIMER_GTD_EXPIRY, ContractState, ExchangeState
from tokenfutures.exchange.types import CancelReason, Phase, Side, StpMode, TimeInForce

#: Outcomes of the aggressor loop.
MATCH_DONE = 0
MATCH_HALT_SHORT = 1
MATCH_HALT_SESSION = 2
MATCH_STP_AGGRESSOR = 3

_BUY = Side.BUY
_SELL = Side.SELL
_IOC = TimeInForce.IOC
_FOK = TimeInForce.FOK
_GTD = TimeInForce.GTD
_CANCEL_RESTING = StpMode.CANCEL_RESTING
_CANCEL_AGGRESSING = StpMode.CANCEL_AGGRESSING
_CONTINUOUS = Phase.CONTINUOUS


def cancel_event(
    state: ExchangeState, cs: ContractState, order: Order, ts: datetime, reason: CancelReason
) -> OrderCancelled:
    """Mark ``order`` dead and build its cancel event (the caller took it out of the book)."""
    order.live = False
    seq = state.seq + 1
    state.seq = seq
    return OrderCancelled(seq, ts, cs.symbol, order.order_id, order.account, order.quantity, reason)


def breach_outcome(cs: ContractState, price: int) -> int:
    """Which halt a trade at ``price`` (outside the active limit) triggers."""
    if cs.limit_stage or price > cs.session_hi or price < cs.session_lo:
        return MATCH_HALT_SESSION
    return MATCH_HALT_SHORT


def match_aggressor(
    state: ExchangeState, cs: ContractState, o: Order, ts: datetime, events: list[object]
) -> int:
    """Trade ``o`` against the opposite side while it crosses; return the loop's outcome."""
    book = cs.book
    side = o.side
    limit = o.price
    remaining = o.quantity
    lo = cs.limit_lo
    hi = cs.limit_hi
    group = o.stp_group
    sym = cs.symbol
    buying = side > 0
    if buying:
        best = book.best_ask
        opp = _SELL
    else:
        best = book.best_bid
        opp = _BUY
    outcome = MATCH_DONE
    last = 0
    trades = cs.session_trades
    while remaining:
        p = best()
        if p is None or (p > limit if buying else p < limit):
            break
        if p > hi or p < lo:
            outcome = breach_outcome(cs, p)
            break
        r = book.head(opp, p)
        if group is not None and r.stp_group == group:
            mode = o.stp_mode
            if mode != _CANCEL_AGGRESSING:
                book.remove(r)
                events.append(cancel_event(state, cs, r, ts, CancelReason.SELF_TRADE))
            if mode != _CANCEL_RESTING:
                outcome = MATCH_STP_AGGRESSOR
                break
            continue
        visible = r.visible
        q = remaining if remaining < visible else visible
        tid = state.next_trade_id
        state.next_trade_id = tid + 1
        seq = state.seq + 1
        state.seq = seq
        if buying:
            events.append(
                Trade(tid, sym, p, q, o.account, r.account, o.order_id, r.order_id, side, seq, ts)
            )
        else:
            events.append(
                Trade(tid, sym, p, q, r.account, o.account, r.order_id, o.order_id, side, seq, ts)
            )
        trades.append((ts, p, q))
        last = p
        remaining -= q
        r.quantity -= q
        if visible == q:
            if r.quantity:
                r.visible = r.display if r.display < r.quantity else r.quantity
                r.priority = state.next_priority
                state.next_priority += 1
                book.requeue(r)
            else:
                r.visible = 0
                r.live = False
                book.remove(r)
        else:
            r.visible = visible - q
    o.quantity = remaining
    if last:
        cs.last_price = last
        update_band(cs)
    return outcome


def update_band(cs: ContractState) -> None:
    """Recentre the dynamic price band on the last trade (else the prior settlement)."""
    ref = cs.last_price if cs.last_price is not None else cs.prior_settlement
    band = cs.band
    if band is None:
        cs.band_lo = 1
        cs.band_hi = 1 << 62
        return
    width = cs.band_widths.get(ref)
    if width is None:
        width = band_half_width_ticks(ref, band)
        cs.band_widths[ref] = width
    cs.band_lo = max(1, ref - width)
    cs.band_hi = ref + width


def rest_or_cancel(
    state: ExchangeState,
    cs: ContractState,
    o: Order,
    ts: datetime,
    events: list[object],
    outcome: int,
) -> None:
    """After matching: rest the open remainder, or cancel it (IOC/FOK, STP, halt)."""
    if not o.quantity:
        o.live = False
        return
    if outcome == MATCH_STP_AGGRESSOR:
        events.append(cancel_event(state, cs, o, ts, CancelReason.SELF_TRADE))
    elif o.tif == _IOC or o.tif == _FOK:
        reason = CancelReason.HALT if outcome else CancelReason.IOC_REMAINDER
        events.append(cancel_event(state, cs, o, ts, reason))
    else:
        o.visible = o.display if o.display and o.display < o.quantity else o.quantity
        cs.book.add(o)
        if o.tif == _GTD and o.expire_at is not None:
            state.timer_seq += 1
            heappush(
                state.timers,
                (o.expire_at, TIMER_GTD_EXPIRY, state.timer_seq, cs.symbol, o.order_id),
            )


def fok_fillable(cs: ContractState, o: Order) -> bool:
    """Whether a fill-or-kill order fills completely within its limit and the price limits."""
    need = o.quantity
    opp = _SELL if o.side > 0 else _BUY
    for r in cs.book.in_priority(opp):
        p = r.price
        if (p > o.price if o.side > 0 else p < o.price) or p > cs.limit_hi or p < cs.limit_lo:
            return False
        if o.stp_group is not None and r.stp_group == o.stp_group:
            if o.stp_mode != _CANCEL_RESTING:
                return False
            continue
        need -= r.quantity
        if need <= 0:
            return True
    return False


def triggered_stops(cs: ContractState) -> list[Order]:
    """Pending stops that the last trade price has triggered, in arrival order."""
    last = cs.last_price
    if last is None or not cs.stops:
        return []
    return [
        o
        for o in cs.stops.values()
        if (last >= o.stop_price if o.side > 0 else last <= o.stop_price)  # type: ignore[operator]
    ]


def fire_stops(state: ExchangeState, cs: ContractState, ts: datetime, events: list[object]) -> int:
    """Enter every triggered stop as a limit order until none is left; return a halt outcome."""
    outcome = MATCH_DONE
    while cs.phase == _CONTINUOUS:
        fired = triggered_stops(cs)
        if not fired:
            break
        for o in fired:
            if cs.phase != _CONTINUOUS:
                break
            del cs.stops[o.order_id]
            seq = state.seq + 1
            state.seq = seq
            events.append(StopTriggered(seq, ts, cs.symbol, o.order_id, cs.last_price or 0))
            o.priority = state.next_priority
            state.next_priority += 1
            outcome = match_aggressor(state, cs, o, ts, events)
            rest_or_cancel(state, cs, o, ts, events, outcome)
            if outcome in (MATCH_HALT_SHORT, MATCH_HALT_SESSION):
                return outcome
    return outcome
