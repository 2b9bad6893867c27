"""A broken invariant raises and stops the sequencer; the journal keeps what was written."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from venue_helpers import FRONT, Market

from tokenfutures.core.errors import InvariantError
from tokenfutures.venue.sequencer import SequencerStoppedError
from tokenfutures.venue.views import OrderRequest


def test_a_broken_invariant_stops_the_sequencer(market: Market) -> None:
    v = market.venue
    # simulate a bug: the engine's clock has run ahead of the sequencer's stamps
    v._state.exchange.last_ts = datetime(2030, 1, 1, tzinfo=UTC)
    journalled = v.store.journal.last_seq()
    with pytest.raises(InvariantError, match="before the previous"):
        v.trading.submit_order("alice", OrderRequest(FRONT, "buy", 1, "x", Decimal("3.50")))
    assert v.store.journal.last_seq() == journalled + 1, "journal first, then apply"
    with pytest.raises(SequencerStoppedError):
        v.trading.submit_order("bob", OrderRequest(FRONT, "buy", 1, "y", Decimal("3.50")))
    assert v.store.journal.last_seq() == journalled + 1, "a stopped sequencer journals nothing"
