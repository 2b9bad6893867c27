"""The database itself refuses an unbalanced ledger: raw SQL that bypasses the adapter fails."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url
from storage_helpers import libpq_url, transfer

from tokenfutures.storage import open_store

Execute = Callable[[str], object]
REFUSED = (sqlite3.IntegrityError, psycopg.IntegrityError)


@contextmanager
def raw_transaction(url: str) -> Iterator[Execute]:
    """One transaction on a plain DB-API connection (no SQLAlchemy, no adapter code)."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        assert path is not None
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("BEGIN")
            yield connection.execute
            connection.execute("COMMIT")
        finally:
            connection.close()
    else:
        pg_connection = psycopg.connect(libpq_url(url))
        try:
            yield pg_connection.execute
            pg_connection.commit()  # deferred constraint triggers fire here
        finally:
            pg_connection.close()


def raw_commit(url: str, *statements: str) -> None:
    """Run ``statements`` in one raw transaction and commit it."""
    with raw_transaction(url) as execute:
        for statement in statements:
            execute(statement)


def _ledger_balances(url: str) -> dict[str, int]:
    store = open_store(url)
    try:
        return store.ledger.balances()
    finally:
        store.close()


def test_a_balanced_raw_entry_is_accepted(sql_url: str) -> None:
    open_store(sql_url).close()
    raw_commit(
        sql_url,
        "INSERT INTO ledger_posting VALUES (1, 0, 'a', -5), (1, 1, 'b', 5)",
        "INSERT INTO ledger_entry VALUES (1, 1, 'raw')",
    )
    assert _ledger_balances(sql_url) == {"a": -5, "b": 5}


def test_the_database_refuses_an_unbalanced_raw_entry(sql_url: str) -> None:
    open_store(sql_url).close()
    with pytest.raises(REFUSED, match="unbalanced ledger entry"):
        raw_commit(
            sql_url,
            "INSERT INTO ledger_posting VALUES (1, 0, 'a', -5), (1, 1, 'b', 4)",
            "INSERT INTO ledger_entry VALUES (1, 1, 'raw')",
        )
    assert _ledger_balances(sql_url) == {}


def test_the_database_refuses_a_leg_added_to_a_stored_entry(sql_url: str) -> None:
    store = open_store(sql_url)
    store.ledger.post([transfer(1, "a", "b", 5)])
    store.close()
    with pytest.raises(REFUSED, match="unbalanced ledger entry"):
        raw_commit(
            sql_url,
            "INSERT INTO ledger_posting VALUES (1, 2, 'c', 7)",
        )
    assert _ledger_balances(sql_url) == {"a": -5, "b": 5}


def test_the_database_refuses_to_change_or_delete_a_posting(sql_url: str) -> None:
    store = open_store(sql_url)
    store.ledger.post([transfer(1, "a", "b", 5)])
    store.close()
    with pytest.raises(REFUSED, match="immutable"):
        raw_commit(sql_url, "UPDATE ledger_posting SET amount_micros = 6 WHERE leg = 1")
    with pytest.raises(REFUSED, match="immutable"):
        raw_commit(sql_url, "DELETE FROM ledger_posting WHERE leg = 0")
    assert _ledger_balances(sql_url) == {"a": -5, "b": 5}


def test_the_database_refuses_overlapping_or_backward_frames(sql_url: str) -> None:
    open_store(sql_url).close()
    insert = "INSERT INTO journal_frame VALUES (1, {last}, 0, '{{\"kinds\":[\"k\"]}}', '[]')"
    with pytest.raises(REFUSED):
        raw_commit(sql_url, insert.format(last=1), insert.format(last=2))
    with pytest.raises(REFUSED):
        raw_commit(sql_url, "INSERT INTO journal_frame VALUES (3, 2, 0, '{}', '[]')")
