"""Scenario evaluation and the paper's §8.3 sensitivity analysis (hedge value and 36-month levels).

Every case is a :class:`~tokenfutures.quant.scenarios.Scenario` (supply growth + demand growth)
mapped onto the price model, then evaluated with the same seed (common random numbers): the
12-month procurement program's strip hedge at h* and at h = 1, the rolling hedge at h*, and
the distribution of the TPI at the horizon (36 months in the paper).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tokenfutures.quant.hedging import HedgeEffectiveness
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.quant.process import simulate_log_paths, uniform_grid
from tokenfutures.quant.procurement import (
    ForwardFunction,
    ProcurementOutcome,
    ProcurementProgram,
    simulate_procurement,
)
from tokenfutures.quant.scenarios import (
    BASELINE,
    BASELINE_DEMAND_GROWTH,
    BASELINE_SUPPLY,
    Scenario,
    scenario_params,
)
from tokenfutures.quant.supply import SupplyGrowth, annual_factor_from_cycle

ForwardFactory = Callable[[JumpDiffusionParams], ForwardFunction]
#: The paper's "90 % upper bound" is the top of a central 90 % band: the 95th percentile.
HORIZON_LEVELS = (0.05, 0.5, 0.95)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Hedging and horizon-price results of one parameter set (``outcome`` keeps the per-path data)."""

    params: JumpDiffusionParams
    outcome: ProcurementOutcome
    mean_cost: float
    strip_optimal: HedgeEffectiveness
    strip_full: HedgeEffectiveness
    rolling_optimal: HedgeEffectiveness
    mean_roll_effect: float
    horizon_years: float
    horizon_mean: float
    horizon_quantiles: dict[float, float]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "params": self.params.to_dict(),
            "mean_cost": self.mean_cost,
            "strip_optimal": self.strip_optimal.to_dict(),
            "strip_full": self.strip_full.to_dict(),
            "rolling_optimal": self.rolling_optimal.to_dict(),
            "mean_roll_effect": self.mean_roll_effect,
            "horizon_years": self.horizon_years,
            "horizon_mean": self.horizon_mean,
            "horizon_quantiles": {str(k): v for k, v in self.horizon_quantiles.items()},
        }


def evaluate(
    params: JumpDiffusionParams,
    program: ProcurementProgram,
    forward: ForwardFunction,
    n_paths: int,
    seed: int,
    horizon_years: float = 3.0,
) -> Evaluation:
    """Run the procurement program and the horizon distribution for one parameter set.

    The procurement paths use ``SeedSequence(seed).spawn(2)[0]``, the monthly horizon paths
    the second child, so every parameter set sees the same random streams.
    """
    program_seed, horizon_seed = np.random.SeedSequence(seed).spawn(2)
    outcome = simulate_procurement(
        params, program, forward, n_paths, np.random.default_rng(program_seed)
    )
    months = max(1, round(12 * horizon_years))
    log_paths = simulate_log_paths(
        params, uniform_grid(horizon_years, months), n_paths, np.random.default_rng(horizon_seed)
    )
    terminal = np.exp(log_paths[:, -1])
    quantiles = np.quantile(terminal, HORIZON_LEVELS)
    return Evaluation(
        params=params,
        outcome=outcome,
        mean_cost=float(outcome.cost.mean()),
        strip_optimal=outcome.strip(),
        strip_full=outcome.strip(1.0),
        rolling_optimal=outcome.rolling(),
        mean_roll_effect=float(outcome.roll_effect().mean()),
        horizon_years=horizon_years,
        horizon_mean=float(terminal.mean()),
        horizon_quantiles={q: float(v) for q, v in zip(HORIZON_LEVELS, quantiles, strict=True)},
    )


@dataclass(frozen=True, slots=True)
class SensitivityCase:
    """One row of the sensitivity study: which input moves, to what, and the scenario it gives."""

    factor: str
    setting: str
    scenario: Scenario


def _with_supply(
    *, algorithm: float | None = None, cycle_months: float | None = None
) -> SupplyGrowth:
    return SupplyGrowth(
        energy_cost=BASELINE_SUPPLY.energy_cost,
        hardware_efficiency=(
            BASELINE_SUPPLY.hardware_efficiency
            if cycle_months is None
            else annual_factor_from_cycle(2.0, cycle_months)
        ),
        algorithm_efficiency=(
            BASELINE_SUPPLY.algorithm_efficiency if algorithm is None else algorithm
        ),
    )


def sensitivity_cases() -> list[SensitivityCase]:
    """The §8.3 cases: algorithm efficiency 1.5x/3x a year, GPU cycle 18/24 months, demand 50-150 %/yr."""
    cases = [
        SensitivityCase(
            "algorithm efficiency",
            f"{a:g}x per year",
            Scenario(f"algo-{a:g}x", f"algorithms {a:g}x/yr", _with_supply(algorithm=a), 1.0),
        )
        for a in (1.5, 3.0)
    ]
    cases += [
        SensitivityCase(
            "GPU iteration cycle",
            f"{c:g} months",
            Scenario(
                f"gpu-{c:g}m",
                f"GPU 2x every {c:g} months",
                _with_supply(cycle_months=c),
                BASELINE_DEMAND_GROWTH,
            ),
        )
        for c in (18.0, 24.0)
    ]
    cases += [
        SensitivityCase(
            "demand growth",
            f"{100 * g:.0f} % per year",
            Scenario(f"demand-{100 * g:.0f}", f"demand +{100 * g:.0f} %/yr", BASELINE.supply, g),
        )
        for g in (0.5, 0.9, 1.0, 1.5)
    ]
    return cases


def run_sensitivity(
    program: ProcurementProgram,
    forward_factory: ForwardFactory,
    n_paths: int,
    seed: int,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[SensitivityCase, Evaluation]]:
    """Evaluate every sensitivity case with the same seed; ``progress`` is told each case's name."""
    results = []
    for case in sensitivity_cases():
        params = scenario_params(case.scenario)
        results.append((case, evaluate(params, program, forward_factory(params), n_paths, seed)))
        if progress is not None:
            progress(case.scenario.name)
    return results


#: Provider-basis volatilities of the sweep (0 = only the window basis is left, ADR 0130).
BASIS_SIGMAS = (0.0, 0.10, 0.25, 0.40)


def basis_sweep(
    params: JumpDiffusionParams,
    program: ProcurementProgram,
    forward: ForwardFunction,
    n_paths: int,
    seed: int,
    sigmas: tuple[float, ...] = BASIS_SIGMAS,
) -> list[tuple[float, HedgeEffectiveness]]:
    """Strip-hedge effectiveness at h* as the provider basis volatility varies (same TPI paths)."""
    out = []
    for sigma in sigmas:
        outcome = simulate_procurement(
            params,
            replace(program, basis_sigma=sigma),
            forward,
            n_paths,
            np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0]),
        )
        out.append((sigma, outcome.strip()))
    return out


def spread(values: list[float]) -> tuple[float, float]:
    """(min, max) of some results, for "remains 80-89 %"-style summaries."""
    finite = [v for v in values if math.isfinite(v)]
    return (min(finite), max(finite)) if finite else (math.nan, math.nan)
