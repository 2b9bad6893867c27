"""Runs: consecutive plain orders and cancels folded through one engine call (ADR 0375).

The per-command fold checks each order's margin after the fills of the command before it,
so it calls the engine once per command. A run skips that wait when it cannot matter: every
order in it would pass the check whatever the run fills (``risk.RunAllowance``), no stop is
pending on its contracts, no timer falls due, and all its commands carry one time. The run's
events, acks and state are those of the per-command fold (recovery replays that one; the
differential tests compare state hashes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tokenfutures.exchange import CancelOrder, NewOrder, OrderType
from tokenfutures.venue.commands import VenueCommand
from tokenfutures.venue.orders import order_ack
from tokenfutures.venue.risk import RunAllowance
from tokenfutures.venue.state import Applied, VenueState

#: Shortest run worth an engine call of its own (shorter ones go command by command).
MIN_RUN = 2

_applied = tuple.__new__


def run_length(state: VenueState, commands: Sequence[VenueCommand], start: int) -> int:
    """How many commands from ``start`` on form a run (0: the next one goes alone)."""
    risk = state.risk
    if len(commands) - start < MIN_RUN or not RunAllowance.applies(risk):
        return 0
    exchange = state.exchange
    first = commands[start][0]
    last = exchange.last_ts
    if (last is not None and first < last) or (exchange.timers and exchange.timers[0][0] <= first):
        return 0
    contracts, accounts, defaulted = exchange.contracts, state.accounts, state.house.defaulted
    allowance = RunAllowance(risk, state.house)
    length = 0
    for command in commands[start:]:
        cls = type(command)
        if cls is CancelOrder:
            if command[0] != first:
                break
        elif cls is NewOrder:
            order: Any = command
            cs = contracts.get(order.contract)
            if (
                order.ts != first
                or order.order_type == OrderType.STOP_LIMIT
                or cs is None
                or cs.stops
                or order.account not in accounts
                or order.account in defaulted
                or not allowance.admits(order.account, order.contract, order.quantity)
            ):
                break
        else:
            break
        length += 1
    return length if length >= MIN_RUN else 0


def evolve_run(state: VenueState, run: list[Any]) -> list[Applied]:
    """Apply a run (``run_length`` commands) as the per-command fold would; one ``Applied`` each."""
    events_of = state.engine_run(run)
    acks = state.acks
    seq = state.seq
    out: list[Applied] = []
    for command, events in zip(run, events_of, strict=True):
        seq += 1
        account = command.account
        ack = order_ack(command, events, seq, command.ts, account, command.contract)
        if type(command) is NewOrder:
            acks[(account, command.client_order_id)] = ack
        out.append(_applied(Applied, (seq, ack, events, None)))
    state.seq = seq
    return out
