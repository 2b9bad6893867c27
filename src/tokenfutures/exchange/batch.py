"""``apply_many(state, commands) -> [events, ...]``: the engine's batch entry point (ADR 0360).

Same semantics as ``[apply(state, c)[1] for c in commands]`` (a differential test proves it),
for a sequencer that hands the engine a burst of commands at once. The loop hoists the
dispatch table and the timer heap into locals and keeps CPython's cyclic garbage collector off
for the duration of the batch: the engine's order objects are long-lived and acyclic once out
of the book, so a collection mid-batch only walks the resting book again and again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Any

from tokenfutures.exchange.engine import HANDLERS, apply
from tokenfutures.exchange.session import fire_timers
from tokenfutures.exchange.state import ExchangeState

Events = list[Any]


def apply_many(state: ExchangeState, commands: Iterable[Any]) -> list[Events]:
    """Apply ``commands`` in order; return each command's events, as ``apply`` gives them.

    The state is mutated in place, as with ``apply``. A command that breaks an invariant
    (time going backwards) raises ``InvariantError`` with the earlier commands applied in full.
    The garbage collector is re-enabled on return if it was enabled on entry.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _apply_all(state, commands)
    finally:
        if enabled:
            gc.enable()


def _apply_all(state: ExchangeState, commands: Iterable[Any]) -> list[Events]:
    """``apply``'s body inlined in one loop (same checks, same order)."""
    out: list[Events] = []
    keep = out.append
    handlers = HANDLERS
    timers = state.timers
    for command in commands:
        ts = command[0]
        last = state.last_ts
        if last is not None and ts < last:
            apply(state, command)  # raises the engine's InvariantError
        state.last_ts = ts
        events: Events = []
        if timers and timers[0][0] <= ts:
            fire_timers(state, ts, events)
        handlers[type(command)](state, command, events)
        keep(events)
    return out
