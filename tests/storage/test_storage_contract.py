"""One contract suite for every adapter of the storage ports (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

import pytest
from storage_helpers import T0, payload_for, record, records, transfer

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.storage import open_store, sql_journal, sql_ledger
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    LedgerEntry,
    Posting,
    SequenceGapError,
    Snapshot,
    Store,
    UnbalancedEntryError,
)

# --- journal ------------------------------------------------------------------------------


def test_empty_journal_has_last_seq_zero_and_reads_nothing(store: Store) -> None:
    assert store.journal.last_seq() == 0
    assert list(store.journal.read()) == []


def test_journal_reads_back_batches_in_order(store: Store) -> None:
    store.journal.append(records(1, 3))
    store.journal.append(records(4, 10))
    got = list(store.journal.read())
    assert [r.seq for r in got] == list(range(1, 11))
    assert got[6].payload == payload_for(7)
    assert got[6].ts == datetime(2026, 3, 2, 9, 0, 0, 7000, tzinfo=T0.tzinfo)
    assert store.journal.last_seq() == 10


def test_journal_reads_from_a_seq_with_a_limit(store: Store) -> None:
    store.journal.append(records(1, 25))
    assert [r.seq for r in store.journal.read(from_seq=20)] == [20, 21, 22, 23, 24, 25]
    assert [r.seq for r in store.journal.read(from_seq=5, limit=3)] == [5, 6, 7]
    assert list(store.journal.read(from_seq=26)) == []


def test_journal_refuses_a_gap_and_stores_nothing_of_that_batch(store: Store) -> None:
    store.journal.append(records(1, 5))
    with pytest.raises(SequenceGapError, match="expected 6"):
        store.journal.append(records(7, 9))
    with pytest.raises(SequenceGapError, match="expected 8"):
        store.journal.append([record(6), record(7), record(9)])
    assert store.journal.last_seq() == 5


def test_journal_refuses_a_duplicate_seq(store: Store) -> None:
    store.journal.append(records(1, 5))
    with pytest.raises(DuplicateSequenceError, match="seq 5 is already stored"):
        store.journal.append(records(5, 6))
    with pytest.raises(DuplicateSequenceError):
        store.journal.append([record(6), record(6)])
    assert store.journal.last_seq() == 5


def test_journal_must_start_at_one(store: Store) -> None:
    with pytest.raises(SequenceGapError):
        store.journal.append(records(2, 3))
    with pytest.raises(DuplicateSequenceError):
        store.journal.append(records(0, 1))


def test_journal_refuses_naive_timestamps(store: Store) -> None:
    naive = record(1)
    bad = type(naive)(1, naive.ts.replace(tzinfo=None), naive.kind, naive.payload)
    with pytest.raises(InvalidParameterError, match="ts must be timezone-aware"):
        store.journal.append([bad])
    assert store.journal.last_seq() == 0


def test_idempotency_key_maps_to_its_first_seq(store: Store) -> None:
    key = IdempotencyKey("acct-1", "order-42")
    store.journal.append(
        [record(1), record(2, key), record(3, IdempotencyKey("acct-2", "order-42"))]
    )
    assert store.journal.seq_for_key(key) == 2
    assert store.journal.seq_for_key(IdempotencyKey("acct-1", "order-43")) is None
    assert [r.key for r in store.journal.read(from_seq=2, limit=1)] == [key]


def test_a_repeated_idempotency_key_is_refused_with_its_whole_batch(store: Store) -> None:
    key = IdempotencyKey("acct-1", "order-42")
    store.journal.append([record(1, key)])
    with pytest.raises(DuplicateKeyError):
        store.journal.append([record(2), record(3, key)])
    with pytest.raises(DuplicateKeyError):
        store.journal.append(
            [record(2, IdempotencyKey("a", "x")), record(3, IdempotencyKey("a", "x"))]
        )
    assert store.journal.last_seq() == 1
    assert store.journal.seq_for_key(key) == 1


def test_event_log_is_a_separate_journal(store: Store) -> None:
    store.journal.append(records(1, 3))
    store.events.append(records(1, 2))
    assert (store.journal.last_seq(), store.events.last_seq()) == (3, 2)


def test_empty_batch_is_a_no_op(store: Store) -> None:
    store.journal.append([])
    assert store.journal.last_seq() == 0


# --- snapshots ----------------------------------------------------------------------------


def test_snapshot_lookup_is_latest_at_or_before(store: Store) -> None:
    for seq in (100, 300, 200):
        store.snapshots.save(Snapshot(seq, f"hash-{seq}", bytes([seq % 256]) * 3))
    assert store.snapshots.latest(99) is None
    assert store.snapshots.latest(100) == Snapshot(100, "hash-100", bytes([100]) * 3)
    latest_250 = store.snapshots.latest(250)
    assert latest_250 is not None
    assert latest_250.seq == 200
    latest = store.snapshots.latest()
    assert latest is not None
    assert latest.state_hash == "hash-300"


def test_a_second_snapshot_at_one_seq_is_refused(store: Store) -> None:
    store.snapshots.save(Snapshot(5, "a", b"1"))
    with pytest.raises(DuplicateSequenceError):
        store.snapshots.save(Snapshot(5, "b", b"2"))
    assert store.snapshots.latest() == Snapshot(5, "a", b"1")


def test_empty_snapshot_store_has_no_latest(store: Store) -> None:
    assert store.snapshots.latest() is None


# --- ledger -------------------------------------------------------------------------------


def test_ledger_balances_follow_postings(store: Store) -> None:
    ids = store.ledger.post([transfer(1, "cash:alice", "margin:alice", 2_500_000)])
    ids += store.ledger.post(
        [
            transfer(2, "margin:alice", "cash:bob", 700_000),
            LedgerEntry(
                3, "fee", (Posting("cash:bob", -30), Posting("fees", 20), Posting("df", 10))
            ),
        ]
    )
    assert ids == [1, 2, 3]
    assert store.ledger.balance("margin:alice") == 1_800_000
    assert store.ledger.balance("nobody") == 0
    balances = store.ledger.balances()
    assert balances == {
        "cash:alice": -2_500_000,
        "margin:alice": 1_800_000,
        "cash:bob": 699_970,
        "fees": 20,
        "df": 10,
    }
    assert sum(balances.values()) == 0


def test_ledger_entries_read_back_with_their_legs_in_order(store: Store) -> None:
    fee = LedgerEntry(9, "fee", (Posting("x", -3), Posting("y", 1), Posting("z", 2)))
    store.ledger.post([transfer(8, "a", "b", 5), fee])
    assert list(store.ledger.entries()) == [(1, transfer(8, "a", "b", 5)), (2, fee)]
    assert list(store.ledger.entries(after_id=1)) == [(2, fee)]


def test_unbalanced_entries_are_refused_in_code() -> None:
    with pytest.raises(UnbalancedEntryError, match="sum to 1"):
        LedgerEntry(1, "bad", (Posting("a", 5), Posting("b", -4)))
    with pytest.raises(UnbalancedEntryError, match="two postings"):
        LedgerEntry(1, "bad", ())
    with pytest.raises(InvalidParameterError, match="amount_micros"):
        LedgerEntry(1, "bad", (Posting("a", 0), Posting("b", 0)))
    with pytest.raises(InvalidParameterError, match="amount_micros"):
        LedgerEntry(1, "bad", (Posting("a", True), Posting("b", -1)))


# --- API keys -----------------------------------------------------------------------------


def test_api_keys_authenticate_their_account_only(store: Store) -> None:
    alice = store.api_keys.issue("alice")
    bob = store.api_keys.issue("bob")
    assert alice != bob
    assert store.api_keys.authenticate(alice) == "alice"
    assert store.api_keys.authenticate(bob) == "bob"
    key_id, secret = alice.split("_")[1], alice.split("_", 2)[2]
    assert store.api_keys.authenticate(f"tfk_{key_id}_{secret[:-1]}x") is None
    assert store.api_keys.authenticate(f"tfk_{bob.split('_')[1]}_{secret}") is None
    for malformed in ("", "tfk_", "nope", "tfk__", alice.replace("tfk_", "xyz_")):
        assert store.api_keys.authenticate(malformed) is None


def test_revoked_api_keys_no_longer_authenticate(store: Store) -> None:
    key = store.api_keys.issue("alice")
    key_id = key.split("_")[1]
    assert store.api_keys.revoke(key_id) is True
    assert store.api_keys.authenticate(key) is None
    assert store.api_keys.revoke(key_id) is False
    assert store.api_keys.revoke("unknown") is False


def test_revoking_an_account_revokes_all_its_live_keys_only(store: Store) -> None:
    first, second, other = (store.api_keys.issue(a) for a in ("alice", "alice", "bob"))
    store.api_keys.revoke(first.split("_")[1])
    assert store.api_keys.revoke_account("alice") == 1  # the second; the first already was
    assert store.api_keys.authenticate(second) is None
    assert store.api_keys.authenticate(other) == "bob"
    assert store.api_keys.revoke_account("alice") == 0


# --- durability ---------------------------------------------------------------------------


def test_everything_survives_close_and_reopen(sql_url: str) -> None:
    first = open_store(sql_url)
    first.journal.append([record(1, IdempotencyKey("a", "1")), *records(2, 50)])
    first.events.append(records(1, 4))
    first.snapshots.save(Snapshot(40, "h40", b"\x00\xffstate"))
    first.ledger.post([transfer(3, "a", "b", 123)])
    key = first.api_keys.issue("carol")
    first.close()

    again = open_store(sql_url)
    try:
        assert [r.seq for r in again.journal.read()] == list(range(1, 51))
        assert again.journal.seq_for_key(IdempotencyKey("a", "1")) == 1
        assert again.events.last_seq() == 4
        assert again.snapshots.latest() == Snapshot(40, "h40", b"\x00\xffstate")
        assert again.ledger.balances() == {"a": -123, "b": 123}
        assert again.api_keys.authenticate(key) == "carol"
        again.journal.append(records(51, 52))
        assert again.journal.last_seq() == 52
    finally:
        again.close()


def test_names_too_long_for_their_columns_are_refused_alike(store: Store) -> None:
    long_kind = record(1, kind="k" * 65)
    with pytest.raises(InvalidParameterError, match="kind must be a non-empty name"):
        store.journal.append([long_kind])
    with pytest.raises(InvalidParameterError, match="client_order_id"):
        store.journal.append([record(1, IdempotencyKey("a", "o" * 129))])
    with pytest.raises(InvalidParameterError, match="account"):
        store.ledger.post([transfer(1, "a" * 129, "b", 1)])
    with pytest.raises(InvalidParameterError, match="account"):
        store.api_keys.issue("")
    assert store.journal.last_seq() == 0
    assert store.ledger.balances() == {}


def test_sql_reads_page_through_long_journals_and_ledgers(
    sql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_journal, "READ_PAGE", 3)
    monkeypatch.setattr(sql_ledger, "READ_PAGE", 2)
    store = open_store(sql_url)
    try:
        store.journal.append(records(1, 10))
        store.ledger.post([transfer(seq, "a", "b", seq) for seq in range(1, 8)])
        assert [r.seq for r in store.journal.read()] == list(range(1, 11))
        assert [r.seq for r in store.journal.read(from_seq=2, limit=7)] == list(range(2, 9))
        assert [entry.seq for _id, entry in store.ledger.entries(after_id=1)] == list(range(2, 8))
    finally:
        store.close()
