"""Records written before the wire's envelope (journal v1 kinds, event log and snapshot format 2)
are still read by this build (ADR 0008). The fixture was written by commit 669f8b0's build
(``fixtures/make_format2.py``); nothing here re-creates it with the current code.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from venue_helpers import replayed_events

from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.commands import decode, encode
from tokenfutures.venue.eventlog import chunk_payload, decode_chunk, last_command
from tokenfutures.venue.ports import JournalRecord, Snapshot, Store
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.snapcodec import decode_object
from tokenfutures.venue.snapshot import MAGIC_V2, LegacySnapshotError, dump_state, load_state
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.statehash import state_hash

FIXTURE = Path(__file__).with_name("fixtures") / "format2.json"


@pytest.fixture(scope="module")
def written() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FIXTURE.read_text())
    return document


def _store(written: dict[str, Any], *, snapshot: bool) -> Store:
    store = open_store("memory://")
    store.journal.append(
        [JournalRecord(s, datetime.fromisoformat(t), k, p) for s, t, k, p in written["journal"]]
    )
    store.events.append(
        [JournalRecord(s, datetime.fromisoformat(t), "events", p) for s, t, p in written["events"]]
    )
    if snapshot:
        snap = written["snapshot"]
        blob = base64.b64decode(snap["blob"])
        store.snapshots.save(Snapshot(snap["seq"], snap["state_hash"], blob))
    return store


def test_every_version_1_journal_record_decodes_and_re_encodes_to_its_bytes(
    written: dict[str, Any],
) -> None:
    """Kinds still at version 1 re-encode to their very bytes; ``fix_index`` (version 2 since
    ADR 0636) is lifted: its audit text becomes the object it held, and reads back as written."""
    kinds = set()
    for _, ts, kind, payload in written["journal"]:
        command = decode(kind, datetime.fromisoformat(ts), payload)
        kinds.add(kind)
        if kind != "fix_index":
            assert encode(command) == (kind, payload)
            continue
        day, level, status, text = json.loads(payload)
        assert (command.day.isoformat(), command.level, command.status) == (day, level, status)
        assert command.audit == (json.loads(text) if text else {})
        lifted_kind, lifted = encode(command)
        assert lifted_kind == "fix_index.v2"
        assert decode(lifted_kind, command.ts, lifted) == command
    assert {"order", "create_account", "list", "fix_index", "end_of_day"} <= kinds


def test_format_2_event_log_records_decode_and_match_a_replay(written: dict[str, Any]) -> None:
    store = _store(written, snapshot=False)
    for _, _, payload in written["events"]:
        assert msgspec.json.decode(payload)["format"] == 2
        pairs = decode_chunk(payload)
        assert pairs
        assert last_command(payload) == pairs[-1][0]
        upgraded = chunk_payload(pairs)  # written again in the envelope, the same events
        assert upgraded is not None
        assert upgraded.startswith('["events",3,')
        assert decode_chunk(upgraded) == pairs
    logged = [pair for _, _, payload in written["events"] for pair in decode_chunk(payload)]
    assert logged == replayed_events(store)


def test_a_format_2_snapshot_is_read_and_its_graph_holds_the_replayed_acks(
    written: dict[str, Any],
) -> None:
    blob = base64.b64decode(written["snapshot"]["blob"])
    assert blob.startswith(MAGIC_V2)
    graph = blob[len(MAGIC_V2) + 64 :]
    state, _ = decode_object(graph)  # whatever fields later builds add, the graph decodes
    assert isinstance(state, VenueState)
    replayed = replay_journal(_store(written, snapshot=False))
    assert state.seq == written["snapshot"]["seq"] == replayed.seq
    assert state.acks == replayed.acks
    assert state.acks
    try:
        loaded = load_state(blob)
    except LegacySnapshotError:  # a build whose state has other fields: the journal rebuilds
        return
    assert state_hash(loaded) == state_hash(replayed)
    assert load_state(dump_state(loaded)).acks == replayed.acks  # and moves to version 3


def test_a_venue_recovers_from_the_old_records_to_the_replayed_state(
    written: dict[str, Any],
) -> None:
    clock = ManualClock(datetime(2026, 11, 25, tzinfo=UTC))
    recovered = Venue.open(_store(written, snapshot=True), clock)
    assert recovered.state_hash() == state_hash(replay_journal(_store(written, snapshot=False)))


def test_a_journal_record_of_a_version_this_build_does_not_know_is_refused_by_name() -> None:
    ts = datetime(2026, 11, 24, tzinfo=UTC)
    with pytest.raises(ValueError, match=r"order\.v9 payload .*'order' version 9"):
        decode("order.v9", ts, '["SITZ26","alice","c-1",1,5,350]')


def test_a_snapshot_of_a_newer_version_is_passed_over_for_the_journal(
    written: dict[str, Any],
) -> None:
    current = dump_state(replay_journal(_store(written, snapshot=False)))
    newer = msgspec.msgpack.encode(["snapshot", 4, msgspec.msgpack.decode(current)[2]])
    with pytest.raises(LegacySnapshotError, match="another version"):
        load_state(newer)
    store = _store(written, snapshot=False)
    seq = written["snapshot"]["seq"]
    store.snapshots.save(Snapshot(seq, written["snapshot"]["state_hash"], newer))
    clock = ManualClock(datetime(2026, 11, 25, tzinfo=UTC))
    replayed = state_hash(replay_journal(_store(written, snapshot=False)))
    assert Venue.open(store, clock).state_hash() == replayed
