"""Tables at the head migration, for SQLAlchemy Core statements (migrations own the DDL)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()


def _frame_table(name: str) -> Table:
    """One row per appended batch (``storage.frames``, ADR 0507)."""
    return Table(
        name,
        metadata,
        Column("first_seq", BigInteger, primary_key=True, autoincrement=False),
        Column("last_seq", BigInteger, nullable=False),
        Column("ts_us", BigInteger, nullable=False),
        Column("meta", Text, nullable=False),
        Column("payloads", Text, nullable=False),
    )


journal = _frame_table("journal_frame")
event_log = _frame_table("event_log_frame")

snapshot = Table(
    "snapshot",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("state_hash", String(128), nullable=False),
    Column("blob", LargeBinary, nullable=False),
)

ledger_entry = Table(
    "ledger_entry",
    metadata,
    Column("entry_id", BigInteger, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("kind", String(64), nullable=False),
)

ledger_posting = Table(
    "ledger_posting",
    metadata,
    Column("entry_id", BigInteger, primary_key=True, autoincrement=False),
    Column("leg", BigInteger, primary_key=True, autoincrement=False),
    Column("account", String(128), nullable=False),
    Column("amount_micros", BigInteger, nullable=False),
)

api_key = Table(
    "api_key",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("account", String(128), nullable=False),
    Column("salt", LargeBinary, nullable=False),
    Column("digest", LargeBinary, nullable=False),
    Column("revoked", Boolean, nullable=False),
)
