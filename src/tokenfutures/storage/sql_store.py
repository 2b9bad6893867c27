"""The SQL store (SQLite or PostgreSQL) and ``open_store``, which picks an adapter by URL."""

from __future__ import annotations

from tokenfutures.storage import schema
from tokenfutures.storage.engine import make_engine, writer
from tokenfutures.storage.memory import InMemoryStore
from tokenfutures.storage.migrate import current_revision, upgrade
from tokenfutures.storage.ports_set import PortSet
from tokenfutures.storage.sql_journal import SqlJournal, SqlSnapshots
from tokenfutures.storage.sql_ledger import SqlApiKeys, SqlLedger
from tokenfutures.venue.ports import Store

MEMORY_URL = "memory://"


class SqlStore(PortSet):
    """Every port on one SQLAlchemy engine; the schema is migrated to head when opened."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = make_engine(url)
        write_engine = writer(self._engine)
        upgrade(write_engine)
        super().__init__(
            SqlJournal(self._engine, write_engine, schema.journal),
            SqlJournal(self._engine, write_engine, schema.event_log),
            SqlSnapshots(self._engine, write_engine),
            SqlLedger(self._engine, write_engine),
            SqlApiKeys(self._engine, write_engine),
        )

    def schema_revision(self) -> str | None:
        """The migration revision the database is at."""
        return current_revision(self._engine)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()


def open_store(url: str) -> Store:
    """Open the store at ``url``: ``memory://``, ``sqlite:///path`` or ``postgresql://…``."""
    if url == MEMORY_URL:
        return InMemoryStore()
    return SqlStore(url)
