"""End-of-day margin for 100,000 accounts × 10 contracts: SPAN scan + 500-scenario FHS VaR/ES.

Prints the time and its ratio to one numpy matmul of the same shape (100,000×10 @ 10×500)
measured in the same run (timings on a shared machine are noisy: read the ratio). The last
line is JSON.
"""

from __future__ import annotations

import json
import time
import timeit

import numpy as np

from tokenfutures.clearing.margin import HistoricalVarMargin, span_from_volatility

ACCOUNTS, CONTRACTS, SCENARIOS, STRESS = 100_000, 10, 500, 250
REPEATS = 5


def main() -> None:
    rng = np.random.default_rng(20261123)
    contracts = tuple(f"SIT-{i:02d}" for i in range(CONTRACTS))
    prices = 2.0 * np.exp(-0.03 * np.arange(CONTRACTS))
    sigma = np.linspace(0.45, 0.30, CONTRACTS)
    positions = rng.integers(-50, 51, size=(ACCOUNTS, CONTRACTS)).astype(np.float64)
    scen = rng.standard_t(4, size=(CONTRACTS, SCENARIOS)) * 0.035
    stress = rng.standard_t(3, size=(CONTRACTS, STRESS)) * 0.06
    span = span_from_volatility(contracts, prices, sigma)
    var = HistoricalVarMargin(contracts, prices, scen, stress)

    t0 = time.perf_counter()
    var.requirements(positions[:10])  # JIT compile (or load the cache)
    compile_s = time.perf_counter() - t0

    def end_of_day() -> None:
        span.requirements(positions)
        var.requirements(positions)

    moves = prices[:, None] * np.expm1(scen)
    matmul_s = min(timeit.repeat(lambda: positions @ moves, number=1, repeat=REPEATS))
    eod_s = min(timeit.repeat(end_of_day, number=1, repeat=REPEATS))
    span_s = min(timeit.repeat(lambda: span.requirements(positions), number=1, repeat=REPEATS))
    var_s = min(timeit.repeat(lambda: var.requirements(positions), number=1, repeat=REPEATS))
    result = var.requirements(positions[:1000])
    t0 = time.perf_counter()
    for i in range(1000):
        result.requirement(i)
    money_per_account_us = (time.perf_counter() - t0) / 1000 * 1e6

    print(
        f"accounts × contracts: {ACCOUNTS} × {CONTRACTS}; VaR scenarios {SCENARIOS} + stress {STRESS}"
    )
    print(f"numba compile/cache load: {compile_s:.2f} s (once per process)")
    print(f"end-of-day SPAN + FHS VaR/ES: {eod_s * 1e3:.1f} ms (goal <= 500 ms)")
    print(f"  SPAN {span_s * 1e3:.1f} ms, VaR/ES {var_s * 1e3:.1f} ms")
    print(
        f"baseline one matmul {ACCOUNTS}x{CONTRACTS} @ {CONTRACTS}x{SCENARIOS}: {matmul_s * 1e3:.1f} ms"
    )
    print(f"ratio end-of-day / matmul: {eod_s / matmul_s:.2f}")
    print(f"money crossing (Decimal, rounded up) per account: {money_per_account_us:.1f} us")
    print(
        json.dumps(
            {
                "benchmark": "clearing_margin",
                "accounts": ACCOUNTS,
                "contracts": CONTRACTS,
                "var_scenarios": SCENARIOS,
                "stress_scenarios": STRESS,
                "end_of_day_s": round(eod_s, 4),
                "span_s": round(span_s, 4),
                "var_s": round(var_s, 4),
                "matmul_baseline_s": round(matmul_s, 4),
                "ratio_to_matmul": round(eod_s / matmul_s, 3),
                "goal_s": 0.5,
                "meets_goal": eod_s <= 0.5,
                "compile_s": round(compile_s, 2),
                "money_crossing_us_per_account": round(money_per_account_us, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
