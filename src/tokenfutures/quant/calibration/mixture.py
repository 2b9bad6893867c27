"""Gaussian mixtures, one per observation: every model's one-step predictive law.

Each model gives, for each daily increment, weights, means and standard deviations of a normal
mixture (jump counts, regimes). Log density, CDF (for the PIT) and CRPS (closed form of Grimit
et al. 2006) are computed here once, vectorised over observations and components.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]
_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclass(frozen=True, slots=True)
class Mixture:
    """Per-observation normal mixtures: arrays of shape (n_obs, n_components)."""

    weights: FloatArray
    means: FloatArray
    sds: FloatArray

    def logpdf(self, y: FloatArray) -> FloatArray:
        """Log density of each observation ``y[i]`` under its mixture ``i``."""
        z = (y[:, None] - self.means) / self.sds
        with np.errstate(divide="ignore"):
            terms = np.log(self.weights) - 0.5 * z * z - np.log(self.sds)
        top = terms.max(axis=1)
        total = np.exp(terms - top[:, None]).sum(axis=1)
        return np.asarray(top + np.log(total) - _LOG_SQRT_2PI, dtype=np.float64)

    def scores(self, y: FloatArray) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        """Log-likelihood and its derivatives: d/d(mean), d/d(variance), responsibilities.

        Each array is (n_obs, n_components); a weight w_k's score is the responsibility
        times d ln w_k. The analytic gradient of every mixture model is built from these.
        """
        z = (y[:, None] - self.means) / self.sds
        with np.errstate(divide="ignore"):
            terms = np.log(self.weights) - 0.5 * z * z - np.log(self.sds)
        top = terms.max(axis=1)
        e = np.exp(terms - top[:, None])
        total = e.sum(axis=1)
        ll = float(np.sum(top + np.log(total)) - y.size * _LOG_SQRT_2PI)
        resp = e / total[:, None]
        d_mean = resp * z / self.sds
        d_var = resp * (z * z - 1.0) / (2.0 * self.sds * self.sds)
        return ll, d_mean, d_var, resp

    def cdf(self, y: FloatArray) -> FloatArray:
        """Predictive CDF at each observation (the probability integral transform)."""
        z = (y[:, None] - self.means) / self.sds
        return np.asarray(np.sum(self.weights * special.ndtr(z), axis=1), dtype=np.float64)

    def crps(self, y: FloatArray) -> FloatArray:
        """Continuous ranked probability score of each observation (lower is better)."""
        first = np.sum(self.weights * _a(y[:, None] - self.means, self.sds), axis=1)
        mean_diff = self.means[:, :, None] - self.means[:, None, :]
        pair_sd = np.sqrt(self.sds[:, :, None] ** 2 + self.sds[:, None, :] ** 2)
        pair_w = self.weights[:, :, None] * self.weights[:, None, :]
        second = np.sum(pair_w * _a(mean_diff, pair_sd), axis=(1, 2))
        return np.asarray(first - 0.5 * second, dtype=np.float64)


def _a(mu: FloatArray, sd: FloatArray) -> FloatArray:
    """E|N(mu, sd^2)| = 2 sd phi(mu/sd) + mu (2 Phi(mu/sd) - 1)."""
    z = mu / sd
    pdf = np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
    return np.asarray(2.0 * sd * pdf + mu * (2.0 * special.ndtr(z) - 1.0), dtype=np.float64)
