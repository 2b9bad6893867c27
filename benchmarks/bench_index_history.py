"""Figure: recompute the full daily TPI history from the shared CSV; ratio to ``pd.read_csv``.

Prints the time of (read CSV + scores, build the daily history over every day of the data)
and its ratio to reading the same CSV with pandas in the same process; JSON on the last line.
Timings on a shared machine are noisy: the ratio is the figure to compare.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pandas as pd

from tokenfutures.index import Methodology, daily_history
from tokenfutures.index.sources import read_capability_book, read_delistings, read_price_csv

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
    delisted, _ = read_delistings(DATA / "llm_price_model_presence.csv")
    observations = read_price_csv(prices_csv).observations
    first = min(o.effective for o in observations)
    last = max(o.effective for o in observations)
    days = (last - first).days + 1
    methodology = Methodology()

    def history_only() -> None:
        daily_history(observations, methodology, first, last, book, delisted)

    def read_and_history() -> None:
        rows = read_price_csv(prices_csv).observations
        daily_history(rows, methodology, first, last, book, delisted)

    pandas_s = _time(lambda: pd.read_csv(prices_csv))
    history_s = _time(history_only)
    total_s = _time(read_and_history)
    print(f"rows={len(observations)} days={days}")
    print(f"pd.read_csv: {pandas_s * 1e3:.1f} ms")
    print(
        f"daily history ({days} fixes): {history_s * 1e3:.1f} ms ({history_s / pandas_s:.1f}x pandas read)"
    )
    print(
        f"read CSV + history: {total_s * 1e3:.1f} ms ({total_s / pandas_s:.1f}x pandas read); goal <= 1000 ms"
    )
    print(
        json.dumps(
            {
                "benchmark": "index_history",
                "rows": len(observations),
                "days": days,
                "pandas_read_s": round(pandas_s, 5),
                "history_s": round(history_s, 4),
                "read_and_history_s": round(total_s, 4),
                "ratio_to_pandas_read": round(total_s / pandas_s, 1),
                "goal_s": 1.0,
                "meets_goal": total_s <= 1.0,
            }
        )
    )


if __name__ == "__main__":
    main()
