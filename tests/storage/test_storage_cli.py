"""``tokenfutures storage info|verify`` on a real SQLite store (root app built here until wired)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import typer
from storage_helpers import records, transfer
from typer.testing import CliRunner

from tokenfutures.cli import storage_cmds
from tokenfutures.storage import open_store
from tokenfutures.venue.ports import Snapshot, StorageError


@pytest.fixture
def cli() -> typer.Typer:
    root = typer.Typer()
    storage_cmds.register(root)

    @root.callback()
    def _root() -> None:
        """Test root."""

    return root


@pytest.fixture
def filled_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'venue.db'}"
    store = open_store(url)
    store.journal.append(records(1, 4))
    store.journal.append(records(5, 5))
    store.journal.append(records(6, 12))
    store.events.append(records(1, 30))
    store.snapshots.save(Snapshot(10, "h", b"s"))
    store.ledger.post([transfer(3, "a", "b", 40), transfer(4, "b", "c", 15)])
    store.close()
    return url


def test_info_json_reports_heads_and_ledger_totals(cli: typer.Typer, filled_url: str) -> None:
    result = CliRunner().invoke(cli, ["storage", "info", "--database", filled_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "schema_revision": "0003",
        "journal_last_seq": 12,
        "events_last_seq": 30,
        "latest_snapshot_seq": 10,
        "ledger_entries": 2,
        "ledger_accounts": 3,
        "ledger_total_micros": 0,
    }
    table = CliRunner().invoke(cli, ["storage", "info", "--database", filled_url])
    assert table.exit_code == 0
    assert "journal last seq" in table.output


def test_verify_passes_a_sound_store(cli: typer.Typer, filled_url: str) -> None:
    result = CliRunner().invoke(cli, ["storage", "verify", "--database", filled_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"ok": True, "problems": []}
    human = CliRunner().invoke(cli, ["storage", "verify", "--database", filled_url])
    assert "store verified" in human.output


def test_verify_finds_a_gap_made_behind_the_store(cli: typer.Typer, filled_url: str) -> None:
    path = filled_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        raw.execute("DELETE FROM journal_frame WHERE first_seq = 5")  # a one-record frame
    result = CliRunner().invoke(cli, ["storage", "verify", "--database", filled_url, "--json"])
    assert result.exit_code != 0
    assert "journal: seq 6 where 5 was expected" in str(result.exception)


def test_info_refuses_a_missing_sqlite_file(cli: typer.Typer, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    result = CliRunner().invoke(cli, ["storage", "info", "--database", url])
    assert isinstance(result.exception, StorageError)
    assert "no SQLite store" in str(result.exception)
    assert not (tmp_path / "absent.db").exists()
