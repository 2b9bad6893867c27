"""``Venue``: the composition of the running market — a sequencer and five small services.

``venue.trading`` (orders), ``venue.accounts`` (accounts, keys, collateral, positions,
margin, ledger), ``venue.index`` (TPI fixes), ``venue.settlement`` (listings, end of day,
the schedule, settlement prices), ``venue.auctions`` (default auctions) and ``venue.market``
(books, trades, streams) share one
sequencer: every state change is journalled first, then folded (``venue.fold``); queries
read the state under the same writer lock, so they see whole commands only (ADR 0613).
"""

from __future__ import annotations

from collections.abc import Sequence

from tokenfutures.core.clock import Clock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue import collector
from tokenfutures.venue.commands import VenueCommand
from tokenfutures.venue.marketdata import MarketDataHub
from tokenfutures.venue.ports import Store
from tokenfutures.venue.recovery import recover
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.services.accounts import DEFAULT_DEPOSIT, AccountService
from tokenfutures.venue.services.auctions import AuctionService
from tokenfutures.venue.services.index import IndexService
from tokenfutures.venue.services.market import MarketDataService
from tokenfutures.venue.services.settlement import SettlementService
from tokenfutures.venue.services.trading import TradingService
from tokenfutures.venue.state import Applied
from tokenfutures.venue.statehash import state_hash

__all__ = ["DEFAULT_DEPOSIT", "Venue"]


class Venue:
    """The venue: a sequencer over a store and a clock, and the services that use it.

    Thread-safety: one re-entrant lock (``Sequencer.writer``) serialises the writer and the
    queries; commands queued while a batch commits are committed together (group commit).
    """

    def __init__(self, sequencer: Sequencer) -> None:
        self._seq = sequencer
        self._state = sequencer.state
        self._lock = sequencer.writer
        self.trading = TradingService(sequencer)
        self.accounts = AccountService(sequencer)
        self.index = IndexService(sequencer)
        self.auctions = AuctionService(sequencer)
        self.settlement = SettlementService(sequencer, self.index, self.auctions)
        self.market = MarketDataService(sequencer, self.trading, self.auctions)

    @classmethod
    def open(
        cls,
        store: Store,
        clock: Clock,
        *,
        snapshot_every: int = 10_000,
        record_events: bool = True,
    ) -> Venue:
        """Recover the venue from ``store``: latest snapshot, then replay of the journal after it."""
        if snapshot_every <= 0:
            raise InvalidParameterError("snapshot_every", snapshot_every, "positive")
        state, unrecorded = recover(store)
        sequencer = Sequencer(
            store,
            clock,
            state,
            MarketDataHub(),
            snapshot_every=snapshot_every,
            record_events=record_events,
        )
        if len(state.ledger_seqs) > sequencer.ledger_mirrored:
            sequencer.mirror_ledger()
        if record_events and unrecorded:
            sequencer.record(unrecorded)
            sequencer.flush_events()
        return cls(sequencer)

    @property
    def store(self) -> Store:
        """The store behind the venue."""
        return self._seq.store

    @property
    def clock(self) -> Clock:
        """The venue's clock (the sequencer stamps commands with it)."""
        return self._seq.clock

    @property
    def failure(self) -> str | None:
        """Why the sequencer halted (the venue then takes no commands), or None while healthy."""
        return self._seq.failure

    @property
    def seq(self) -> int:
        """Sequence number of the last applied command."""
        return self._state.seq

    def execute(self, commands: Sequence[VenueCommand]) -> list[Applied]:
        """Journal and apply raw commands (their ``ts`` is stamped by the sequencer); an
        auction they open or close is announced to its invited members (ADR 0622)."""
        applied = self._seq.execute(commands)
        self.auctions.announce()
        return applied

    def snapshot(self) -> str:
        """Take a snapshot now; returns its state hash."""
        return self._seq.snapshot().state_hash

    def sync_event_log(self) -> None:
        """Write the buffered events now: the event log then holds every applied command's."""
        self._seq.sync_event_log()

    def state_hash(self) -> str:
        """Hash of the whole venue state (equal after a replay of the same journal)."""
        with self._lock:
            return state_hash(self._state)

    def close(self) -> None:
        """Write buffered events, then close the store (the venue must not be used afterwards)."""
        with self._lock:
            try:
                self._seq.sync_event_log()
            finally:
                self._seq.store.close()
        collector.release()  # the frozen state goes back to the collector (ADR 0611)
