"""Speed of the listing calendar and the final settlement, as ratios to naive baselines.

Run: ``PYTHONPATH=src python benchmarks/bench_contracts_calendar.py``. The machine may be
shared, so only the ratios (measured in the same process) are meaningful. The JSON object on
the last line holds the figures.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TypeVar

from tokenfutures.contracts import (
    ContractSymbol,
    DeliveryMonth,
    final_settlement_price,
    is_listed,
    listed_contracts,
    parse_symbol,
    product_spec,
    settlement_window,
)

SPEC = product_spec("SIT")
DAYS = [date(2026, 1, 1) + timedelta(days=k) for k in range(3653)]  # 2026-2035
NAIVE_DAYS = DAYS[:365]  # the naive scan is slow: time one year and compare per day
SETTLEMENTS = 2000
T = TypeVar("T")


def best_of(repeats: int, work: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of ``repeats`` runs, and the last result."""
    timings, results = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        results.append(work())
        timings.append(time.perf_counter() - start)
    return min(timings), results[-1]


def calendar_fast() -> list[list[ContractSymbol]]:
    return [listed_contracts(SPEC, day) for day in DAYS]


def calendar_naive() -> list[list[ContractSymbol]]:
    """The definition: scan 30 candidate months and keep those listed on the day."""
    out = []
    for day in NAIVE_DAYS:
        here = DeliveryMonth(day.year, day.month)
        candidates = [ContractSymbol("SIT", here.shifted(k)) for k in range(30)]
        out.append([c for c in candidates if is_listed(SPEC, c, day)])
    return out


SYMBOL = parse_symbol("SITZ26")
WINDOW = settlement_window(SPEC, SYMBOL)
FIX_SETS = [
    [(day, Decimal(1000 + (7 * k + 3 * i) % 97) / 100) for i, day in enumerate(WINDOW)]
    for k in range(SETTLEMENTS)
]


def settle_ours() -> list[Decimal]:
    return [final_settlement_price(SPEC, SYMBOL, fixes).price for fixes in FIX_SETS]


def settle_baseline() -> list[Decimal]:
    """A bare mean rounded to the tick: no window, carry-forward or audit."""
    tick = SPEC.tick_size
    return [
        (sum((level for _, level in fixes), Decimal(0)) / len(fixes)).quantize(
            tick, rounding=ROUND_HALF_EVEN
        )
        for fixes in FIX_SETS
    ]


def main() -> None:
    fast_s, fast = best_of(3, calendar_fast)
    naive_s, naive = best_of(1, calendar_naive)
    assert fast[: len(NAIVE_DAYS)] == naive, "fast and naive listing calendars disagree"
    per_day_fast, per_day_naive = fast_s / len(DAYS), naive_s / len(NAIVE_DAYS)
    ours_s, ours = best_of(3, settle_ours)
    base_s, base = best_of(3, settle_baseline)
    assert ours == base, "final settlement disagrees with the bare mean on complete fixes"
    figures = {
        "listing_days": len(DAYS),
        "listing_days_per_s": round(len(DAYS) / fast_s),
        "listing_speedup_vs_naive_scan": round(per_day_naive / per_day_fast, 1),
        "settlements": SETTLEMENTS,
        "settlements_per_s": round(SETTLEMENTS / ours_s),
        "settlement_cost_vs_bare_mean": round(ours_s / base_s, 1),
    }
    print(
        f"listing calendar: {fast_s:.3f} s for {len(DAYS)} days (naive scan {naive_s:.3f} s for {len(NAIVE_DAYS)})"
    )
    print(f"final settlement: {ours_s:.3f} s for {SETTLEMENTS} (bare mean {base_s:.3f} s)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
