"""Replay a command log and hash the state: the same log must give the same events and hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tokenfutures.exchange.book import FastBook
from tokenfutures.exchange.engine import apply_many
from tokenfutures.exchange.state import BookFactory, ContractState, ExchangeState
from tokenfutures.exchange.types import Side


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _contract_canonical(cs: ContractState) -> list[object]:
    return [
        cs.symbol,
        int(cs.phase),
        cs.last_price,
        cs.prior_settlement,
        cs.settlement_price,
        _iso(cs.halt_until),
        cs.limit_stage,
        [cs.limit_lo, cs.limit_hi, cs.session_lo, cs.session_hi, cs.band_lo, cs.band_hi],
        [[_iso(ts), price, qty] for ts, price, qty in cs.session_trades],
        [list(o.canonical()) for o in cs.book.in_priority(Side.BUY)],
        [list(o.canonical()) for o in cs.book.in_priority(Side.SELL)],
        [list(o.canonical()) for o in cs.stops.values()],
    ]


def canonical_state(state: ExchangeState) -> list[object]:
    """A JSON-ready, implementation-independent description of the whole state."""
    return [
        state.seq,
        state.next_order_id,
        state.next_trade_id,
        state.next_priority,
        _iso(state.last_ts),
        sorted([list(key) for key in state.client_ids]),
        sorted([[_iso(t[0]), t[1], t[2], t[3], t[4]] for t in state.timers], key=repr),
        [_contract_canonical(state.contracts[name]) for name in sorted(state.contracts)],
    ]


def state_hash(state: ExchangeState) -> str:
    """SHA-256 of the canonical serialisation of ``state`` (hex); equal states, equal hashes."""
    text = json.dumps(canonical_state(state), separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(
    commands: Iterable[Any], book_factory: BookFactory = FastBook
) -> tuple[ExchangeState, list[Any]]:
    """Apply ``commands`` in order to an empty state; return the state and every event."""
    state = ExchangeState(book_factory)
    return state, [event for produced in apply_many(state, commands) for event in produced]
