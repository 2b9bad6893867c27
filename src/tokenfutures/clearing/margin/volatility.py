"""Volatility estimates and scenario sets built from settlement-price histories (float kernels)."""

from __future__ import annotations

import math

import numpy as np

from tokenfutures.clearing.margin.base import FloatArray
from tokenfutures.core.errors import InvalidParameterError

TRADING_DAYS_PER_YEAR = 252
#: RiskMetrics decay for the EWMA volatility filter of filtered historical simulation.
EWMA_LAMBDA = 0.94


def log_returns(prices: FloatArray) -> FloatArray:
    """Daily log returns along axis 0 of a (days × contracts) or (days,) price history."""
    arr = np.asarray(prices, dtype=np.float64)
    if arr.shape[0] < 2 or np.any(arr <= 0):
        raise InvalidParameterError("prices", arr.shape, "at least two days of prices > 0")
    return np.diff(np.log(arr), axis=0)


def sigma_n(prices: FloatArray, window: int = 20) -> FloatArray:
    """Annualised volatility of the last ``window`` daily log returns (paper's σ20 for 20)."""
    r = log_returns(prices)
    if r.shape[0] < window:
        raise InvalidParameterError("prices", r.shape[0] + 1, f">= {window + 1} days")
    tail = r[-window:]
    result: FloatArray = np.std(tail, axis=0, ddof=1) * math.sqrt(TRADING_DAYS_PER_YEAR)
    return result


def ewma_variance(returns: FloatArray, lam: float = EWMA_LAMBDA) -> FloatArray:
    """EWMA variance before each day (same shape as ``returns``), seeded with the sample variance."""
    if not 0.0 < lam < 1.0:
        raise InvalidParameterError("lam", lam, "in (0, 1)")
    var = np.empty_like(returns)
    var[0] = np.maximum(np.var(returns, axis=0), 1e-12)
    for t in range(1, returns.shape[0]):
        var[t] = lam * var[t - 1] + (1.0 - lam) * returns[t - 1] ** 2
    return var


def filtered_scenarios(
    prices: FloatArray, horizon_days: int = 2, lam: float = EWMA_LAMBDA
) -> FloatArray:
    """Filtered-historical-simulation returns over ``horizon_days`` (contracts × scenarios).

    Each daily return is divided by its EWMA volatility and multiplied by today's, then
    overlapping ``horizon_days`` sums make the margin-period-of-risk returns.
    """
    r = log_returns(np.atleast_2d(np.asarray(prices, dtype=np.float64).T).T)
    var = ewma_variance(r, lam)
    now = lam * var[-1] + (1.0 - lam) * r[-1] ** 2
    scaled = r / np.sqrt(var) * np.sqrt(now)
    return horizon_sums(scaled, horizon_days)


def horizon_sums(daily: FloatArray, horizon_days: int) -> FloatArray:
    """Overlapping ``horizon_days`` sums of daily returns, transposed to (contracts × scenarios)."""
    if horizon_days < 1 or daily.shape[0] < horizon_days:
        raise InvalidParameterError("horizon_days", horizon_days, f"in [1, {daily.shape[0]}]")
    c = np.cumsum(np.vstack([np.zeros((1, daily.shape[1])), daily]), axis=0)
    result: FloatArray = (c[horizon_days:] - c[:-horizon_days]).T
    return result


def price_moves(prices: FloatArray, log_moves: FloatArray) -> FloatArray:
    """USD P&L of one long lot per contract under log-return scenarios (contracts × scenarios)."""
    result: FloatArray = np.asarray(prices)[:, None] * np.expm1(log_moves)
    return result
