"""The paper's mean-reverting jump-diffusion (eq. 11-12) fitted by its transition likelihood.

Over one day h the OU part is exact (decay e^{-kappa h}, the exact theta integral, diffusion
variance sigma^2 (1 - e^{-2 kappa h}) / (2 kappa)). Jumps: a Poisson mixture over the number n of
jumps in the step, truncated where the Poisson tail is below ``TAIL_TOLERANCE``; a jump's
in-step decay e^{-kappa(b - tau)} is replaced by its mean and mean square over a uniform jump
time, which is exact as kappa -> 0 and off by O(kappa h) otherwise (ADR 0111). Jump sizes are
normal with a free sign of the mean (two-sided: up and down moves both have mass).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from tokenfutures.quant.calibration.mixture import Mixture
from tokenfutures.quant.calibration.series import DailySeries
from tokenfutures.quant.calibration.spec import Model, ParamSpec
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.quant.process import simulate_log_paths

FloatArray = NDArray[np.float64]
#: Poisson tail mass left out of the jump-count mixture, per step.
TAIL_TOLERANCE = 1e-12
MAX_JUMPS = 60
SEASON_PERIOD = 1.0

MRJD_SPECS = (
    ParamSpec("kappa", "positive", 1e-6, 250.0, "mean-reversion speed, per year"),
    ParamSpec("theta0", "real", -20.0, 20.0, "long-term mean of ln P at the origin"),
    ParamSpec("beta", "real", -20.0, 20.0, "trend of the long-term mean, per year"),
    ParamSpec("season_amplitude", "real", -5.0, 5.0, "seasonal amplitude gamma (period 1 y)"),
    ParamSpec("sigma", "positive", 1e-8, 20.0, "diffusion volatility, annualised"),
    ParamSpec("jump_intensity", "positive", 1e-3, 365.0, "jumps per year, lambda"),
    ParamSpec("jump_mean", "real", -3.0, 3.0, "mean log jump mu_J"),
    ParamSpec("jump_std", "positive", 1e-4, 5.0, "sd of the log jump sigma_J"),
)


def poisson_weights(rate: float) -> FloatArray:
    """Poisson(rate) probabilities of 0..N jumps, N the first count with tail <= TAIL_TOLERANCE."""
    pmf = [math.exp(-rate)]
    total = pmf[0]
    while 1.0 - total > TAIL_TOLERANCE and len(pmf) <= MAX_JUMPS:
        pmf.append(pmf[-1] * rate / len(pmf))
        total += pmf[-1]
    if len(pmf) == 1:
        pmf.append(pmf[0] * rate)
    return np.array(pmf)


def poisson_mixture(
    base_mean: FloatArray,
    base_var: FloatArray,
    rate: float,
    jump_mean: float,
    jump_var: float,
    scale: tuple[float, float] = (1.0, 1.0),
) -> Mixture:
    """Mixture over n jumps: N(base + n mu a1, base_var + n var a2) with Poisson(rate) weights."""
    weights = poisson_weights(rate)
    counts = np.arange(weights.size, dtype=np.float64)
    means = base_mean[:, None] + counts * jump_mean * scale[0]
    sds = np.sqrt(base_var[:, None] + counts * jump_var * scale[1])
    return Mixture(np.broadcast_to(weights, means.shape), means, sds)


def _pieces(params: FloatArray, series: DailySeries) -> tuple[FloatArray, float, float, float]:
    """Per-step conditional mean (no jump), OU variance per unit sigma^2, jump decay factors."""
    k, h = float(params[0]), series.step_years
    q = -math.expm1(-k * h)
    base = theta_step(params, series.times[:-1], h) - q * series.log_levels[:-1]
    var_unit = -math.expm1(-2.0 * k * h) / (2.0 * k)
    return base, var_unit, q / (k * h), var_unit / h


def theta_step(p: FloatArray, a: FloatArray, h: float) -> FloatArray:
    """Exact kappa * int_a^{a+h} e^{-kappa(a+h-s)} theta_s ds, stable as kappa -> 0."""
    k, theta0, beta, gamma = p[0], p[1], p[2], p[3]
    q = -math.expm1(-k * h)
    b = a + h
    trend = beta * (h + a * q - q / k)
    w = 2.0 * math.pi / SEASON_PERIOD
    season = (
        k
        * gamma
        / (k * k + w * w)
        * (
            (k * np.sin(w * b) - w * np.cos(w * b))
            - (1.0 - q) * (k * np.sin(w * a) - w * np.cos(w * a))
        )
    )
    return np.asarray(theta0 * q + trend + season, dtype=np.float64)


class MRJD(Model):
    """The paper's MRJD: dX = kappa(theta_t - X)dt + sigma dW + J dN, J ~ N(mu_J, sigma_J^2)."""

    name = "mrjd"
    specs = MRJD_SPECS

    def predictive(self, params: FloatArray, series: DailySeries) -> Mixture:
        """Transition law of each daily increment given the previous level."""
        base, var_unit, a1, a2 = _pieces(params, series)
        var = params[4] ** 2 * var_unit + series.rounding_var
        h = series.step_years
        return poisson_mixture(base, var, params[5] * h, params[6], params[7] ** 2, (a1, a2))

    def gradient(self, params: FloatArray, series: DailySeries) -> tuple[float, FloatArray]:
        """Analytic scores, except d/d kappa of the OU pieces (central difference)."""
        k, sigma, lam, mu_j, sd_j = params[0], params[4], params[5], params[6], params[7]
        h = series.step_years
        mix = self.predictive(params, series)
        ll, g_mean, g_var, resp = mix.scores(series.increments)
        counts = np.arange(g_mean.shape[1], dtype=np.float64)
        sm, sv = g_mean.sum(axis=1), g_var.sum(axis=1)
        km, kv = float(np.sum(g_mean @ counts)), float(np.sum(g_var @ counts))
        _, var_unit, a1, a2 = _pieces(params, series)
        q = -math.expm1(-k * h)
        a = series.times[:-1]
        unit_season = theta_step(np.array([k, 0.0, 0.0, 1.0]), a, h)
        d = 1e-6 * k
        up, down = params.copy(), params.copy()
        up[0], down[0] = k + d, k - d
        hi, lo = _pieces(up, series), _pieces(down, series)
        d_base = (hi[0] - lo[0]) / (2 * d)
        d_var, d_a1, d_a2 = ((x - y) / (2 * d) for x, y in zip(hi[1:], lo[1:], strict=True))
        grad = np.array(
            [
                float(sm @ d_base)
                + km * mu_j * float(d_a1)
                + float(np.sum(sv)) * sigma**2 * float(d_var)
                + kv * sd_j**2 * float(d_a2),
                float(np.sum(sm)) * q,
                float(sm @ (h + a * q - q / k)),
                float(sm @ unit_season),
                float(np.sum(sv)) * 2.0 * sigma * var_unit,
                float(np.sum(resp @ counts)) / lam - h * sm.size,
                km * a1,
                kv * 2.0 * sd_j * a2,
            ]
        )
        return ll, grad

    def start_values(self, series: DailySeries) -> list[FloatArray]:
        """Two starts (slow and fast reversion) from the trend and the jump-like moves."""
        x, t, y = series.log_levels, series.times, series.increments
        slope, intercept = np.polyfit(t, x, 1)
        sigma, lam, mu_j, sd_j = jump_moments(y, series.span_years, series.step_years)
        return [np.array([k, intercept, slope, 0.0, sigma, lam, mu_j, sd_j]) for k in (0.3, 3.0)]

    def simulate(
        self, params: FloatArray, series: DailySeries, n_paths: int, rng: np.random.Generator
    ) -> FloatArray:
        """Exact simulation (jumps decayed from their own times) by ``quant.process``."""
        jd = to_jump_diffusion(params, float(series.log_levels[0]))
        return simulate_log_paths(jd, series.times, n_paths, rng)

    def diagnostics(self, params: FloatArray, series: DailySeries) -> tuple[list[str], set[str]]:
        """kappa -> 0 leaves the long-term mean unidentified; rare jumps leave their law weak."""
        notes: list[str] = []
        weak: set[str] = set()
        k, lam, span = float(params[0]), float(params[5]), series.span_years
        if k * span < 0.5:
            notes.append(
                f"kappa = {k:.3g}/yr: half-life {math.log(2) / k:.3g} y exceeds the "
                f"{span:.2f} y sample, no mean reversion detected; theta0, beta and "
                "season_amplitude are not identified (kappa -> 0)"
            )
            weak |= {"theta0", "beta", "season_amplitude"}
        if lam * span < 3.0:
            notes.append(
                f"lambda = {lam:.3g}/yr gives {lam * span:.1f} expected jumps in the sample; "
                "the jump-size law is weakly identified"
            )
            weak |= {"jump_mean", "jump_std"}
        return notes, weak


def jump_moments(y: FloatArray, span: float, step: float) -> tuple[float, float, float, float]:
    """Rough (sigma, lambda, mu_J, sigma_J) from splitting increments at 4 robust sds."""
    mad = float(np.median(np.abs(y - np.median(y)))) * 1.4826
    cut = max(4.0 * mad, 0.01)
    big = y[np.abs(y) > cut]
    small = y[np.abs(y) <= cut]
    sigma = max(float(np.std(small)) / math.sqrt(step), 1e-3)
    lam = max(big.size / max(span, 1e-9), 1.0)
    mu_j = float(np.mean(big)) if big.size else 0.0
    sd_j = max(float(np.std(big)) if big.size > 1 else 0.05, 0.02)
    return sigma, lam, mu_j, sd_j


def to_jump_diffusion(params: FloatArray, x0: float) -> JumpDiffusionParams:
    """The fitted MRJD vector as the paper's parameter object (annual season period)."""
    return JumpDiffusionParams(
        kappa=float(params[0]),
        theta0=float(params[1]),
        beta=float(params[2]),
        season_amplitude=float(params[3]),
        sigma=float(params[4]),
        jump_intensity=float(params[5]),
        jump_mean=float(params[6]),
        jump_std=float(params[7]),
        season_period=SEASON_PERIOD,
        x0=x0,
    )


def from_jump_diffusion(params: JumpDiffusionParams) -> FloatArray:
    """The paper's parameter object as an MRJD vector (season period must be one year)."""
    return np.array(
        [
            params.kappa,
            params.theta0,
            params.beta,
            params.season_amplitude,
            params.sigma,
            params.jump_intensity,
            params.jump_mean,
            params.jump_std,
        ]
    )
