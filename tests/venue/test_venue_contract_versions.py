"""The venue lists SIT v2 by default (ADR 0306); the paper's v1 on request; replay keeps each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from venue_helpers import PAPER, TRADING_DAY

from tokenfutures.core.clock import ManualClock
from tokenfutures.venue.commands import decode
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.service import Venue
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest


def test_default_listing_is_v2_with_its_tick_and_lot(venue: Venue) -> None:
    listed = venue.settlement.list_contracts(TRADING_DAY, reference_price=Decimal("0.3012"))
    front = listed[0]
    assert front.tick_size == Decimal("0.00001")
    assert front.prior_settlement == Decimal("0.30120")
    venue.accounts.create_account("a", deposit=Decimal(10_000))
    venue.accounts.create_account("b", deposit=Decimal(10_000))
    venue.trading.submit_order(
        "a", OrderRequest(front.symbol, "buy", 2, "o1", price=Decimal("0.30125"))
    )
    venue.trading.submit_order(
        "b", OrderRequest(front.symbol, "sell", 2, "o2", price=Decimal("0.30125"))
    )
    # marked at the prior settlement: 2 lots × 10,000 M SIT × $0.3012 × 8 % (eq. 7's floor)
    assert venue.accounts.margin("a").initial == Decimal("481.92")


def test_paper_listing_on_request_and_a_v2_newcomer_inherits_the_neighbours_price(
    venue: Venue, clock: ManualClock
) -> None:
    paper = venue.settlement.list_contracts(
        TRADING_DAY, reference_price=Decimal("0.30"), versions=PAPER
    )
    assert {c.tick_size for c in paper} == {Decimal("0.01")}
    first = {c.symbol for c in paper}
    clock.current = datetime(2026, 12, 17, 9, 0, tzinfo=UTC)
    later = venue.settlement.list_contracts(date(2026, 12, 17))
    newcomers = [c for c in later if c.symbol not in first]
    assert newcomers, "the next listing cycle adds a month"
    for contract in newcomers:  # listed under v2, priced from the v1 neighbour's $0.30
        assert contract.tick_size == Decimal("0.00001")
        assert contract.prior_settlement == Decimal("0.30000")
    assert {c.tick_size for c in later if c.symbol in first} == {Decimal("0.01")}


def test_replay_rebuilds_each_contracts_spec_version(venue: Venue) -> None:
    venue.settlement.list_contracts(TRADING_DAY, reference_price=Decimal("0.30"))
    state = VenueState()
    for record in venue.store.journal.read():
        evolve(state, record.seq, decode(record.kind, record.ts, record.payload))
    assert {state.spec_of(symbol).version for symbol in state.products} == {"v2"}
    assert state_hash(state) == venue.state_hash()
