"""Checks every adapter applies before a write, so all refuse the same input the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.ports import (
    DuplicateKeyError,
    DuplicateSequenceError,
    IdempotencyKey,
    JournalRecord,
    SequenceGapError,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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
        if not record.kind:
            raise InvalidParameterError("kind", record.kind, "a non-empty name")
        if record.key is not None:
            if record.key in keys:
                raise DuplicateKeyError(f"idempotency key {record.key} repeated in one batch")
            keys.add(record.key)
        expected += 1


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
