"""SQLite durability pinned: every connection of a default store commits with ``synchronous=FULL``.

``NORMAL`` in WAL mode may lose the last commits on power loss, which would make an
acknowledged order disappear; every test of the crash suite also passes under ``NORMAL``
(a SIGKILL is not a power cut), so the pragma itself is checked here, on each connection.
"""

from __future__ import annotations

from pathlib import Path

from tokenfutures.storage import open_store
from tokenfutures.storage.sql_store import SqlStore

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_connection_of_a_default_sqlite_store_is_synchronous_full(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'venue.db'}")
    assert isinstance(store, SqlStore)
    try:
        engine = store._engine
        connections = [engine.connect() for _ in range(3)]  # distinct pooled connections
        try:
            for connection in connections:
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        finally:
            for connection in connections:
                connection.close()
    finally:
        store.close()
