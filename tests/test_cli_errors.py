"""Every CLI failure is one line on stderr and exit 2 (input) or 1 (a check that failed; ADR 0642).

The installed console script runs in a subprocess, as an operator runs it: the exit code and
stderr are what the shell sees, never a Python traceback.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tokenfutures.storage import open_store
from tokenfutures.venue.ports import JournalRecord

SCRIPT = Path(sys.executable).with_name("tokenfutures")
T0 = datetime(2026, 11, 24, tzinfo=UTC)


@dataclass(frozen=True)
class Files:
    """Paths the cases point at, made once per module."""

    root: Path
    port_in_use: int

    def url(self, name: str) -> str:
        return f"sqlite:///{self.root / name}"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    root = tmp_path_factory.mktemp("cli-errors")
    (root / "zero.db").touch()
    (root / "text.db").write_text("not a database\n" * 100)
    (root / "a-directory.db").mkdir()
    good = open_store(f"sqlite:///{root / 'good.db'}")
    good.journal.append([JournalRecord(s, T0, "noop", "[]") for s in (1, 2, 3)])
    good.close()
    corrupt = (root / "good.db").read_bytes()
    (root / "corrupt.db").write_bytes(corrupt[:100] + b"\xff" * (len(corrupt) - 100))
    gap = open_store(f"sqlite:///{root / 'gap.db'}")
    for seq in (1, 2, 3):
        gap.journal.append([JournalRecord(seq, T0, "noop", "[]")])
    gap.close()
    with sqlite3.connect(root / "gap.db") as raw:
        raw.execute("DELETE FROM journal_frame WHERE first_seq = 2")
    held = open_store(f"sqlite:///{root / 'held.db'}")  # this process is its writer
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        yield Files(root, int(listener.getsockname()[1]))
    finally:
        listener.close()
        held.close()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("TOKENFUTURES_DEBUG", None)
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


UNREACHABLE_PG = "postgresql://tokenfutures:secret@127.0.0.1:1/tokenfutures"

#: (case id, arguments with {placeholders}, exit code, words the one line must hold)
CASES = [
    ("replay-missing", "venue replay --database {missing}", 2, "no SQLite store"),
    ("replay-zero-byte", "venue replay --database {zero}", 2, "empty file"),
    ("replay-not-sqlite", "venue replay --database {text}", 2, "not a database"),
    ("replay-corrupt", "venue replay --database {corrupt}", 2, "cannot open"),
    ("replay-directory", "venue replay --database {directory}", 2, "is a directory"),
    ("replay-unreachable-pg", f"venue replay --database {UNREACHABLE_PG}", 2, "cannot open"),
    ("info-not-sqlite", "storage info --database {text}", 2, "not a database"),
    ("info-bad-scheme", "storage info --database ftp://host/x", 2, "url must be"),
    ("verify-gap", "storage verify --database {gap}", 1, "where 2 was expected"),
    ("day-no-such-dir", "venue day --database {no_dir} --orders 1", 2, "no such directory"),
    ("day-zero-byte", "venue day --database {zero} --orders 1", 2, "empty file"),
    ("day-held", "venue day --database {held} --orders 1", 2, "in use by another writer"),
    ("day-tpi-abc", "venue day --tpi abc", 2, "tpi must be a positive number"),
    ("day-tpi-negative", "venue day --tpi -1", 2, "tpi must be a positive number"),
    ("day-tpi-brackets", "venue day --tpi [x]", 2, "(got '[x]')"),
    ("day-stale-index", "venue day --day 2030-01-07", 2, "stale inputs"),
    ("day-weekend", "venue day --day 2026-11-28", 2, "business day"),
    ("day-bad-date", "venue day --day 2026-13-01", 2, "YYYY-MM-DD"),
    ("day-negative-orders", "venue day --orders -1", 2, "orders must be >= 0"),
    ("serve-bad-host", "serve --host 0.0.0.0.0 --database {fresh}", 2, "cannot listen"),
    ("serve-port-in-use", "serve --port {port} --database {fresh}", 2, "Address already in use"),
    ("serve-port-range", "serve --port 70000 --database {fresh}", 2, "port must be"),
    ("serve-held", "serve --port 0 --database {held}", 2, "in use by another writer"),
    ("serve-unreachable-pg", f"serve --port 0 --database {UNREACHABLE_PG}", 2, "cannot open"),
    ("accounts-held", "accounts create carol --database {held}", 2, "another writer"),
    ("accounts-bad-deposit", "accounts create carol --database {fresh} --deposit x", 2, "deposit"),
    ("operator-bad-name", "accounts create-operator a:b --database {fresh}", 2, "operator name"),
    ("accounts-reserved", "accounts create index-admin:x --database {fresh}", 2, "index-admin"),
    ("accounts-list-missing", "accounts list --database {missing}", 2, "no SQLite store"),
    ("openapi-no-dir", "api openapi --output {no_dir_path}", 2, "No such file or directory"),
]


@pytest.mark.parametrize(
    ("args", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_failure_is_one_line_and_its_exit_code(
    files: Files, args: str, code: int, words: str
) -> None:
    filled = args.format(
        missing=files.url("missing.db"),
        zero=files.url("zero.db"),
        text=files.url("text.db"),
        corrupt=files.url("corrupt.db"),
        directory=files.url("a-directory.db"),
        gap=files.url("gap.db"),
        held=files.url("held.db"),
        fresh=files.url("fresh.db"),
        no_dir=files.url("no/such/x.db"),
        no_dir_path=files.root / "no" / "such" / "x.json",
        port=files.port_in_use,
    )
    done = _cli(*filled.split(), cwd=files.root)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, done.stderr
    assert words in lines[0]
    assert not (files.root / "missing.db").exists(), "a reader created the file it was given"
    assert not (files.root / "fresh.db").exists(), "a refused command wrote the database"
    assert (files.root / "zero.db").stat().st_size == 0, "a zero-byte file became a database"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the mode says")
def test_a_read_only_database_is_refused_to_a_writer(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'ro.db'}")
    store.close()
    (tmp_path / "ro.db").chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        done = _cli("venue", "day", "--database", f"sqlite:///{tmp_path / 'ro.db'}", cwd=tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_replay_reads_a_store_its_writer_holds_and_writes_nothing(files: Files) -> None:
    before = (files.root / "held.db").read_bytes()
    done = _cli("venue", "replay", "--database", files.url("held.db"), "--json", cwd=files.root)
    assert done.returncode == 0, done.stderr
    assert '"match": true' in done.stdout
    assert (files.root / "held.db").read_bytes() == before
