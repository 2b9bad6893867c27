"""Schema migrations run on open: an old database is upgraded in place, its rows kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from storage_helpers import payload_for, transfer

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.storage import open_store
from tokenfutures.storage.checks import ts_to_micros
from tokenfutures.storage.engine import make_engine, parse_store_url, writer
from tokenfutures.storage.migrate import VERSION_TABLE, current_revision, head_revision, upgrade
from tokenfutures.venue.ports import IdempotencyKey


def test_a_fresh_database_is_created_at_the_head_revision(sql_url: str) -> None:
    open_store(sql_url).close()
    engine = make_engine(sql_url)
    try:
        assert head_revision() == "0003"
        assert current_revision(engine) == "0003"
        assert VERSION_TABLE in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_opening_an_old_version_database_upgrades_it_and_keeps_its_rows(sql_url: str) -> None:
    engine = make_engine(sql_url)
    upgrade(writer(engine), "0001")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO journal (seq, ts_us, kind, payload) VALUES (1, 0, 'submit', :p)"),
            {"p": payload_for(1)},
        )
    assert current_revision(engine) == "0001"
    assert "ledger_entry" not in inspect(engine).get_table_names()
    engine.dispose()

    store = open_store(sql_url)
    try:
        assert [r.payload for r in store.journal.read()] == [payload_for(1)]
        assert store.ledger.post([transfer(2, "a", "b", 9)]) == [1]
        assert store.api_keys.authenticate(store.api_keys.issue("dave")) == "dave"
    finally:
        store.close()
    engine = make_engine(sql_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_files_are_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "url must be"),
        ("sqlite://", "SQLite file path"),
        ("sqlite:///:memory:", "SQLite file path"),
        ("sqlite:///x.db?synchronous=off", "synchronous must be"),
    ],
)
def test_unsupported_urls_are_refused_naming_the_parameter(url: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        open_store(url)


def test_a_refused_sqlite_url_leaves_no_file_and_no_lock(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with pytest.raises(InvalidParameterError, match="synchronous must be"):
        open_store(f"sqlite:///{path}?synchronous=off")
    assert list(tmp_path.iterdir()) == []


def test_plain_postgresql_urls_use_the_psycopg_driver() -> None:
    parsed = parse_store_url("postgresql://u:p@127.0.0.1:5432/db")
    assert parsed.drivername == "postgresql+psycopg"
    assert parsed.database == "db"


def test_per_record_journals_become_frames_with_every_field_kept(sql_url: str) -> None:
    engine = make_engine(sql_url)
    upgrade(writer(engine), "0002")
    rows = [  # seq, ts_us, kind, payload, key account, key client order id; a gap after 1,203
        (
            seq,
            1_000_000 * seq + (7 if seq % 5 else 0),
            f"k{seq % 3}",
            payload_for(seq),
            *(("acct", f"o{seq}") if seq % 4 == 0 else (None, None)),
        )
        for seq in [*range(1, 1204), *range(1210, 1213)]
    ]
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO journal VALUES (:s, :t, :k, :p, :a, :c)"),
            [dict(zip("stkpac", row, strict=True)) for row in rows],
        )
        connection.execute(
            text("INSERT INTO event_log VALUES (1, 5, 'events', 'x\ny', NULL, NULL)")
        )
    engine.dispose()
    store = open_store(sql_url)
    try:
        got = [
            (
                r.seq,
                ts_to_micros(r.ts),
                r.kind,
                r.payload,
                *((r.key.account, r.key.client_order_id) if r.key else (None, None)),
            )
            for r in store.journal.read()
        ]
        assert got == rows
        assert store.journal.seq_for_key(IdempotencyKey("acct", "o1200")) == 1200
        assert [r.payload for r in store.events.read()] == ["x\ny"]
        assert store.journal.last_seq() == 1212
    finally:
        store.close()
    engine = make_engine(sql_url)
    try:
        assert current_revision(engine) == "0003"
        with engine.connect() as connection:
            frames = connection.execute(text("SELECT first_seq FROM journal_frame")).scalars()
            assert sorted(frames) == [1, 1001, 1210]
    finally:
        engine.dispose()
