"""The paper's internal inconsistencies, each computed from its own numbers (Table 3 and §8)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from tokenfutures.quant.hedging import (
    effectiveness_from_correlation,
    std_reduction_from_variance_reduction,
)
from tokenfutures.quant.moments import expected_price, jump_cumulant, model_vol_term_structure
from tokenfutures.quant.params import PAPER_TABLE3, JumpDiffusionParams

FloatArray = NDArray[np.float64]

#: Values printed in the paper (§6.2, §8.1-8.3) that the report checks.
PAPER_SD_UNHEDGED = 1.80
PAPER_SD_HEDGED = 0.65
PAPER_VARIANCE_REDUCTION = 0.87
PAPER_E_OPTIMISTIC = 0.91
PAPER_E_PESSIMISTIC = 0.78
PAPER_STD_BAND = (0.62, 0.78)
PAPER_HEDGE_RATIO = 0.85
PAPER_CORRELATION_EXAMPLE = 0.85
PAPER_HALF_LIFE_MONTHS = 2.8
PAPER_SENSITIVITY_BAND = (0.80, 0.89)


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """An internal inconsistency of the paper, with the arithmetic that shows it."""

    topic: str
    statement: str


def price_sd(params: JumpDiffusionParams, times: FloatArray) -> FloatArray:
    """sd of P_t in closed form: E[P^2] = E[P]^2 exp(sigma^2 w + L(2J) - 2 L(J)), w = (1 -
    e^{-2 kappa t}) / (2 kappa) and L the jump cumulant (jumps doubled for the second moment)."""
    mean = expected_price(params, times)
    w = -np.expm1(-2.0 * params.kappa * times) / (2.0 * params.kappa)
    doubled = params.with_changes(jump_mean=2 * params.jump_mean, jump_std=2 * params.jump_std)
    excess = params.sigma**2 * w + jump_cumulant(doubled, times) - 2 * jump_cumulant(params, times)
    return np.asarray(mean * np.sqrt(np.expm1(excess)), dtype=np.float64)


@cache
def _max_price_sd() -> tuple[float, float]:
    """The largest sd of P_t over 36 months under Table 3 (closed form) and its month."""
    months = np.linspace(0.0, 36.0, 361)
    sd = price_sd(PAPER_TABLE3, months / 12.0)
    k = int(np.argmax(sd))
    return float(sd[k]), float(months[k])


def _seasonal_swing() -> float:
    """Largest relative gap between Table 3's expected price with and without seasonality."""
    t = np.linspace(1.0, 3.0, 241)  # after the start-up transient
    flat = PAPER_TABLE3.with_changes(season_amplitude=0.0)
    ratio = expected_price(PAPER_TABLE3, t) / expected_price(flat, t)
    return float(np.max(np.abs(ratio - 1.0)))


def inconsistencies() -> list[Inconsistency]:
    """The paper's internal inconsistencies, each computed from its own numbers."""
    sd_cut = 1.0 - PAPER_SD_HEDGED / PAPER_SD_UNHEDGED
    var_cut = 1.0 - (PAPER_SD_HEDGED / PAPER_SD_UNHEDGED) ** 2
    opt_sd = std_reduction_from_variance_reduction(PAPER_E_OPTIMISTIC)
    pess_sd = std_reduction_from_variance_reduction(PAPER_E_PESSIMISTIC)
    half_life = 12.0 * PAPER_TABLE3.half_life_years
    kappa_for_claim = math.log(2.0) / (PAPER_HALF_LIFE_MONTHS / 12.0)
    e_from_corr = effectiveness_from_correlation(PAPER_CORRELATION_EXAMPLE)
    implied_rho = math.sqrt(PAPER_VARIANCE_REDUCTION)
    max_sd, max_sd_month = _max_price_sd()
    short = model_vol_term_structure(PAPER_TABLE3, [1 / 12, 3 / 12])
    p = PAPER_TABLE3
    damped = p.season_amplitude * p.kappa / math.hypot(p.kappa, 2 * math.pi / p.season_period)
    seasonal_swing = _seasonal_swing()
    return [
        Inconsistency(
            "$1.80 -> $0.65",
            f"cuts the standard deviation by {_pct(sd_cut)} and the variance by {_pct(var_cut)}; "
            "the paper quotes only the variance figure (87 %).",
        ),
        Inconsistency(
            "E = 0.78 / 0.91 vs '62-78 %'",
            f"as variance reductions, E = {PAPER_E_PESSIMISTIC} and {PAPER_E_OPTIMISTIC} are sd cuts "
            f"of {_pct(pess_sd)} and {_pct(opt_sd)}, and the baseline's is {_pct(sd_cut)}: the "
            "stated sd band 62-78 % does not follow from them.",
        ),
        Inconsistency(
            "half-life",
            f"kappa = {PAPER_TABLE3.kappa} gives ln 2 / kappa = {half_life:.2f} months, not "
            f"~{PAPER_HALF_LIFE_MONTHS}; a {PAPER_HALF_LIFE_MONTHS}-month half-life needs "
            f"kappa = {kappa_for_claim:.2f}.",
        ),
        Inconsistency(
            "0.85",
            f"§6.2 uses 0.85 as a correlation (E = rho^2 = {_pct(e_from_corr)}); §8.2 uses 0.85 "
            f"as the hedge ratio h* with E = 87 %, which needs rho = {implied_rho:.3f} and "
            f"sigma_S / sigma_F = {PAPER_HEDGE_RATIO / implied_rho:.3f}.",
        ),
        Inconsistency(
            "sensitivity band",
            f"§8.3 says efficiency 'remains {PAPER_SENSITIVITY_BAND[0]:.0%}-"
            f"{PAPER_SENSITIVITY_BAND[1]:.0%}', while the scenario values are "
            f"{PAPER_E_PESSIMISTIC}-{PAPER_E_OPTIMISTIC}.",
        ),
        Inconsistency(
            "$1.80 is out of Table 3's reach",
            f"under Table 3 the largest standard deviation of the price P_t itself over 0-36 "
            f"months is ${max_sd:.2f} (at month {max_sd_month:.1f}, closed form); a 12-month "
            "average cost varies less than "
            "P_t, so an unhedged sd of $1.80 cannot come from this model.",
        ),
        Inconsistency(
            "~35 % short-term volatility",
            f"the diffusion alone has sigma = {PAPER_TABLE3.sigma:.0%}; with jumps the model's "
            f"annualised volatility is {_pct(short[0])} at 1 month and {_pct(short[1])} at 3 "
            "months: no horizon can show less than sigma at short terms, let alone 35 %.",
        ),
        Inconsistency(
            "gamma = 0.08 is '~8 % seasonal variation'",
            f"gamma moves the long-term mean theta_t, which X_t follows with lag: the price's "
            f"seasonal amplitude is gamma kappa / sqrt(kappa^2 + (2 pi / T)^2) = {_pct(damped)} "
            f"(the model's expected price deviates by {_pct(seasonal_swing)} at most), not 8 %.",
        ),
        Inconsistency(
            "62-78 % and the scenarios",
            "the abstract attaches 62-78 % to 'an application-layer demand explosion scenario' "
            "(one scenario); §8.2 to 'all three scenarios'.",
        ),
        Inconsistency(
            "U-shaped mean path",
            f"Figure 6's mean path is said to fall and then rise, but Table 3 has one linear "
            f"downward trend (beta = {PAPER_TABLE3.beta}) and no demand phase change, so "
            "nothing in the model turns the mean up late in the horizon (our simulated shape is "
            "in the comparison table).",
        ),
    ]
