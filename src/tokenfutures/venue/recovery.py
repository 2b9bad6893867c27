"""Recovery: the latest snapshot (hash checked) plus a replay of the journal after it."""

from __future__ import annotations

import logging

from tokenfutures.core.errors import InvariantError
from tokenfutures.venue.commands import decode
from tokenfutures.venue.eventlog import last_command
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.ports import Store
from tokenfutures.venue.snapshot import LegacySnapshotError, load_state
from tokenfutures.venue.state import Applied, VenueState
from tokenfutures.venue.statehash import HASH_VERSION, HASH_VERSIONS, hash_version, matches

_LOG = logging.getLogger(__name__)


def replay_journal(
    store: Store, state: VenueState | None = None, upto: int | None = None
) -> VenueState:
    """Fold every journalled command after ``state.seq`` into ``state`` (a fresh one when None).

    ``upto``: stop at this seq (a reader of a live store pins the journal's head first).
    """
    return _replay(store, state or VenueState(), 0, upto)[0]


def _last_recorded_command(store: Store) -> int:
    last = store.events.last_seq()
    if last == 0:
        return 0
    record = next(iter(store.events.read(from_seq=last, limit=1)))
    return last_command(record.payload)


def _replay(
    store: Store, state: VenueState, recorded: int, upto: int | None = None
) -> tuple[VenueState, list[Applied]]:
    unrecorded: list[Applied] = []
    limit = None if upto is None else max(0, upto - state.seq)
    for record in store.journal.read(from_seq=state.seq + 1, limit=limit):
        applied = evolve(state, record.seq, decode(record.kind, record.ts, record.payload))
        if record.seq > recorded and applied.events:
            unrecorded.append(applied)
    return state, unrecorded


def recover(store: Store, upto: int | None = None) -> tuple[VenueState, list[Applied]]:
    """The state after the whole journal, and the applied commands whose events are not logged.

    ``upto``: the state after that seq instead (the latest snapshot at or before it, then the
    journal up to it), so a reader of a live store sees one consistent prefix.

    The latest snapshot of the current format is used; earlier-format (pickle) snapshots, and
    snapshots whose state hash is of a version this build cannot compute, are passed over
    unread, down to a full replay of the journal. Raises ``InvariantError`` when a snapshot's
    body does not match its digest, or its state does not hash to its stored hash of the
    current version; a snapshot whose older-version hash (builds before ADR 0631 stored
    version 1) does not match is passed over with a warning, since that hash is computed by
    code that may have moved since, and the journal rebuilds the state.
    """
    return _replay(store, _latest_state(store, upto), _last_recorded_command(store), upto)


def _latest_state(store: Store, upto: int | None = None) -> VenueState:
    """The state of the latest readable snapshot, verified; a fresh state when there is none."""
    snapshot = store.snapshots.latest(upto)
    while snapshot is not None:
        try:
            if hash_version(snapshot.state_hash) not in HASH_VERSIONS:
                raise LegacySnapshotError("a state hash of a version this build cannot compute")
            state = load_state(snapshot.blob)
        except LegacySnapshotError:
            snapshot = store.snapshots.latest(snapshot.seq - 1) if snapshot.seq > 0 else None
            continue
        if state.seq == snapshot.seq and matches(state, snapshot.state_hash):
            return state
        if hash_version(snapshot.state_hash) == HASH_VERSION:
            raise InvariantError(f"snapshot at seq {snapshot.seq} does not match its state hash")
        _LOG.warning(  # an older build's hash, computed by code that may since have moved
            "snapshot at seq %d does not match its version-%d state hash; passed over for the "
            "journal (ADR 0631)",
            snapshot.seq,
            hash_version(snapshot.state_hash),
        )
        snapshot = store.snapshots.latest(snapshot.seq - 1) if snapshot.seq > 0 else None
    return VenueState()
