"""The paper's three scenarios, defined through the supply model and a demand-growth rate (ADR 0151).

The paper names baseline / optimistic (VLA demand explosion) / pessimistic (accelerated tech
progress) but gives no parameters. A scenario here is supply growth (three factors) plus an
annual demand growth g_D, mapped onto the price model as follows (r = demand intensity relative
to the baseline, r = ln(1 + g_D) / ln(1 + g_D,base)):

- beta = c + psi ln(1 + g_D): the trend of the long-term mean is the marginal-cost drift
  c = g_E - g_H - g_A (eq. 1-3) plus a demand pass-through psi, calibrated so the baseline
  reproduces Table 3's beta = -0.35 exactly;
- lambda = lambda_0 r and mu_J = mu_J0 r: faster demand growth brings more and larger upward
  demand shocks (killer-app launches, §3.3);
- sigma = sigma_0 sqrt(r): diffusion variance grows with the rate of demand news, as the
  low-elasticity tiers (§3.2) take a larger share.

kappa, theta_0, sigma_J, gamma, T_season and X_0 stay at Table 3. The preset ``paper`` stays
Table 3 itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.params import (
    CALIBRATED,
    PAPER_TABLE3,
    PRESETS,
    JumpDiffusionParams,
    preset,
)
from tokenfutures.quant.supply import SupplyGrowth, annual_factor_from_cycle

#: Baseline supply: flat energy cost, GPUs 2x per 24-month generation, algorithms 2x a year.
BASELINE_SUPPLY = SupplyGrowth(
    energy_cost=1.0,
    hardware_efficiency=annual_factor_from_cycle(2.0, 24.0),
    algorithm_efficiency=2.0,
)
#: Baseline ("moderate") demand growth: +100 % a year.
BASELINE_DEMAND_GROWTH = 1.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named scenario: supply-factor growth plus annual demand growth (1.0 = +100 %/yr)."""

    name: str
    description: str
    supply: SupplyGrowth
    demand_growth: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.demand_growth) and self.demand_growth > -1.0):
            raise InvalidParameterError("demand_growth", self.demand_growth, "> -1 (i.e. > -100 %)")


def demand_passthrough(
    reference: JumpDiffusionParams = PAPER_TABLE3,
    supply: SupplyGrowth = BASELINE_SUPPLY,
    demand_growth: float = BASELINE_DEMAND_GROWTH,
) -> float:
    """psi such that c + psi ln(1 + g_D) equals the reference beta for the baseline inputs."""
    return (reference.beta - supply.cost_log_drift) / math.log1p(demand_growth)


def demand_intensity(demand_growth: float) -> float:
    """r = ln(1 + g_D) / ln(1 + g_D,base): demand growth relative to the baseline, in log terms."""
    if not (math.isfinite(demand_growth) and demand_growth > 0.0):
        raise InvalidParameterError("demand_growth", demand_growth, "> 0 for the jump mapping")
    return math.log1p(demand_growth) / math.log1p(BASELINE_DEMAND_GROWTH)


def scenario_params(
    scenario: Scenario, reference: JumpDiffusionParams = PAPER_TABLE3
) -> JumpDiffusionParams:
    """Map a scenario onto beta, lambda, mu_J and sigma of the price model (module docstring)."""
    r = demand_intensity(scenario.demand_growth)
    psi = demand_passthrough(reference)
    return reference.with_changes(
        beta=scenario.supply.cost_log_drift + psi * math.log1p(scenario.demand_growth),
        jump_intensity=reference.jump_intensity * r,
        jump_mean=reference.jump_mean * r,
        sigma=reference.sigma * math.sqrt(r),
    )


BASELINE = Scenario(
    "baseline",
    "moderate demand growth (+100 %/yr); baseline supply; reproduces Table 3",
    BASELINE_SUPPLY,
    BASELINE_DEMAND_GROWTH,
)
OPTIMISTIC = Scenario(
    "optimistic",
    "VLA demand explosion (+150 %/yr); baseline supply",
    BASELINE_SUPPLY,
    1.5,
)
PESSIMISTIC = Scenario(
    "pessimistic",
    "accelerated tech progress: algorithms 3x/yr, GPU generation every 18 months; +100 %/yr demand",
    SupplyGrowth(
        energy_cost=1.0,
        hardware_efficiency=annual_factor_from_cycle(2.0, 18.0),
        algorithm_efficiency=3.0,
    ),
    BASELINE_DEMAND_GROWTH,
)

SCENARIOS: dict[str, Scenario] = {s.name: s for s in (BASELINE, OPTIMISTIC, PESSIMISTIC)}


def scenario(name: str) -> Scenario:
    """A named scenario; raises ``ValueError`` naming the known ones otherwise."""
    try:
        return SCENARIOS[name]
    except KeyError:
        known = ", ".join(SCENARIOS)
        raise InvalidParameterError("scenario", name, f"one of: {known}") from None


def named_params(name: str) -> JumpDiffusionParams:
    """Parameters by name: a preset of ``params.PRESETS`` (e.g. ``paper``) or a scenario name."""
    if name in PRESETS or name == CALIBRATED:
        return preset(name)
    if name in SCENARIOS:
        return scenario_params(SCENARIOS[name])
    known = ", ".join([*sorted(PRESETS), CALIBRATED, *SCENARIOS])
    raise InvalidParameterError("preset", name, f"one of: {known}")
