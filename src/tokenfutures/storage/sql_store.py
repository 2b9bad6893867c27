"""The SQL store (SQLite or PostgreSQL) and ``open_store``, which picks an adapter by URL.

A writing store holds the database's writer lock for its life (ADR 0640) and migrates the
schema; a read-only store takes no lock, opens SQLite with ``mode=ro`` and refuses a
database that is not a tokenfutures store at this package's schema revision.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tokenfutures.storage import schema
from tokenfutures.storage.engine import make_engine, parse_store_url, writer
from tokenfutures.storage.lock import FileWriterLock, PostgresWriterLock, WriterLock
from tokenfutures.storage.memory import InMemoryStore
from tokenfutures.storage.migrate import VERSION_TABLE, current_revision, head_revision, upgrade
from tokenfutures.storage.ports_set import PortSet
from tokenfutures.storage.sql_journal import SqlJournal, SqlSnapshots
from tokenfutures.storage.sql_ledger import SqlApiKeys, SqlLedger
from tokenfutures.venue.ports import StorageError, Store

MEMORY_URL = "memory://"


class SqlStore(PortSet):
    """Every port on one SQLAlchemy engine; a writer migrates the schema to head when opened.

    Raises
    ------
    DatabaseLockedError
        If another process holds the database's writer lock (writers only).
    StorageError
        If the database cannot be opened, is not a tokenfutures store, or (read-only) is at
        another schema revision.
    """

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self._lock: WriterLock | None = None
        try:
            self._engine = self._open(url, read_only)
        except DBAPIError as error:
            raise StorageError(f"cannot open {_shown(url)}: {_reason(error)}") from None
        write_engine = writer(self._engine)
        super().__init__(
            SqlJournal(self._engine, write_engine, schema.journal),
            SqlJournal(self._engine, write_engine, schema.event_log),
            SqlSnapshots(self._engine, write_engine),
            SqlLedger(self._engine, write_engine),
            SqlApiKeys(self._engine, write_engine),
        )

    def _open(self, url: str, read_only: bool) -> Engine:
        parsed = parse_store_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        if sqlite:
            path = Path(str(parsed.database))
            _check_sqlite_file(path, must_exist=read_only)
            if not read_only:  # before the first connection, which may create the file
                self._lock = FileWriterLock(path)
        try:
            engine = make_engine(url, read_only=read_only)
        except BaseException:
            self.close_lock()
            raise
        try:
            revision = current_revision(engine)
            if read_only:
                _check_revision(url, revision)
                return engine
            if revision is None and inspect(engine).get_table_names():
                raise StorageError(f"{_shown(url)} holds tables but is not a tokenfutures store")
            if not sqlite:
                self._lock = PostgresWriterLock(engine)
            upgrade(writer(engine))
        except BaseException:
            self.close_lock()
            engine.dispose()
            raise
        return engine

    def pragmas(self, *names: str) -> list[dict[str, object]]:
        """SQLite ``PRAGMA`` values as each of a few pooled connections sees them (ADR 0641).

        Checks out several connections at once, reads and writes, so every one the pool made
        is asked (durability is a per-connection setting in SQLite).
        """
        if self._engine.dialect.name != "sqlite":
            return []
        with ExitStack() as stack:
            connections = [
                stack.enter_context(engine.connect())
                for engine in (self._engine, writer(self._engine), self._engine)
            ]
            return [
                {name: c.exec_driver_sql(f"PRAGMA {name}").scalar() for name in names}
                for c in connections
            ]

    def schema_revision(self) -> str | None:
        """The migration revision the database is at."""
        return current_revision(self._engine)

    def close_lock(self) -> None:
        """Give the writer lock back (``close`` does it too)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        """Close every pooled connection and give the writer lock back.

        A file lock goes last (no connection of this writer outlives it); PostgreSQL's lock
        lives on one of the engine's connections, so it goes first.
        """
        if isinstance(self._lock, PostgresWriterLock):
            self.close_lock()
        try:
            self._engine.dispose()
        finally:
            self.close_lock()


def _check_sqlite_file(path: Path, *, must_exist: bool) -> None:
    """Refuse a missing file (readers), a directory, or a zero-byte file posing as a store."""
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a SQLite store")
    if not path.exists():
        if must_exist:
            raise StorageError(f"no SQLite store at {path}")
        if not path.parent.is_dir():
            raise StorageError(f"cannot create a SQLite store at {path}: no such directory")
        return
    if path.stat().st_size == 0:
        raise StorageError(f"{path} is an empty file, not a SQLite store (remove it to start anew)")


def _check_revision(url: str, revision: str | None) -> None:
    if revision is None:
        raise StorageError(f"{_shown(url)} is not a tokenfutures store (no {VERSION_TABLE})")
    head = head_revision()
    if revision != head:
        raise StorageError(
            f"{_shown(url)} is at schema revision {revision}, this version reads {head}; "
            "open it once with a writer (serve) to migrate"
        )


def _shown(url: str) -> str:
    """``url`` with any password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _reason(error: DBAPIError) -> str:
    """The driver's own message, first line only."""
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)


def open_store(url: str, *, read_only: bool = False) -> Store:
    """Open the store at ``url``: ``memory://``, ``sqlite:///path`` or ``postgresql://…``.

    ``read_only``: no writer lock, no migration, nothing created (ADR 0640).
    """
    if url == MEMORY_URL:
        return InMemoryStore()
    return SqlStore(url, read_only=read_only)
