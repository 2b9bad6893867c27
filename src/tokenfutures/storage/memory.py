"""In-memory adapter of the storage ports: the reference for the contract suite and for tests."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import Any

from tokenfutures.storage.apikeys import HashedApiKeys, StoredKey
from tokenfutures.storage.checks import (
    check_batch_fast,
    check_entries,
    check_journal_batch,
    ts_to_micros,
)
from tokenfutures.storage.ports_set import PortSet
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalBatch,
    JournalRecord,
    LedgerEntry,
    Snapshot,
)


class InMemoryJournal:
    """A journal held in memory, a chunk per append: same checks and errors as the SQL adapters."""

    def __init__(self) -> None:
        self._chunks: list[Sequence[JournalRecord] | JournalBatch] = []
        self._firsts: list[int] = []
        self._last = 0
        self._keys: dict[tuple[str, str], int] = {}

    def append(self, records: Sequence[JournalRecord]) -> None:
        """Store ``records`` atomically; refuses gaps, duplicates and repeated keys."""
        if not records:
            return
        check_batch_fast(records, self._last)
        last_ts = None
        for record in records:
            if record.ts is not last_ts:
                ts_to_micros(record.ts)  # refuses a naive instant, as the SQL adapters do
                last_ts = record.ts
        pairs = {
            (r.key.account, r.key.client_order_id): r.seq for r in records if r.key is not None
        }
        self._keep(list(records), records[0].seq, records[-1].seq, pairs)

    def append_batch(self, batch: JournalBatch) -> None:
        """Store a columnar batch as it is (the sequencer's path)."""
        if not batch.payloads:
            return
        check_journal_batch(batch, self._last)
        first = batch.first_seq
        last = first + len(batch.payloads) - 1
        pairs: dict[Any, int] = dict(zip(batch.keys, range(first, last + 1), strict=True))
        pairs.pop(None, None)
        self._keep(batch, first, last, pairs)

    def _keep(
        self,
        chunk: Sequence[JournalRecord] | JournalBatch,
        first: int,
        last: int,
        pairs: dict[tuple[str, str], int],
    ) -> None:
        if not self._keys.keys().isdisjoint(pairs):
            taken = next(k for k in pairs if k in self._keys)
            raise DuplicateKeyError(f"idempotency key {taken} is already stored")
        self._chunks.append(chunk)
        self._firsts.append(first)
        self._last = last
        self._keys.update(pairs)

    def read(self, from_seq: int = 1, limit: int | None = None) -> Iterator[JournalRecord]:
        """Records with ``seq >= from_seq`` in order (at most ``limit``)."""
        from_seq = max(from_seq, 1)
        index = max(bisect.bisect_right(self._firsts, from_seq) - 1, 0)
        remaining = limit
        for chunk in self._chunks[index:]:
            records = chunk.records() if isinstance(chunk, JournalBatch) else chunk
            for record in records:
                if record.seq < from_seq:
                    continue
                if remaining is not None:
                    if remaining <= 0:
                        return
                    remaining -= 1
                yield record

    def last_seq(self) -> int:
        """The highest stored sequence number, 0 when empty."""
        return self._last

    def seq_for_key(self, key: IdempotencyKey) -> int | None:
        """Sequence number first stored with ``key``, or None."""
        return self._keys.get((key.account, key.client_order_id))


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

    def _revoke_account(self, account: str) -> int:
        live = [k for k, r in self._keys.items() if r.account == account and not r.revoked]
        return sum(self._mark_revoked(key_id) for key_id in live)


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
