"""SQLAlchemy engines for the store URLs: SQLite in WAL mode with durable commits, or PostgreSQL.

SQLite write transactions start with ``BEGIN IMMEDIATE`` so the single writer holds the
lock from its first read (the gap check) to its commit; reads use a plain ``BEGIN``.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from tokenfutures.core.errors import InvalidParameterError

WRITE_OPTION = "tokenfutures_write"
SYNCHRONOUS_LEVELS = ("full", "normal", "extra")
DEFAULT_SYNCHRONOUS = "full"
BUSY_TIMEOUT_MS = 10_000


def parse_store_url(url: str) -> URL:
    """A SQLAlchemy URL for ``sqlite:///path`` or ``postgresql[+psycopg]://…``; refuses others."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise InvalidParameterError("url", url, "a SQLite file path (memory:// for RAM)")
        return parsed
    raise InvalidParameterError("url", url, "sqlite:///path, postgresql://… or memory://")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite URL may carry ``?synchronous=full|normal|extra``."""
    parsed = parse_store_url(url)
    if parsed.get_backend_name() == "postgresql":
        if importlib.util.find_spec("psycopg") is None:  # the optional "postgres" extra
            raise InvalidParameterError(
                "url", url, "sqlite:///… or memory:// (PostgreSQL needs the 'postgres' extra)"
            )
        return create_engine(parsed)
    synchronous = parsed.query.get("synchronous", DEFAULT_SYNCHRONOUS)
    if not isinstance(synchronous, str) or synchronous.lower() not in SYNCHRONOUS_LEVELS:
        raise InvalidParameterError("synchronous", synchronous, f"one of {SYNCHRONOUS_LEVELS}")
    engine = create_engine(parsed.difference_update_query(["synchronous"]))
    _configure_sqlite(engine, synchronous.upper())
    return engine


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, tagged so its transactions take the write lock at once."""
    return engine.execution_options(**{WRITE_OPTION: True})
