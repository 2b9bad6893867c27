"""The fast numba kernel against the closed forms and the numpy reference simulator."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from tokenfutures.quant.models import GBMParams
from tokenfutures.quant.moments import expected_price, forward_curve, log_moments
from tokenfutures.quant.montecarlo import simulate_log_paths_fast
from tokenfutures.quant.params import PAPER_TABLE3, JumpDiffusionParams
from tokenfutures.quant.process import simulate_log_paths, uniform_grid

HORIZON_MONTHS = (1, 6, 12, 36)
#: Jump-dominated variant: several jumps per step on a coarse grid stress the in-step decay.
JUMPY = PAPER_TABLE3.with_changes(
    sigma=0.05, jump_intensity=12.0, jump_mean=0.25, jump_std=0.15, kappa=4.0
)


def _assert_moments_within_3_se(
    params: JumpDiffusionParams, times: np.ndarray, paths: np.ndarray
) -> None:
    """Mean and variance of ln P_T and E[P_T] within 3 standard errors at each grid time > 0."""
    n = paths.shape[0]
    mean, var = log_moments(params, times[1:])
    price = expected_price(params, times[1:])
    for k in range(1, times.size):
        x = paths[:, k]
        d = x - x.mean()
        m2 = float(np.mean(d**2))
        se_var = math.sqrt((np.mean(d**4) - m2**2) / n)
        assert abs(x.mean() - mean[k - 1]) < 3 * math.sqrt(var[k - 1] / n), (k, "mean")
        assert abs(x.var(ddof=1) - var[k - 1]) < 3 * se_var, (k, "var")
        p = np.exp(x)
        assert abs(p.mean() - price[k - 1]) < 3 * p.std(ddof=1) / math.sqrt(n), (k, "E[P]")


def _monthly_horizons() -> np.ndarray:
    return np.array([0.0] + [m / 12 for m in HORIZON_MONTHS])


@pytest.mark.parametrize("params", [PAPER_TABLE3, JUMPY], ids=["paper", "jumpy"])
def test_fast_kernel_matches_closed_forms_with_jumps(params: JumpDiffusionParams) -> None:
    times = _monthly_horizons()  # coarse, uneven steps: the transition must be exact
    paths = simulate_log_paths_fast(params, times, 60_000, seed=11, chunk_size=15_000)
    _assert_moments_within_3_se(params, times, paths)


@pytest.mark.parametrize("params", [PAPER_TABLE3, JUMPY], ids=["paper", "jumpy"])
def test_numpy_reference_matches_closed_forms_with_jumps(params: JumpDiffusionParams) -> None:
    times = _monthly_horizons()
    paths = simulate_log_paths(params, times, 40_000, np.random.default_rng(5))
    _assert_moments_within_3_se(params, times, paths)


@pytest.mark.parametrize("params", [PAPER_TABLE3, JUMPY], ids=["paper", "jumpy"])
def test_fast_kernel_and_numpy_reference_agree_in_distribution(params: JumpDiffusionParams) -> None:
    times = uniform_grid(1.0, 24)
    fast = simulate_log_paths_fast(params, times, 20_000, seed=3, chunk_size=5_000)
    ref = simulate_log_paths(params, times, 20_000, np.random.default_rng(4))
    for k in (1, 6, 24):
        assert stats.ks_2samp(fast[:, k], ref[:, k]).pvalue > 1e-3, k
    # path functionals too: the one-step increment and the running maximum
    inc_p = stats.ks_2samp(np.diff(fast[:, 11:13]).ravel(), np.diff(ref[:, 11:13]).ravel()).pvalue
    assert inc_p > 1e-3
    assert stats.ks_2samp(fast.max(axis=1), ref.max(axis=1)).pvalue > 1e-3


def test_a_daily_grid_gives_the_same_law_as_a_single_step() -> None:
    daily = simulate_log_paths_fast(JUMPY, uniform_grid(0.5, 126), 20_000, seed=8)[:, -1]
    single = simulate_log_paths_fast(JUMPY, np.array([0.0, 0.5]), 20_000, seed=9)[:, -1]
    assert stats.ks_2samp(daily, single).pvalue > 1e-3


def test_gbm_paths_have_the_gbm_law() -> None:
    g = GBMParams(mu=-0.2, sigma=0.6, x0=math.log(2.0))
    x = simulate_log_paths_fast(g, uniform_grid(2.0, 8), 40_000, seed=2)[:, -1]
    assert (
        stats.kstest(
            x, "norm", args=(math.log(2.0) + (-0.2 - 0.18) * 2.0, 0.6 * math.sqrt(2.0))
        ).pvalue
        > 1e-3
    )


def test_paths_start_at_x0_and_have_the_requested_shape() -> None:
    paths = simulate_log_paths_fast(PAPER_TABLE3, uniform_grid(1.0, 12), 7, seed=1, chunk_size=3)
    assert paths.shape == (7, 13)
    np.testing.assert_array_equal(paths[:, 0], PAPER_TABLE3.x0)
    assert np.all(np.isfinite(paths))


def test_workers_do_not_change_the_paths_and_the_seed_fixes_them() -> None:
    grid = uniform_grid(1.0, 52)
    one = simulate_log_paths_fast(PAPER_TABLE3, grid, 5_000, seed=21, chunk_size=700, workers=1)
    two = simulate_log_paths_fast(PAPER_TABLE3, grid, 5_000, seed=21, chunk_size=700, workers=2)
    again = simulate_log_paths_fast(PAPER_TABLE3, grid, 5_000, seed=21, chunk_size=700, workers=2)
    other = simulate_log_paths_fast(PAPER_TABLE3, grid, 5_000, seed=22, chunk_size=700)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(two, again)
    assert not np.array_equal(one, other)


def test_a_chunk_is_the_unchunked_run_of_its_own_seed() -> None:
    # chunk k of a run is exactly a one-chunk run drawn from SeedSequence(seed).spawn(n)[k]
    grid = uniform_grid(1.0, 12)
    chunked = simulate_log_paths_fast(PAPER_TABLE3, grid, 300, seed=5, chunk_size=100)
    children = np.random.SeedSequence(5).spawn(3)
    from tokenfutures.quant import kernels
    from tokenfutures.quant.montecarlo import _model_arrays

    decay, drift, sd, jump = _model_arrays(PAPER_TABLE3, grid)
    for k, child in enumerate(children):
        out = np.empty((grid.size, 100))
        gen = np.random.Generator(np.random.PCG64(child))
        kernels.chunk_log_paths(gen, PAPER_TABLE3.x0, grid, decay, drift, sd, jump, out)
        np.testing.assert_array_equal(chunked[100 * k : 100 * (k + 1)], out.T)


def test_risk_neutral_paths_price_the_forward_curve() -> None:
    priced = PAPER_TABLE3.with_changes(market_price_of_risk=0.4)
    times = _monthly_horizons()
    prices = np.exp(simulate_log_paths_fast(priced.risk_neutral(), times, 60_000, seed=13))
    forwards = forward_curve(priced, times[1:])
    for k in range(1, times.size):
        p = prices[:, k]
        assert abs(p.mean() - forwards[k - 1]) < 3 * p.std(ddof=1) / math.sqrt(p.size), k
