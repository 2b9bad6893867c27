"""Model specifications: named parameters with domains, a one-step predictive law, a simulator.

A model is a spec (no data, no state). ``fit(data)`` returns an immutable result; see
``estimation.py``. Parameters are optimised in a free space (log for positive parameters,
logit for probabilities) inside wide box bounds; estimates are reported in natural units.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from tokenfutures.quant.calibration.mixture import Mixture
from tokenfutures.quant.calibration.series import DailySeries

if TYPE_CHECKING:
    from tokenfutures.quant.calibration.result import FitResult

FloatArray = NDArray[np.float64]
Kind = Literal["real", "positive", "unit"]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One parameter: name, domain kind, bounds in natural units, and what it means."""

    name: str
    kind: Kind
    lower: float
    upper: float
    description: str

    def to_free(self, value: float) -> float:
        """Natural value -> optimiser coordinate."""
        v = min(max(value, self.lower), self.upper)
        if self.kind == "positive":
            return float(np.log(v))
        if self.kind == "unit":
            return float(np.log(v) - np.log1p(-v))
        return float(v)

    def from_free(self, u: float) -> float:
        """Optimiser coordinate -> natural value."""
        if self.kind == "positive":
            return float(np.exp(u))
        if self.kind == "unit":
            return float(1.0 / (1.0 + np.exp(-u)))
        return float(u)

    def jacobian(self, value: float) -> float:
        """d(natural)/d(free) at a natural value (for the delta method)."""
        if self.kind == "positive":
            return value
        if self.kind == "unit":
            return value * (1.0 - value)
        return 1.0

    def free_bounds(self) -> tuple[float, float]:
        """Bounds of the optimiser coordinate."""
        return self.to_free(self.lower), self.to_free(self.upper)


class Model(ABC):
    """A price model that can be fitted by maximum likelihood to a daily series."""

    name: str = "model"
    specs: tuple[ParamSpec, ...] = ()
    #: How many of the starting points (best by likelihood) the optimiser runs from.
    n_starts: int = 1

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names, in order."""
        return tuple(s.name for s in self.specs)

    @abstractmethod
    def predictive(self, params: FloatArray, series: DailySeries) -> Mixture:
        """One-step-ahead predictive law of each increment given the past (natural params)."""

    @abstractmethod
    def start_values(self, series: DailySeries) -> list[FloatArray]:
        """Starting points for the optimiser (natural units), from simple moments of the data."""

    @abstractmethod
    def simulate(
        self, params: FloatArray, series: DailySeries, n_paths: int, rng: np.random.Generator
    ) -> FloatArray:
        """Simulated log levels on the series' grid from its first level; shape (n_paths, n)."""

    def loglikelihood(self, params: FloatArray, series: DailySeries) -> float:
        """Log-likelihood of the increments given the first level."""
        return float(np.sum(self.predictive(params, series).logpdf(series.increments)))

    def gradient(self, params: FloatArray, series: DailySeries) -> tuple[float, FloatArray] | None:
        """Log-likelihood and its gradient in natural units, or None (numerical gradient)."""
        return None

    def canonical(self, params: FloatArray) -> FloatArray:
        """The same point with labels in canonical order (identity unless labels can switch)."""
        return params

    def diagnostics(self, params: FloatArray, series: DailySeries) -> tuple[list[str], set[str]]:
        """Model-specific identification notes and the parameters they leave unidentified."""
        return [], set()

    def fit(self, data: Any, levels: Any = None, **options: Any) -> FitResult:
        """Fit by maximum likelihood; ``data`` as for :func:`daily_series` (see ``fit_model``)."""
        from tokenfutures.quant.calibration.estimation import fit_model

        return fit_model(self, data, levels, **options)
