"""Speed of calibration: the MRJD MLE with standard errors, and the full model selection.

Figures (issue 12): MRJD MLE on about 600 daily observations with standard errors <= 1 s;
full selection (4 models with standard errors, LR tests, 10-origin rolling forecasts)
<= 60 s on the 2-core machine. Data: the real daily TPI history (tpi levels from
``../shared/data/llm_price_history.csv`` through the CLI's code path) and a simulated
mean-reverting series of the same length. Each time is also given as a ratio to a plain
numpy pass over the same data (log increments + a normal log-likelihood), timed in this
process, because the shared machine is noisy. Last line: a JSON object.
Run: ``.venv/bin/python benchmarks/bench_quant_calibration.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tokenfutures.quant.calibration import MRJD, DailySeries, daily_series
from tokenfutures.quant.calibration.compare import compare_models

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "llm_price_history.csv"
N_OBS, REPEATS, PASSES = 603, 5, 1000


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def tpi() -> DailySeries | None:
    """The real TPI history (tpi-1.0), or None without the shared data."""
    if not DATA.is_file():
        return None
    from tokenfutures.cli.calibrate_cmds import tpi_series

    return tpi_series(DATA, None, date(2026, 11, 9), "ratio", 1e-6, "tpi-1.0")


def simulated() -> DailySeries:
    """A mean-reverting jump-diffusion with reversion and jumps the data can see."""
    start = date(2025, 3, 17)
    grid = daily_series([start + timedelta(days=i) for i in range(N_OBS)], np.ones(N_OBS))
    truth = np.array([15.0, 0.0, -0.5, 0.05, 0.3, 30.0, -0.05, 0.1])
    path = MRJD().simulate(truth, grid, 1, np.random.default_rng(12))[0]
    return DailySeries(grid.dates, np.exp(path), 1e-6, "simulated")


def numpy_pass(series: DailySeries) -> float:
    """Seconds for one plain numpy pass: log increments and a normal log-likelihood."""
    levels = np.asarray(series.levels)

    def run() -> None:
        for _ in range(PASSES):
            y = np.diff(np.log(levels))
            m, s = y.mean(), y.std()
            float(np.sum(-0.5 * ((y - m) / s) ** 2 - np.log(s)))

    return _seconds(run) / PASSES


def main() -> None:
    sets = {"simulated": simulated()}
    real = tpi()
    if real is not None:
        sets["tpi"] = real
    figures: dict[str, object] = {"load_avg_1m": os.getloadavg()[0], "obs": N_OBS}
    MRJD().fit(sets["simulated"])  # warm caches (numba filter, imports)
    for name, series in sets.items():
        fits, passes = [], []
        for _ in range(REPEATS):  # interleaved, so load changes hit both alike
            passes.append(numpy_pass(series))
            fits.append(_seconds(lambda s=series: MRJD().fit(s)))
        fit_s, pass_s = statistics.median(fits), statistics.median(passes)
        figures[f"mrjd_fit_with_se_s_{name}"] = fit_s
        figures[f"mrjd_fit_ratio_vs_numpy_pass_{name}"] = fit_s / pass_s
        print(f"{name:10s} MRJD fit with SEs {fit_s:7.3f} s (median of {REPEATS})")
    series = sets.get("tpi", sets["simulated"])
    pass_before = numpy_pass(series)
    select_s = _seconds(lambda: compare_models(series, n_origins=10))
    pass_s = statistics.median([pass_before, numpy_pass(series)])
    figures["selection_s"] = select_s
    figures["selection_ratio_vs_numpy_pass"] = select_s / pass_s
    figures["selection_data"] = "tpi" if "tpi" in sets else "simulated"
    figures["numpy_pass_us"] = 1e6 * pass_s
    print(f"full selection (4 models, SEs, LR tests, 10 origins) {select_s:7.2f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
