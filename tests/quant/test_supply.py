"""The three-factor supply model (paper eq. 1-3)."""

from __future__ import annotations

import math

import pytest

from tokenfutures.quant.supply import (
    SupplyFactors,
    SupplyGrowth,
    annual_factor_from_cycle,
    marginal_cost,
    token_supply,
)

FACTORS = SupplyFactors(energy_cost=0.10, hardware_efficiency=4.0e9, algorithm_efficiency=2.5e-3)


def test_supply_and_marginal_cost_follow_eq_1_and_3() -> None:
    assert token_supply(FACTORS, 1_000.0) == pytest.approx(4.0e9 * 2.5e-3 / 0.10 * 1_000.0)
    assert marginal_cost(FACTORS) == pytest.approx(0.10 / (4.0e9 * 2.5e-3))
    # supply per unit investment is the reciprocal of marginal cost
    assert token_supply(FACTORS, 1.0) * marginal_cost(FACTORS) == pytest.approx(1.0)


def test_growth_rates_add_in_logs() -> None:
    growth = SupplyGrowth(energy_cost=1.05, hardware_efficiency=1.4, algorithm_efficiency=3.0)
    assert growth.supply_log_growth == pytest.approx(math.log(1.4 * 3.0 / 1.05))
    later = growth.factors_at(FACTORS, 2.0)
    ratio = marginal_cost(later) / marginal_cost(FACTORS)
    assert math.log(ratio) == pytest.approx(2.0 * growth.cost_log_drift)


def test_gpu_generation_cycle() -> None:
    assert annual_factor_from_cycle(2.0, 12.0) == pytest.approx(2.0)
    assert annual_factor_from_cycle(2.0, 24.0) == pytest.approx(math.sqrt(2.0))
    assert annual_factor_from_cycle(2.0, 18.0) > annual_factor_from_cycle(2.0, 24.0)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: SupplyFactors(0.0, 1.0, 1.0), "energy_cost"),
        (lambda: SupplyFactors(1.0, -1.0, 1.0), "hardware_efficiency"),
        (lambda: SupplyGrowth(1.0, 1.0, math.nan), "algorithm_efficiency_growth"),
        (lambda: token_supply(FACTORS, 0.0), "investment"),
        (lambda: annual_factor_from_cycle(2.0, 0.0), "cycle_months"),
    ],
)
def test_bad_input_names_the_parameter(call: object, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()  # type: ignore[operator]
