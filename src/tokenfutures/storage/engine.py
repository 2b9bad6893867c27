"""SQLAlchemy engines for the store URLs: SQLite in WAL mode with durable commits, or PostgreSQL.

SQLite write transactions start with ``BEGIN IMMEDIATE`` so the single writer holds the
lock from its first read (the gap check) to its commit; reads use a plain ``BEGIN``. Every
new SQLite connection reads its ``synchronous`` level back and refuses to run below the one
asked for (ADR 0641). A read-only engine opens the file with ``mode=ro``: it never creates
a file, never changes the journal mode and cannot write.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from tokenfutures.core.errors import InvalidParameterError

WRITE_OPTION = "tokenfutures_write"
SYNCHRONOUS_LEVELS = ("full", "normal", "extra")
DEFAULT_SYNCHRONOUS = "full"
BUSY_TIMEOUT_MS = 10_000
#: ``PRAGMA synchronous`` answers with a number: OFF 0, NORMAL 1, FULL 2, EXTRA 3.
SYNCHRONOUS_CODES = {"normal": 1, "full": 2, "extra": 3}


def parse_store_url(url: str) -> URL:
    """A SQLAlchemy URL for ``sqlite:///path`` or ``postgresql[+psycopg]://…``; refuses others."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise InvalidParameterError("url", url, "a SQLite file path (memory:// for RAM)")
        sqlite_synchronous(parsed)  # refused here, before a caller takes a lock or a file
        return parsed
    raise InvalidParameterError("url", url, "sqlite:///path, postgresql://… or memory://")


def sqlite_synchronous(parsed: URL) -> str:
    """The ``?synchronous=`` level of a SQLite URL (lower case), or the default; refuses others."""
    synchronous = parsed.query.get("synchronous", DEFAULT_SYNCHRONOUS)
    if not isinstance(synchronous, str) or synchronous.lower() not in SYNCHRONOUS_LEVELS:
        raise InvalidParameterError("synchronous", synchronous, f"one of {SYNCHRONOUS_LEVELS}")
    return synchronous.lower()


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; a SQLite URL may carry ``?synchronous=full|normal|extra``.

    ``read_only``: SQLite opens the file with ``mode=ro`` (a missing file is an error, never
    created); PostgreSQL sessions default to read-only transactions.
    """
    parsed = parse_store_url(url)
    if parsed.get_backend_name() == "postgresql":
        if importlib.util.find_spec("psycopg") is None:  # the optional "postgres" extra
            raise InvalidParameterError(
                "url", url, "sqlite:///… or memory:// (PostgreSQL needs the 'postgres' extra)"
            )
        engine = create_engine(parsed)
        if read_only:

            @event.listens_for(engine, "connect")
            def _read_only(dbapi_connection: Any, _record: Any) -> None:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                dbapi_connection.commit()

        return engine
    synchronous = sqlite_synchronous(parsed)
    plain = parsed.difference_update_query(["synchronous"])
    if read_only:
        path = Path(str(plain.database)).resolve().as_uri()
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(f"{path}?mode=ro", uri=True)
        )
    else:
        engine = create_engine(plain)
    _configure_sqlite(engine, synchronous, read_only=read_only)
    return engine


def _configure_sqlite(engine: Engine, synchronous: str, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
            check_synchronous(cursor.execute("PRAGMA synchronous").fetchone()[0], synchronous)
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


def check_synchronous(level: int, wanted: str) -> None:
    """Refuse a connection whose ``PRAGMA synchronous`` reads back below ``wanted``.

    Raises
    ------
    InvalidParameterError
        If SQLite did not take the level (a commit could then be lost on power failure).
    """
    if level < SYNCHRONOUS_CODES[wanted]:
        raise InvalidParameterError("synchronous", level, f"at least {wanted} on every connection")
