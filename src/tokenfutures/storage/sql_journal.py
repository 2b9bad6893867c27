"""SQL adapters of the journal and snapshot ports (SQLAlchemy Core, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, Table, func, select
from sqlalchemy.exc import IntegrityError

from tokenfutures.storage import schema
from tokenfutures.storage.checks import check_batch_fast, check_journal_batch
from tokenfutures.storage.frames import (
    Frame,
    frame_of_batch,
    frame_of_records,
    keys_of_frame,
    records_of_frame,
)
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalBatch,
    JournalRecord,
    Snapshot,
)

READ_PAGE = 10_000
KEY_PAGE = 1_000

Pair = tuple[str, str]

COLUMNS = ("first_seq", "last_seq", "ts_us", "meta", "payloads")


def insert_sql(engine: Engine, table: Table) -> str:
    """A positional INSERT of a frame in the driver's own parameter style."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table.name} ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * 5)})"


def integrity_error_to_storage_error(error: Exception, what: str) -> Exception:
    """Our error for a constraint the database refused (sequence, key or ledger balance).

    ``error`` is SQLAlchemy's ``IntegrityError`` or the driver's own (raw cursor).
    """
    text = str(getattr(error, "orig", error))
    if "key_account" in text or "uq_" in text:
        return DuplicateKeyError(f"idempotency key already stored in {what}: {text}")
    return DuplicateSequenceError(f"sequence number already stored in {what}: {text}")


class SqlJournal:
    """A framed journal: one row per appended batch, in one transaction (ADR 0507).

    The frame goes through the driver's own cursor inside SQLAlchemy's transaction. The
    idempotency keys of the stored frames are held in a dict, read from the frames' ``meta``
    the first time they are needed and topped up, under the write lock, with the frames any
    other writer appended since: a repeated key is refused before anything is written.
    """

    def __init__(self, engine: Engine, write_engine: Engine, table: Table) -> None:
        self._engine = engine
        self._write_engine = write_engine
        self._table = table
        self._insert = insert_sql(engine, table)
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._last_seq_sql = f"SELECT last_seq FROM {table.name} ORDER BY first_seq DESC LIMIT 1"
        self._metas_sql = (
            f"SELECT first_seq, last_seq, meta FROM {table.name} "
            f"WHERE first_seq > {mark} ORDER BY first_seq LIMIT {KEY_PAGE}"
        )
        self._keys: dict[tuple[str, str], int] = {}
        self._keys_known_to = 0  # keys of every frame up to this seq are in ``_keys``
        dbapi = engine.dialect.dbapi
        self._driver_integrity_error: type[Exception] = (
            IntegrityError if dbapi is None else dbapi.IntegrityError
        )

    def append(self, records: Sequence[JournalRecord]) -> None:
        """Store ``records`` atomically; refuses gaps, duplicates and repeated keys."""
        if not records:
            return

        def checked(last: int) -> Frame:
            check_batch_fast(records, last)
            return frame_of_records(records)

        keys = [None if r.key is None else (r.key.account, r.key.client_order_id) for r in records]
        self._write(checked, keys)

    def append_batch(self, batch: JournalBatch) -> None:
        """Store a columnar batch as one frame (the sequencer's path)."""
        if not batch.payloads:
            return

        def checked(last: int) -> Frame:
            check_journal_batch(batch, last)
            return frame_of_batch(batch)

        self._write(checked, batch.keys)

    def _write(self, checked: Callable[[int], Frame], keys: Sequence[Pair | None]) -> None:
        """Check (``checked`` gets the stored last seq) and insert one frame; note its keys."""
        keyed = any(keys)
        try:
            with self._write_engine.begin() as connection:
                cursor = connection.connection.cursor()  # the driver's, in this transaction
                try:
                    cursor.execute(self._last_seq_sql)
                    row = cursor.fetchone()
                    last: int = 0 if row is None else row[0]
                    frame = checked(last)
                    if keyed:
                        self._refuse_stored_keys(cursor, last, keys)
                    cursor.execute(
                        self._insert,
                        (frame.first_seq, frame.last_seq, frame.ts_us, frame.meta, frame.payloads),
                    )
                finally:
                    cursor.close()
        except (IntegrityError, self._driver_integrity_error) as error:
            raise integrity_error_to_storage_error(error, self._table.name) from error
        if self._keys_known_to == last:  # committed, and every earlier key is known
            if keyed:
                stored: dict[Any, int] = self._keys
                stored.update(zip(keys, range(frame.first_seq, frame.last_seq + 1), strict=True))
                stored.pop(None, None)
            self._keys_known_to = frame.last_seq

    def _refuse_stored_keys(self, cursor: Any, last: int, keys: Sequence[Pair | None]) -> None:
        if self._keys_known_to != last:
            self._load_keys(cursor)
        if not self._keys.keys().isdisjoint(keys):
            taken = next(k for k in keys if k in self._keys)
            raise DuplicateKeyError(f"idempotency key {taken} is already stored")

    def _load_keys(self, cursor: Any) -> None:
        """Read the keys of the frames stored after ``_keys_known_to`` (other writers, reopen)."""
        while True:  # a page of frames at a time: a long journal never sits in memory at once
            cursor.execute(self._metas_sql, (self._keys_known_to,))
            rows = cursor.fetchall()
            for first_seq, last_seq, meta in rows:
                for key, seq in keys_of_frame(first_seq, meta):
                    self._keys.setdefault(key, seq)
                self._keys_known_to = last_seq
            if len(rows) < KEY_PAGE:
                return

    def read(self, from_seq: int = 1, limit: int | None = None) -> Iterator[JournalRecord]:
        """Records with ``seq >= from_seq`` in order, fetched ≈ ``READ_PAGE`` records at a time.

        Each query takes the frame holding the next seq and the frames starting within
        ``READ_PAGE`` seqs after it, so a page holds at most ``READ_PAGE`` records plus one
        frame, however the journal was batched.
        """
        table, remaining = self._table, limit
        next_seq = max(from_seq, 1)
        while remaining is None or remaining > 0:
            holding = (
                select(func.max(table.c.first_seq)).where(table.c.first_seq <= next_seq)
            ).scalar_subquery()
            query = (
                select(*(table.c[name] for name in COLUMNS))
                .where(
                    table.c.first_seq >= func.coalesce(holding, 0),
                    table.c.first_seq < next_seq + READ_PAGE,
                )
                .order_by(table.c.first_seq)
            )
            with self._engine.connect() as connection:
                rows = connection.execute(query).all()
            start = next_seq
            for row in rows:
                for record in records_of_frame(Frame(*row)):
                    if record.seq < next_seq:
                        continue
                    yield record
                    next_seq = record.seq + 1
                    if remaining is not None:
                        remaining -= 1
                        if remaining == 0:
                            return
            if next_seq == start:  # nothing at or after it: the end
                return

    def last_seq(self) -> int:
        """The highest stored sequence number, 0 when empty."""
        with self._engine.connect() as connection:
            last: int | None = connection.exec_driver_sql(self._last_seq_sql).scalar()
            return last or 0

    def seq_for_key(self, key: IdempotencyKey) -> int | None:
        """Sequence number first stored with ``key``, or None."""
        with self._engine.connect() as connection:
            cursor = connection.connection.cursor()
            try:
                self._load_keys(cursor)
            finally:
                cursor.close()
        return self._keys.get((key.account, key.client_order_id))


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
