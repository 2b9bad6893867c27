"""Two benchmark models: trend GBM and the pure-jump step model of sticky list prices.

``TrendGBM``: dX = (mu - sigma^2/2) dt + sigma dW (the paper's GBM alternative, drift free).
``StepJump``: X moves only by Poisson jumps (a list price is constant between repricings),
jump sizes N(mu_J, sigma_J^2) of either sign; a day without a jump has only rounding noise.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from tokenfutures.quant.calibration.mixture import Mixture
from tokenfutures.quant.calibration.mrjd import jump_moments, poisson_mixture
from tokenfutures.quant.calibration.series import DailySeries
from tokenfutures.quant.calibration.spec import Model, ParamSpec
from tokenfutures.quant.models import GBMParams, simulate_gbm_log_paths

FloatArray = NDArray[np.float64]


class TrendGBM(Model):
    """Geometric Brownian motion with drift mu and volatility sigma (annualised)."""

    name = "gbm"
    specs = (
        ParamSpec("mu", "real", -50.0, 50.0, "price drift, per year (E[P_T] = P_0 e^{mu T})"),
        ParamSpec("sigma", "positive", 1e-6, 50.0, "volatility, annualised"),
    )

    def predictive(self, params: FloatArray, series: DailySeries) -> Mixture:
        """One normal per increment: mean (mu - sigma^2/2) h, variance sigma^2 h + rounding."""
        mu, sigma = float(params[0]), float(params[1])
        n = series.increments.size
        mean = np.full((n, 1), (mu - 0.5 * sigma * sigma) * series.step_years)
        sd = np.sqrt(sigma * sigma * series.step_years + series.rounding_var)[:, None]
        return Mixture(np.ones((n, 1)), mean, sd)

    def gradient(self, params: FloatArray, series: DailySeries) -> tuple[float, FloatArray]:
        """Analytic scores of the normal increments."""
        sigma, h = float(params[1]), series.step_years
        ll, g_mean, g_var, _ = self.predictive(params, series).scores(series.increments)
        sm, sv = float(g_mean.sum()), float(g_var.sum())
        return ll, np.array([sm * h, -sm * sigma * h + sv * 2.0 * sigma * h])

    def start_values(self, series: DailySeries) -> list[FloatArray]:
        """Sample moments of the increments."""
        y = series.increments
        sigma = max(float(np.std(y)) * math.sqrt(1.0 / series.step_years), 1e-4)
        return [np.array([float(np.mean(y)) / series.step_years + 0.5 * sigma * sigma, sigma])]

    def simulate(
        self, params: FloatArray, series: DailySeries, n_paths: int, rng: np.random.Generator
    ) -> FloatArray:
        """Exact GBM paths by ``quant.models``."""
        gbm = GBMParams(mu=float(params[0]), sigma=float(params[1]), x0=float(series.log_levels[0]))
        return simulate_gbm_log_paths(gbm, series.times, n_paths, rng)


class StepJump(Model):
    """Pure-jump step model: Poisson(lambda) repricings with N(mu_J, sigma_J^2) log jumps."""

    name = "step"
    specs = (
        ParamSpec("jump_intensity", "positive", 1e-3, 365.0, "repricings per year, lambda"),
        ParamSpec("jump_mean", "real", -3.0, 3.0, "mean log jump mu_J"),
        ParamSpec("jump_std", "positive", 1e-4, 5.0, "sd of the log jump sigma_J"),
    )

    def predictive(self, params: FloatArray, series: DailySeries) -> Mixture:
        """Mixture over the day's jump count; no jump leaves only the rounding noise."""
        lam, mu_j, sd_j = float(params[0]), float(params[1]), float(params[2])
        base = np.zeros(series.increments.size)
        return poisson_mixture(
            base, series.rounding_var, lam * series.step_years, mu_j, sd_j * sd_j
        )

    def gradient(self, params: FloatArray, series: DailySeries) -> tuple[float, FloatArray]:
        """Analytic scores: Poisson weights, jump means and variances per jump count."""
        lam, sd_j, h = float(params[0]), float(params[2]), series.step_years
        ll, g_mean, g_var, resp = self.predictive(params, series).scores(series.increments)
        counts = np.arange(g_mean.shape[1], dtype=np.float64)
        km, kv = float(np.sum(g_mean @ counts)), float(np.sum(g_var @ counts))
        d_lam = float(np.sum(resp @ counts)) / lam - h * resp.shape[0]
        return ll, np.array([d_lam, km, kv * 2.0 * sd_j])

    def start_values(self, series: DailySeries) -> list[FloatArray]:
        """Moments of the moves larger than the robust noise level."""
        _, lam, mu_j, sd_j = jump_moments(series.increments, series.span_years, series.step_years)
        return [np.array([lam, mu_j, sd_j])]

    def simulate(
        self, params: FloatArray, series: DailySeries, n_paths: int, rng: np.random.Generator
    ) -> FloatArray:
        """Compound Poisson paths: a day's move is the sum of its N(mu_J, sigma_J^2) jumps."""
        lam, mu_j, sd_j = float(params[0]), float(params[1]), float(params[2])
        n = series.increments.size
        counts = rng.poisson(lam * series.step_years, (n_paths, n))
        moves = counts * mu_j + np.sqrt(counts) * sd_j * rng.standard_normal((n_paths, n))
        out = np.empty((n_paths, n + 1))
        out[:, 0] = series.log_levels[0]
        out[:, 1:] = series.log_levels[0] + np.cumsum(moves, axis=1)
        return out
