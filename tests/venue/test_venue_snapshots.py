"""Snapshots: versioned, hashed, non-executable, and refused when they lose anything."""

from __future__ import annotations

import pickle
from datetime import timedelta
from decimal import Decimal

import msgspec
import pytest
from venue_helpers import FRONT, TPI, TRADING_DAY

from tokenfutures.core.clock import ManualClock
from tokenfutures.core.errors import InvariantError
from tokenfutures.storage import open_store
from tokenfutures.venue.ports import Snapshot, Store
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.snapcodec import SnapshotFormatError, decode_object
from tokenfutures.venue.snapshot import MAGIC, LegacySnapshotError, dump_state, load_state
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest


def _traded(store: Store, clock: ManualClock) -> Venue:
    """A venue with accounts, a trade, an end of day (ledger entries) and open orders."""
    venue = Venue.open(store, clock)
    venue.index.fix_index(TRADING_DAY - timedelta(days=1), TPI)
    venue.settlement.list_contracts(TRADING_DAY)
    for name in ("alice", "bob"):
        venue.accounts.create_account(name, deposit=Decimal(50_000))
    venue.trading.submit_order("alice", OrderRequest(FRONT, "buy", 3, "a1", Decimal("3.50")))
    venue.trading.submit_order("bob", OrderRequest(FRONT, "sell", 2, "b1", Decimal("3.50")))
    venue.trading.submit_order("bob", OrderRequest(FRONT, "sell", 4, "b2", Decimal("3.55")))
    venue.settlement.end_of_day(TRADING_DAY)
    return venue


def _snapshotted(clock: ManualClock) -> tuple[Store, Venue, Snapshot]:
    """A traded venue on an in-memory store, and the snapshot it just took."""
    store = open_store("memory://")
    venue = _traded(store, clock)
    venue.snapshot()
    snap = store.snapshots.latest()
    assert snap is not None
    return store, venue, snap


def _copy_journal(source: Store) -> Store:
    """A fresh in-memory store holding ``source``'s journal (no snapshots, no events)."""
    target = open_store("memory://")
    target.journal.append(list(source.journal.read()))
    return target


def test_a_snapshot_round_trips_to_the_same_hash_and_book(clock: ManualClock) -> None:
    store, venue, snap = _snapshotted(clock)
    digest = snap.state_hash
    assert snap.blob.startswith(MAGIC)
    restored = load_state(snap.blob)
    assert state_hash(restored) == digest == state_hash(replay_journal(store))
    assert restored.house.ledger.journal == venue._state.house.ledger.journal


def test_a_snapshot_that_drops_ledger_entries_fails_recovery(clock: ManualClock) -> None:
    store, _, snap = _snapshotted(clock)
    tampered = load_state(snap.blob)
    balances = tampered.house.ledger.balances_micros()
    assert len(tampered.house.ledger.journal) > 0
    tampered.house.ledger._journal.clear()  # history gone, balances untouched
    assert tampered.house.ledger.balances_micros() == balances
    copy = _copy_journal(store)
    copy.snapshots.save(Snapshot(snap.seq, snap.state_hash, dump_state(tampered)))
    with pytest.raises(InvariantError, match="state hash"):
        Venue.open(copy, clock)


def test_a_snapshot_whose_body_changed_is_refused_before_it_is_read(clock: ManualClock) -> None:
    store, _, snap = _snapshotted(clock)
    flipped = bytearray(snap.blob)
    flipped[-1] ^= 0x01
    copy = _copy_journal(store)
    copy.snapshots.save(Snapshot(snap.seq, snap.state_hash, bytes(flipped)))
    with pytest.raises(SnapshotFormatError, match="digest"):
        Venue.open(copy, clock)


def test_a_pickle_snapshot_is_never_loaded_and_the_journal_rebuilds_the_state(
    clock: ManualClock,
) -> None:
    store = open_store("memory://")
    venue = _traded(store, clock)
    live = venue.state_hash()
    copy = _copy_journal(store)

    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (pytest.fail, ("a pickle snapshot was unpickled",))

    copy.snapshots.save(Snapshot(venue.seq, live, pickle.dumps(Boom())))
    assert Venue.open(copy, clock).state_hash() == live


def test_a_snapshot_of_another_state_layout_is_passed_over_for_the_journal(
    clock: ManualClock,
) -> None:
    store, venue, snap = _snapshotted(clock)
    older = load_state(snap.blob)
    del older.final_audits  # as a build before final-settlement audits wrote it
    blob = dump_state(older)
    with pytest.raises(LegacySnapshotError, match="layout"):
        load_state(blob)
    copy = _copy_journal(store)
    copy.snapshots.save(Snapshot(snap.seq, snap.state_hash, blob))
    assert Venue.open(copy, clock).state_hash() == venue.state_hash()


def test_a_body_that_names_a_foreign_class_is_refused() -> None:
    body = msgspec.msgpack.encode(["o", 0, ["os", "system"], []])
    with pytest.raises(SnapshotFormatError, match=r"os\.system"):
        decode_object(body)
    callable_ref = msgspec.msgpack.encode(["c", ["builtins", "eval"]])
    with pytest.raises(SnapshotFormatError, match=r"builtins\.eval"):
        decode_object(callable_ref)
