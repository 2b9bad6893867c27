"""The matching engine's one entry point: ``apply_many(state, commands)`` (ADR 0369).

Pure in the sense that matters for replay: no clock reads (time is the command's ``ts``), no
randomness, no I/O. For speed the state is mutated in place; the caller owns it. Business
outcomes (rejections) are events; a broken invariant raises ``InvariantError``. ``apply`` is
``apply_many`` of one command. Runtime policy (the garbage collector, threads) is the
caller's: the engine neither pauses the collector nor starts threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import handlers, session
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
    """``AdvanceTime`` only fires timers, which ``apply_many`` does for every command."""


_HANDLERS: dict[type, Callable[[ExchangeState, Any, Events], None]] = {
    NewOrder: handlers.on_new_order,
    CancelOrder: handlers.on_cancel,
    ReplaceOrder: handlers.on_replace,
    MassCancel: handlers.on_mass_cancel,
    ListContract: session.on_list_contract,
    StartSession: session.on_start_session,
    OpenMarket: session.on_open_market,
    CloseMarket: session.on_close_market,
    SettleDay: session.on_settle_day,
    AdvanceTime: _nothing,
}


def apply_many(state: ExchangeState, commands: Iterable[Any]) -> list[Events]:
    """Apply ``commands`` in order to ``state`` (mutated in place); return each one's events.

    A command older than the one before it breaks an invariant: ``InvariantError`` is raised
    with the earlier commands applied in full. Timers due at a command's time (GTD expiries,
    ends of halts) fire first, their events heading that command's list.
    """
    out: list[Events] = []
    keep = out.append
    dispatch = _HANDLERS
    timers = state.timers
    for command in commands:
        ts = command[0]
        last = state.last_ts
        if last is not None and ts < last:
            raise InvariantError(f"command time {ts} is before the previous command's {last}")
        state.last_ts = ts
        events: Events = []
        if timers and timers[0][0] <= ts:
            session.fire_timers(state, ts, events)
        dispatch[type(command)](state, command, events)
        keep(events)
    return out


def apply(state: ExchangeState, command: Any) -> tuple[ExchangeState, Events]:
    """Apply one command: ``apply_many`` of one; return the (same, mutated) state and its events."""
    return state, apply_many(state, (command,))[0]
