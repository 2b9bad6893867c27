"""The full calibration study of one series: every model, tests, criteria, forecasts, Table 3.

``compare_models`` fits the four models with standard errors, tests the restrictions that
matter for the paper (its Table 3 as a whole, kappa = 2.5, no seasonality, the step model as
the MRJD's no-diffusion, no-reversion corner, GBM inside the regime model), ranks the models
by AIC/BIC and by rolling-origin forecasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from tokenfutures.quant.calibration.estimation import fit_model
from tokenfutures.quant.calibration.mrjd import MRJD
from tokenfutures.quant.calibration.regime import RegimeTrend
from tokenfutures.quant.calibration.result import FitResult
from tokenfutures.quant.calibration.selection import (
    ForecastScores,
    LRTest,
    Progress,
    break_test,
    information_table,
    lr_test,
    rolling_forecasts,
)
from tokenfutures.quant.calibration.series import DailySeries
from tokenfutures.quant.calibration.simple import StepJump, TrendGBM
from tokenfutures.quant.calibration.spec import Model
from tokenfutures.quant.params import PAPER_TABLE3

#: The paper's Table 3 dynamics (assumptions, not estimates); theta0 is left free.
TABLE3_DYNAMICS = {
    "kappa": PAPER_TABLE3.kappa,
    "beta": PAPER_TABLE3.beta,
    "season_amplitude": PAPER_TABLE3.season_amplitude,
    "sigma": PAPER_TABLE3.sigma,
    "jump_intensity": PAPER_TABLE3.jump_intensity,
    "jump_mean": PAPER_TABLE3.jump_mean,
    "jump_std": PAPER_TABLE3.jump_std,
}

MODELS: dict[str, Model] = {
    "mrjd": MRJD(),
    "step": StepJump(),
    "gbm": TrendGBM(),
    "regime": RegimeTrend(),
}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Fits, tests, criteria and forecast scores of one series."""

    fits: dict[str, FitResult]
    tests: tuple[LRTest, ...]
    criteria: list[dict[str, float | str]]
    forecasts: tuple[ForecastScores, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {
            "fits": {k: v.to_dict() for k, v in self.fits.items()},
            "lr_tests": [t.to_dict() for t in self.tests],
            "criteria": self.criteria,
            "forecasts": [f.to_dict() for f in self.forecasts],
            "forecast_ranking": [f.model for f in ranked(self.forecasts)],
        }


def ranked(scores: Sequence[ForecastScores]) -> list[ForecastScores]:
    """Forecast scores best first by mean log score (CRPS breaks ties)."""
    return sorted(scores, key=lambda s: (-s.log_score, s.crps))


def model_named(name: str) -> Model:
    """One of the four calibration models by name."""
    from tokenfutures.core.errors import InvalidParameterError

    if name not in MODELS:
        raise InvalidParameterError("model", name, f"one of {', '.join(MODELS)}")
    return MODELS[name]


def compare_models(
    series: DailySeries,
    names: Sequence[str] = tuple(MODELS),
    n_origins: int = 10,
    bootstrap: int = 0,
    rng: np.random.Generator | None = None,
    progress: Progress | None = None,
    break_at: date | None = None,
) -> Comparison:
    """Fit ``names`` with standard errors, run the LR tests that apply, rank out of sample.

    ``break_at``: also test each model for a parameter break at that date (Chow-type LR).
    """
    fits: dict[str, FitResult] = {}
    for i, name in enumerate(names):
        fits[name] = fit_model(model_named(name), series, bootstrap=bootstrap, rng=rng)
        if progress is not None:
            progress("fits", i + 1, len(names))
    tests = _tests(series, fits)
    if break_at is not None:
        # the regime model lets its parameters switch already; a break test adds nothing
        tests += [break_test(model_named(n), series, break_at) for n in names if n != "regime"]
    models = [model_named(n) for n in names]
    forecasts = rolling_forecasts(models, series, n_origins, progress=progress) if n_origins else []
    return Comparison(fits, tuple(tests), information_table(list(fits.values())), tuple(forecasts))


def _tests(series: DailySeries, fits: dict[str, FitResult]) -> list[LRTest]:
    out: list[LRTest] = []
    if "mrjd" in fits:
        full = fits["mrjd"]
        mrjd = MODELS["mrjd"]
        table3 = fit_model(mrjd, series, fixed=TABLE3_DYNAMICS, std_errors=False)
        out.append(
            lr_test(
                "paper Table 3 dynamics (theta0 free)",
                table3,
                full,
                note="Table 3 values are the paper's assumptions",
            )
        )
        kappa = fit_model(mrjd, series, fixed={"kappa": PAPER_TABLE3.kappa}, std_errors=False)
        out.append(lr_test("kappa = 2.5 (Table 3)", kappa, full))
        flat = fit_model(mrjd, series, fixed={"season_amplitude": 0.0}, std_errors=False)
        out.append(lr_test("no seasonality (gamma = 0)", flat, full))
        if "step" in fits:
            out.append(
                lr_test(
                    "step model = MRJD with kappa -> 0, sigma -> 0",
                    fits["step"],
                    full,
                    boundary=True,
                    note="boundary and unidentified nuisance (theta0, beta, gamma): p approximate",
                )
            )
    if "gbm" in fits and "regime" in fits:
        out.append(
            lr_test(
                "GBM = regime model with equal regimes",
                fits["gbm"],
                fits["regime"],
                note="p11, p22 unidentified under the null (Davies): chi-square p approximate",
            )
        )
    return out


def table3_comparison(fit: FitResult) -> list[dict[str, Any]]:
    """Each MRJD parameter: the paper's Table 3 value (an assumption), the estimate, its SE, z.

    z = (estimate - Table 3) / SE; None where the data give no standard error or the
    parameter is not identified. theta0 is level-specific (Table 3 starts at $2.0).
    """
    paper = PAPER_TABLE3.to_dict()
    rows = []
    for name in fit.param_names:
        est, se = fit.params[name], fit.std_error(name)
        ok = np.isfinite(se) and se > 0 and name not in fit.unidentified
        rows.append(
            {
                "parameter": name,
                "table3_assumed": paper[name],
                "estimate": est,
                "std_error": float(se) if np.isfinite(se) else None,
                "z_vs_table3": (est - paper[name]) / se if ok else None,
                "identified": name not in fit.unidentified,
            }
        )
    return rows
