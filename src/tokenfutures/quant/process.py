"""Exact simulation of the paper's jump-diffusion on any time grid (reference numpy implementation).

Over a step [a, b] of length h the OU transition is exact:
X_b = X_a e^{-kappa h} + I_theta(a, b) + sigma sqrt((1 - e^{-2 kappa h}) / (2 kappa)) Z + sum_k J_k e^{-kappa (b - tau_k)},
where I_theta is the exact integral kappa * int_a^b e^{-kappa(b-s)} theta_s ds and the jumps are a
compound Poisson draw inside the step (any number per step, each with its own uniform jump time).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.params import JumpDiffusionParams

FloatArray = NDArray[np.float64]


def theta_integral(params: JumpDiffusionParams, a: FloatArray, b: FloatArray) -> FloatArray:
    """Exact kappa * int_a^b e^{-kappa (b - s)} theta_s ds for each step [a, b] (vectorised)."""
    k = params.kappa
    h = b - a
    decay = np.exp(-k * h)
    # Physical measure; for Q use ``params.risk_neutral()`` (theta0 shifted by the risk premium).
    const = params.theta0 * (1.0 - decay)
    trend = params.beta * (b - a * decay - (1.0 - decay) / k)
    w = 2.0 * math.pi / params.season_period
    season = (
        k
        * params.season_amplitude
        / (k * k + w * w)
        * (
            (k * np.sin(w * b) - w * np.cos(w * b))
            - decay * (k * np.sin(w * a) - w * np.cos(w * a))
        )
    )
    return np.asarray(const + trend + season, dtype=np.float64)


def validate_grid(times: FloatArray) -> FloatArray:
    """A time grid starting at 0 and strictly increasing; raises ``ValueError`` otherwise."""
    grid = np.asarray(times, dtype=np.float64)
    if grid.ndim != 1 or grid.size < 2:
        raise InvalidParameterError("times", grid.shape, "a 1-D grid with at least two points")
    if grid[0] != 0.0 or not np.all(np.diff(grid) > 0) or not np.all(np.isfinite(grid)):
        raise InvalidParameterError("times", "grid", "finite, strictly increasing and start at 0")
    return grid


def uniform_grid(years: float, steps: int) -> FloatArray:
    """``steps + 1`` equally spaced times from 0 to ``years``."""
    if not (years > 0 and math.isfinite(years)):
        raise InvalidParameterError("years", years, "> 0")
    if steps <= 0:
        raise InvalidParameterError("steps", steps, "> 0")
    return np.linspace(0.0, years, steps + 1)


def step_coefficients(
    params: JumpDiffusionParams, times: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-step (decay e^{-kappa h}, exact theta integral, diffusion sd) of the exact OU transition."""
    grid = validate_grid(times)
    a, b = grid[:-1], grid[1:]
    h = b - a
    decay = np.exp(-params.kappa * h)
    drift = theta_integral(params, a, b)
    diff_sd = params.sigma * np.sqrt(-np.expm1(-2.0 * params.kappa * h) / (2.0 * params.kappa))
    return decay, drift, diff_sd


def simulate_log_paths(
    params: JumpDiffusionParams,
    times: FloatArray,
    n_paths: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Simulate X = ln P exactly on ``times``; returns an array of shape (n_paths, len(times)).

    Parameters
    ----------
    params : JumpDiffusionParams
        Model parameters (X_0 included).
    times : array of float
        Time grid in years, starting at 0 and strictly increasing.
    n_paths : int
        Number of paths (> 0).
    rng : numpy.random.Generator
        Source of randomness; the caller owns the seed.

    Paths are under the physical measure P; pass ``params.risk_neutral()`` for Q.
    """
    if n_paths <= 0:
        raise InvalidParameterError("paths", n_paths, "> 0")
    grid = validate_grid(times)
    h = np.diff(grid)
    decay, drift, diff_sd = step_coefficients(params, grid)
    out = np.empty((n_paths, grid.size), dtype=np.float64)
    out[:, 0] = params.x0
    x = np.full(n_paths, params.x0)
    for i in range(h.size):
        x = x * decay[i] + drift[i] + diff_sd[i] * rng.standard_normal(n_paths)
        if params.jump_intensity > 0.0:
            x += _jump_sum(params, float(h[i]), n_paths, rng)
        out[:, i + 1] = x
    return out


def _jump_sum(
    params: JumpDiffusionParams, h: float, n_paths: int, rng: np.random.Generator
) -> FloatArray:
    """Sum over the step's jumps of J_k e^{-kappa (h - u_k)}, u_k uniform in the step."""
    counts = rng.poisson(params.jump_intensity * h, n_paths)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(n_paths)
    owners = np.repeat(np.arange(n_paths), counts)
    sizes = params.jump_mean + params.jump_std * rng.standard_normal(total)
    ages = h * rng.random(total)
    weighted = np.bincount(owners, weights=sizes * np.exp(-params.kappa * ages), minlength=n_paths)
    return np.asarray(weighted, dtype=np.float64)
