"""Model selection: information criteria, likelihood-ratio tests, rolling-origin forecasts.

Out of sample: at each of ``n_origins`` origins the models are refitted on the expanding
window up to the origin, and each day of the following block is forecast one step ahead.
Scores: mean log predictive density (higher better), mean CRPS (lower better) and the share
of PIT values inside the central 50 % and 90 % intervals (nominal 0.50, 0.90).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.calibration.estimation import fit_model
from tokenfutures.quant.calibration.mixture import Mixture
from tokenfutures.quant.calibration.result import FitResult
from tokenfutures.quant.calibration.series import DailySeries
from tokenfutures.quant.calibration.spec import Model

FloatArray = NDArray[np.float64]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class LRTest:
    """A likelihood-ratio test of a restricted model against a larger one."""

    name: str
    restricted: str
    full: str
    statistic: float
    df: int
    p_value: float
    note: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "name": self.name,
            "restricted": self.restricted,
            "full": self.full,
            "statistic": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
            "note": self.note,
        }


def lr_test(
    name: str,
    restricted: FitResult,
    full: FitResult,
    df: int | None = None,
    boundary: bool = False,
    note: str = "",
) -> LRTest:
    """LR = 2 (logL_full - logL_restricted) against chi-square(df).

    ``boundary``: one restriction puts a parameter on the edge of its domain; the p-value is
    then the Self-Liang mixture 0.5 chi2(df - 1) + 0.5 chi2(df).
    """
    k = full.n_free - restricted.n_free if df is None else df
    if k <= 0:
        raise InvalidParameterError("df", k, "> 0 (the full model must have more parameters)")
    lr = max(0.0, 2.0 * (full.loglik - restricted.loglik))
    p = float(stats.chi2.sf(lr, k))
    if boundary:
        p = 0.5 * p + 0.5 * (float(stats.chi2.sf(lr, k - 1)) if k > 1 else float(lr <= 0.0))
    return LRTest(name, restricted.model, full.model, lr, k, p, note)


def break_test(model: Model, series: DailySeries, at: date) -> LRTest:
    """LR test of constant parameters against a break at ``at`` (a Chow-type test).

    The two windows share the level of the day before ``at``, so their increments are
    exactly the full sample's; LR = 2 (logL_before + logL_after - logL_full), with df the
    number of free parameters. Model-based p-value (chi-square); the break date is given,
    not searched for.
    """
    k = (at - series.origin).days
    if not 2 <= k <= series.levels.size - 3:
        raise InvalidParameterError("break date", at, "inside the series, with data on both sides")
    full = fit_model(model, series, std_errors=False)
    before = fit_model(model, series.window(0, k), start=full.params, std_errors=False)
    after = fit_model(
        model, series.window(k - 1, series.levels.size), start=full.params, std_errors=False
    )
    lr = max(0.0, 2.0 * (before.loglik + after.loglik - full.loglik))
    p = float(stats.chi2.sf(lr, full.n_free))
    note = "break date given, not searched; a date chosen by looking at the data makes p optimistic"
    name = f"{model.name}: no break at {at}"
    return LRTest(name, model.name, f"{model.name} x 2", lr, full.n_free, p, note)


def information_table(results: Sequence[FitResult]) -> list[dict[str, float | str]]:
    """AIC, BIC, their differences from the best and Akaike weights, best AIC first."""
    best_aic = min(r.aic for r in results)
    best_bic = min(r.bic for r in results)
    raw = [math.exp(-0.5 * (r.aic - best_aic)) for r in results]
    total = sum(raw)
    rows: list[dict[str, float | str]] = [
        {
            "model": r.model,
            "loglik": r.loglik,
            "n_free": float(r.n_free),
            "aic": r.aic,
            "bic": r.bic,
            "delta_aic": r.aic - best_aic,
            "delta_bic": r.bic - best_bic,
            "akaike_weight": w / total,
        }
        for r, w in zip(results, raw, strict=True)
    ]
    return sorted(rows, key=lambda row: float(row["aic"]))


@dataclass(frozen=True, slots=True)
class ForecastScores:
    """One-step-ahead scores of one model over all rolling origins."""

    model: str
    n_forecasts: int
    log_score: float
    crps: float
    coverage_50: float
    coverage_90: float
    pit: FloatArray

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record (PIT values left out)."""
        return {
            "model": self.model,
            "n_forecasts": self.n_forecasts,
            "log_score": self.log_score,
            "crps": self.crps,
            "coverage_50": self.coverage_50,
            "coverage_90": self.coverage_90,
        }


def origins(n_obs: int, n_origins: int, min_train: int) -> list[tuple[int, int]]:
    """(train_end, block_end) index pairs: equal test blocks after at least ``min_train`` levels."""
    if n_origins < 1:
        raise InvalidParameterError("n_origins", n_origins, ">= 1")
    block = (n_obs - min_train) // n_origins
    if block < 1:
        raise InvalidParameterError(
            "data",
            f"{n_obs} observations",
            f"more than {min_train + n_origins} observations for {n_origins} forecast origins "
            "(fewer origins, or none: --origins 0)",
        )
    first = n_obs - block * n_origins
    return [(first + k * block, first + (k + 1) * block) for k in range(n_origins)]


def rolling_forecasts(
    models: Sequence[Model],
    series: DailySeries,
    n_origins: int = 10,
    min_train: int | None = None,
    progress: Progress | None = None,
) -> list[ForecastScores]:
    """Rolling-origin one-step forecasts of each model on ``series`` (expanding windows)."""
    n = series.levels.size
    splits = origins(n, n_origins, min_train if min_train is not None else max(60, n // 2))
    out = []
    for m_index, model in enumerate(models):
        logs, crps, pit = [], [], []
        previous: FitResult | None = None
        for k, (train_end, block_end) in enumerate(splits):
            train = series.window(0, train_end)
            fit = fit_model(
                model,
                train,
                start=None if previous is None else previous.params,
                std_errors=False,
            )
            previous = fit
            upto = series.window(0, block_end)
            law = model.predictive(fit.estimates, upto)
            rows = slice(train_end - 1, block_end - 1)
            y = upto.increments[rows]
            block = _rows(law, rows)
            logs.append(block.logpdf(y))
            crps.append(block.crps(y))
            pit.append(block.cdf(y))
            if progress is not None:
                progress("forecasts", m_index * len(splits) + k + 1, len(models) * len(splits))
        out.append(_scores(model.name, logs, crps, pit))
    return out


def _rows(law: Mixture, rows: slice) -> Mixture:
    return Mixture(law.weights[rows], law.means[rows], law.sds[rows])


def _scores(
    name: str, logs: list[FloatArray], crps: list[FloatArray], pit: list[FloatArray]
) -> ForecastScores:
    u = np.concatenate(pit)
    return ForecastScores(
        model=name,
        n_forecasts=int(u.size),
        log_score=float(np.mean(np.concatenate(logs))),
        crps=float(np.mean(np.concatenate(crps))),
        coverage_50=float(np.mean((u >= 0.25) & (u <= 0.75))),
        coverage_90=float(np.mean((u >= 0.05) & (u <= 0.95))),
        pit=u,
    )
