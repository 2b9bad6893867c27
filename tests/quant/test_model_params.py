"""Bad parameters raise a ValueError that names the parameter; presets and the Q measure."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tokenfutures.quant.models import GBMParams, simulate_gbm_log_paths
from tokenfutures.quant.moments import forward_curve, log_moments
from tokenfutures.quant.montecarlo import run_monte_carlo, simulate_log_paths_fast
from tokenfutures.quant.params import PAPER_TABLE3, preset
from tokenfutures.quant.process import simulate_log_paths, uniform_grid


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("kappa", 0.0),
        ("kappa", -1.0),
        ("sigma", -0.1),
        ("jump_intensity", -0.5),
        ("jump_std", -0.1),
        ("season_period", 0.0),
        ("season_period", -1.0),
        ("theta0", math.nan),
        ("x0", math.inf),
    ],
)
def test_bad_model_parameter_names_itself(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        PAPER_TABLE3.with_changes(**{name: value})


def test_unknown_preset_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"preset.*paper"):
        preset("no-such-preset")


def test_gbm_rejects_negative_sigma() -> None:
    with pytest.raises(ValueError, match="sigma"):
        GBMParams(mu=0.1, sigma=-0.2, x0=0.0)


@pytest.mark.parametrize("n_paths", [0, -5])
def test_non_positive_paths_are_rejected_everywhere(n_paths: int) -> None:
    grid = uniform_grid(1.0, 12)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="paths"):
        run_monte_carlo(PAPER_TABLE3, grid, n_paths, seed=1)
    with pytest.raises(ValueError, match="paths"):
        simulate_log_paths_fast(PAPER_TABLE3, grid, n_paths, seed=1)
    with pytest.raises(ValueError, match="paths"):
        simulate_log_paths(PAPER_TABLE3, grid, n_paths, rng)
    with pytest.raises(ValueError, match="paths"):
        simulate_gbm_log_paths(GBMParams(0.0, 0.2, 0.0), grid, n_paths, rng)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"seed": -1}, "seed"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"workers": 0}, "workers"),
    ],
)
def test_bad_run_settings_name_themselves(kwargs: dict[str, int], name: str) -> None:
    settings = {"seed": 1, **kwargs}
    seed = settings.pop("seed")
    with pytest.raises(ValueError, match=name):
        run_monte_carlo(PAPER_TABLE3, uniform_grid(1.0, 12), 100, seed, **settings)


def test_bad_grids_and_maturities_are_rejected() -> None:
    with pytest.raises(ValueError, match="times"):
        run_monte_carlo(PAPER_TABLE3, np.array([0.0, 0.5, 0.4]), 10, seed=1)
    with pytest.raises(ValueError, match="times"):
        run_monte_carlo(PAPER_TABLE3, np.array([0.1, 0.5]), 10, seed=1)
    with pytest.raises(ValueError, match="T"):
        log_moments(PAPER_TABLE3, [0.5], t=1.0, x_t=0.0)
    with pytest.raises(ValueError, match="x_t"):
        forward_curve(PAPER_TABLE3, [2.0], t=1.0)
    with pytest.raises(ValueError, match="measure"):
        log_moments(PAPER_TABLE3, [1.0], measure="R")  # type: ignore[arg-type]


def test_risk_neutral_shifts_the_long_term_mean_by_the_risk_premium() -> None:
    p = PAPER_TABLE3.with_changes(market_price_of_risk=0.5)
    q = p.risk_neutral()
    assert q.theta0 == pytest.approx(p.theta0 - 0.5 * 0.40 / 2.5)
    assert q.market_price_of_risk == 0.0
    assert (q.kappa, q.sigma, q.jump_intensity) == (p.kappa, p.sigma, p.jump_intensity)


@pytest.mark.parametrize(("years", "steps", "name"), [(0.0, 10, "years"), (1.0, 0, "steps")])
def test_uniform_grid_rejects_empty_horizons(years: float, steps: int, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        uniform_grid(years, steps)
