"""The five ports of a store held together: shared by the in-memory and SQL stores."""

from __future__ import annotations

from tokenfutures.venue.ports import ApiKeyStore, Journal, LedgerStore, SnapshotStore


class PortSet:
    """Read-only access to a store's journal, event log, snapshots, ledger and API keys."""

    def __init__(
        self,
        journal: Journal,
        events: Journal,
        snapshots: SnapshotStore,
        ledger: LedgerStore,
        api_keys: ApiKeyStore,
    ) -> None:
        self._journal = journal
        self._events = events
        self._snapshots = snapshots
        self._ledger = ledger
        self._api_keys = api_keys

    @property
    def journal(self) -> Journal:
        """The command journal (with idempotency keys)."""
        return self._journal

    @property
    def events(self) -> Journal:
        """The event log."""
        return self._events

    @property
    def snapshots(self) -> SnapshotStore:
        """State snapshots."""
        return self._snapshots

    @property
    def ledger(self) -> LedgerStore:
        """The double-entry ledger."""
        return self._ledger

    @property
    def api_keys(self) -> ApiKeyStore:
        """Hashed API keys."""
        return self._api_keys
