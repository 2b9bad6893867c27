"""Record builders shared by the storage tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import make_url

from tokenfutures.venue.ports import IdempotencyKey, JournalRecord, LedgerEntry, Posting

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def payload_for(seq: int) -> str:
    """A canonical JSON payload that names its own sequence number (so tearing shows)."""
    body = {"client": f"c{seq % 7}", "lots": seq % 50 + 1, "price_ticks": 1000 + seq, "seq": seq}
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def record(seq: int, key: IdempotencyKey | None = None, kind: str = "submit") -> JournalRecord:
    """A journal record at ``seq`` stamped one millisecond per sequence number after T0."""
    return JournalRecord(seq, T0 + timedelta(milliseconds=seq), kind, payload_for(seq), key)


def records(first: int, last: int) -> list[JournalRecord]:
    """Records ``first..last`` inclusive."""
    return [record(seq) for seq in range(first, last + 1)]


def transfer(seq: int, payer: str, payee: str, micros: int) -> LedgerEntry:
    """A two-leg entry moving ``micros`` from ``payer`` to ``payee``."""
    return LedgerEntry(seq, "transfer", (Posting(payer, -micros), Posting(payee, micros)))


def libpq_url(url: str) -> str:
    """The plain libpq form of a SQLAlchemy PostgreSQL URL, for raw psycopg connections."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
