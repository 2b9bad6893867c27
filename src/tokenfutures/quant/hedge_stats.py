"""Hedge effectiveness on short real samples: moving-block bootstrap intervals and a basis fit.

A real-data hedge backtest has one observation per delivery month (tens, not thousands), and
the months overlap in information when hedges are placed several months ahead, so intervals
come from a moving-block bootstrap (Künsch 1989) that re-estimates h* in every resample. The
provider basis is summarised as a discretely observed OU (an AR(1) on daily log-basis), the
form the simulated study assumes (ADR 0150), so the assumed and the measured can be compared.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tokenfutures.core.errors import InvalidParameterError

#: An exposure whose sd is below this is a constant cost up to float round-off (U is a
#: relative change; a cost fixed in list price gives |U| ~ 1e-16): E is undefined there.
FLAT_SD = 1e-12

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EffectivenessEstimate:
    """E = 1 - Var(U - h F) / Var(U) at a ratio, with a bootstrap interval (NaN when undefined).

    ``ratio`` is h* (fitted) or the fixed ratio; ``sd_unhedged`` and ``sd_hedged`` are sample
    standard deviations of U and U - h F; ``low``/``high`` the percentile interval at ``level``.
    """

    ratio: float
    effectiveness: float
    sd_unhedged: float
    sd_hedged: float
    low: float
    high: float
    level: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        """Plain dict, for results files."""
        return asdict(self)


def _pair(exposure: ArrayLike, payoff: ArrayLike) -> tuple[FloatArray, FloatArray]:
    u = np.asarray(exposure, dtype=np.float64)
    g = np.asarray(payoff, dtype=np.float64)
    if u.ndim != 1 or u.shape != g.shape or u.size < 3:
        raise InvalidParameterError("exposure", u.shape, "1-D, >= 3 samples, same shape as payoff")
    if not (np.all(np.isfinite(u)) and np.all(np.isfinite(g))):
        raise InvalidParameterError("exposure", "non-finite values", "finite samples")
    return u, g


def _point(u: FloatArray, g: FloatArray, ratio: float | None) -> tuple[float, float, float, float]:
    var_g = float(np.var(g, ddof=1))
    h = ratio
    if h is None:
        h = float(np.cov(u, g, ddof=1)[0, 1] / var_g) if var_g > 0 else 0.0
    sd_u = float(np.std(u, ddof=1))
    sd_h = float(np.std(u - h * g, ddof=1))
    e = 1.0 - (sd_h / sd_u) ** 2 if sd_u > FLAT_SD else math.nan
    return h, e, sd_u, sd_h


def _resampled_effectiveness(u: FloatArray, g: FloatArray, ratio: float | None) -> FloatArray:
    """E of every resample (rows of ``u`` and ``g``) at once; NaN where U is flat."""
    du = u - u.mean(axis=1, keepdims=True)
    dg = g - g.mean(axis=1, keepdims=True)
    var_u, var_g, cov = (du * du).sum(axis=1), (dg * dg).sum(axis=1), (du * dg).sum(axis=1)
    if ratio is None:
        h = np.divide(cov, var_g, out=np.zeros_like(cov), where=var_g > 0)
    else:
        h = np.full_like(cov, ratio)
    hedged = var_u - 2.0 * h * cov + h * h * var_g
    with np.errstate(divide="ignore", invalid="ignore"):
        flat = var_u <= FLAT_SD**2 * (u.shape[1] - 1)
        result: FloatArray = np.where(flat, np.nan, 1.0 - hedged / var_u)
    return result


def block_resamples(n: int, block: int, n_boot: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """``n_boot`` moving-block bootstrap resamples of ``range(n)`` (rows): blocks of ``block``
    consecutive indices with uniform random starts, concatenated and cut to ``n``."""
    if n < 1 or not 1 <= block <= n or n_boot < 1:
        raise InvalidParameterError("block", block, f"in [1, n] with n = {n} >= 1")
    starts = rng.integers(0, n - block + 1, size=(n_boot, -(-n // block)))
    blocks = starts[:, :, None] + np.arange(block)[None, None, :]
    return blocks.reshape(n_boot, -1)[:, :n]


def bootstrap_effectiveness(
    exposure: ArrayLike,
    payoff: ArrayLike,
    rng: np.random.Generator,
    ratio: float | None = None,
    n_boot: int = 2_000,
    block: int = 3,
    level: float = 0.95,
) -> EffectivenessEstimate:
    """E of hedging ``exposure`` U with ``payoff`` F, with a moving-block bootstrap interval.

    Parameters
    ----------
    exposure, payoff : array_like
        Paired samples (e.g. one per delivery month) of the cost surprise and the futures payoff.
    rng : numpy.random.Generator
        Source of the resamples (seed it for a reproducible interval).
    ratio : float, optional
        A fixed hedge ratio; ``None`` fits h* = Cov(U, F) / Var(F) in every resample.
    n_boot, block, level : int, int, float
        Resamples, block length (months) and the interval's coverage.
    """
    u, g = _pair(exposure, payoff)
    if n_boot < 10 or not 0 < level < 1:
        raise InvalidParameterError("n_boot/level", (n_boot, level), ">= 10 and in (0, 1)")
    h, e, sd_u, sd_h = _point(u, g, ratio)
    idx = block_resamples(u.size, min(block, u.size), n_boot, rng)
    draws = _resampled_effectiveness(u[idx], g[idx], ratio)
    finite = draws[np.isfinite(draws)]
    tail = (1.0 - level) / 2.0
    low, high = (
        (float(np.quantile(finite, tail)), float(np.quantile(finite, 1.0 - tail)))
        if finite.size
        else (math.nan, math.nan)
    )
    return EffectivenessEstimate(h, e, sd_u, sd_h, low, high, level, int(u.size))


@dataclass(frozen=True, slots=True)
class BasisFit:
    """A log-basis series read as an OU: AR(1) coefficient, kappa and sigma (per year), sd."""

    phi: float
    kappa: float
    sigma: float
    sd: float
    sd_change: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        """Plain dict, for results files."""
        return asdict(self)


def fit_basis_ou(log_basis: ArrayLike, dt: float) -> BasisFit:
    """Fit b_{t+1} = c + phi b_t + e by least squares; kappa = -ln(phi) / dt, and sigma the
    OU diffusion matching the residual variance. phi >= 1 (no reversion) gives kappa = 0 and
    sigma = sd(e) / sqrt(dt), the random-walk reading. Constant series give zeros."""
    b = np.asarray(log_basis, dtype=np.float64)
    if b.ndim != 1 or b.size < 3 or not np.all(np.isfinite(b)) or not dt > 0:
        raise InvalidParameterError("log_basis", b.shape, "1-D, >= 3 finite values, dt > 0")
    x, y = b[:-1], b[1:]
    changes = np.diff(b)
    if float(np.var(x)) == 0.0:
        return BasisFit(math.nan, 0.0, 0.0, 0.0, float(np.std(changes, ddof=1)), int(b.size))
    phi, c = np.polyfit(x, y, 1)
    resid = y - (c + phi * x)
    s2 = float(np.var(resid, ddof=2)) if b.size > 3 else float(np.var(resid))
    if 0.0 < phi < 1.0:
        kappa = -math.log(phi) / dt
        sigma = math.sqrt(s2 * 2.0 * kappa / (1.0 - phi * phi))
    else:
        kappa, sigma = 0.0, math.sqrt(s2 / dt)
    return BasisFit(
        float(phi),
        kappa,
        sigma,
        float(np.std(b, ddof=1)),
        float(np.std(changes, ddof=1)),
        int(b.size),
    )
