"""Scenario evaluation and the §8.3 sensitivity cases."""

from __future__ import annotations

import numpy as np
import pytest

from tokenfutures.quant.procurement import ProcurementProgram, model_forward
from tokenfutures.quant.scenarios import BASELINE, named_params, scenario_params
from tokenfutures.quant.sensitivity import evaluate, run_sensitivity, sensitivity_cases

PROGRAM = ProcurementProgram(days_per_month=4, settlement_fixes=4)


def test_cases_cover_the_papers_three_factors() -> None:
    factors = {c.factor for c in sensitivity_cases()}
    assert factors == {"algorithm efficiency", "GPU iteration cycle", "demand growth"}
    settings = [c.setting for c in sensitivity_cases()]
    assert "1.5x per year" in settings
    assert "3x per year" in settings
    assert "150 % per year" in settings


def test_evaluation_is_deterministic_and_consistent() -> None:
    params = scenario_params(BASELINE)
    a = evaluate(params, PROGRAM, model_forward(params), 400, 9)
    b = evaluate(params, PROGRAM, model_forward(params), 400, 9)
    assert a.to_dict() == b.to_dict()
    assert a.strip_optimal.sd_hedged <= a.strip_full.sd_hedged
    q = a.horizon_quantiles
    assert q[0.05] < q[0.5] < q[0.95]


def test_faster_tech_lowers_prices_and_more_demand_raises_them() -> None:
    results = {c.scenario.name: e for c, e in run_sensitivity(PROGRAM, model_forward, 400, seed=4)}
    assert len(results) == 8
    assert results["algo-3x"].horizon_mean < results["algo-1.5x"].horizon_mean
    assert results["gpu-18m"].horizon_mean < results["gpu-24m"].horizon_mean
    demand = [results[f"demand-{g}"].horizon_quantiles[0.95] for g in (50, 90, 100, 150)]
    assert demand == sorted(demand)


def test_named_params() -> None:
    assert named_params("paper") == named_params("baseline").with_changes(
        beta=named_params("paper").beta
    )
    assert named_params("optimistic").jump_intensity > 3.0
    with pytest.raises(ValueError, match="preset"):
        named_params("moon")
    assert np.isclose(named_params("baseline").beta, -0.35)
