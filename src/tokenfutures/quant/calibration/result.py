"""The immutable result of a fit: estimates, standard errors, likelihood, criteria, diagnostics."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class FitResult:
    """Maximum-likelihood fit of one model to one daily series.

    Standard errors come from the observed information (numerical Hessian of the
    log-likelihood at the optimum, delta method to natural units); ``bootstrap_std_errors``
    from a parametric bootstrap when one was asked for. NaN marks a standard error that
    the data cannot give (parameter at a bound, not identified, or fixed).
    """

    model: str
    param_names: tuple[str, ...]
    estimates: FloatArray
    std_errors: FloatArray
    loglik: float
    nobs: int
    n_free: int
    converged: bool
    message: str
    fixed: tuple[str, ...]
    unidentified: tuple[str, ...]
    notes: tuple[str, ...]
    series_name: str
    start: date
    end: date
    x0: float
    step_days: int = 1
    bootstrap_std_errors: FloatArray | None = None
    bootstrap_replications: int = 0

    def __post_init__(self) -> None:
        for array in (self.estimates, self.std_errors, self.bootstrap_std_errors):
            if array is not None:
                array.setflags(write=False)

    @property
    def params(self) -> dict[str, float]:
        """Estimates by name."""
        return {n: float(v) for n, v in zip(self.param_names, self.estimates, strict=True)}

    @property
    def aic(self) -> float:
        """Akaike information criterion, -2 logL + 2k."""
        return -2.0 * self.loglik + 2.0 * self.n_free

    @property
    def bic(self) -> float:
        """Bayesian information criterion, -2 logL + k ln n."""
        return -2.0 * self.loglik + self.n_free * math.log(self.nobs)

    def std_error(self, name: str) -> float:
        """The observed-information standard error of one parameter."""
        return float(self.std_errors[self.param_names.index(name)])

    def conf_int(self, level: float = 0.95) -> FloatArray:
        """Wald intervals (n_params, 2) from the observed-information standard errors."""
        z = float(stats.norm.ppf(0.5 + level / 2.0))
        half = z * self.std_errors
        return np.column_stack([self.estimates - half, self.estimates + half])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (NaN standard errors become None)."""
        boot = self.bootstrap_std_errors
        return {
            "model": self.model,
            "series": self.series_name,
            "window": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "nobs": self.nobs,
            "step_days": self.step_days,
            "x0": self.x0,
            "estimates": self.params,
            "std_errors": _named(self.param_names, self.std_errors),
            "bootstrap_std_errors": None if boot is None else _named(self.param_names, boot),
            "bootstrap_replications": self.bootstrap_replications,
            "loglik": self.loglik,
            "aic": self.aic,
            "bic": self.bic,
            "n_free": self.n_free,
            "converged": self.converged,
            "message": self.message,
            "fixed": list(self.fixed),
            "unidentified": list(self.unidentified),
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """A text table in the style of arch/statsmodels results."""
        head = [
            f"{self.model} fit to {self.series_name}: {self.start} .. {self.end} "
            f"({self.nobs} increments of {self.step_days} day(s))",
            f"log-likelihood {self.loglik:,.2f}   AIC {self.aic:,.2f}   BIC {self.bic:,.2f}   "
            f"converged: {'yes' if self.converged else 'NO (' + self.message + ')'}",
            "",
            f"{'parameter':<18}{'estimate':>12}{'std err':>12}{'boot se':>12}  note",
        ]
        boot = self.bootstrap_std_errors
        rows = []
        for i, name in enumerate(self.param_names):
            note = (
                "fixed"
                if name in self.fixed
                else ("not identified" if name in self.unidentified else "")
            )
            b = "" if boot is None else _fmt(float(boot[i]))
            rows.append(
                f"{name:<18}{self.estimates[i]:>12.5g}{_fmt(float(self.std_errors[i])):>12}"
                f"{b:>12}  {note}"
            )
        tail = [f"note: {n}" for n in self.notes]
        return "\n".join(head + rows + tail)


def _fmt(value: float) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:.4g}"


def _named(names: tuple[str, ...], values: FloatArray) -> dict[str, float | None]:
    return {n: (float(v) if math.isfinite(v) else None) for n, v in zip(names, values, strict=True)}
