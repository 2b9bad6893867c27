"""Scenarios defined through the supply model and demand growth (ADR 0151)."""

from __future__ import annotations

import math

import pytest

from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.scenarios import (
    BASELINE,
    OPTIMISTIC,
    PESSIMISTIC,
    Scenario,
    scenario,
    scenario_params,
)
from tokenfutures.quant.supply import SupplyGrowth


def test_baseline_reproduces_table_3() -> None:
    params = scenario_params(BASELINE)
    assert params.beta == pytest.approx(PAPER_TABLE3.beta)
    assert params.jump_intensity == pytest.approx(PAPER_TABLE3.jump_intensity)
    assert params.jump_mean == pytest.approx(PAPER_TABLE3.jump_mean)
    assert params.sigma == pytest.approx(PAPER_TABLE3.sigma)
    assert params.kappa == PAPER_TABLE3.kappa


def test_demand_explosion_raises_trend_jumps_and_volatility() -> None:
    base, opt = scenario_params(BASELINE), scenario_params(OPTIMISTIC)
    r = math.log(2.5) / math.log(2.0)
    assert opt.beta > base.beta
    assert opt.jump_intensity == pytest.approx(3.0 * r)
    assert opt.jump_mean == pytest.approx(0.10 * r)
    assert opt.sigma == pytest.approx(0.40 * math.sqrt(r))


def test_faster_tech_progress_steepens_the_decline_by_the_cost_drift() -> None:
    base, pess = scenario_params(BASELINE), scenario_params(PESSIMISTIC)
    extra = PESSIMISTIC.supply.cost_log_drift - BASELINE.supply.cost_log_drift
    assert extra < 0
    assert pess.beta == pytest.approx(base.beta + extra)
    assert pess.jump_intensity == base.jump_intensity


def test_unknown_scenario_and_bad_demand() -> None:
    assert scenario("optimistic") is OPTIMISTIC
    with pytest.raises(ValueError, match="scenario"):
        scenario("moon")
    with pytest.raises(ValueError, match="demand_growth"):
        Scenario("x", "x", SupplyGrowth(1.0, 1.0, 1.0), -1.0)
