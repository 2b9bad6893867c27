"""Columnar batches (``append_batch``) and journal frames, on every adapter (ADR 0507)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from storage_helpers import T0, payload_for, records

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.storage import open_store, sql_journal
from tokenfutures.storage.checks import check_batch
from tokenfutures.storage.lock import DatabaseLockedError
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalBatch,
    JournalRecord,
    SequenceGapError,
    Store,
)


def batch(first: int, last: int, keyed: int = 3) -> JournalBatch:
    """Records ``first..last`` as one batch at one stamp; every ``keyed``-th carries a key."""
    seqs = range(first, last + 1)
    return JournalBatch(
        first,
        T0 + timedelta(seconds=first),
        ["order" if s % keyed == 0 else "cancel" for s in seqs],
        [payload_for(s) for s in seqs],
        [("acct", f"o{s}") if s % keyed == 0 else None for s in seqs],
    )


def test_a_batch_reads_back_as_its_records(store: Store) -> None:
    first = batch(1, 7)
    store.journal.append_batch(first)
    store.journal.append(records(8, 9))
    store.journal.append_batch(batch(10, 12))
    got = list(store.journal.read())
    assert got[:7] == first.records()
    assert [r.seq for r in got] == list(range(1, 13))
    assert got[2] == JournalRecord(
        3, T0 + timedelta(seconds=1), "order", payload_for(3), IdempotencyKey("acct", "o3")
    )
    assert got[3].key is None
    assert got[3].kind == "cancel"
    assert [r.seq for r in store.journal.read(from_seq=5, limit=4)] == [5, 6, 7, 8]
    assert [r.seq for r in store.journal.read(from_seq=11)] == [11, 12]
    assert store.journal.seq_for_key(IdempotencyKey("acct", "o6")) == 6
    assert store.journal.seq_for_key(IdempotencyKey("acct", "o12")) == 12
    assert store.journal.last_seq() == 12


def test_payloads_with_newlines_and_odd_keys_round_trip(store: Store) -> None:
    odd = JournalBatch(
        1,
        T0,
        ["k", "k", "k"],
        ['{"a":\n1}', '"x"', "[]"],
        [("acc\tount", 'id\nwith"quotes'), None, ("é", "☃")],
    )
    store.journal.append_batch(odd)
    assert list(store.journal.read()) == odd.records()
    assert store.journal.seq_for_key(IdempotencyKey("é", "☃")) == 3


def test_a_batch_is_refused_like_its_records(store: Store) -> None:
    store.journal.append_batch(batch(1, 5))
    with pytest.raises(SequenceGapError, match="expected 6"):
        store.journal.append_batch(batch(7, 9))
    with pytest.raises(DuplicateSequenceError, match="seq 5 is already stored"):
        store.journal.append_batch(batch(5, 6))
    with pytest.raises(DuplicateKeyError):
        store.journal.append_batch(  # o3 was stored by the first batch
            JournalBatch(6, T0, ["order"], ["[]"], [("acct", "o3")])
        )
    with pytest.raises(DuplicateKeyError):
        store.journal.append_batch(
            JournalBatch(6, T0, ["o", "o"], ["[]", "[]"], [("a", "x"), ("a", "x")])
        )
    with pytest.raises(InvalidParameterError, match="client_order_id"):
        store.journal.append_batch(JournalBatch(6, T0, ["o"], ["[]"], [("a", "x" * 129)]))
    with pytest.raises(InvalidParameterError, match="ts must be timezone-aware"):
        store.journal.append_batch(JournalBatch(6, T0.replace(tzinfo=None), ["o"], ["[]"], [None]))
    with pytest.raises(InvalidParameterError, match="batch"):
        store.journal.append_batch(JournalBatch(6, T0, ["o"], ["[]", "[]"], [None, None]))
    store.journal.append_batch(JournalBatch(6, T0, [], [], []))  # empty: a no-op
    assert store.journal.last_seq() == 5
    assert len(list(store.journal.read())) == 5


@pytest.mark.parametrize("seed", range(12))
def test_corrupted_batches_raise_what_check_batch_raises(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    store.journal.append_batch(batch(1, 4))
    n = rng.randint(1, 6)
    first = rng.choice([3, 4, 5, 5, 5, 6])
    keys: list[tuple[str, str] | None] = [
        rng.choice([None, ("b", "x"), ("b", "y"), ("b", "z")]) for _ in range(n)
    ]
    kinds = [rng.choice(["order", "k" * 65, "cancel"]) for _ in range(n)]
    candidate = JournalBatch(first, T0, kinds, ["[]"] * n, keys)
    try:
        check_batch(candidate.records(), 4)
        expected: type[Exception] | None = None
    except Exception as error:
        expected = type(error)
    if expected is None:
        store.journal.append_batch(candidate)
        assert store.journal.last_seq() == first + n - 1
    else:
        with pytest.raises(expected):
            store.journal.append_batch(candidate)
        assert store.journal.last_seq() == 4


def test_a_second_writer_is_refused_until_the_first_closes(sql_url: str) -> None:
    first = open_store(sql_url)
    try:
        first.journal.append_batch(JournalBatch(1, T0, ["order"], ["[]"], [("a", "1")]))
        with pytest.raises(DatabaseLockedError, match="in use by another writer"):
            open_store(sql_url)
        reader = open_store(sql_url, read_only=True)  # readers take no lock
        try:
            assert reader.journal.seq_for_key(IdempotencyKey("a", "1")) == 1
        finally:
            reader.close()
    finally:
        first.close()
    second = open_store(sql_url)  # the lock went with the first writer
    try:
        with pytest.raises(DuplicateKeyError):
            second.journal.append_batch(JournalBatch(2, T0, ["order"], ["[]"], [("a", "1")]))
    finally:
        second.close()


def test_keys_survive_reopening_and_are_refused_after_it(sql_url: str) -> None:
    store = open_store(sql_url)
    store.journal.append_batch(batch(1, 30))
    store.close()
    again = open_store(sql_url)
    try:
        assert again.journal.seq_for_key(IdempotencyKey("acct", "o27")) == 27
        with pytest.raises(DuplicateKeyError):
            again.journal.append_batch(JournalBatch(31, T0, ["order"], ["[]"], [("acct", "o9")]))
        again.journal.append_batch(batch(31, 33))
        assert again.journal.last_seq() == 33
    finally:
        again.close()


def test_sql_reads_and_key_loads_page_through_many_frames(
    sql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_journal, "READ_PAGE", 4)
    monkeypatch.setattr(sql_journal, "KEY_PAGE", 2)
    store = open_store(sql_url)
    sizes = [1, 3, 7, 1, 1, 12, 2]  # frames of uneven length, some longer than a page
    first = 1
    for size in sizes:
        store.journal.append_batch(batch(first, first + size - 1))
        first += size
    store.close()
    again = open_store(sql_url)
    try:
        last = sum(sizes)
        assert [r.seq for r in again.journal.read()] == list(range(1, last + 1))
        assert [r.seq for r in again.journal.read(from_seq=6, limit=9)] == list(range(6, 15))
        assert list(again.journal.read(from_seq=last + 1)) == []
        assert again.journal.seq_for_key(IdempotencyKey("acct", "o24")) == 24
        with pytest.raises(DuplicateKeyError):
            again.journal.append_batch(JournalBatch(last + 1, T0, ["o"], ["[]"], [("acct", "o3")]))
    finally:
        again.close()
