"""Checks every adapter applies before a write, so all refuse the same input the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalBatch,
    JournalRecord,
    LedgerEntry,
    SequenceGapError,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_KIND = 64
MAX_NAME = 128
_MICROSECOND = timedelta(microseconds=1)


def check_batch(records: Sequence[JournalRecord], last_seq: int) -> None:
    """Refuse a batch that does not continue ``last_seq`` gap-free or repeats a key.

    Raises
    ------
    DuplicateSequenceError
        If the first record reuses a stored sequence number.
    SequenceGapError
        If the batch skips a number or is not strictly increasing by one.
    DuplicateKeyError
        If two records of the batch carry the same idempotency key.
    """
    expected = last_seq + 1
    keys: set[IdempotencyKey] = set()
    for record in records:
        if record.seq != expected:
            _refuse_seq(record.seq, expected, last_seq)
        check_name("kind", record.kind, MAX_KIND)
        if record.key is not None:
            check_name("account", record.key.account, MAX_NAME)
            check_name("client_order_id", record.key.client_order_id, MAX_NAME)
            if record.key in keys:
                raise DuplicateKeyError(f"idempotency key {record.key} repeated in one batch")
            keys.add(record.key)
        expected += 1


def check_batch_fast(records: Sequence[JournalRecord], last_seq: int) -> None:
    """``check_batch`` with whole-batch comparisons; any anomaly defers to it for the error.

    A valid batch (the sequencer's every batch) passes with a few list and set operations
    instead of a dozen calls per record; an invalid one raises exactly what ``check_batch``
    raises, because ``check_batch`` is what finds it.
    """
    first = last_seq + 1
    try:
        keys = [r.key for r in records if r.key is not None]
        valid = (
            [r.seq for r in records] == list(range(first, first + len(records)))
            and all(0 < len(kind) <= MAX_KIND for kind in {r.kind for r in records})
            and len(set(keys)) == len(keys)
            and all(
                0 < len(k.account) <= MAX_NAME and 0 < len(k.client_order_id) <= MAX_NAME
                for k in keys
            )
        )
    except TypeError:  # a field of the wrong type: the record-by-record check names it
        valid = False
    if not valid:
        check_batch(records, last_seq)


def check_journal_batch(batch: JournalBatch, last_seq: int) -> None:
    """``check_batch`` of a columnar batch: the same errors, without building records.

    A valid batch passes with a handful of whole-list operations; on any anomaly the batch's
    records go through ``check_batch`` so the error is exactly the one it raises.

    Raises
    ------
    InvalidParameterError
        If the columns differ in length or ``ts`` is naive (besides ``check_batch``'s errors).
    """
    n = len(batch.payloads)
    if len(batch.kinds) != n or len(batch.keys) != n:
        raise InvalidParameterError(
            "batch", (len(batch.kinds), n, len(batch.keys)), "kinds, payloads, keys of one length"
        )
    ts_to_micros(batch.ts)  # refuses a naive instant
    try:
        keys = [k for k in batch.keys if k is not None]
        valid = (
            batch.first_seq == last_seq + 1
            and all(0 < len(kind) <= MAX_KIND for kind in set(batch.kinds))
            and len(set(keys)) == len(keys)
            and all(0 < len(a) <= MAX_NAME and 0 < len(c) <= MAX_NAME for a, c in keys)
        )
    except (TypeError, ValueError):  # a field of the wrong shape: the full check names it
        valid = False
    if not valid:
        check_batch(batch.records(), last_seq)


def check_name(name: str, value: str, longest: int) -> None:
    """Refuse an empty name or one longer than its column (the same on every adapter)."""
    if not value or len(value) > longest:
        raise InvalidParameterError(name, value, f"a non-empty name of at most {longest} chars")


def check_entries(entries: Sequence[LedgerEntry]) -> None:
    """Refuse ledger kinds and account names that do not fit their columns."""
    for entry in entries:
        check_name("kind", entry.kind, MAX_KIND)
        for posting in entry.postings:
            check_name("account", posting.account, MAX_NAME)


def _refuse_seq(seq: int, expected: int, last_seq: int) -> None:
    if seq <= last_seq:
        raise DuplicateSequenceError(f"seq {seq} is already stored (last seq is {last_seq})")
    if seq < expected:
        raise DuplicateSequenceError(f"seq {seq} repeats in one batch: expected {expected}")
    raise SequenceGapError(f"seq {seq} breaks the gap-free order: expected {expected}")


def ts_to_micros(ts: datetime) -> int:
    """Integer microseconds since the Unix epoch of a timezone-aware instant."""
    offset = ts.utcoffset()
    if offset is None:
        raise InvalidParameterError("ts", ts, "timezone-aware (UTC)")
    return (ts - EPOCH) // _MICROSECOND


def micros_to_ts(micros: int) -> datetime:
    """The UTC instant ``micros`` microseconds after the Unix epoch."""
    return EPOCH + timedelta(microseconds=micros)
