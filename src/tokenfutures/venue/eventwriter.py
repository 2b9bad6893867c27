"""The event log's writer: records are appended in order on one worker thread (ADR 0612).

The sequencer encodes a chunk and hands it over; SQLite and psycopg release the GIL while they
write, so the disk work overlaps the next batches. A crash loses only records not yet written,
which recovery re-derives from the journal (ADR 0606). ``store_lock`` serialises the worker's
writes with the sequencer's other writes to the same store (no SQLite busy-wait sleeps).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

from tokenfutures.venue.ports import Journal, JournalRecord


class EventLogWriter:
    """Append event-log records in order, in the background or inline.

    Parameters
    ----------
    events
        The store's event log.
    store_lock
        Held around every write to the store (the sequencer holds it for its own writes).
    background
        Write on a worker thread (True) or in the caller (False).
    """

    def __init__(self, events: Journal, store_lock: threading.Lock, *, background: bool) -> None:
        self._events = events
        self._lock = store_lock
        self._pool = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="event-log")
            if background
            else None
        )
        self._pending: Future[None] | None = None
        self._error: BaseException | None = None

    def append(self, record: JournalRecord) -> None:
        """Queue ``record`` (written after every record queued before it).

        Raises the error of an earlier background write, if one failed.
        """
        self._raise_failure()
        if self._pool is None:
            self._write(record)
            return
        self._pending = self._pool.submit(self._write_logged, record)

    def wait(self) -> None:
        """Return once every queued record is written; raise a failed write's error."""
        pending = self._pending
        if pending is not None:
            pending.result()
        self._raise_failure()

    def close(self) -> None:
        """Write what is queued, then stop the worker."""
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)

    def _write(self, record: JournalRecord) -> None:
        with self._lock:
            self._events.append([record])

    def _write_logged(self, record: JournalRecord) -> None:
        """A background write: after a failure every later record is refused, not reordered."""
        if self._error is not None:
            return
        try:
            self._write(record)
        except BaseException as error:
            self._error = error

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error
