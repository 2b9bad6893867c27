"""Full-collection pauses of the sequencer's collector policy (ADR 0611), period only vs period + growth.

The venue runs the seeded workload of ``bench_venue_sequencer`` on the in-memory store with
the thaw period scaled down (``--period``, default 0.25 s, so a run of a few seconds sees several periods).
Policy "period": a thaw whenever the period has passed (``GC_THAW_GROWTH = 0``, the rule
before this benchmark). Policy "period + growth": also wait until the frozen heap grew by a
quarter (the default). ``gc.callbacks`` time every full collection. The figures: the number
of full collections, their total and longest pause, and the run's orders per second, as
ratios of the growth rule to the period-only rule, measured in the same process.

Usage: ``python benchmarks/bench_venue_collector.py [--messages N] [--period S]``.
The JSON object on the last line holds the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bench_venue_sequencer import ACCOUNTS, venue_commands
from tokenfutures.core.clock import ManualClock
from tokenfutures.simulation.workload import MID
from tokenfutures.storage import open_store
from tokenfutures.venue import collector
from tokenfutures.venue.service import Venue

DEFAULT_GROWTH = collector.GC_THAW_GROWTH


class _Pauses:
    """Times the collector's full (generation 2) collections through ``gc.callbacks``."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._start)


def run(commands: list[Any], growth: float, period: float) -> dict[str, float]:
    """Orders per second and the full-collection pauses under one policy."""
    collector.GC_THAW_SECONDS, collector.GC_THAW_GROWTH = period, growth
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    venue = Venue.open(open_store("memory://"), clock, snapshot_every=10**9, record_events=False)
    venue.settlement.list_contracts(
        datetime(2026, 11, 24).date(), reference_price=Decimal(MID) / 100
    )
    for account in ACCOUNTS:
        venue.accounts.create_account(account, deposit=Decimal(10**12))
    gc.unfreeze()
    gc.collect()
    pauses = _Pauses()
    gc.callbacks.append(pauses)
    start = time.perf_counter()
    try:
        for first in range(0, len(commands), 1_000):
            venue.execute(commands[first : first + 1_000])
    finally:
        elapsed = time.perf_counter() - start
        gc.callbacks.remove(pauses)
        frozen = gc.get_freeze_count()
        venue.close()
    return {
        "orders_per_s": len(commands) / elapsed,
        "full_collections": len(pauses.pauses),
        "pause_total_s": sum(pauses.pauses),
        "pause_max_ms": max(pauses.pauses, default=0.0) * 1e3,
        "frozen_at_end": frozen,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--period", type=float, default=0.25)
    args = parser.parse_args()
    commands = venue_commands(args.messages, 4)
    gc.collect()  # the generator's own book is cyclic garbage: not the venue's
    period_only = run(commands, 0.0, args.period)
    with_growth = run(commands, DEFAULT_GROWTH, args.period)
    figures: dict[str, Any] = {"messages": len(commands), "period_s": args.period}
    for name, result in (("period_only", period_only), ("period_and_growth", with_growth)):
        print(
            f"{name:>18}: {result['orders_per_s']:>9,.0f} orders/s, "
            f"{result['full_collections']:.0f} full collections, "
            f"{result['pause_total_s'] * 1e3:,.0f} ms in total, longest {result['pause_max_ms']:.0f} ms"
        )
        figures.update({f"{name}_{k}": round(v, 4) for k, v in result.items()})
    figures["ratio_pause_total"] = round(
        with_growth["pause_total_s"] / max(period_only["pause_total_s"], 1e-9), 3
    )
    figures["ratio_orders_per_s"] = round(
        with_growth["orders_per_s"] / period_only["orders_per_s"], 3
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
