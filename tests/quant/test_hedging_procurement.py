"""The 12-month procurement program: strip and rolling hedges on exact TPI paths."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.quant.procurement import (
    ProcurementOutcome,
    ProcurementProgram,
    simulate_procurement,
)

KAPPA, THETA, SIGMA = 3.0, math.log(2.0), 0.5
OU = JumpDiffusionParams(
    kappa=KAPPA,
    theta0=THETA,
    beta=0.0,
    sigma=SIGMA,
    jump_intensity=0.0,
    jump_mean=0.0,
    jump_std=0.0,
    season_amplitude=0.0,
    season_period=1.0,
    x0=math.log(1.5),
)


def ou_forward(t: float, maturities: np.ndarray, x_t: np.ndarray) -> np.ndarray:
    """Textbook F(t,T) of a plain OU in logs: exp(E[X_T] + Var[X_T] / 2), written independently."""
    tau = np.asarray(maturities)[None, :] - t
    mean = THETA + (np.asarray(x_t)[:, None] - THETA) * np.exp(-KAPPA * tau)
    var = SIGMA**2 * (1 - np.exp(-2 * KAPPA * tau)) / (2 * KAPPA)
    return np.exp(mean + var / 2)


def run(program: ProcurementProgram, n: int = 4_000, seed: int = 11) -> ProcurementOutcome:
    return simulate_procurement(OU, program, ou_forward, n, np.random.default_rng(seed))


@pytest.fixture(scope="module")
def with_basis() -> ProcurementOutcome:
    return run(ProcurementProgram(days_per_month=5, settlement_fixes=5))


def test_without_basis_a_full_strip_locks_the_cost() -> None:
    # a whole-month settlement window: the exposure is exactly the settlement measure
    outcome = run(ProcurementProgram(days_per_month=5, basis_sigma=0.0, settlement_fixes=5), n=500)
    hedged = outcome.cost - outcome.strip_payoff
    assert np.allclose(hedged, outcome.strip_prices.mean())
    assert outcome.strip().ratio == pytest.approx(1.0)


def test_a_window_shorter_than_the_month_leaves_a_window_basis() -> None:
    # the listed contract's window (ADR 0130): 3 of the month's 5 fixes settle the future
    program = ProcurementProgram(days_per_month=5, basis_sigma=0.0, settlement_fixes=3)
    outcome = run(program, n=2_000)
    index = outcome.settlement_index
    assert np.allclose(index, outcome.monthly_index) is False
    se = index.std(axis=0, ddof=1) / math.sqrt(index.shape[0])
    assert np.all(np.abs(index.mean(axis=0) - outcome.strip_prices) < 4 * se)
    hedged = outcome.cost - outcome.strip_payoff
    assert hedged.std() > 0.0  # no longer locked
    assert 0.8 < outcome.strip().variance_reduction < 1.0


def test_strip_prices_are_unbiased_forecasts_of_the_monthly_index(
    with_basis: ProcurementOutcome,
) -> None:
    index = with_basis.monthly_index
    se = index.std(axis=0, ddof=1) / math.sqrt(index.shape[0])
    assert np.all(np.abs(index.mean(axis=0) - with_basis.strip_prices) < 4 * se)
    assert with_basis.roll_prices[:, 0] == pytest.approx(with_basis.strip_prices[0])


def test_hedging_reduces_variance_and_h_star_is_the_grid_minimum(
    with_basis: ProcurementOutcome,
) -> None:
    best = with_basis.strip()
    assert best.sd_hedged < best.sd_unhedged
    assert 0.5 < best.variance_reduction < 1.0
    grid = np.linspace(0.0, 2.0, 41)
    sds = [with_basis.strip(float(h)).sd_hedged for h in grid]
    assert best.sd_hedged <= min(sds) + 1e-12
    assert abs(grid[int(np.argmin(sds))] - best.ratio) <= 0.05 + 1e-9


def test_rolling_front_month_hedges_less_than_the_strip(with_basis: ProcurementOutcome) -> None:
    assert with_basis.rolling(1.0).variance_reduction < with_basis.strip(1.0).variance_reduction
    assert with_basis.rolling().sd_hedged < with_basis.rolling(0.0).sd_hedged
    assert with_basis.roll_effect()[0] == pytest.approx(0.0)
    assert with_basis.roll_effect().shape == (12,)


def test_same_seed_same_outcome() -> None:
    program = ProcurementProgram(months=3, days_per_month=4, settlement_fixes=2)
    a, b = run(program, n=200, seed=5), run(program, n=200, seed=5)
    assert np.array_equal(a.cost, b.cost)
    assert np.array_equal(a.rolling_payoff, b.rolling_payoff)


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"months": 0}, "months"),
        ({"days_per_month": 0}, "days_per_month"),
        ({"basis_sigma": -0.1}, "basis_sigma"),
        ({"basis_kappa": 0.0}, "basis_kappa"),
        ({"settlement_fixes": 0}, "settlement_fixes"),
        ({"settlement_fixes": 22}, "settlement_fixes"),
    ],
)
def test_bad_program_names_the_parameter(changes: dict[str, float], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        ProcurementProgram(**{"settlement_fixes": 13, **changes})  # type: ignore[arg-type]
