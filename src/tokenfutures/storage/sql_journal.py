"""SQL adapters of the journal and snapshot ports (SQLAlchemy Core, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, Table, func, select
from sqlalchemy.exc import IntegrityError

from tokenfutures.storage import schema
from tokenfutures.storage.checks import check_batch_fast, journal_rows, micros_to_ts
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalRecord,
    Snapshot,
)

READ_PAGE = 10_000


COLUMNS = ("seq", "ts_us", "kind", "payload", "key_account", "key_client_order_id")


def insert_sql(engine: Engine, table: Table) -> str:
    """A positional INSERT in the driver's own parameter style, for fast ``executemany``."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table.name} ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * 6)})"


def _record_of(row: Sequence[Any]) -> JournalRecord:
    seq, ts_us, kind, payload, account, client_order_id = row  # unpacking: fast on Row
    key = None if account is None else IdempotencyKey(account, client_order_id)
    return JournalRecord(seq, micros_to_ts(ts_us), kind, payload, key)


def integrity_error_to_storage_error(error: Exception, what: str) -> Exception:
    """Our error for a constraint the database refused (key, sequence or ledger balance).

    ``error`` is SQLAlchemy's ``IntegrityError`` or the driver's own (raw ``executemany``).
    """
    text = str(getattr(error, "orig", error))
    if "key_account" in text or "uq_" in text:
        return DuplicateKeyError(f"idempotency key already stored in {what}: {text}")
    return DuplicateSequenceError(f"sequence number already stored in {what}: {text}")


class SqlJournal:
    """Journal in one table; a batch is one transaction (group commit).

    Rows go through the driver's own cursor (``executemany`` of tuples) inside SQLAlchemy's
    transaction: at 100-record batches the per-row parameter processing of a Core
    ``insert()`` cost about 15% of an append, and ``exec_driver_sql`` still copied each row.
    """

    def __init__(self, engine: Engine, write_engine: Engine, table: Table) -> None:
        self._engine = engine
        self._write_engine = write_engine
        self._table = table
        self._insert = insert_sql(engine, table)
        self._last_seq = f"SELECT max(seq) FROM {table.name}"
        dbapi = engine.dialect.dbapi
        self._driver_integrity_error: type[Exception] = (
            IntegrityError if dbapi is None else dbapi.IntegrityError
        )

    def append(self, records: Sequence[JournalRecord]) -> None:
        """Store ``records`` atomically; refuses gaps, duplicates and repeated keys."""
        if not records:
            return
        rows = journal_rows(records)
        try:
            with self._write_engine.begin() as connection:
                cursor = connection.connection.cursor()  # the driver's, in this transaction
                try:
                    cursor.execute(self._last_seq)
                    last: int | None = cursor.fetchone()[0]  # type: ignore[index]
                    check_batch_fast(records, last or 0)
                    cursor.executemany(self._insert, rows)
                finally:
                    cursor.close()
        except (IntegrityError, self._driver_integrity_error) as error:
            raise integrity_error_to_storage_error(error, self._table.name) from error

    def read(self, from_seq: int = 1, limit: int | None = None) -> Iterator[JournalRecord]:
        """Records with ``seq >= from_seq`` in order, fetched a page at a time."""
        next_seq, remaining = from_seq, limit
        while remaining is None or remaining > 0:
            page = READ_PAGE if remaining is None else min(READ_PAGE, remaining)
            query = (
                select(*(self._table.c[name] for name in COLUMNS))
                .where(self._table.c.seq >= next_seq)
                .order_by(self._table.c.seq)
                .limit(page)
            )
            with self._engine.connect() as connection:
                rows = connection.execute(query).all()
            yield from (_record_of(row) for row in rows)
            if len(rows) < page:
                return
            next_seq = rows[-1].seq + 1
            remaining = None if remaining is None else remaining - len(rows)

    def last_seq(self) -> int:
        """The highest stored sequence number, 0 when empty."""
        with self._engine.connect() as connection:
            return connection.execute(select(func.max(self._table.c.seq))).scalar() or 0

    def seq_for_key(self, key: IdempotencyKey) -> int | None:
        """Sequence number first stored with ``key``, or None."""
        table = self._table
        query = select(table.c.seq).where(
            table.c.key_account == key.account,
            table.c.key_client_order_id == key.client_order_id,
        )
        with self._engine.connect() as connection:
            seq: int | None = connection.execute(query).scalar()
            return seq


class SqlSnapshots:
    """Snapshots in one table keyed by sequence number."""

    def __init__(self, engine: Engine, write_engine: Engine) -> None:
        self._engine = engine
        self._write_engine = write_engine

    def save(self, snapshot: Snapshot) -> None:
        """Store ``snapshot``; a second one at the same ``seq`` is refused."""
        row = {"seq": snapshot.seq, "state_hash": snapshot.state_hash, "blob": snapshot.blob}
        try:
            with self._write_engine.begin() as connection:
                connection.execute(schema.snapshot.insert(), row)
        except IntegrityError as error:
            raise DuplicateSequenceError(f"a snapshot at seq {snapshot.seq} is stored") from error

    def latest(self, at_or_before: int | None = None) -> Snapshot | None:
        """The snapshot with the highest ``seq <= at_or_before`` (any when None)."""
        table = schema.snapshot
        query = select(table).order_by(table.c.seq.desc()).limit(1)
        if at_or_before is not None:
            query = query.where(table.c.seq <= at_or_before)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else Snapshot(row.seq, row.state_hash, bytes(row.blob))
