"""Tables at the head migration, for SQLAlchemy Core statements (migrations own the DDL)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()


def _journal_table(name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=False),
        Column("ts_us", BigInteger, nullable=False),
        Column("kind", String(64), nullable=False),
        Column("payload", Text, nullable=False),
        Column("key_account", String(128)),
        Column("key_client_order_id", String(128)),
    )


journal = _journal_table("journal")
event_log = _journal_table("event_log")

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
