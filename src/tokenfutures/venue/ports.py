"""Storage ports of the venue: the journal, snapshots, the ledger and API keys (Protocols).

The venue depends on these Protocols only; ``tokenfutures.storage`` provides the in-memory,
SQLite and PostgreSQL adapters, all passing one contract test suite. Stores are
domain-agnostic: payloads are canonical JSON text made by the caller, money is integer
micro-USD, times are timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tokenfutures.core.errors import InvalidParameterError, TokenFuturesError

# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    """A client's own identifier of a command: (account, client order id), unique per store."""

    account: str
    client_order_id: str


@dataclass(frozen=True, slots=True)
class JournalRecord:
    """One journalled command or event: gap-free ``seq`` from 1, UTC ``ts``, JSON ``payload``."""

    seq: int
    ts: datetime
    kind: str
    payload: str
    key: IdempotencyKey | None = None


@dataclass(frozen=True, slots=True)
class JournalBatch:
    """Records ``first_seq, first_seq + 1, ...`` stamped ``ts``, as columns (one group commit).

    ``kinds[i]``, ``payloads[i]`` and ``keys[i]`` (an ``(account, client order id)`` pair, or
    None) belong to sequence number ``first_seq + i``. The sequencer builds these lists
    directly: one ``JournalRecord`` and ``IdempotencyKey`` per command cost more than
    storing it (ADR 0609).
    """

    first_seq: int
    ts: datetime
    kinds: Sequence[str]
    payloads: Sequence[str]
    keys: Sequence[tuple[str, str] | None]

    def records(self) -> list[JournalRecord]:
        """The batch as ``JournalRecord``s (reads, error paths)."""
        first, ts = self.first_seq, self.ts
        return [
            JournalRecord(
                first + i, ts, kind, payload, None if key is None else IdempotencyKey(*key)
            )
            for i, (kind, payload, key) in enumerate(
                zip(self.kinds, self.payloads, self.keys, strict=True)
            )
        ]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Serialised venue state after applying every record up to and including ``seq``."""

    seq: int
    state_hash: str
    blob: bytes


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of a ledger entry: a non-zero signed amount in integer micro-USD."""

    account: str
    amount_micros: int


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A balanced double-entry: at least two postings summing to zero, caused by journal ``seq``.

    Raises
    ------
    UnbalancedEntryError
        If the postings do not sum to zero, or there are fewer than two.
    InvalidParameterError
        If an amount is not a non-zero ``int`` or an account name is empty.
    """

    seq: int
    kind: str
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        for posting in self.postings:
            amount = posting.amount_micros
            if type(amount) is not int or amount == 0:
                raise InvalidParameterError("amount_micros", amount, "a non-zero int")
            if not posting.account:
                raise InvalidParameterError("account", posting.account, "a non-empty name")
        if len(self.postings) < 2:
            raise UnbalancedEntryError(f"a ledger entry needs two postings, got {self.postings}")
        total = sum(p.amount_micros for p in self.postings)
        if total != 0:
            raise UnbalancedEntryError(f"ledger postings sum to {total} micro-USD, not 0")


# --- errors -------------------------------------------------------------------------------


class StorageError(TokenFuturesError):
    """A store refused a write that would break one of its invariants."""


class SequenceGapError(StorageError):
    """An append would leave a gap in, or reorder, the sequence numbers."""


class DuplicateSequenceError(StorageError):
    """An append or snapshot reuses a sequence number already stored."""


class DuplicateKeyError(StorageError):
    """An idempotency key (account, client order id) or API key id is already stored."""


class UnbalancedEntryError(StorageError, ValueError):
    """Ledger postings that do not sum to zero (refused in code and by the database)."""


# --- ports --------------------------------------------------------------------------------


class Journal(Protocol):
    """Append-only log with strictly increasing, gap-free sequence numbers starting at 1."""

    def append(self, records: Sequence[JournalRecord]) -> None:
        """Store ``records`` atomically (all or none); the first must be ``last_seq() + 1``."""
        ...

    def append_batch(self, batch: JournalBatch) -> None:
        """``append(batch.records())`` without building the records (the sequencer's path)."""
        ...

    def read(self, from_seq: int = 1, limit: int | None = None) -> Iterator[JournalRecord]:
        """Records with ``seq >= from_seq`` in sequence order (at most ``limit`` of them)."""
        ...

    def last_seq(self) -> int:
        """The highest stored sequence number, 0 when empty."""
        ...

    def seq_for_key(self, key: IdempotencyKey) -> int | None:
        """Sequence number of the record first stored with ``key``, or None."""
        ...


EventStore = Journal
"""The event log has the same port as the command journal."""


class SnapshotStore(Protocol):
    """Snapshots of the folded state, looked up by sequence number."""

    def save(self, snapshot: Snapshot) -> None:
        """Store ``snapshot``; a second snapshot at the same ``seq`` is refused."""
        ...

    def latest(self, at_or_before: int | None = None) -> Snapshot | None:
        """The snapshot with the highest ``seq <= at_or_before`` (any seq when None)."""
        ...


class LedgerStore(Protocol):
    """Double-entry ledger in integer micro-USD; every entry balances."""

    def post(self, entries: Sequence[LedgerEntry]) -> list[int]:
        """Store ``entries`` atomically and return their entry ids (increasing)."""
        ...

    def entries(self, after_id: int = 0) -> Iterator[tuple[int, LedgerEntry]]:
        """Stored entries with id greater than ``after_id``, in id order."""
        ...

    def balance(self, account: str) -> int:
        """Sum of the account's postings in micro-USD (0 for an unknown account)."""
        ...

    def balances(self) -> dict[str, int]:
        """Balance of every account that has postings."""
        ...


class ApiKeyStore(Protocol):
    """API keys stored hashed; the plaintext is shown once, at issue."""

    def issue(self, account: str) -> str:
        """Create a key for ``account`` and return its plaintext (never stored)."""
        ...

    def authenticate(self, api_key: str) -> str | None:
        """The account of a valid, unrevoked key, else None (constant-time compare)."""
        ...

    def revoke(self, key_id: str) -> bool:
        """Revoke the key with public id ``key_id``; False when there is no such live key."""
        ...

    def revoke_account(self, account: str) -> int:
        """Revoke every live key of ``account``; returns how many were revoked."""
        ...


class Store(Protocol):
    """Everything the venue persists, behind one handle that is opened and closed together."""

    @property
    def journal(self) -> Journal:
        """The command journal (with idempotency keys)."""
        ...

    @property
    def events(self) -> EventStore:
        """The event log."""
        ...

    @property
    def snapshots(self) -> SnapshotStore:
        """State snapshots."""
        ...

    @property
    def ledger(self) -> LedgerStore:
        """The double-entry ledger."""
        ...

    @property
    def api_keys(self) -> ApiKeyStore:
        """Hashed API keys."""
        ...

    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""
        ...
