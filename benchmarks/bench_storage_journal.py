"""Journal appends/s into SQLite with group commit, as a ratio to raw ``sqlite3`` executemany.

Both sides write the same records, in the same batches (one transaction each), to a WAL-mode
file with the same ``synchronous`` level, in this process. The raw side inserts one row per
record into a table with a UNIQUE idempotency-key index (the store's schema before ADR 0507);
the store writes one frame per batch and adds what the venue needs: the gap check,
idempotency-key uniqueness, timestamp encoding and SQLAlchemy Core. ``store_per_s`` appends
``JournalRecord`` lists (``append``), ``store_batch_per_s`` the sequencer's columnar
``JournalBatch`` (``append_batch``, one stamp per batch). Timings on a shared machine are
noisy: read the ratios. JSON on the last line.

Usage: ``python benchmarks/bench_storage_journal.py [--rows N] [--batch B]``
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tokenfutures.storage import open_store
from tokenfutures.storage.checks import ts_to_micros
from tokenfutures.venue.ports import IdempotencyKey, JournalBatch, JournalRecord

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RAW_DDL = """CREATE TABLE journal (seq INTEGER PRIMARY KEY, ts_us BIGINT NOT NULL,
kind VARCHAR(64) NOT NULL, payload TEXT NOT NULL, key_account VARCHAR(128),
key_client_order_id VARCHAR(128), UNIQUE (key_account, key_client_order_id))"""


def make_records(rows: int) -> list[JournalRecord]:
    """Order-entry-like records: every one with an idempotency key, ~90-byte JSON payloads."""
    out = []
    for seq in range(1, rows + 1):
        account = f"acct-{seq % 64}"
        body = {
            "account": account,
            "lots": seq % 50 + 1,
            "price_ticks": 4_000 + seq % 97,
            "side": "buy" if seq % 2 else "sell",
            "symbol": "SIT-F-2026M06",
        }
        payload = json.dumps(body, sort_keys=True, separators=(",", ":"))
        key = IdempotencyKey(account, f"o{seq}")
        out.append(JournalRecord(seq, T0 + timedelta(microseconds=seq), "submit", payload, key))
    return out


def time_store(path: Path, records: list[JournalRecord], batch: int, synchronous: str) -> float:
    """Seconds to append ``records`` through the store, ``batch`` per transaction."""
    store = open_store(f"sqlite:///{path}?synchronous={synchronous}")
    start = time.perf_counter()
    for i in range(0, len(records), batch):
        store.journal.append(records[i : i + batch])
    elapsed = time.perf_counter() - start
    assert store.journal.last_seq() == len(records)
    store.close()
    return elapsed


def as_batches(records: list[JournalRecord], batch: int) -> list[JournalBatch]:
    """The records as the sequencer's columnar batches (each at its first record's stamp)."""
    out = []
    for i in range(0, len(records), batch):
        chunk = records[i : i + batch]
        out.append(
            JournalBatch(
                chunk[0].seq,
                chunk[0].ts,
                [r.kind for r in chunk],
                [r.payload for r in chunk],
                [None if r.key is None else (r.key.account, r.key.client_order_id) for r in chunk],
            )
        )
    return out


def time_store_batches(path: Path, batches: list[JournalBatch], synchronous: str) -> float:
    """Seconds to append columnar ``batches`` through the store (``append_batch``)."""
    store = open_store(f"sqlite:///{path}?synchronous={synchronous}")
    start = time.perf_counter()
    for one in batches:
        store.journal.append_batch(one)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def time_raw(path: Path, records: list[JournalRecord], batch: int, synchronous: str) -> float:
    """Seconds for bare sqlite3 executemany of the same rows (tuples prepared in the loop)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={synchronous}")
    connection.execute(RAW_DDL)
    sql = "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)"
    start = time.perf_counter()
    for i in range(0, len(records), batch):
        rows = [
            (r.seq, ts_to_micros(r.ts), r.kind, r.payload, r.key.account, r.key.client_order_id)
            for r in records[i : i + batch]
            if r.key is not None
        ]
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(sql, rows)
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def time_reads(folder: Path, rows: int) -> dict[str, float | int]:
    """Replay reads/s: the store's ``read()`` (records) vs raw sqlite3 fetchall (tuples)."""
    store_path = next(folder.glob("store-full-1000-*.db"))
    store = open_store(f"sqlite:///{store_path}")
    start = time.perf_counter()
    assert sum(1 for _ in store.journal.read()) == rows
    store_s = time.perf_counter() - start
    store.close()
    connection = sqlite3.connect(next(folder.glob("raw-full-1000-*.db")))
    start = time.perf_counter()
    assert len(connection.execute("SELECT * FROM journal ORDER BY seq").fetchall()) == rows
    raw_s = time.perf_counter() - start
    connection.close()
    return {
        "read_per_s": round(rows / store_s),
        "raw_read_per_s": round(rows / raw_s),
        "read_ratio_to_raw": round(raw_s / store_s, 3),
    }


def measure(
    records: list[JournalRecord], batch: int, synchronous: str, folder: Path, repeats: int
) -> dict[str, float | int | str]:
    """Best-of-``repeats`` appends/s of the store and of raw sqlite3 (interleaved), and ratio."""
    store_s, batch_s, raw_s = float("inf"), float("inf"), float("inf")
    batches = as_batches(records, batch)
    for attempt in range(repeats):
        tag = f"{synchronous}-{batch}-{attempt}"
        store_s = min(store_s, time_store(folder / f"store-{tag}.db", records, batch, synchronous))
        batch_s = min(batch_s, time_store_batches(folder / f"cols-{tag}.db", batches, synchronous))
        raw_s = min(raw_s, time_raw(folder / f"raw-{tag}.db", records, batch, synchronous))
    return {
        "batch": batch,
        "synchronous": synchronous,
        "rows": len(records),
        "store_per_s": round(len(records) / store_s),
        "store_batch_per_s": round(len(records) / batch_s),
        "raw_sqlite_per_s": round(len(records) / raw_s),
        "ratio_to_raw": round(raw_s / store_s, 3),
        "batch_ratio_to_raw": round(raw_s / batch_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    records = make_records(args.rows)
    plan = [("full", args.batch), ("normal", args.batch)]
    if args.batch != 1000:  # the same batch twice would append to the same files
        plan += [("full", 1000), ("normal", 1000)]
    results = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for synchronous, batch in plan:
            results.append(measure(records, batch, synchronous, folder, args.repeats))
        for synchronous in ("full", "normal"):  # no group commit: one transaction per record
            results.append(measure(records[:500], 1, synchronous, folder, args.repeats))
        reads = time_reads(folder, args.rows)
    for r in results:
        print(
            f"batch {r['batch']:>5}  synchronous={r['synchronous']:<6}  store "
            f"{r['store_per_s']:>9,}/s  columnar {r['store_batch_per_s']:>9,}/s  raw sqlite3 "
            f"{r['raw_sqlite_per_s']:>9,}/s  ratios {r['ratio_to_raw']:.2f} "
            f"{r['batch_ratio_to_raw']:.2f}"
        )
    print(
        f"replay read: store {reads['read_per_s']:,}/s  raw sqlite3 {reads['raw_read_per_s']:,}/s"
        f"  ratio {reads['read_ratio_to_raw']:.2f}"
    )
    headline, unbatched = results[0], results[-2]  # the first FULL one-per-transaction run
    summary = {
        "figure": "journal appends/s into SQLite with group commit vs raw sqlite3 executemany",
        "rows": args.rows,
        "batch": args.batch,
        "synchronous": "full",
        "store_per_s": headline["store_per_s"],
        "store_batch_per_s": headline["store_batch_per_s"],
        "raw_sqlite_per_s": headline["raw_sqlite_per_s"],
        "ratio_to_raw": headline["ratio_to_raw"],
        "batch_ratio_to_raw": headline["batch_ratio_to_raw"],
        "group_commit_speedup_vs_batch_1": round(
            float(headline["store_per_s"]) / float(unbatched["store_per_s"]), 1
        ),
        **reads,
        "runs": results,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
