"""Adapters of the venue's storage ports: in-memory, SQLite (default, embedded) and PostgreSQL.

``open_store(url)`` picks the adapter from the URL: ``memory://``, ``sqlite:///path`` or
``postgresql+psycopg://user:pass@host:port/db``. SQL schemas are created and upgraded on
open (alembic migrations shipped inside this package).
"""

from tokenfutures.storage.memory import InMemoryStore
from tokenfutures.storage.sql_store import SqlStore, open_store

__all__ = ["InMemoryStore", "SqlStore", "open_store"]
