"""Alternative price models for model comparison: geometric Brownian motion with drift.

The mean-reverting model without jumps is ``JumpDiffusionParams.without_jumps()``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.process import validate_grid

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class GBMParams:
    """Geometric Brownian motion dP/P = mu dt + sigma dW, i.e. dX = (mu - sigma^2/2) dt + sigma dW.

    Parameters
    ----------
    mu : float
        Drift of the price, per year (E[P_T] = P_0 e^{mu T}).
    sigma : float
        Volatility (>= 0), annualised.
    x0 : float
        Initial log price X_0.
    """

    mu: float
    sigma: float
    x0: float

    def __post_init__(self) -> None:
        for name in ("mu", "sigma", "x0"):
            value = getattr(self, name)
            if not math.isfinite(value):
                raise InvalidParameterError(name, value, "a finite number")
        if self.sigma < 0:
            raise InvalidParameterError("sigma", self.sigma, ">= 0")

    @property
    def log_drift(self) -> float:
        """Drift of X = ln P: mu - sigma^2 / 2."""
        return self.mu - 0.5 * self.sigma * self.sigma

    def to_dict(self) -> dict[str, float]:
        """Plain dict, for results files."""
        return asdict(self)


def gbm_step_coefficients(
    params: GBMParams, times: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-step (decay, drift, diffusion sd) of the exact GBM transition on ``times``."""
    grid = validate_grid(times)
    h = np.diff(grid)
    return np.ones_like(h), params.log_drift * h, params.sigma * np.sqrt(h)


def simulate_gbm_log_paths(
    params: GBMParams, times: FloatArray, n_paths: int, rng: np.random.Generator
) -> FloatArray:
    """Simulate X = ln P of a GBM exactly on ``times``; shape (n_paths, len(times)).

    Parameters
    ----------
    params : GBMParams
        Model parameters.
    times : array of float
        Time grid in years, starting at 0 and strictly increasing.
    n_paths : int
        Number of paths (> 0).
    rng : numpy.random.Generator
        Source of randomness; the caller owns the seed.
    """
    if n_paths <= 0:
        raise InvalidParameterError("paths", n_paths, "> 0")
    _, drift, sd = gbm_step_coefficients(params, times)
    increments = drift + sd * rng.standard_normal((n_paths, drift.size))
    out = np.empty((n_paths, drift.size + 1), dtype=np.float64)
    out[:, 0] = params.x0
    np.cumsum(increments, axis=1, out=out[:, 1:])
    out[:, 1:] += params.x0
    return out
