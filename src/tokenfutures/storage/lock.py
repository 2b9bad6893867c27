"""One writer per database (ADR 0640): an OS lock a second writer meets with a clear refusal.

SQLite: an exclusive, non-blocking ``flock`` on ``<database>.lock`` beside the file, held
for the writer's life; the kernel drops it when the process ends, SIGKILL included, so a
crash never leaves a stale lock. PostgreSQL: a session-level ``pg_try_advisory_lock`` on a
connection kept open for the writer's life. Readers take no lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text

from tokenfutures.venue.ports import StorageError

#: Advisory-lock class of the venue's writer on PostgreSQL (any fixed 32-bit number); the
#: object is the hash of the schema the store lives in, so each schema has its own writer.
PG_WRITER_LOCK_CLASS = 0x746F6B66  # "tokf"
_PG_KEY = "(:cls, hashtext(current_schema()))"


class DatabaseLockedError(StorageError):
    """Another process is writing to this database; this one must not."""


class WriterLock(Protocol):
    """A held writer lock; ``release`` lets the next writer in."""

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        ...


def lock_path(database: Path) -> Path:
    """The lock file beside a SQLite database file."""
    return database.with_name(database.name + ".lock")


class FileWriterLock:
    """An exclusive ``flock`` on the lock file beside a SQLite database."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        try:
            handle: IO[str] = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise StorageError(
                f"cannot create the writer lock {self.path}: {error.strerror}"
            ) from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            handle.close()
            raise DatabaseLockedError(
                f"database {database} is in use by another writer ({holder}); "
                "stop it first, or use a read-only command"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "argv": sys.argv[1:3]}))
        handle.flush()
        self._handle: IO[str] | None = handle

    def release(self) -> None:
        """Unlock and close the lock file (the file itself stays: removing it would race)."""
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class PostgresWriterLock:
    """A session advisory lock on a dedicated connection of ``engine``."""

    def __init__(self, engine: Engine) -> None:
        connection: Connection = engine.connect()
        got = connection.execute(
            text(f"SELECT pg_try_advisory_lock{_PG_KEY}"), {"cls": PG_WRITER_LOCK_CLASS}
        ).scalar()
        connection.commit()
        if not got:
            connection.close()
            raise DatabaseLockedError(
                f"database {engine.url.render_as_string(hide_password=True)} is in use by "
                "another writer; stop it first, or use a read-only command"
            )
        self._connection: Connection | None = connection

    def release(self) -> None:
        """Unlock and close the dedicated connection."""
        if self._connection is not None:
            try:
                self._connection.execute(
                    text(f"SELECT pg_advisory_unlock{_PG_KEY}"), {"cls": PG_WRITER_LOCK_CLASS}
                )
            finally:
                self._connection.close()
                self._connection = None
