"""Calibrate hs-es's ES level on training simulations and test it on held-out ones (ADR 0434).

Training: tpi-2.0 calibrated preset (``preset("calibrated")``), 200 paths × 2 years on the SIT
tick, seeds 100-104. The chosen level is the lowest on the grid whose pooled two-day breach
rate is at least one standard error (of the mean of the seeds' rates) below 1.00 %, so that
coverage stays at or above 99 % out of sample. The first rule, "at most 1.00 %", chose 98.5 %,
which held-out seed 1 rejected for under-coverage (ADR 0434): both are tested. Test: the
same simulation with the held-out seeds 0, 1, 2, seeds 3, 4, 5 (held out again: not looked
at before the rule was revised) and the real tpi-2.0 history, Kupiec POF at 99 % two- and
one-sided.
Not a timing: the last line is JSON with every figure. Run from the repository root
(``../shared/data`` beside the checkout). About a minute on an idle core.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tokenfutures.clearing.backtest import count_breaches, hs_es_im_series, kupiec_pof
from tokenfutures.clearing.margin.live import HS_ES, HS_LOOKBACK, MPOR_DAYS
from tokenfutures.cli.clearing_cmds import index_history_prices
from tokenfutures.quant.params import preset
from tokenfutures.quant.process import simulate_log_paths, uniform_grid

TRAIN_SEEDS = (100, 101, 102, 103, 104)
TEST_SEEDS = (0, 1, 2, 3, 4, 5)
FIRST_RULE_LEVEL = 0.985  # "pooled training rate at most 1.00 %" (ADR 0434)
LEVELS = tuple(round(0.9880 - 0.0005 * i, 4) for i in range(9))  # 98.80 % down to 98.40 %
PATHS, YEARS, TICK = 200, 2.0, 1e-5
HISTORY = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "llm_price_history.csv"


def simulated(seed: int) -> np.ndarray:
    """Settlement paths of the tpi-2.0 calibrated model on the SIT tick (paths × days)."""
    grid = uniform_grid(YEARS, round(YEARS * 252))
    logs = simulate_log_paths(preset("calibrated"), grid, PATHS, np.random.default_rng(seed))
    return np.asarray(np.maximum(np.rint(np.exp(logs) / TICK), 1.0) * TICK)


def breaches(prices: np.ndarray, level: float) -> tuple[int, int]:
    """hs-es breaches of long and short lots from day ``HS_LOOKBACK`` on (full windows)."""
    long_im, short_im = hs_es_im_series(prices, HS_LOOKBACK, MPOR_DAYS, level)
    long_im[:, :HS_LOOKBACK] = np.nan
    short_im[:, :HS_LOOKBACK] = np.nan
    return count_breaches(prices, long_im, MPOR_DAYS, short_im)


def verdict(b: int, n: int) -> dict[str, object]:
    """One row: breaches, rate in %, two-sided p and both verdicts at 5 %."""
    k = kupiec_pof(b, n)
    return {
        "breaches": b,
        "observations": n,
        "rate_pct": round(100 * k.breach_rate, 4),
        "p_two_sided": float(f"{k.p_value:.3g}"),
        "rejected": k.rejected,
        "undercovered": k.undercovered,
    }


def main() -> None:
    train: dict[float, list[tuple[int, int]]] = {level: [] for level in LEVELS}
    for seed in TRAIN_SEEDS:
        prices = simulated(seed)
        for level in LEVELS:
            train[level].append(breaches(prices, level))
    pooled = {lv: (sum(b for b, _ in r), sum(n for _, n in r)) for lv, r in train.items()}
    se = {
        lv: float(np.std([b / n for b, n in r], ddof=1) / np.sqrt(len(r)))
        for lv, r in train.items()
    }
    fitting = [lv for lv, (b, n) in pooled.items() if b / n <= 0.01 - se[lv]]
    chosen = min(fitting) if fitting else max(LEVELS)
    rows = {
        f"{lv:.4f}": {**verdict(*pooled[lv]), "se_pct": round(100 * se[lv], 4)} for lv in LEVELS
    }
    for lv, (b, n) in pooled.items():
        print(f"train ES {lv:.2%}: {b}/{n} = {b / n:.3%} (s.e. of the seeds' mean {se[lv]:.3%})")
    test = {}
    for level in sorted({chosen, HS_ES.confidence, FIRST_RULE_LEVEL}):
        for seed in TEST_SEEDS:
            test[f"{level:.4f}/seed {seed}"] = verdict(*breaches(simulated(seed), level))
        real = index_history_prices(HISTORY)[None, :]
        test[f"{level:.4f}/tpi-2.0 history"] = verdict(*breaches(real, level))
    for name, row in test.items():
        print(f"test {name}: {row}")
    print(
        json.dumps(
            {
                "train_seeds": TRAIN_SEEDS,
                "chosen_level": chosen,
                "configured_level": HS_ES.confidence,
                "train": rows,
                "test": test,
            }
        )
    )


if __name__ == "__main__":
    main()
