"""The single writer: stamp → journal (group commit) → apply → store events → snapshot → publish.

Threads hand commands to ``Sequencer.execute``; whoever holds the writer lock commits
everything that queued meanwhile as one journal batch (one transaction), then applies it.
A retry of an order with the same (account, client order id) gets the first ack back and
is never journalled twice. A broken invariant while applying stops the sequencer for good
(every later call raises): the journal is the truth, and a restart replays it.

Acknowledgements never lie (ADR 0643): once a batch is journalled and applied, its callers
get their acks even when a later stage (ledger mirror, event log, snapshot) fails; that
failure halts the sequencer loudly instead (``failure`` says why, every later command gets
``SequencerStoppedError``). A journal write that fails halts it too, and its callers learn
that their commands were not accepted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from tokenfutures.core.clock import Clock
from tokenfutures.core.errors import InvalidParameterError, InvariantError
from tokenfutures.core.money import to_micros
from tokenfutures.exchange import CancelOrder, NewOrder
from tokenfutures.venue.collector import CollectorPolicy
from tokenfutures.venue.commands import VenueCommand, encode, payload_of
from tokenfutures.venue.eventlog import EVENTS_OF, Chunk, chunk_payload
from tokenfutures.venue.fold import evolve_many
from tokenfutures.venue.marketdata import MarketDataHub
from tokenfutures.venue.orders import to_ack
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    JournalBatch,
    JournalRecord,
    LedgerEntry,
    Posting,
    Snapshot,
    Store,
)
from tokenfutures.venue.snapshot import dump_state
from tokenfutures.venue.state import Applied, VenueState
from tokenfutures.venue.statehash import state_hash

#: The event log is written when this many commands' events wait, or this long after the last
#: write; events are a function of the journal, so a crash loses none (recovery re-derives them).
EVENT_FLUSH_COMMANDS = 5_000
EVENT_FLUSH_SECONDS = 0.5
#: ``(seq, events)`` of an ``Applied`` (its fields 0 and 2), in C.
_SEQ_AND_EVENTS = itemgetter(0, 2)
_LOG = logging.getLogger("tokenfutures.venue")
#: Journal refusals that write nothing and concern the batch's own input, not the store.
_INPUT_REFUSALS = (InvalidParameterError, DuplicateKeyError)


class SequencerStoppedError(InvariantError):
    """The sequencer has halted (a broken invariant or a failed write) and takes no commands."""


@dataclass
class _Batch:
    """Commands of one caller, waiting for a leader to commit them."""

    commands: Sequence[VenueCommand]
    results: list[Applied] = field(default_factory=list)
    error: BaseException | None = None
    done: bool = False


class Sequencer:
    """Owns the venue state; the only writer of the journal, the event log and snapshots."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        state: VenueState,
        hub: MarketDataHub,
        *,
        snapshot_every: int = 10_000,
        record_events: bool = True,
    ) -> None:
        self.store = store
        self.clock = clock
        self.state = state
        self.hub = hub
        self.snapshot_every = snapshot_every
        self.record_events = record_events
        self.writer = threading.RLock()
        self._queue_lock = threading.Lock()
        self._queue: list[_Batch] = []
        self._stopped: BaseException | None = None
        self._last_ts: datetime | None = state.exchange.last_ts
        self._next_snapshot = (state.seq // snapshot_every + 1) * snapshot_every
        self._event_seq = store.events.last_seq()
        self.ledger_mirrored = sum(1 for _ in store.ledger.entries())
        self._event_chunk: Chunk = []  # (command seq, events) waiting for the next flush
        self._event_flushed = time.monotonic()
        self.collector = CollectorPolicy()

    def execute(self, commands: Sequence[VenueCommand]) -> list[Applied]:
        """Journal and apply ``commands`` (their ``ts`` is replaced); one ``Applied`` each, in order."""
        batch = _Batch(commands)
        with self._queue_lock:
            self._queue.append(batch)
        with self.writer:
            if not batch.done:
                with self._queue_lock:
                    pending, self._queue = self._queue, []
                with self.collector.batch():
                    self._commit(pending)
        if batch.error is not None:
            raise batch.error
        return batch.results

    def _stamp(self) -> datetime:
        now = self.clock.now()
        last = self._last_ts
        if last is not None and now < last:
            now = last
        self._last_ts = now
        return now

    @property
    def failure(self) -> str | None:
        """Why the sequencer halted, or None while it runs."""
        return None if self._stopped is None else f"{type(self._stopped).__name__}: {self._stopped}"

    def _halt(self, error: BaseException, stage: str) -> None:
        """Stop taking commands for good, and say so loudly (once)."""
        if self._stopped is None:
            self._stopped = error
            _LOG.critical("sequencer halted (%s at seq %d): %s", stage, self.state.seq, error)

    def _commit(self, batches: list[_Batch]) -> None:
        if self._stopped is not None:
            stopped = SequencerStoppedError(f"the venue has halted ({self.failure}); not accepted")
            for batch in batches:
                batch.error, batch.done = stopped, True
            return
        ts = self._stamp()
        state = self.state
        acks = state.acks
        first_seq = state.seq + 1
        kinds: list[str] = []
        payloads: list[str] = []
        keys: list[tuple[str, str] | None] = []
        add_kind, add_payload, add_key = kinds.append, payloads.append, keys.append
        plan: list[tuple[_Batch, list[Any]]] = []
        seen: set[tuple[str, str]] = set()
        new_tuple = tuple.__new__
        for batch in batches:
            steps: list[Any] = []
            step = steps.append
            for command in batch.commands:
                cls = type(command)
                if cls is NewOrder:
                    pair = (command.account, command.client_order_id)  # type: ignore[union-attr]
                    if pair in acks or pair in seen:
                        step(pair)  # a retry: answered with the first ack
                        continue
                    seen.add(pair)
                    order: Any = new_tuple(cls, (ts, *command[1:]))
                    add_kind("order")
                    add_payload(payload_of(order))
                    add_key(pair)
                    step(order)
                elif cls is CancelOrder:
                    stamped: Any = new_tuple(cls, (ts, *command[1:]))
                    add_kind("cancel")
                    add_payload(payload_of(stamped))
                    add_key(None)
                    step(stamped)
                else:
                    stamped = new_tuple(cls, (ts, *command[1:]))
                    kind, payload = encode(stamped)
                    add_kind(kind)
                    add_payload(payload)
                    add_key(None)
                    step(stamped)
            plan.append((batch, steps))
        try:
            self.store.journal.append_batch(JournalBatch(first_seq, ts, kinds, payloads, keys))
        except _INPUT_REFUSALS as error:  # nothing written: the callers' input was refused
            for batch in batches:
                batch.error, batch.done = error, True
            return
        except Exception as error:
            self._halt(error, "journal write")
            refused = SequencerStoppedError(
                f"the venue halted: the journal write failed ({error}); not accepted"
            )
            for batch in batches:
                batch.error, batch.done = refused, True
            return
        self._apply(plan, len(kinds))

    def _apply(self, plan: list[tuple[_Batch, list[Any]]], journalled: int) -> None:
        """Apply the journalled plan (the fold, ``venue.fold``), then the runtime's stages."""
        state = self.state
        try:
            if len(plan) == 1 and tuple not in map(type, plan[0][1]):
                batch, steps = plan[0]  # the busy case: one caller's batch, no retries
                batch.results = evolve_many(state, steps)
                batch.done = True
                applied_all = batch.results
            else:
                applied_all = self._apply_mixed(plan)
        except Exception as error:
            self._halt(error, "apply")
            last = state.seq + journalled
            stopped = SequencerStoppedError(
                f"the venue halted while applying journalled commands (up to seq {last}): "
                f"{error}; their outcome is decided when the venue recovers"
            )
            for batch, _ in plan:
                batch.error, batch.done = stopped, True
            return
        try:
            self._after_apply(applied_all)
        except Exception as error:  # the callers' commands stand: they get their acks
            self._halt(error, "after apply")
        if self.hub.active():
            self._publish(applied_all)

    def _after_apply(self, applied_all: list[Applied]) -> None:
        """The stages after the journal: ledger mirror, event log, periodic snapshot."""
        state = self.state
        if len(state.ledger_seqs) > self.ledger_mirrored:
            self.mirror_ledger()
        if self.record_events:
            self.record(applied_all)
        if state.seq >= self._next_snapshot:
            self.snapshot()

    def _apply_mixed(self, plan: list[tuple[_Batch, list[Any]]]) -> list[Applied]:
        """Apply several callers' batches, answering retries with their first acks."""
        state = self.state
        commands = [step for _, steps in plan for step in steps if type(step) is not tuple]
        applied_all = evolve_many(state, commands)
        done = iter(applied_all)
        for _, steps in plan:
            for i, step in enumerate(steps):
                if type(step) is not tuple:
                    steps[i] = next(done)
        for batch, steps in plan:
            batch.results = [
                Applied(state.acks[s][7], state.acks[s], []) if type(s) is tuple else s
                for s in steps
            ]
            batch.done = True
        return applied_all

    def mirror_ledger(self) -> None:
        """Post clearing's new ledger entries to ``store.ledger`` (balanced, in integer micro-USD)."""
        state = self.state
        new_entries = state.house.ledger.entries[self.ledger_mirrored :]  # no whole-journal copy
        fresh = [
            LedgerEntry(
                seq,
                entry.memo[:64] or "entry",
                tuple(Posting(str(p.account), to_micros(p.amount)) for p in entry.postings),
            )
            for seq, entry in zip(
                state.ledger_seqs[self.ledger_mirrored :],
                new_entries,
                strict=True,
            )
        ]
        if fresh:
            self.store.ledger.post(fresh)
        self.ledger_mirrored += len(fresh)

    def record(self, applied: list[Applied]) -> None:
        """Buffer the events of ``applied``; write the buffer when enough are waiting."""
        chunk = self._event_chunk
        chunk += filter(EVENTS_OF, map(_SEQ_AND_EVENTS, applied))
        if (
            len(chunk) >= EVENT_FLUSH_COMMANDS
            or time.monotonic() - self._event_flushed >= EVENT_FLUSH_SECONDS
        ):
            self.flush_events()

    def flush_events(self) -> None:
        """Append the buffered events as one event-log record (``eventlog``, ADR 0612).

        A failed append keeps the buffer: the next flush writes it, nothing is lost or skipped.
        """
        self._event_flushed = time.monotonic()
        payload = chunk_payload(self._event_chunk)
        if payload is not None:
            last_ts = self._last_ts
            if last_ts is None:
                raise InvariantError("events recorded before any command was stamped")
            record = JournalRecord(self._event_seq + 1, last_ts, "events", payload)
            self.store.events.append([record])
            self._event_seq += 1
        self._event_chunk = []

    def sync_event_log(self) -> None:
        """Write the buffered events now (readers of the event log then see every command)."""
        with self.writer:
            if self.record_events:
                self.flush_events()

    def snapshot(self) -> Snapshot:
        """Save a snapshot of the current state (seq, state hash, blob)."""
        with self.writer:
            if self.record_events:
                self.flush_events()  # the event log never lags a snapshot (recovery needs it)
            state = self.state
            snap = Snapshot(state.seq, state_hash(state), dump_state(state))
            latest = self.store.snapshots.latest(state.seq)
            if latest is None or latest.seq != state.seq:
                self.store.snapshots.save(snap)
            self._next_snapshot = (state.seq // self.snapshot_every + 1) * self.snapshot_every
            return snap

    def _publish(self, applied: list[Applied]) -> None:
        """Private messages command by command; public ones once per batch (book diffs)."""
        hub = self.hub
        if hub.private:
            for a in applied:
                record = a.ack_record
                if record is not None and record[0] == "rejected" and not a.events:
                    if record[1] in hub.private:
                        hub.publish_private(record[1], "rejected", to_ack(record).to_dict())
                elif a.events:
                    hub.publish(a.events, {}, public=False)
                if a.report is not None:  # each member's own statement of the day (ADR 0624)
                    for account in list(hub.private):
                        day = a.report.of_account(account).to_dict()
                        hub.publish_private(account, "end_of_day", day)
        if hub.public:
            events = [e for a in applied for e in a.events]
            if events:
                hub.publish(events, self.state.exchange.contracts, private=False)
