"""Session-rule figures: auction uncross, price-limit checks and the daily settlement price.

Each figure is a ratio to a plain baseline run in the same process on the same seeded input
(timings are noisy on a shared machine: read the ratios):

* ``uncross`` on a pre-open book vs the brute force that scores every candidate price by
  summing the whole book (the rule as written, O(prices × orders));
* ``PriceLimits.action`` (limits computed once) vs ``classify`` (limits recomputed per call);
* ``daily_settlement_price`` on a day of trades vs a plain float VWAP over the same window.

Usage: ``python benchmarks/bench_exchange_session.py [--orders N] [--seed S]``.
The JSON object on the last line holds the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tokenfutures.exchange.auction import uncross
from tokenfutures.exchange.limits import LimitRules, classify, limit_prices
from tokenfutures.exchange.settlement_price import BestBidOffer, daily_settlement_price

Order = tuple[int | None, int, int]
MID = 10_000
SETTLE = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """Smallest wall time of ``repeats`` runs (seconds)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def preopen_book(rng: random.Random, n: int) -> tuple[list[Order], list[Order]]:
    """Crossed pre-open book: limits around the mid (buyers a little higher), 2 % market orders."""
    bids: list[Order] = []
    asks: list[Order] = []
    for priority in range(n):
        market = rng.random() < 0.02
        quantity = rng.randint(1, 100)
        if rng.random() < 0.5:
            bids.append((None if market else MID + rng.randint(-150, 50), quantity, priority))
        else:
            asks.append((None if market else MID + rng.randint(-50, 150), quantity, priority))
    return bids, asks


def brute_force_volume(bids: list[Order], asks: list[Order], reference: int) -> int:
    """Baseline: score every candidate price by summing the whole book; the maximum volume."""
    best = 0
    for price in {p for p, _, _ in bids + asks if p is not None} | {reference}:
        demand = sum(q for p, q, _ in bids if p is None or p >= price)
        supply = sum(q for p, q, _ in asks if p is None or p <= price)
        best = max(best, min(demand, supply))
    return best


def bench_auction(rng: random.Random, n: int) -> dict[str, float]:
    bids, asks = preopen_book(rng, n)
    result = uncross(bids, asks, MID)
    if result is None:
        raise SystemExit("the pre-open book does not cross")
    if brute_force_volume(bids, asks, MID) != result.volume:
        raise SystemExit("baseline and uncross disagree on the auction volume")
    fast = best_of(5, lambda: uncross(bids, asks, MID))
    slow = best_of(1, lambda: brute_force_volume(bids, asks, MID))
    return {
        "auction_orders": n,
        "auction_price_ticks": result.price_ticks,
        "auction_volume": result.volume,
        "uncross_ms": fast * 1e3,
        "brute_force_ms": slow * 1e3,
        "uncross_speedup_vs_brute_force": slow / fast,
    }


def bench_limits(rng: random.Random, n: int) -> dict[str, float]:
    rules = LimitRules()
    prices = [MID + rng.randint(-3000, 3000) for _ in range(n)]
    limits = limit_prices(MID, rules)
    if [limits.action(p) for p in prices] != [classify(p, MID, rules) for p in prices]:
        raise SystemExit("PriceLimits.action and classify disagree")
    cached = best_of(3, lambda: [limits.action(p) for p in prices])
    per_call = best_of(3, lambda: [classify(p, MID, rules) for p in prices])
    return {
        "limit_checks": n,
        "limit_action_ns": cached / n * 1e9,
        "classify_ns": per_call / n * 1e9,
        "precomputed_limits_speedup": per_call / cached,
    }


def bench_settlement(rng: random.Random, n: int) -> dict[str, float]:
    day_start = SETTLE - timedelta(hours=8)
    step = timedelta(hours=8) / n
    trades = [
        (day_start + step * i, MID + rng.randint(-40, 40), rng.randint(1, 50)) for i in range(n)
    ]
    bbo = BestBidOffer(MID - 2, MID + 2)

    def float_vwap() -> float:
        start = SETTLE - timedelta(minutes=2)
        window = [(p, q) for ts, p, q in trades if start <= ts < SETTLE]
        return sum(float(p) * q for p, q in window) / sum(q for _, q in window)

    def exact() -> object:
        return daily_settlement_price(
            settlement_time=SETTLE, trades=trades, bbo=bbo, prior_settlement_ticks=MID
        )

    result = daily_settlement_price(
        settlement_time=SETTLE, trades=trades, bbo=bbo, prior_settlement_ticks=MID
    )
    if result is None or abs(result.price_ticks - float_vwap()) > 0.5 + 1e-9:
        raise SystemExit("settlement price is not the rounded window VWAP")
    fast = best_of(3, float_vwap)
    full = best_of(3, exact)
    return {
        "settlement_trades": n,
        "settlement_ms": full * 1e3,
        "float_vwap_ms": fast * 1e3,
        "settlement_cost_vs_float_vwap": full / fast,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    figures: dict[str, float] = {"seed": args.seed}
    figures |= bench_auction(rng, args.orders)
    figures |= bench_limits(rng, 200_000)
    figures |= bench_settlement(rng, 100_000)
    for key, value in figures.items():
        print(f"{key:>36}: {value:,.3f}" if isinstance(value, float) else f"{key:>36}: {value}")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}))


if __name__ == "__main__":
    main()
