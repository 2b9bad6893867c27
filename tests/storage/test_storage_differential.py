"""Random append streams give the same outcomes and contents on memory and SQLite."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from storage_helpers import record

from tokenfutures.storage import open_store
from tokenfutures.venue.ports import IdempotencyKey, JournalRecord, Store

KEYS = [IdempotencyKey(account, f"o{n}") for account in ("a", "b") for n in range(3)]
keys = st.one_of(st.none(), st.none(), st.sampled_from(KEYS))
batches = st.tuples(
    st.sampled_from([0, 0, 0, 0, 1, -1, 2]),  # offset of the first seq from the expected one
    st.lists(st.tuples(keys, st.sampled_from([1, 1, 1, 1, 0, 2])), max_size=5),  # key, seq step
)


def _build(first: int, legs: list[tuple[IdempotencyKey | None, int]]) -> list[JournalRecord]:
    out, seq = [], first
    for key, step in legs:
        out.append(record(seq, key))
        seq += step
    return out


def _outcome(store: Store, batch: list[JournalRecord]) -> str:
    try:
        store.journal.append(batch)
    except Exception as error:
        return type(error).__name__
    return "ok"


@settings(max_examples=30, deadline=None)
@given(st.lists(batches, min_size=1, max_size=8))
def test_memory_and_sqlite_agree_on_every_append(plan: list[tuple[int, list]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        memory = open_store("memory://")
        sqlite = open_store(f"sqlite:///{Path(folder) / 'diff.db'}")
        try:
            for offset, legs in plan:
                batch = _build(memory.journal.last_seq() + 1 + offset, legs)
                assert _outcome(memory, batch) == _outcome(sqlite, batch)
            assert list(memory.journal.read()) == list(sqlite.journal.read())
            for key in KEYS:
                assert memory.journal.seq_for_key(key) == sqlite.journal.seq_for_key(key)
        finally:
            sqlite.close()
