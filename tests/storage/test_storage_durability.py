"""SQLite durability is pinned (ADR 0641): every connection commits with ``synchronous=FULL``.

In WAL mode ``NORMAL`` skips the fsync at commit: a power cut may lose the last acknowledged
transactions although the process had answered them. Every test passes either way, so this
one reads the setting back from each pooled connection, readers and the writer alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tokenfutures.storage import SqlStore
from tokenfutures.storage.engine import check_synchronous

FULL = 2


def test_every_connection_of_a_default_store_syncs_each_commit(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'venue.db'}")
    try:
        seen = store.pragmas("synchronous", "journal_mode", "foreign_keys")
    finally:
        store.close()
    assert len(seen) == 3
    assert all(p == {"synchronous": FULL, "journal_mode": "wal", "foreign_keys": 1} for p in seen)


def test_a_store_asked_for_normal_says_so(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'venue.db'}?synchronous=normal")
    try:
        assert {p["synchronous"] for p in store.pragmas("synchronous")} == {1}
    finally:
        store.close()


def test_a_connection_below_the_level_asked_for_is_refused() -> None:
    check_synchronous(2, "full")
    check_synchronous(3, "full")
    with pytest.raises(ValueError, match="synchronous"):
        check_synchronous(1, "full")
