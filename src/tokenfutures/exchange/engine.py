"""``apply(state, command) -> (state, events)``: the deterministic matching engine.

Pure in the sense that matters for replay: no clock reads (time is the command's ``ts``), no
randomness, no I/O. For speed the state is mutated in place and returned; the caller owns it.
Business outcomes (rejections) are events; a broken invariant raises ``InvariantError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import fastpath, handlers, session
from tokenfutures.exchange.commands import (
    AdvanceTime,
    CancelOrder,
    CloseMarket,
    ListContract,
    MassCancel,
    NewOrder,
    OpenMarket,
    ReplaceOrder,
    SettleDay,
    StartSession,
)
from tokenfutures.exchange.state import ExchangeState

Events = list[Any]


def _nothing(state: ExchangeState, command: Any, events: Events) -> None:
    """``AdvanceTime`` only fires timers, which ``apply`` does for every command."""


_HANDLERS: dict[type, Callable[[ExchangeState, Any, Events], None]] = {
    NewOrder: fastpath.on_new_order,
    CancelOrder: fastpath.on_cancel,
    ReplaceOrder: handlers.on_replace,
    MassCancel: handlers.on_mass_cancel,
    ListContract: session.on_list_contract,
    StartSession: session.on_start_session,
    OpenMarket: session.on_open_market,
    CloseMarket: session.on_close_market,
    SettleDay: session.on_settle_day,
    AdvanceTime: _nothing,
}


def apply(state: ExchangeState, command: Any) -> tuple[ExchangeState, Events]:
    """Apply one command; return the (same, mutated) state and the events it produced."""
    ts = command[0]
    last = state.last_ts
    if last is not None and ts < last:
        raise InvariantError(f"command time {ts} is before the previous command's {last}")
    state.last_ts = ts
    events: Events = []
    timers = state.timers
    if timers and timers[0][0] <= ts:
        session.fire_timers(state, ts, events)
    _HANDLERS[type(command)](state, command, events)
    return state, events


_GENERAL_HANDLERS: dict[type, Callable[[ExchangeState, Any, Events], None]] = {
    **_HANDLERS,
    NewOrder: handlers.on_new_order,
    CancelOrder: handlers.on_cancel,
}


def apply_general(state: ExchangeState, command: Any) -> tuple[ExchangeState, Events]:
    """``apply`` without the fast paths: the differential tests demand identical events."""
    ts = command[0]
    if state.last_ts is not None and ts < state.last_ts:
        raise InvariantError(f"command time {ts} is before the previous command's {state.last_ts}")
    state.last_ts = ts
    events: Events = []
    if state.timers and state.timers[0][0] <= ts:
        session.fire_timers(state, ts, events)
    _GENERAL_HANDLERS[type(command)](state, command, events)
    return state, events
