"""Fill → position and cost updates in process (goal >= 0.8 M fills/s), with a baseline ratio.

Baseline: a loop that only reads the six attributes of each fill (the least any consumer of
trade events must do), timed in the same run. Timings on a shared machine are noisy: read
the ratio. The last line is JSON.
"""

from __future__ import annotations

import json
import timeit

import numpy as np

from tokenfutures.clearing.positions import PositionBook, Trade

FILLS, ACCOUNTS, CONTRACTS = 1_000_000, 2_000, 6
REPEATS = 3


def make_fills(rng: np.random.Generator) -> list[Trade]:
    """Random fills among ``ACCOUNTS`` accounts and ``CONTRACTS`` contracts."""
    accounts = [f"ACC{i:05d}" for i in range(ACCOUNTS)]
    contracts = [f"SIT-{i}" for i in range(CONTRACTS)]
    b = rng.integers(0, ACCOUNTS, FILLS).tolist()
    s = ((np.array(b) + rng.integers(1, ACCOUNTS, FILLS)) % ACCOUNTS).tolist()
    c = rng.integers(0, CONTRACTS, FILLS).tolist()
    p = rng.integers(150, 250, FILLS).tolist()
    q = rng.integers(1, 50, FILLS).tolist()
    return [
        Trade(i, contracts[c[i]], p[i], q[i], accounts[b[i]], accounts[s[i]]) for i in range(FILLS)
    ]


def touch_only(fills: list[Trade]) -> int:
    """Baseline: read every attribute, do nothing with it."""
    n = 0
    for f in fills:
        _ = (f.trade_id, f.contract, f.price_ticks, f.quantity, f.buyer, f.seller)
        n += 1
    return n


def main() -> None:
    fills = make_fills(np.random.default_rng(7))
    base_s = min(timeit.repeat(lambda: touch_only(fills), number=1, repeat=REPEATS))
    book_s = min(timeit.repeat(lambda: PositionBook().apply_fills(fills), number=1, repeat=REPEATS))
    book = PositionBook()
    book.apply_fills(fills)
    book.check_balanced()
    rate = FILLS / book_s
    print(f"{FILLS} fills, {ACCOUNTS} accounts, {CONTRACTS} contracts")
    print(f"PositionBook.apply_fills: {rate / 1e6:.2f} M fills/s (goal >= 0.8 M/s)")
    print(f"baseline attribute-read loop: {FILLS / base_s / 1e6:.2f} M fills/s")
    print(f"ratio apply_fills time / baseline time: {book_s / base_s:.2f}")
    print(
        json.dumps(
            {
                "benchmark": "clearing_fills",
                "fills": FILLS,
                "fills_per_s": round(rate),
                "baseline_fills_per_s": round(FILLS / base_s),
                "ratio_to_baseline": round(book_s / base_s, 3),
                "goal_fills_per_s": 800_000,
                "meets_goal": rate >= 800_000,
            }
        )
    )


if __name__ == "__main__":
    main()
