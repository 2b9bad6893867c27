"""Two-regime Markov-switching trend, fitted by the Hamilton filter.

In regime s the daily log change is N(mu_s h, sigma_s^2 h); the regime follows a Markov chain
with daily stay probabilities p11, p22. The filter's one-step predicted regime probabilities
weight the predictive mixture. Regime 1 is the one with the lower drift (labels are sorted).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core import accel
from tokenfutures.quant.calibration.mixture import Mixture
from tokenfutures.quant.calibration.series import DailySeries
from tokenfutures.quant.calibration.spec import Model, ParamSpec

FloatArray = NDArray[np.float64]


@accel.jit
def hamilton_predicted(log_dens: FloatArray, p11: float, p22: float) -> FloatArray:
    """Predicted regime probabilities (n, 2) before each observation, from its log densities.

    A recursion, so it has no vectorised twin: without numba it runs as plain Python (ADR 0371).
    """
    n = log_dens.shape[0]
    out = np.empty((n, 2))
    pi1 = (1.0 - p22) / (2.0 - p11 - p22)  # stationary start
    pi2 = 1.0 - pi1
    for i in range(n):
        out[i, 0] = pi1
        out[i, 1] = pi2
        top = max(log_dens[i, 0], log_dens[i, 1])
        f1 = pi1 * math.exp(log_dens[i, 0] - top)
        f2 = pi2 * math.exp(log_dens[i, 1] - top)
        total = f1 + f2
        if not total > 0.0:
            f1, f2, total = 0.5, 0.5, 1.0
        post1 = f1 / total
        pi1 = post1 * p11 + (1.0 - post1) * (1.0 - p22)
        pi2 = 1.0 - pi1
    return out


class RegimeTrend(Model):
    """Markov-switching trend: two (drift, volatility) regimes with daily stay probabilities."""

    name = "regime"
    n_starts = 2  # a calm/volatile split and an even one: the likelihood has several modes
    specs = (
        ParamSpec("mu1", "real", -50.0, 50.0, "log drift in regime 1, per year"),
        ParamSpec("mu2", "real", -50.0, 50.0, "log drift in regime 2, per year"),
        ParamSpec("sigma1", "positive", 1e-8, 50.0, "volatility in regime 1, annualised"),
        ParamSpec("sigma2", "positive", 1e-8, 50.0, "volatility in regime 2, annualised"),
        ParamSpec("p11", "unit", 1e-6, 1.0 - 1e-6, "daily probability of staying in regime 1"),
        ParamSpec("p22", "unit", 1e-6, 1.0 - 1e-6, "daily probability of staying in regime 2"),
    )

    def predictive(self, params: FloatArray, series: DailySeries) -> Mixture:
        """Regime normals weighted by the filter's predicted regime probabilities."""
        means = (params[0:2] * series.step_years)[None, :] * np.ones((series.increments.size, 1))
        sds = np.sqrt(
            (params[2:4] ** 2 * series.step_years)[None, :] + series.rounding_var[:, None]
        )
        z = (series.increments[:, None] - means) / sds
        log_dens = -0.5 * z * z - np.log(sds)
        weights = hamilton_predicted(log_dens, float(params[4]), float(params[5]))
        return Mixture(weights, means, sds)

    def start_values(self, series: DailySeries) -> list[FloatArray]:
        """Drift of each half of the sample, one calm and one volatile regime."""
        y = series.increments
        half = y.size // 2
        sigma = max(float(np.std(y)) * math.sqrt(1.0 / series.step_years), 1e-3)
        m1, m2 = sorted(
            (
                float(np.mean(y[:half])) / series.step_years,
                float(np.mean(y[half:])) / series.step_years,
            )
        )
        return [
            np.array([m1, m2, sigma, sigma, 0.99, 0.99]),
            np.array([m1, m2, 0.3 * sigma, 2.0 * sigma, 0.95, 0.9]),
        ]

    def simulate(
        self, params: FloatArray, series: DailySeries, n_paths: int, rng: np.random.Generator
    ) -> FloatArray:
        """Regime chain from its stationary law, then normal increments in the regime."""
        n = series.increments.size
        p11, p22 = float(params[4]), float(params[5])
        in_two = rng.random(n_paths) >= (1.0 - p22) / (2.0 - p11 - p22)
        u = rng.random((n_paths, n))
        states = np.empty((n_paths, n), dtype=bool)
        for i in range(n):
            stay = np.where(in_two, u[:, i] < p22, u[:, i] < p11)
            in_two = np.where(stay, in_two, ~in_two)
            states[:, i] = in_two
        mu = np.where(states, params[1], params[0]) * series.step_years
        sd = np.where(states, params[3], params[2]) * math.sqrt(series.step_years)
        moves = mu + sd * rng.standard_normal((n_paths, n))
        out = np.empty((n_paths, n + 1))
        out[:, 0] = series.log_levels[0]
        out[:, 1:] = series.log_levels[0] + np.cumsum(moves, axis=1)
        return out

    def canonical(self, params: FloatArray) -> FloatArray:
        """Regime 1 is the lower-drift regime."""
        if params[0] <= params[1]:
            return params
        return np.asarray(params[[1, 0, 3, 2, 5, 4]], dtype=np.float64)

    def diagnostics(self, params: FloatArray, series: DailySeries) -> tuple[list[str], set[str]]:
        """Equal regimes make the switching probabilities unidentified."""
        close = abs(params[0] - params[1]) < 1e-3 and abs(params[2] - params[3]) < 1e-4
        if close:
            return ["the two regimes coincide: p11 and p22 are not identified"], {"p11", "p22"}
        return [], set()
