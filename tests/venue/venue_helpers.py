"""Shared constants and the ``Market`` bundle of the venue tests (imported by conftest and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tokenfutures.core.clock import ManualClock
from tokenfutures.venue.commands import decode
from tokenfutures.venue.eventlog import decode_chunk
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.ports import Store
from tokenfutures.venue.service import Venue
from tokenfutures.venue.state import VenueState

TRADING_DAY = date(2026, 11, 24)  # a Tuesday; SITZ26 is the front month
FRONT = "SITZ26"
TPI = Decimal("3.50")
#: These tests price in the paper's contract (1M SIT lot, $0.01 tick): list SIT under v1.
PAPER = {"SIT": "v1"}


@dataclass
class Market:
    """A venue with the day's contracts open and two funded accounts."""

    venue: Venue
    clock: ManualClock
    alice: str
    bob: str


def logged_events(store: Store) -> list[tuple[int, list[Any]]]:
    """Every ``(command seq, events)`` pair of the store's event log, events decoded."""
    return [pair for record in store.events.read() for pair in decode_chunk(record.payload)]


def replayed_events(store: Store) -> list[tuple[int, list[Any]]]:
    """The ``(command seq, events)`` pairs a fresh replay of the store's journal produces."""
    state, pairs = VenueState(), []
    for record in store.journal.read():
        applied = evolve(state, record.seq, decode(record.kind, record.ts, record.payload))
        if applied.events:
            pairs.append((record.seq, applied.events))
    return pairs
