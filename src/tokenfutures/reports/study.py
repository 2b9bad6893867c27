"""The paper's §8 study, computed: Figure 6 Monte Carlo, hedging per scenario and the §8.3 sensitivity.

Seeds: the Monte Carlo run uses ``seed`` itself (the engine spawns its chunk streams from it);
the scenario and sensitivity evaluations use one derived seed, ``SeedSequence([seed, 1])``, shared
by every case (common random numbers), so cases differ only through their parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.hedging import HedgeEffectiveness
from tokenfutures.quant.montecarlo import MonteCarloResult, run_monte_carlo
from tokenfutures.quant.params import PAPER_TABLE3, JumpDiffusionParams
from tokenfutures.quant.process import uniform_grid
from tokenfutures.quant.procurement import ProcurementProgram, model_forward
from tokenfutures.quant.scenarios import SCENARIOS, scenario_params
from tokenfutures.quant.sensitivity import (
    Evaluation,
    SensitivityCase,
    basis_sweep,
    evaluate,
    run_sensitivity,
    sensitivity_cases,
)
from tokenfutures.reports.backtest import BacktestResults
from tokenfutures.reports.surface import EffectivenessSurface, effectiveness_surface
from tokenfutures.reports.windows import study_program

#: progress(stage, done, total): called as work completes (stages: "monte carlo", "scenarios",
#: "sensitivity", "basis", "surface").
StudyProgress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    del stage, done, total


@dataclass(frozen=True, slots=True)
class StudySettings:
    """What to run: paths, seed, the Figure 6 grid and the procurement program."""

    n_paths: int
    seed: int
    years: float = 3.0
    steps_per_year: int = 252
    program: ProcurementProgram = field(default_factory=study_program)

    def __post_init__(self) -> None:
        if isinstance(self.n_paths, bool) or self.n_paths <= 0:
            raise InvalidParameterError("paths", self.n_paths, "a positive integer")
        if self.seed < 0:
            raise InvalidParameterError("seed", self.seed, "a non-negative integer")
        if not self.years > 0:
            raise InvalidParameterError("years", self.years, "> 0")
        if self.steps_per_year <= 0:
            raise InvalidParameterError("steps_per_year", self.steps_per_year, "> 0")

    @property
    def case_seed(self) -> int:
        """The derived seed shared by the scenario and sensitivity evaluations."""
        return int(np.random.SeedSequence([self.seed, 1]).generate_state(1, np.uint64)[0])

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        p = self.program
        return {
            "paths": self.n_paths,
            "seed": self.seed,
            "case_seed": self.case_seed,
            "years": self.years,
            "steps_per_year": self.steps_per_year,
            "program": {
                "months": p.months,
                "days_per_month": p.days_per_month,
                "basis_sigma": p.basis_sigma,
                "basis_kappa": p.basis_kappa,
                "settlement_fixes": p.settlement_fixes,
            },
        }


@dataclass(frozen=True, slots=True)
class CalibratedStudy:
    """The Figure 6 run and the baseline hedge on a calibrated preset (same grid, seeds, program)."""

    name: str
    params: JumpDiffusionParams
    monte_carlo: MonteCarloResult
    baseline: Evaluation

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "preset": self.name,
            "params": self.params.to_dict(),
            "monte_carlo": self.monte_carlo.to_dict(),
            "baseline": self.baseline.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ComparisonSeries:
    """The real-data runs repeated on a second index series, shown beside the settlement
    series' (issue 12: both tpi-1.0 and tpi-2.0 stay in the report)."""

    series: str
    backtest: BacktestResults | None = None
    calibrated: CalibratedStudy | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "series": self.series,
            "backtest": self.backtest.to_dict() if self.backtest else None,
            "calibrated": self.calibrated.to_dict() if self.calibrated else None,
        }


@dataclass(frozen=True, slots=True)
class StudyResults:
    """Everything the reproduction report shows."""

    settings: StudySettings
    monte_carlo: MonteCarloResult
    scenarios: dict[str, Evaluation]
    sensitivity: list[tuple[SensitivityCase, Evaluation]]
    basis: list[tuple[float, HedgeEffectiveness]]
    surface: EffectivenessSurface | None = None
    backtest: BacktestResults | None = None
    calibrated: CalibratedStudy | None = None
    backtest_series: str | None = None
    comparison: ComparisonSeries | None = None


def run_calibrated(
    settings: StudySettings, name: str, params: JumpDiffusionParams
) -> CalibratedStudy:
    """The Figure 6 Monte Carlo and the baseline procurement hedge on ``params``."""
    mc = run_monte_carlo(params, _grid(settings), settings.n_paths, settings.seed)
    return CalibratedStudy(name, params, mc, _evaluate(settings, params))


def _grid(settings: StudySettings) -> NDArray[np.float64]:
    """The study's Monte Carlo time grid: ``years`` at ``steps_per_year`` (one step at least)."""
    return uniform_grid(settings.years, max(1, round(settings.years * settings.steps_per_year)))


def _evaluate(settings: StudySettings, params: JumpDiffusionParams) -> Evaluation:
    """The procurement hedge of the study's program on ``params`` (its own forward curve)."""
    return evaluate(
        params,
        settings.program,
        model_forward(params),
        settings.n_paths,
        settings.case_seed,
        settings.years,
    )


def run_study(
    settings: StudySettings,
    progress: StudyProgress | None = None,
    calibrated: tuple[str, JumpDiffusionParams] | None = None,
) -> StudyResults:
    """Run the whole study; deterministic for a given ``settings`` (seed included).

    ``calibrated`` (a preset's name and parameters) adds the calibrated column's runs.
    """
    tell = progress or _no_progress
    mc = run_monte_carlo(
        PAPER_TABLE3,
        _grid(settings),
        settings.n_paths,
        settings.seed,
        progress=lambda done, total: tell("monte carlo", done, total),
    )
    evaluations: dict[str, Evaluation] = {}
    for k, (name, sc) in enumerate(SCENARIOS.items()):
        evaluations[name] = _evaluate(settings, scenario_params(sc))
        tell("scenarios", k + 1, len(SCENARIOS))
    done, n_cases = [0], len(sensitivity_cases())

    def case_done(name: str) -> None:
        del name
        done[0] += 1
        tell("sensitivity", done[0], n_cases)

    sensitivity = run_sensitivity(
        settings.program, model_forward, settings.n_paths, settings.case_seed, case_done
    )
    base = scenario_params(SCENARIOS["baseline"])
    basis = basis_sweep(
        base, settings.program, model_forward(base), settings.n_paths, settings.case_seed
    )
    tell("basis", 1, 1)
    surface = effectiveness_surface(settings.program, settings.n_paths, settings.case_seed)
    tell("surface", 1, 1)
    cal = None
    if calibrated is not None:
        cal = run_calibrated(settings, *calibrated)
        tell("calibrated", 1, 1)
    return StudyResults(settings, mc, evaluations, sensitivity, basis, surface, calibrated=cal)
