"""Figure: recompute the full daily TPI history from the shared CSV; ratio to ``pd.read_csv``.

Prints the time of (read the price CSV, build the daily history over every day of the data)
for tpi-2.0 (the settlement index: panel, rolling-window hedonic regressions, sub-indices,
audits with attribution) and tpi-1.0, and the ratio to reading the same CSV with pandas in
the same process; JSON on the last line. The grades (capability and benchmark scores) are
read once outside the timing, as the packaged grade tables are. Timings on a shared machine
are noisy: the ratio is the figure to compare.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pandas as pd

from tokenfutures.index import daily_history
from tokenfutures.index.methodology import methodology_named
from tokenfutures.index.sources import read_capability_book, read_delistings, read_price_csv
from tokenfutures.index.sources.benchmark_csv import with_benchmark_grades

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REPEATS = 5


def _time(work: object) -> float:
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    """Run the benchmark and print the figure."""
    prices_csv = DATA / "llm_price_history.csv"
    book, _ = read_capability_book(
        DATA / "model_capability_scores.csv", DATA / "model_capability_join.csv"
    )
    tpi2 = methodology_named("tpi-2.0")
    book = with_benchmark_grades(
        book, DATA / "model_benchmark_scores.csv", DATA / "benchmark_model_join.csv", tpi2
    )
    delisted, _ = read_delistings(DATA / "llm_price_model_presence.csv")
    observations = read_price_csv(prices_csv).observations
    first = min(o.effective for o in observations)
    last = max(o.effective for o in observations)
    days = (last - first).days + 1
    tpi1 = methodology_named("tpi-1.0")

    def read_and_history(methodology: object) -> None:
        rows = read_price_csv(prices_csv).observations
        daily_history(rows, methodology, first, last, book, delisted)  # type: ignore[arg-type]

    pandas_s = _time(lambda: pd.read_csv(prices_csv))
    v2_s = _time(lambda: read_and_history(tpi2))
    v1_s = _time(lambda: read_and_history(tpi1))
    print(f"rows={len(observations)} days={days} ({first} .. {last})")
    print(f"pd.read_csv: {pandas_s * 1e3:.1f} ms")
    print(f"tpi-2.0 read CSV + history: {v2_s * 1e3:.1f} ms ({v2_s / pandas_s:.1f}x pandas read)")
    print(f"tpi-1.0 read CSV + history: {v1_s * 1e3:.1f} ms ({v1_s / pandas_s:.1f}x pandas read)")
    print("goal: tpi-2.0 <= 1000 ms on the 2-core machine")
    print(
        json.dumps(
            {
                "benchmark": "index_history",
                "rows": len(observations),
                "days": days,
                "pandas_read_s": round(pandas_s, 5),
                "tpi2_read_and_history_s": round(v2_s, 4),
                "tpi2_ratio_to_pandas_read": round(v2_s / pandas_s, 1),
                "tpi1_read_and_history_s": round(v1_s, 4),
                "tpi1_ratio_to_pandas_read": round(v1_s / pandas_s, 1),
                "goal_s": 1.0,
                "meets_goal": v2_s <= 1.0,
            }
        )
    )


if __name__ == "__main__":
    main()
