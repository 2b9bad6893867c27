"""run_monte_carlo: streamed statistics equal those of the same paths, reproducibly."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from tokenfutures.quant.models import GBMParams
from tokenfutures.quant.moments import expected_price, log_moments
from tokenfutures.quant.montecarlo import MonteCarloResult, run_monte_carlo, simulate_log_paths_fast
from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.process import uniform_grid
from tokenfutures.quant.streaming import HistogramGrid

GRID = uniform_grid(3.0, 36 * 4)  # weekly-ish, 3 years
N, SEED, CHUNK = 12_000, 7, 2_500


@pytest.fixture(scope="module")
def result() -> MonteCarloResult:
    return run_monte_carlo(PAPER_TABLE3, GRID, N, SEED, chunk_size=CHUNK, workers=2)


@pytest.fixture(scope="module")
def paths() -> np.ndarray:
    """The very paths the run above streamed (same seed and chunk size, same draw order)."""
    return simulate_log_paths_fast(PAPER_TABLE3, GRID, N, SEED, chunk_size=CHUNK)


def test_terminal_and_samples_are_those_of_the_paths(
    result: MonteCarloResult, paths: np.ndarray
) -> None:
    np.testing.assert_allclose(result.terminal, np.exp(paths[:, -1]), rtol=1e-15)  # exp: 1 ulp
    np.testing.assert_allclose(result.sample_paths, np.exp(paths[:2]), rtol=1e-15)
    assert result.sample_paths.shape == (2, GRID.size)


def test_streamed_moments_equal_the_path_moments(
    result: MonteCarloResult, paths: np.ndarray
) -> None:
    prices = np.exp(paths)
    np.testing.assert_allclose(result.mean_path, prices.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(result.log_mean, paths.mean(axis=0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(result.log_var, paths.var(axis=0, ddof=1), rtol=1e-9, atol=1e-15)


def test_path_statistics_follow_their_definitions(
    result: MonteCarloResult, paths: np.ndarray
) -> None:
    prices = np.exp(paths)
    rise = prices / np.minimum.accumulate(prices, axis=1)
    swing = np.maximum.accumulate(prices, axis=1) / prices
    assert result.rise_share == pytest.approx(
        np.mean(rise.max(axis=1) >= 2.0 * (1 - 1e-12)), abs=1 / N
    )
    assert result.swing_share == pytest.approx(np.mean(swing.max(axis=1) > 5.0), abs=1 / N)
    assert 0.0 < result.swing_share < result.rise_share < 1.0


def test_vol_term_structure_is_the_annualised_std_of_log_changes(
    result: MonteCarloResult, paths: np.ndarray
) -> None:
    np.testing.assert_allclose(result.vol_horizons, [1 / 12, 0.25, 0.5, 1.0, 2.0, 3.0], atol=0.011)
    for tau, vol in zip(result.vol_horizons, result.vol_term_structure, strict=True):
        k = int(np.argmin(np.abs(GRID - tau)))
        direct = np.std(paths[:, k] - paths[:, 0], ddof=1) / math.sqrt(GRID[k])
        assert vol == pytest.approx(direct, rel=1e-9)
    # and the Monte Carlo curve sits on the closed-form one (std error of a std ~ 1/sqrt(2N))
    np.testing.assert_allclose(
        result.vol_term_structure, result.model_vol_term_structure, rtol=0.05
    )


def test_histogram_quantiles_are_within_their_documented_accuracy(
    result: MonteCarloResult, paths: np.ndarray
) -> None:
    _, var = log_moments(PAPER_TABLE3, GRID)
    bin_width = 20 * np.sqrt(var) / 4096
    for level, band in result.quantiles.items():
        exact = np.quantile(paths, level, axis=0)
        # one bin of log price plus the gap between adjacent order statistics
        tolerance = bin_width + 2e-3
        np.testing.assert_array_less(np.abs(np.log(band) - exact), tolerance + 1e-12)
    levels = sorted(result.quantiles)
    assert levels[0] <= 0.05
    assert levels[-1] >= 0.95
    assert all(
        np.all(result.quantiles[a] <= result.quantiles[b]) for a, b in itertools.pairwise(levels)
    )


def test_run_matches_closed_forms_within_three_standard_errors(result: MonteCarloResult) -> None:
    mean, var = log_moments(PAPER_TABLE3, GRID)
    price = expected_price(PAPER_TABLE3, GRID)
    for months in (1, 6, 12, 36):
        k = int(np.argmin(np.abs(GRID - months / 12)))
        assert abs(result.log_mean[k] - mean[k]) < 3 * math.sqrt(var[k] / N)
        se_var = var[k] * math.sqrt(2 / N) * 1.5  # excess kurtosis of the jump mixture is < 1.25
        assert abs(result.log_var[k] - var[k]) < 3 * se_var
    p_t = result.terminal
    assert abs(p_t.mean() - price[-1]) < 3 * p_t.std(ddof=1) / math.sqrt(N)


def test_workers_and_reruns_give_identical_results(result: MonteCarloResult) -> None:
    serial = run_monte_carlo(PAPER_TABLE3, GRID, N, SEED, chunk_size=CHUNK, workers=1)
    assert json.dumps(serial.to_dict(include_terminal=True)) == json.dumps(
        result.to_dict(include_terminal=True)
    )


def test_chunk_size_changes_draws_not_the_law(result: MonteCarloResult) -> None:
    whole = run_monte_carlo(PAPER_TABLE3, GRID, N, SEED, chunk_size=N)
    assert not np.array_equal(whole.terminal, result.terminal)
    se = result.terminal.std() / math.sqrt(N)
    assert abs(whole.terminal.mean() - result.terminal.mean()) < 4 * math.sqrt(2) * se


def test_progress_reports_every_chunk_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    run_monte_carlo(
        PAPER_TABLE3,
        uniform_grid(1.0, 12),
        1_000,
        1,
        chunk_size=300,
        progress=lambda d, t: seen.append((d, t)),
    )
    done = [d for d, _ in seen]
    assert len(done) == 4  # one call per chunk, in completion order
    assert done == sorted(done)
    assert done[-1] == 1_000
    assert {t for _, t in seen} == {1_000}


def test_to_dict_is_json_ready_with_seed_and_params(result: MonteCarloResult) -> None:
    data = json.loads(json.dumps(result.to_dict()))
    assert data["seed"] == SEED
    assert data["n_paths"] == N
    assert data["params"]["kappa"] == 2.5
    assert set(data["quantiles"]) >= {"0.05", "0.25", "0.5", "0.75", "0.95"}
    assert "terminal" not in data
    assert data["terminal_summary"]["mean"] > 0


def test_gbm_runs_through_the_engine() -> None:
    g = GBMParams(mu=0.1, sigma=0.3, x0=0.0)
    res = run_monte_carlo(g, uniform_grid(1.0, 12), 20_000, 3, chunk_size=5_000)
    assert res.log_mean[-1] == pytest.approx(0.1 - 0.045, abs=3 * 0.3 / math.sqrt(20_000))
    assert res.params == {"mu": 0.1, "sigma": 0.3, "x0": 0.0}


def test_histogram_quantiles_of_a_known_sample() -> None:
    grid = HistogramGrid.around(np.array([0.0]), np.array([1.0]), n_bins=2000, half_width_sds=5.0)
    counts = grid.empty_counts()
    values = np.linspace(-2.0, 2.0, 40_001)  # uniform on [-2, 2]: q-quantile = 4q - 2
    np.add.at(counts[0], ((values - grid.lo[0]) / grid.width[0]).astype(int), 1)
    q = grid.quantiles(counts, np.array([0.05, 0.5, 0.9]))[:, 0]
    np.testing.assert_allclose(q, [-1.8, 0.0, 1.6], atol=grid.width[0])
