"""What a store holds, and an integrity check of it: gap-free journals and a balanced ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from tokenfutures.storage.sql_store import SqlStore, open_store
from tokenfutures.venue.ports import Journal, StorageError, Store


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """Counts and versions of one store, for humans and ``--json``."""

    schema_revision: str | None
    journal_last_seq: int
    events_last_seq: int
    latest_snapshot_seq: int | None
    ledger_entries: int
    ledger_accounts: int
    ledger_total_micros: int

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return asdict(self)


def open_existing(url: str) -> Store:
    """Open a store that must already exist, read-only (nothing is created, no lock taken)."""
    return open_store(url, read_only=True)


def summarize(store: Store) -> StoreSummary:
    """Schema revision, journal heads, latest snapshot and ledger totals of ``store``."""
    snapshot = store.snapshots.latest()
    balances = store.ledger.balances()
    return StoreSummary(
        schema_revision=store.schema_revision() if isinstance(store, SqlStore) else None,
        journal_last_seq=store.journal.last_seq(),
        events_last_seq=store.events.last_seq(),
        latest_snapshot_seq=None if snapshot is None else snapshot.seq,
        ledger_entries=sum(1 for _ in store.ledger.entries()),
        ledger_accounts=len(balances),
        ledger_total_micros=sum(balances.values()),
    )


def _journal_problems(name: str, journal: Journal, progress: Callable[[int], None]) -> list[str]:
    expected = 1
    for record in journal.read():
        if record.seq != expected:
            return [f"{name}: seq {record.seq} where {expected} was expected"]
        expected += 1
        progress(1)
    if expected - 1 != journal.last_seq():
        return [f"{name}: read {expected - 1} records but last seq is {journal.last_seq()}"]
    return []


def verify(store: Store, progress: Callable[[int], None] | None = None) -> list[str]:
    """Problems found in ``store`` (empty when sound); ``progress`` gets records read."""
    advance = progress or (lambda _n: None)
    problems = _journal_problems("journal", store.journal, advance)
    problems += _journal_problems("events", store.events, advance)
    try:
        for _entry_id, _entry in store.ledger.entries():
            advance(1)
    except (StorageError, ValueError) as broken:
        problems.append(f"ledger: {broken}")
    total = sum(store.ledger.balances().values())
    if total != 0:
        problems.append(f"ledger: balances sum to {total} micro-USD, not 0")
    return problems
