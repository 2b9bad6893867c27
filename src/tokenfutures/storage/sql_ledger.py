"""SQL adapters of the ledger and API-key ports; the database itself refuses unbalanced entries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from tokenfutures.storage import schema
from tokenfutures.storage.apikeys import HashedApiKeys, StoredKey
from tokenfutures.storage.checks import check_entries
from tokenfutures.venue.ports import DuplicateKeyError, LedgerEntry, Posting, UnbalancedEntryError

READ_PAGE = 10_000


def _rows_of(
    entries: Sequence[LedgerEntry], first_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entry_rows: list[dict[str, Any]] = []
    posting_rows: list[dict[str, Any]] = []
    for entry_id, entry in enumerate(entries, start=first_id):
        entry_rows.append({"entry_id": entry_id, "seq": entry.seq, "kind": entry.kind})
        posting_rows.extend(
            {
                "entry_id": entry_id,
                "leg": leg,
                "account": p.account,
                "amount_micros": p.amount_micros,
            }
            for leg, p in enumerate(entry.postings)
        )
    return entry_rows, posting_rows


def _sealed(posting: Table) -> ColumnElement[bool]:
    """Only postings of a stored (sealed) entry count towards balances."""
    entry = schema.ledger_entry
    return exists().where(entry.c.entry_id == posting.c.entry_id)


class SqlLedger:
    """Entries and postings tables; postings are written first, then the entry seals them."""

    def __init__(self, engine: Engine, write_engine: Engine) -> None:
        self._engine = engine
        self._write_engine = write_engine

    def post(self, entries: Sequence[LedgerEntry]) -> list[int]:
        """Store balanced ``entries`` atomically and return their ids."""
        check_entries(entries)
        if not entries:
            return []
        try:
            with self._write_engine.begin() as connection:
                last = connection.execute(select(func.max(schema.ledger_entry.c.entry_id))).scalar()
                first_id = (last or 0) + 1
                entry_rows, posting_rows = _rows_of(entries, first_id)
                connection.execute(schema.ledger_posting.insert(), posting_rows)
                connection.execute(schema.ledger_entry.insert(), entry_rows)
        except IntegrityError as error:
            raise UnbalancedEntryError(f"the database refused the entries: {error.orig}") from error
        return list(range(first_id, first_id + len(entries)))

    def entries(self, after_id: int = 0) -> Iterator[tuple[int, LedgerEntry]]:
        """Stored entries with id greater than ``after_id``, in id order, a page at a time."""
        entry, posting = schema.ledger_entry, schema.ledger_posting
        while True:
            ids = select(entry.c.entry_id).where(entry.c.entry_id > after_id)
            query = (
                select(
                    entry.c.entry_id,
                    entry.c.seq,
                    entry.c.kind,
                    posting.c.account,
                    posting.c.amount_micros,
                )
                .join(posting, posting.c.entry_id == entry.c.entry_id)
                .where(entry.c.entry_id.in_(ids.order_by(entry.c.entry_id).limit(READ_PAGE)))
                .order_by(entry.c.entry_id, posting.c.leg)
            )
            with self._engine.connect() as connection:
                rows = connection.execute(query).all()
            for entry_id, legs in groupby(rows, key=lambda row: row.entry_id):
                group = list(legs)
                postings = tuple(Posting(r.account, r.amount_micros) for r in group)
                yield entry_id, LedgerEntry(group[0].seq, group[0].kind, postings)
                after_id = entry_id
            if not rows or len({row.entry_id for row in rows}) < READ_PAGE:
                return

    def balance(self, account: str) -> int:
        """Sum of the account's postings in micro-USD."""
        posting = schema.ledger_posting
        query = select(func.coalesce(func.sum(posting.c.amount_micros), 0)).where(
            posting.c.account == account, _sealed(posting)
        )
        with self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def balances(self) -> dict[str, int]:
        """Balance of every account that has postings."""
        posting = schema.ledger_posting
        query = (
            select(posting.c.account, func.sum(posting.c.amount_micros))
            .where(_sealed(posting))
            .group_by(posting.c.account)
        )
        with self._engine.connect() as connection:
            return {account: int(total) for account, total in connection.execute(query).all()}


class SqlApiKeys(HashedApiKeys):
    """Hashed API keys in one table keyed by public key id."""

    def __init__(self, engine: Engine, write_engine: Engine) -> None:
        self._engine = engine
        self._write_engine = write_engine

    def _insert(self, record: StoredKey) -> None:
        row = {
            "key_id": record.key_id,
            "account": record.account,
            "salt": record.salt,
            "digest": record.digest,
            "revoked": record.revoked,
        }
        try:
            with self._write_engine.begin() as connection:
                connection.execute(schema.api_key.insert(), row)
        except IntegrityError as error:
            raise DuplicateKeyError(f"API key id {record.key_id} is already stored") from error

    def _find(self, key_id: str) -> StoredKey | None:
        table = schema.api_key
        with self._engine.connect() as connection:
            row = connection.execute(select(table).where(table.c.key_id == key_id)).first()
        if row is None:
            return None
        return StoredKey(row.key_id, row.account, bytes(row.salt), bytes(row.digest), row.revoked)

    def _mark_revoked(self, key_id: str) -> bool:
        return self._revoke_where(schema.api_key.c.key_id == key_id) == 1

    def _revoke_account(self, account: str) -> int:
        return self._revoke_where(schema.api_key.c.account == account)

    def _revoke_where(self, condition: ColumnElement[bool]) -> int:
        """Revoke the live keys matching ``condition``; how many were revoked."""
        table = schema.api_key
        statement = update(table).where(condition, table.c.revoked.is_(False)).values(revoked=True)
        with self._write_engine.begin() as connection:
            return int(connection.execute(statement).rowcount)
