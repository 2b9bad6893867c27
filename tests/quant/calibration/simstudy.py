"""Shared design of the coverage studies: simulate from known parameters, fit, count hits."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from tokenfutures.quant.calibration import DailySeries, Model, daily_series, fit_model

FloatArray = NDArray[np.float64]


def grid_series(n: int, level: float = 1.0) -> DailySeries:
    """A flat daily series of ``n`` levels: only its grid and first level are used."""
    start = date(2025, 1, 1)
    return daily_series([start + timedelta(days=i) for i in range(n)], np.full(n, level))


def coverage(
    model: Model, truth: FloatArray, n_obs: int, reps: int, seed: int, **fit_options: object
) -> tuple[FloatArray, FloatArray]:
    """Share of nominal 95 % Wald intervals that hold the truth, per parameter; and mean estimate."""
    grid = grid_series(n_obs)
    rng = np.random.default_rng(seed)
    paths = model.simulate(truth, grid, reps, rng)
    hits = np.zeros(truth.size)
    means = np.zeros(truth.size)
    for r in range(reps):
        sim = DailySeries(grid.dates, np.exp(paths[r]), grid.resolution, "sim")
        start = dict(zip(model.param_names, truth, strict=True))
        fit = fit_model(model, sim, start=start, multistart=False, **fit_options)  # type: ignore[arg-type]
        lo, hi = fit.conf_int(0.95).T
        hits += (lo <= truth) & (truth <= hi)
        means += fit.estimates
    return hits / reps, means / reps


def simulated(
    model: Model, truth: list[float], n_obs: int, seed: int, resolution: float = 1e-6
) -> DailySeries:
    """One series of ``n_obs`` daily levels simulated from ``model`` at ``truth``."""
    grid = grid_series(n_obs)
    path = model.simulate(np.array(truth), grid, 1, np.random.default_rng(seed))[0]
    return DailySeries(grid.dates, np.exp(path), resolution, "sim")
