"""Maximum likelihood for any calibration model: optimiser, observed information, bootstrap.

The optimiser works in free coordinates (log / logit) inside wide box bounds (L-BFGS-B, several
starts, best kept). Standard errors: the inverse of the numerical Hessian of -logL in free
coordinates at the optimum, mapped to natural units by the delta method; directions with no
curvature (a flat likelihood) are reported as not identified instead of inverted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.calibration.result import FitResult
from tokenfutures.quant.calibration.series import DEFAULT_RESOLUTION, DailySeries, daily_series
from tokenfutures.quant.calibration.spec import Model

FloatArray = NDArray[np.float64]
_PENALTY = 1e12
_HESS_STEP = 1e-4
_GRAD_STEP = 1e-5
_WALL = 1e4
_STATIONARY = 0.05
_BOUND_SLACK = 0.05
_NOISE = 100 * float(np.finfo(np.float64).eps)


@dataclass(frozen=True, slots=True)
class _Problem:
    """A model, a series and the fixed parameters: the objective in free coordinates."""

    model: Model
    series: DailySeries
    free: tuple[int, ...]
    base: FloatArray

    def natural(self, u: FloatArray) -> FloatArray:
        p = self.base.copy()
        for j, i in enumerate(self.free):
            p[i] = self.model.specs[i].from_free(float(u[j]))
        return p

    def free_coords(self, p: FloatArray) -> FloatArray:
        return np.array([self.model.specs[i].to_free(float(p[i])) for i in self.free])

    def bounds(self) -> list[tuple[float, float]]:
        return [self.model.specs[i].free_bounds() for i in self.free]

    def objective(self, u: FloatArray) -> float:
        with np.errstate(all="ignore"):
            value = -self.model.loglikelihood(self.natural(u), self.series)
        return value if np.isfinite(value) else _PENALTY

    @property
    def analytic(self) -> bool:
        """Whether the model gives its own gradient."""
        return type(self.model).gradient is not Model.gradient

    def objective_grad(self, u: FloatArray) -> tuple[float, FloatArray]:
        """-logL and its gradient in free coordinates (analytic models only)."""
        p = self.natural(u)
        with np.errstate(all="ignore"):
            out = self.model.gradient(p, self.series)
        assert out is not None
        value, grad = out
        if not (np.isfinite(value) and np.all(np.isfinite(grad))):
            return _PENALTY, np.zeros(u.size)
        jac = np.array([self.model.specs[i].jacobian(float(p[i])) for i in self.free])
        return -value, -grad[list(self.free)] * jac

    def gradient(self, u: FloatArray) -> FloatArray:
        """Gradient of -logL in free coordinates."""
        return self.objective_grad(u)[1]

    def _excess(self, u: FloatArray) -> tuple[FloatArray, FloatArray]:
        lo, hi = np.array(self.bounds()).T
        inside = np.clip(u, lo, hi)
        return inside, u - inside

    def penalised(self, u: FloatArray) -> float:
        """-logL at the point clipped into the box, plus a quadratic wall outside it."""
        inside, out = self._excess(u)
        return self.objective(inside) + _WALL * float(out @ out)

    def penalised_grad(self, u: FloatArray) -> tuple[float, FloatArray]:
        """:meth:`penalised` and its gradient (analytic models)."""
        inside, out = self._excess(u)
        value, grad = self.objective_grad(inside)
        return value + _WALL * float(out @ out), grad + 2.0 * _WALL * out


def as_series(data: Any, levels: Any = None, resolution: float = DEFAULT_RESOLUTION) -> DailySeries:
    """``data`` if already a :class:`DailySeries`, else validated by :func:`daily_series`."""
    if isinstance(data, DailySeries):
        return data
    return daily_series(
        data, levels, resolution=resolution, name=getattr(data, "name", None) or "series"
    )


def fit_model(
    model: Model,
    data: Any,
    levels: Any = None,
    *,
    fixed: Mapping[str, float] | None = None,
    start: Mapping[str, float] | None = None,
    bootstrap: int = 0,
    rng: np.random.Generator | None = None,
    resolution: float = DEFAULT_RESOLUTION,
    std_errors: bool = True,
    multistart: bool = True,
    n_starts: int | None = None,
) -> FitResult:
    """Fit ``model`` to a daily series by maximum likelihood.

    Parameters
    ----------
    model : Model
        The specification (e.g. ``MRJD()``).
    data, levels
        A :class:`DailySeries`, a pandas Series with a DatetimeIndex, or dates and levels.
    fixed : mapping, optional
        Parameters held at given values (restricted model for a likelihood-ratio test).
    start : mapping, optional
        A starting point (natural units) tried before the model's own starts.
    bootstrap : int
        Parametric-bootstrap replications for bootstrap standard errors (0: none).
    rng : numpy.random.Generator, optional
        Source of randomness of the bootstrap (required when ``bootstrap > 0``).
    resolution : float
        Absolute precision of the levels when ``data`` is not yet a DailySeries.
    std_errors : bool
        Compute observed-information standard errors (skip inside bootstraps).
    multistart : bool
        Also try the model's own starting points (else only ``start``, when given).
    n_starts : int, optional
        How many of the starting points (ranked by likelihood) are optimised, best kept
        (default: the model's ``n_starts``).
    """
    series = as_series(data, levels, resolution)
    problem = _problem(model, series, fixed or {})
    starts = [_start_vector(model, start, problem.base)] if start else []
    if multistart or not starts:
        starts += [_with_fixed(s, problem) for s in model.start_values(series)]
    best = _optimise(problem, starts, model.n_starts if n_starts is None else n_starts)
    result = _assemble(problem, best, std_errors)
    if bootstrap > 0:
        if rng is None:
            raise InvalidParameterError("rng", None, "a numpy Generator when bootstrap > 0")
        result = with_bootstrap(model, result, series, bootstrap, rng, fixed)
    return result


def _problem(model: Model, series: DailySeries, fixed: Mapping[str, float]) -> _Problem:
    names = model.param_names
    unknown = sorted(set(fixed) - set(names))
    if unknown:
        raise InvalidParameterError("fixed", unknown, f"names among {names}")
    base = np.zeros(len(names))
    for name, value in fixed.items():
        base[names.index(name)] = float(value)
    free = tuple(i for i, n in enumerate(names) if n not in fixed)
    return _Problem(model, series, free, base)


def _start_vector(model: Model, start: Mapping[str, float], base: FloatArray) -> FloatArray:
    p = base.copy()
    for name, value in start.items():
        p[model.param_names.index(name)] = float(value)
    return p


def _with_fixed(p: FloatArray, problem: _Problem) -> FloatArray:
    out = np.asarray(p, dtype=np.float64).copy()
    fixed = [i for i in range(out.size) if i not in problem.free]
    out[fixed] = problem.base[fixed]
    return out


def _optimise(
    problem: _Problem, starts: list[FloatArray], n_starts: int
) -> optimize.OptimizeResult:
    """BFGS from the ``n_starts`` starting points with the highest likelihood."""
    ranked = sorted(starts, key=lambda s: problem.objective(problem.free_coords(s)))
    best: optimize.OptimizeResult | None = None
    for s in ranked[: max(1, n_starts)]:
        u0 = problem.free_coords(s)
        # BFGS in free coordinates with a quadratic wall at the box: L-BFGS-B's BLAS calls
        # stall under OpenBLAS threads on a loaded machine (10x slower), BFGS's do not.
        if problem.analytic:
            res = optimize.minimize(
                problem.penalised_grad,
                u0,
                jac=True,
                method="BFGS",
                options={"maxiter": 2000, "gtol": 1e-5},
            )
        else:
            res = optimize.minimize(
                problem.penalised,
                u0,
                method="BFGS",
                options={"maxiter": 2000, "gtol": 1e-4, "eps": 1e-7},
            )
        res.x = problem._excess(np.asarray(res.x, dtype=np.float64))[0]
        res.fun = problem.objective(res.x)
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    return best


def central_gradient(f: Any, u: FloatArray, step: float = 1e-7) -> FloatArray:
    """Central-difference gradient (no first-order bias on sharply curved coordinates)."""
    out = np.empty(u.size)
    for i in range(u.size):
        e = np.zeros(u.size)
        e[i] = step * max(1.0, abs(float(u[i])))
        out[i] = (f(u + e) - f(u - e)) / (2.0 * e[i])
    return out


def gradient_hessian(grad: Any, u: FloatArray, step: float = _GRAD_STEP) -> FloatArray:
    """Hessian as central differences of an analytic gradient (symmetrised)."""
    h = step * np.maximum(1.0, np.abs(u))
    cols = []
    for i in range(u.size):
        e = np.zeros(u.size)
        e[i] = h[i]
        cols.append((grad(u + e) - grad(u - e)) / (2.0 * h[i]))
    out = np.column_stack(cols)
    return np.asarray(0.5 * (out + out.T), dtype=np.float64)


def numerical_hessian(f: Any, u: FloatArray, step: float = _HESS_STEP) -> FloatArray:
    """Central-difference Hessian of a scalar function at ``u``."""
    n = u.size
    h = step * np.maximum(1.0, np.abs(u))
    out = np.empty((n, n))
    f0 = f(u)
    for i in range(n):
        ei = np.zeros(n)
        ei[i] = h[i]
        out[i, i] = (f(u + ei) - 2.0 * f0 + f(u - ei)) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(n)
            ej[j] = h[j]
            val = (f(u + ei + ej) - f(u + ei - ej) - f(u - ei + ej) + f(u - ei - ej)) / (
                4.0 * h[i] * h[j]
            )
            out[i, j] = out[j, i] = val
    return out


def _free_covariance(hess: FloatArray, noise: float) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Inverse on the curved directions; flags coordinates loading on flat ones.

    A direction is flat when its curvature is below ``noise``, the rounding error of the
    central differences (so no curvature was measured at all).
    """
    w, v = np.linalg.eigh(0.5 * (hess + hess.T))
    flat = w <= noise
    inv = np.where(flat, 0.0, 1.0 / np.where(flat, 1.0, w))
    cov = (v * inv) @ v.T
    weak = np.sum(v[:, flat] ** 2, axis=1) > 0.1 if flat.any() else np.zeros(w.size, dtype=bool)
    return cov, weak


def _assemble(problem: _Problem, best: optimize.OptimizeResult, with_se: bool) -> FitResult:
    model, series = problem.model, problem.series
    p = model.canonical(problem.natural(np.asarray(best.x, dtype=np.float64)))
    u = problem.free_coords(p)
    names = model.param_names
    se = np.full(len(names), np.nan)
    notes, weak = model.diagnostics(p, series)
    unidentified = set(weak)
    cov: FloatArray | None = None
    if with_se and u.size:
        scale = _NOISE * max(1.0, abs(float(best.fun)))
        if problem.analytic:
            hess = gradient_hessian(problem.gradient, u)
            noise = scale / _GRAD_STEP
        else:
            hess = numerical_hessian(problem.objective, u)
            noise = scale / _HESS_STEP**2
        cov, flat = _free_covariance(hess, noise)
        for j, i in enumerate(problem.free):
            lo, hi = problem.bounds()[j]
            at_bound = min(u[j] - lo, hi - u[j]) < _BOUND_SLACK
            if flat[j]:
                unidentified.add(names[i])
            elif at_bound:
                notes.append(f"{names[i]} at the bound of its domain; no standard error")
            else:
                jac = model.specs[i].jacobian(float(p[i]))
                se[i] = abs(jac) * float(np.sqrt(max(cov[j, j], 0.0)))
    fixed = tuple(n for i, n in enumerate(names) if i not in problem.free)
    return FitResult(
        model=model.name,
        param_names=names,
        estimates=p,
        std_errors=se,
        loglik=-float(best.fun),
        nobs=series.increments.size,
        n_free=len(problem.free),
        converged=bool(best.success) or _stationary(problem, u, cov),
        message=str(best.message),
        fixed=fixed,
        unidentified=tuple(n for n in names if n in unidentified),
        notes=tuple(notes),
        series_name=series.name,
        start=series.dates[0],
        end=series.dates[-1],
        x0=float(series.log_levels[0]),
        step_days=series.step_days,
    )


def _stationary(problem: _Problem, u: FloatArray, cov: FloatArray | None) -> bool:
    """Whether the optimum is reached in the coordinates away from the box: the remaining
    gradient moves no estimate by more than 0.05 standard errors (BFGS's own test fails on
    "precision loss" at an optimum it cannot improve in float64)."""
    grad = problem.gradient(u) if problem.analytic else central_gradient(problem.objective, u)
    lo, hi = np.array(problem.bounds()).T
    interior = np.minimum(u - lo, hi - u) >= _BOUND_SLACK
    if cov is None:
        return bool(np.all(np.abs(grad[interior]) < _STATIONARY))
    scale = np.sqrt(np.maximum(np.diag(cov), 0.0))
    return bool(np.all((np.abs(grad) * scale)[interior] < _STATIONARY))


def with_bootstrap(
    model: Model,
    result: FitResult,
    series: DailySeries,
    replications: int,
    rng: np.random.Generator,
    fixed: Mapping[str, float] | None = None,
) -> FitResult:
    """Add parametric-bootstrap standard errors: simulate from the fit, refit, take the sd."""
    paths = model.simulate(result.estimates, series, replications, rng)
    draws = np.empty((replications, result.estimates.size))
    for r in range(replications):
        sim = DailySeries(series.dates, np.exp(paths[r]), series.resolution, series.name)
        refit = fit_model(
            model, sim, fixed=fixed, start=result.params, std_errors=False, multistart=False
        )
        draws[r] = refit.estimates
    boot_se = np.std(draws, axis=0, ddof=1) if replications > 1 else np.full(draws.shape[1], np.nan)
    return replace(result, bootstrap_std_errors=boot_se, bootstrap_replications=replications)
