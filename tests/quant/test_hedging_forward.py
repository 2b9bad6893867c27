"""The model's own forward (eq. 13 with A(t,T), jumps on) prices the monthly futures without bias."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.procurement import (
    ProcurementOutcome,
    ProcurementProgram,
    model_forward,
    simulate_procurement,
)


@pytest.fixture(scope="module")
def outcome() -> ProcurementOutcome:
    program = ProcurementProgram(months=6, days_per_month=7, settlement_fixes=7)
    return simulate_procurement(
        PAPER_TABLE3,
        program,
        model_forward(PAPER_TABLE3),
        20_000,
        np.random.default_rng(2026),
    )


def test_strip_prices_match_the_simulated_monthly_index(outcome: ProcurementOutcome) -> None:
    index = outcome.monthly_index
    se = index.std(axis=0, ddof=1) / math.sqrt(index.shape[0])
    assert np.all(np.abs(index.mean(axis=0) - outcome.strip_prices) < 4 * se)


def test_rolled_forwards_are_martingale_forecasts(outcome: ProcurementOutcome) -> None:
    # E[F(t_m, month m) | F_0] = F(0, month m) when the market price of risk is 0
    roll = outcome.roll_prices
    se = roll.std(axis=0, ddof=1) / math.sqrt(roll.shape[0])
    assert np.all(np.abs(roll.mean(axis=0) - outcome.strip_prices) < 4 * se + 1e-12)
    # and each roll price forecasts its own month's index: the payoff averages to zero
    payoff = outcome.monthly_index - roll
    pse = payoff.std(axis=0, ddof=1) / math.sqrt(payoff.shape[0])
    assert np.all(np.abs(payoff.mean(axis=0)) < 4 * pse)


def test_forward_is_affine_in_the_state() -> None:
    forward = model_forward(PAPER_TABLE3)
    mats = np.array([0.3, 0.5, 1.0])
    x = np.array([-0.5, 0.0, 0.7])
    values = forward(0.25, mats, x)
    assert values.shape == (3, 3)
    decay = np.exp(-PAPER_TABLE3.kappa * (mats - 0.25))
    assert np.log(values[2] / values[0]) == pytest.approx(1.2 * decay)
