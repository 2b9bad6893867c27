"""In-memory adapter of the storage ports: the reference for the contract suite and for tests."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from tokenfutures.storage.apikeys import HashedApiKeys, StoredKey
from tokenfutures.storage.checks import check_batch_fast, check_entries, ts_to_micros
from tokenfutures.storage.ports_set import PortSet
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalRecord,
    LedgerEntry,
    Snapshot,
)


class InMemoryJournal:
    """A journal held in a list: same checks and errors as the SQL adapters."""

    def __init__(self) -> None:
        self._records: list[JournalRecord] = []
        self._keys: dict[IdempotencyKey, int] = {}

    def append(self, records: Sequence[JournalRecord]) -> None:
        """Store ``records`` atomically; refuses gaps, duplicates and repeated keys."""
        check_batch_fast(records, self.last_seq())
        last_ts = None
        for record in records:
            if record.ts is not last_ts:
                ts_to_micros(record.ts)  # refuses a naive instant, as the SQL adapters do
                last_ts = record.ts
            if record.key is not None and record.key in self._keys:
                raise DuplicateKeyError(f"idempotency key {record.key} is already stored")
        self._records.extend(records)
        self._keys.update({r.key: r.seq for r in records if r.key is not None})

    def read(self, from_seq: int = 1, limit: int | None = None) -> Iterator[JournalRecord]:
        """Records with ``seq >= from_seq`` in order (at most ``limit``)."""
        start = max(from_seq, 1) - 1
        stop = None if limit is None else start + limit
        return iter(self._records[start:stop])

    def last_seq(self) -> int:
        """The highest stored sequence number, 0 when empty."""
        return len(self._records)

    def seq_for_key(self, key: IdempotencyKey) -> int | None:
        """Sequence number first stored with ``key``, or None."""
        return self._keys.get(key)


class InMemorySnapshots:
    """Snapshots kept sorted by sequence number."""

    def __init__(self) -> None:
        self._seqs: list[int] = []
        self._by_seq: dict[int, Snapshot] = {}

    def save(self, snapshot: Snapshot) -> None:
        """Store ``snapshot``; a second one at the same ``seq`` is refused."""
        if snapshot.seq in self._by_seq:
            raise DuplicateSequenceError(f"a snapshot at seq {snapshot.seq} is already stored")
        bisect.insort(self._seqs, snapshot.seq)
        self._by_seq[snapshot.seq] = snapshot

    def latest(self, at_or_before: int | None = None) -> Snapshot | None:
        """The snapshot with the highest ``seq <= at_or_before`` (any when None)."""
        index = (
            len(self._seqs)
            if at_or_before is None
            else bisect.bisect_right(self._seqs, at_or_before)
        )
        return self._by_seq[self._seqs[index - 1]] if index else None


class InMemoryLedger:
    """Ledger entries in a list; balances kept incrementally."""

    def __init__(self) -> None:
        self._entries: list[LedgerEntry] = []
        self._balances: dict[str, int] = {}

    def post(self, entries: Sequence[LedgerEntry]) -> list[int]:
        """Store balanced ``entries`` (checked when each entry is built) and return their ids."""
        check_entries(entries)
        first = len(self._entries) + 1
        self._entries.extend(entries)
        for entry in entries:
            for posting in entry.postings:
                account = posting.account
                self._balances[account] = self._balances.get(account, 0) + posting.amount_micros
        return list(range(first, first + len(entries)))

    def entries(self, after_id: int = 0) -> Iterator[tuple[int, LedgerEntry]]:
        """Entries with id greater than ``after_id``, in id order."""
        start = max(after_id, 0)
        return iter(list(enumerate(self._entries[start:], start=start + 1)))

    def balance(self, account: str) -> int:
        """Sum of the account's postings in micro-USD."""
        return self._balances.get(account, 0)

    def balances(self) -> dict[str, int]:
        """Balance of every account that has postings."""
        return dict(self._balances)


class InMemoryApiKeys(HashedApiKeys):
    """Hashed API keys in a dict keyed by public key id."""

    def __init__(self) -> None:
        self._keys: dict[str, StoredKey] = {}

    def _insert(self, record: StoredKey) -> None:
        if record.key_id in self._keys:
            raise DuplicateKeyError(f"API key id {record.key_id} is already stored")
        self._keys[record.key_id] = record

    def _find(self, key_id: str) -> StoredKey | None:
        return self._keys.get(key_id)

    def _mark_revoked(self, key_id: str) -> bool:
        record = self._keys.get(key_id)
        if record is None or record.revoked:
            return False
        self._keys[key_id] = StoredKey(
            record.key_id, record.account, record.salt, record.digest, True
        )
        return True


class InMemoryStore(PortSet):
    """Every port in memory; nothing survives ``close``."""

    def __init__(self) -> None:
        super().__init__(
            InMemoryJournal(),
            InMemoryJournal(),
            InMemorySnapshots(),
            InMemoryLedger(),
            InMemoryApiKeys(),
        )

    def close(self) -> None:
        """Nothing to release."""
