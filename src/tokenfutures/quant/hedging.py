"""Minimum-variance hedge ratio (paper eq. 8) and hedge effectiveness (eq. 10).

A buyer who pays S and holds h futures that pay F per unit has the hedged cost S - h F.
Var(S - h F) = sigma_S^2 - 2 h rho sigma_S sigma_F + h^2 sigma_F^2 is smallest at
h* = rho sigma_S / sigma_F, where the variance reduction E = 1 - Var(hedged)/Var(unhedged) = rho^2.
Effectiveness is reported both as variance reduction and as standard-deviation reduction
1 - sd(hedged)/sd(unhedged) = 1 - sqrt(1 - E), because the paper mixes the two (§8.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tokenfutures.core.errors import InvalidParameterError

FloatArray = NDArray[np.float64]


def _samples(name: str, values: ArrayLike) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size < 2 or not np.all(np.isfinite(array)):
        raise InvalidParameterError(name, array.shape, "a 1-D array of >= 2 finite samples")
    return array


def _paired(spot: ArrayLike, futures: ArrayLike) -> tuple[FloatArray, FloatArray]:
    s, f = _samples("spot", spot), _samples("futures", futures)
    if s.size != f.size:
        raise InvalidParameterError("futures", f.size, f"the same length as spot ({s.size})")
    if float(np.var(f)) == 0.0:
        raise InvalidParameterError("futures", "constant samples", "samples with variance > 0")
    return s, f


def hedge_ratio_from_moments(rho: float, sigma_spot: float, sigma_futures: float) -> float:
    """h* = rho sigma_S / sigma_F (eq. 8) from a correlation and two standard deviations."""
    if not (math.isfinite(rho) and -1.0 <= rho <= 1.0):
        raise InvalidParameterError("rho", rho, "in [-1, 1]")
    if not (math.isfinite(sigma_spot) and sigma_spot >= 0):
        raise InvalidParameterError("sigma_spot", sigma_spot, ">= 0")
    if not (math.isfinite(sigma_futures) and sigma_futures > 0):
        raise InvalidParameterError("sigma_futures", sigma_futures, "> 0")
    return rho * sigma_spot / sigma_futures


def effectiveness_from_correlation(rho: float) -> float:
    """Variance reduction rho^2 achieved at the minimum-variance ratio (eq. 10)."""
    if not (math.isfinite(rho) and -1.0 <= rho <= 1.0):
        raise InvalidParameterError("rho", rho, "in [-1, 1]")
    return rho * rho


def std_reduction_from_variance_reduction(variance_reduction: float) -> float:
    """1 - sqrt(1 - E): the standard-deviation cut that a variance cut E amounts to."""
    if not (math.isfinite(variance_reduction) and variance_reduction <= 1.0):
        raise InvalidParameterError("variance_reduction", variance_reduction, "<= 1")
    return 1.0 - math.sqrt(max(0.0, 1.0 - variance_reduction))


def hedge_ratio(spot: ArrayLike, futures: ArrayLike) -> float:
    """Sample minimum-variance ratio Cov(S, F) / Var(F), i.e. eq. 8 with sample moments."""
    s, f = _paired(spot, futures)
    return float(np.cov(s, f, ddof=1)[0, 1] / np.var(f, ddof=1))


@dataclass(frozen=True, slots=True)
class HedgeEffectiveness:
    """Variance and standard deviation of a cost before and after hedging with ratio ``ratio``."""

    ratio: float
    sd_unhedged: float
    sd_hedged: float

    @property
    def variance_reduction(self) -> float:
        """E = 1 - Var(hedged) / Var(unhedged) (eq. 10)."""
        return 1.0 - (self.sd_hedged / self.sd_unhedged) ** 2

    @property
    def std_reduction(self) -> float:
        """1 - sd(hedged) / sd(unhedged): the measure of the paper's "62-78 %"."""
        return 1.0 - self.sd_hedged / self.sd_unhedged

    def to_dict(self) -> dict[str, float]:
        """Plain dict, for results files."""
        return {
            "ratio": self.ratio,
            "sd_unhedged": self.sd_unhedged,
            "sd_hedged": self.sd_hedged,
            "variance_reduction": self.variance_reduction,
            "std_reduction": self.std_reduction,
        }


def hedge_effectiveness(spot: ArrayLike, futures: ArrayLike, ratio: float) -> HedgeEffectiveness:
    """Effectiveness of holding ``ratio`` futures (payoff samples ``futures``) against cost ``spot``."""
    s, f = _paired(spot, futures)
    if not math.isfinite(ratio):
        raise InvalidParameterError("ratio", ratio, "a finite number")
    sd_unhedged = float(np.std(s, ddof=1))
    if sd_unhedged == 0.0:
        raise InvalidParameterError("spot", "constant samples", "samples with variance > 0")
    return HedgeEffectiveness(ratio, sd_unhedged, float(np.std(s - ratio * f, ddof=1)))


def optimal_hedge(spot: ArrayLike, futures: ArrayLike) -> HedgeEffectiveness:
    """Effectiveness at the sample minimum-variance ratio h*."""
    return hedge_effectiveness(spot, futures, hedge_ratio(spot, futures))
