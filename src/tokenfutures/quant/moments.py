"""Closed-form moments of X_T = ln P_T, E[P_T] and the forward curve F(t,T) of eq. 13 with its A(t,T).

Given X_t = x and tau = T - t, the exact solution of eq. 11 is
X_T = x e^{-kappa tau} + I_theta(t,T) + sigma int e^{-kappa(T-s)} dW_s + sum_k J_k e^{-kappa(T-tau_k)}.
Its mean and variance follow term by term; E[e^{X_T}] adds the jump cumulant
Lambda(tau) = lambda int_0^tau (exp(mu_J e^{-kappa u} + sigma_J^2 e^{-2 kappa u} / 2) - 1) du,
computed by one-dimensional quadrature (scipy). Derivation: ``docs/concepts/quant.md``.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.models import GBMParams
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.quant.process import theta_integral

FloatArray = NDArray[np.float64]
Measure = Literal["P", "Q"]
ModelParams = JumpDiffusionParams | GBMParams


def _horizons(T: ArrayLike, t: float) -> tuple[FloatArray, FloatArray]:
    """Maturities as an array and their distance tau = T - t (>= 0), validated."""
    maturities = np.asarray(T, dtype=np.float64)
    if not math.isfinite(t):
        raise InvalidParameterError("t", t, "a finite number")
    if not np.all(np.isfinite(maturities)) or np.any(maturities < t):
        raise InvalidParameterError("T", "maturities", f"finite and >= t = {t}")
    return maturities, maturities - t


def _start(params: ModelParams, t: float, x_t: float | None) -> float:
    """The conditioning value X_t (X_0 of the params when t = 0 and none is given)."""
    if x_t is None:
        if t != 0.0:
            raise InvalidParameterError("x_t", None, "given when t != 0")
        return params.x0
    if not math.isfinite(x_t):
        raise InvalidParameterError("x_t", x_t, "a finite number")
    return float(x_t)


def _under(params: JumpDiffusionParams, measure: Measure) -> JumpDiffusionParams:
    if measure == "P":
        return params
    if measure == "Q":
        return params.risk_neutral()
    raise InvalidParameterError("measure", measure, "'P' or 'Q'")


def _ou_var_factor(kappa: float, tau: FloatArray) -> FloatArray:
    """(1 - e^{-2 kappa tau}) / (2 kappa), computed without cancellation."""
    return np.asarray(-np.expm1(-2.0 * kappa * tau) / (2.0 * kappa), dtype=np.float64)


def jump_cumulant(params: JumpDiffusionParams, tau: ArrayLike) -> FloatArray:
    """ln E[exp(sum_k J_k e^{-kappa(T - tau_k)})] over a horizon tau (quadrature over the decay kernel).

    Integrates piecewise between sorted horizons, so a whole curve costs one pass.
    """
    horizons = np.asarray(tau, dtype=np.float64)
    if params.jump_intensity == 0.0:
        return np.zeros_like(horizons)
    k, mu, var = params.kappa, params.jump_mean, params.jump_std**2

    def integrand(u: float) -> float:
        w = math.exp(-k * u)
        return math.expm1(mu * w + 0.5 * var * w * w)

    flat = horizons.ravel()
    order = np.argsort(flat, kind="stable")
    out = np.empty_like(flat)
    total, previous = 0.0, 0.0
    for idx in order:
        upper = float(flat[idx])
        if upper > previous:
            piece, _ = integrate.quad(integrand, previous, upper, epsabs=1e-13, epsrel=1e-12)
            total += piece
            previous = upper
        out[idx] = params.jump_intensity * total
    return out.reshape(horizons.shape)


def log_moments(
    params: ModelParams,
    T: ArrayLike,
    t: float = 0.0,
    x_t: float | None = None,
    measure: Measure = "P",
) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of X_T given X_t = x_t (default params.x0 at t=0), jumps included.

    Parameters
    ----------
    params : JumpDiffusionParams or GBMParams
        The model.
    T : array_like of float
        Maturities in years, each >= t.
    t : float
        Conditioning time.
    x_t : float, optional
        Log price at t; defaults to ``params.x0`` when t = 0.
    measure : {"P", "Q"}
        Physical or risk-neutral (drift shifted by the market price of risk).
    """
    _, tau = _horizons(T, t)
    x = _start(params, t, x_t)
    if isinstance(params, GBMParams):
        return x + params.log_drift * tau, params.sigma**2 * tau
    p = _under(params, measure)
    decay = np.exp(-p.kappa * tau)
    ou_var = _ou_var_factor(p.kappa, tau)
    jump_mean = p.jump_intensity * p.jump_mean * (-np.expm1(-p.kappa * tau)) / p.kappa
    mean = x * decay + theta_integral(p, np.full_like(tau, t), tau + t) + jump_mean
    jump_second = p.jump_intensity * (p.jump_mean**2 + p.jump_std**2)
    var = (p.sigma**2 + jump_second) * ou_var
    return np.asarray(mean, dtype=np.float64), np.asarray(var, dtype=np.float64)


def forward_a(params: JumpDiffusionParams, T: ArrayLike, t: float = 0.0) -> FloatArray:
    """A(t,T) of eq. 13 under Q: ln F(t,T) = e^{-kappa(T-t)} X_t + A(t,T).

    A = I_theta^Q(t,T) + sigma^2 (1 - e^{-2 kappa tau}) / (4 kappa) + Lambda(tau).
    """
    _, tau = _horizons(T, t)
    q = params.risk_neutral()
    trend_season = theta_integral(q, np.full_like(tau, t), tau + t)
    diffusion = 0.5 * q.sigma**2 * _ou_var_factor(q.kappa, tau)
    return np.asarray(trend_season + diffusion + jump_cumulant(q, tau), dtype=np.float64)


def expected_price(
    params: ModelParams,
    T: ArrayLike,
    t: float = 0.0,
    x_t: float | None = None,
    measure: Measure = "P",
) -> FloatArray:
    """E[P_T | F_t] exactly, jumps included (log-normal diffusion part times the jump MGF)."""
    _, tau = _horizons(T, t)
    x = _start(params, t, x_t)
    if isinstance(params, GBMParams):
        return np.asarray(np.exp(x + params.mu * tau), dtype=np.float64)
    p = _under(params, measure)
    decay = np.exp(-p.kappa * tau)
    centre = x * decay + theta_integral(p, np.full_like(tau, t), tau + t)
    diffusion = 0.5 * p.sigma**2 * _ou_var_factor(p.kappa, tau)
    return np.asarray(np.exp(centre + diffusion + jump_cumulant(p, tau)), dtype=np.float64)


def forward_curve(
    params: ModelParams, T: ArrayLike, t: float = 0.0, x_t: float | None = None
) -> FloatArray:
    """F(t,T) = E^Q[P_T | F_t] = exp(e^{-kappa(T-t)} X_t + A(t,T)) (eq. 13), risk premium from params."""
    return expected_price(params, T, t, x_t, measure="Q")


def model_vol_term_structure(params: ModelParams, horizons: ArrayLike) -> FloatArray:
    """Closed-form annualised std of ln(P_tau / P_0): sqrt(Var[X_tau] / tau) for each tau > 0."""
    taus = np.asarray(horizons, dtype=np.float64)
    if np.any(taus <= 0):
        raise InvalidParameterError("horizons", "values", "> 0")
    _, var = log_moments(params, taus)
    return np.asarray(np.sqrt(var / taus), dtype=np.float64)
