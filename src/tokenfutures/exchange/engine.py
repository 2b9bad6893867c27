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
from tokenfutures.exchange import commands as c
from tokenfutures.exchange import fastpath, handlers, session
from tokenfutures.exchange.state import ExchangeState

Events = list[Any]


def _nothing(state: ExchangeState, command: Any, events: Events) -> None:
    """``AdvanceTime`` only fires timers, which ``apply_many`` does for every command."""


Handler = Callable[[ExchangeState, Any, Events], None]

#: Command type → handler, every rule in ``handlers`` and ``session``.
_GENERAL: dict[type, Handler] = {
    c.NewOrder: handlers.on_new_order,
    c.CancelOrder: handlers.on_cancel,
    c.ReplaceOrder: handlers.on_replace,
    c.MassCancel: handlers.on_mass_cancel,
    c.ListContract: session.on_list_contract,
    c.StartSession: session.on_start_session,
    c.OpenMarket: session.on_open_market,
    c.CloseMarket: session.on_close_market,
    c.SettleDay: session.on_settle_day,
    c.AdvanceTime: _nothing,
}
#: The same with plain orders and owners' cancels through the fast lane (``fastpath``).
_FAST: dict[type, Handler] = {
    **_GENERAL,
    c.NewOrder: fastpath.on_new_order,
    c.CancelOrder: fastpath.on_cancel,
}


def apply_many(state: ExchangeState, commands: Iterable[Any], *, fast: bool = True) -> list[Events]:
    """Apply ``commands`` in order to ``state`` (mutated in place); return each one's events.

    A command older than the one before it breaks an invariant: ``InvariantError`` is raised
    with the earlier commands applied in full. Timers due at a command's time (GTD expiries,
    ends of halts) fire first, their events heading that command's list. ``fast=False``
    leaves out the fast lane for plain orders (same events; the differential tests use it).
    """
    dispatch = _FAST if fast else _GENERAL
    out: list[Events] = []
    for command in commands:  # a loop, not a comprehension: no extra frame on CPython 3.11
        out.append(_step(state, command, dispatch))
    return out


def apply(state: ExchangeState, command: Any) -> tuple[ExchangeState, Events]:
    """Apply one command (``apply_many`` of one); return the (same, mutated) state and its events."""
    return state, _step(state, command, _FAST)


def apply_general(state: ExchangeState, command: Any) -> tuple[ExchangeState, Events]:
    """``apply`` without the fast lane (``apply_many(..., fast=False)`` of one command)."""
    return state, _step(state, command, _GENERAL)


def _step(state: ExchangeState, command: Any, dispatch: dict[type, Handler]) -> Events:
    """The one body of the loop: time check, due timers, the command's handler."""
    ts = command[0]
    last = state.last_ts
    if last is not None and ts < last:
        raise InvariantError(f"command time {ts} is before the previous command's {last}")
    state.last_ts = ts
    events: Events = []
    timers = state.timers
    if timers and timers[0][0] <= ts:
        session.fire_timers(state, ts, events)
    dispatch[type(command)](state, command, events)
    return events
