"""In-process sequencer throughput with SQLite journaling, as a ratio to the bare matching engine.

The stream is issue 4's seeded workload (``simulation.workload``: 60 % passive limits, 30 %
cancels, 10 % marketable IOCs) spread over eight accounts. The venue runs it through
``Venue.execute`` in batches (what a busy venue's group commit sees: everything queued
during the previous commit), each batch one SQLite transaction, then pre-trade margin check,
engine, clearing, order records, acks and the event log. The baseline is the bare engine
(``exchange.apply``) on the same commands in the same process. The venue runs with its
defaults: the journal framed per batch (ADR 0507), the collector's survivors frozen after
each batch (ADR 0611), the event log's chunks and the journal encoded by msgspec (ADR 0612).
Clearing's P&L book folds fills on integer millionths (ADR 0374). Runs of plain orders reach the
engine in one call and clear in one pass (ADR 0375).
The clock stops once the event log's last record is written. Timings on a shared machine are
noisy: read the ratio.

Usage: ``python benchmarks/bench_venue_sequencer.py [--messages N] [--batch B] [--repeats R]``.
Each configuration runs R times, interleaved with the others; the best of each is reported.
The JSON object on the last line holds the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tokenfutures.contracts import product_spec
from tokenfutures.core.clock import ManualClock
from tokenfutures.exchange import CancelOrder, ExchangeState, NewOrder, OrderAccepted, apply
from tokenfutures.simulation.workload import MID, generate, opened_state, to_commands
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

ACCOUNTS = [f"m{i}" for i in range(8)]
FRONT = "SITZ26"


def venue_commands(n: int, seed: int) -> list[Any]:
    """The workload's commands on the venue's front contract, owners spread over 8 accounts."""
    messages, _, _ = generate(random.Random(seed), n)
    owner: dict[int, str] = {}
    state = opened_state()
    commands: list[Any] = []
    for i, command in enumerate(to_commands(messages)):
        if type(command) is NewOrder:
            command = command._replace(contract=FRONT, account=ACCOUNTS[i % len(ACCOUNTS)])
        else:
            command = command._replace(contract=FRONT, account=owner.get(command.order_id, "m0"))
        for event in apply(state, command._replace(contract="SITZ26"))[1]:
            if type(event) is OrderAccepted:
                owner[event.order_id] = event.account
        commands.append(command)
    return commands


def run_engine(commands: list[Any]) -> tuple[float, float]:
    """Orders per second of the bare engine on ``commands``: wall clock, thread CPU time."""
    state: ExchangeState = opened_state()
    gc.collect()
    start, cpu = time.perf_counter(), time.thread_time()
    for command in commands:
        apply(state, command)
    return len(commands) / (time.perf_counter() - start), len(commands) / (time.thread_time() - cpu)


def open_venue(url: str, record_events: bool = True) -> Venue:
    """A venue listing the front contract around the workload's mid (``MID`` ticks).

    The reference price is ``MID`` ticks of the listed contract's own tick size, so the
    workload's prices fall inside the band whatever contract version is listed.
    """
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    venue = Venue.open(open_store(url), clock, snapshot_every=10**9, record_events=record_events)
    venue.settlement.list_contracts(
        datetime(2026, 11, 24).date(), reference_price=MID * product_spec("SIT").tick_size
    )
    for account in ACCOUNTS:
        venue.accounts.create_account(account, deposit=Decimal(10**12))
    return venue


def run_venue(
    commands: list[Any], url: str, batch: int, record_events: bool
) -> tuple[float, float, str, int]:
    """Orders per second through the venue (journal, checks, engine, clearing) by the wall
    clock and by this thread's CPU time (fsync waits excluded: the figure that survives a
    loaded machine); the state hash; how many commands the venue rejected.

    The clock stops once the event log's last record is written (``Venue.sync_event_log``).
    """
    venue = open_venue(url, record_events)
    acks: list[Any] = []
    gc.collect()
    start, cpu = time.perf_counter(), time.thread_time()
    for first in range(0, len(commands), batch):
        acks += venue.execute(commands[first : first + batch])
    venue.sync_event_log()
    elapsed, cpu_elapsed = time.perf_counter() - start, time.thread_time() - cpu
    digest = venue.state_hash()
    venue.close()
    rejected = sum(1 for a in acks if a.ack_record is not None and a.ack_record[0] == "rejected")
    return len(commands) / elapsed, len(commands) / cpu_elapsed, digest, rejected


def single_order_latency(commands: list[Any], url: str, n: int) -> tuple[float, float]:
    """p50 and p99 (ms) of one order per journal transaction (no concurrent callers)."""
    venue = open_venue(url)
    samples = []
    for command in commands[:n]:
        start = time.perf_counter()
        venue.execute([command])
        samples.append((time.perf_counter() - start) * 1e3)
    venue.close()
    samples.sort()
    return samples[len(samples) // 2], samples[int(len(samples) * 0.99)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    commands = venue_commands(args.messages, args.seed)
    cancels = sum(type(c) is CancelOrder for c in commands)
    figures: dict[str, Any] = {
        "messages": len(commands),
        "cancels": cancels,
        "batch": args.batch,
        "repeats": args.repeats,
    }
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    hashes = set()
    rejections: set[int] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):  # interleaved, best of each: the machine is shared
            wall, cpu = run_engine(commands)
            best["engine"] = max(best.get("engine", 0.0), wall)
            best_cpu["engine"] = max(best_cpu.get("engine", 0.0), cpu)
            runs = {
                "sqlite_full": (f"sqlite:///{Path(tmp) / f'full{repeat}.db'}", True),
                "sqlite_full_no_event_log": (f"sqlite:///{Path(tmp) / f'bare{repeat}.db'}", False),
                "sqlite_normal": (
                    f"sqlite:///{Path(tmp) / f'normal{repeat}.db'}?synchronous=normal",
                    True,
                ),
                "memory": ("memory://", True),
            }
            for name, (url, record_events) in runs.items():
                rate, cpu, digest, rejected = run_venue(commands, url, args.batch, record_events)
                hashes.add(digest)
                rejections.add(rejected)
                best[name] = max(best.get(name, 0.0), rate)
                best_cpu[name] = max(best_cpu.get(name, 0.0), cpu)
        p50, p99 = single_order_latency(commands, f"sqlite:///{Path(tmp) / 'single.db'}", 2_000)
    figures["single_order_sqlite_full_p50_ms"] = round(p50, 3)
    figures["single_order_sqlite_full_p99_ms"] = round(p99, 3)
    print(f"one order per transaction (SQLite FULL): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    engine, engine_cpu = best.pop("engine"), best_cpu.pop("engine")
    figures["engine_orders_per_s"] = round(engine)
    figures["engine_orders_per_cpu_s"] = round(engine_cpu)
    for name, rate in best.items():
        cpu = best_cpu[name]
        figures[f"venue_{name}_orders_per_s"] = round(rate)
        figures[f"ratio_{name}_to_engine"] = round(rate / engine, 3)
        figures[f"venue_{name}_orders_per_cpu_s"] = round(cpu)
        figures[f"cpu_ratio_{name}_to_engine"] = round(cpu / engine_cpu, 3)
        print(
            f"{name:>26}: {rate:>10,.0f} orders/s ({rate / engine:.2f} of the bare engine); "
            f"{cpu:>10,.0f} per CPU-second ({cpu / engine_cpu:.2f})"
        )
    figures["same_state_every_run"] = len(hashes) == 1
    # the workload is valid on the engine: a venue that rejects most of it measures rejections
    figures["venue_rejected"] = sorted(rejections)
    figures["goal_orders_per_s"] = 100_000
    figures["goal_ratio"] = 0.2
    print(f"{'bare engine':>26}: {engine:>10,.0f} orders/s (best of {args.repeats})")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
