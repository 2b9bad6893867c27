"""The Monte Carlo kernels' numba and numpy twins (ADR 0371): same draws, same paths, same law."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tokenfutures.quant import kernels
from tokenfutures.quant.moments import expected_price, log_moments
from tokenfutures.quant.montecarlo import _model_arrays
from tokenfutures.quant.params import PAPER_TABLE3, JumpDiffusionParams
from tokenfutures.quant.process import uniform_grid
from tokenfutures.quant.streaming import HistogramGrid

JUMPY = PAPER_TABLE3.with_changes(
    sigma=0.05, jump_intensity=12.0, jump_mean=0.25, jump_std=0.15, kappa=4.0
)
PARAMS = pytest.mark.parametrize("params", [PAPER_TABLE3, JUMPY], ids=["paper", "jumpy"])


def _paths(
    kernel: kernels.Kernel, params: JumpDiffusionParams, grid: np.ndarray, n: int
) -> np.ndarray:
    out = np.empty((grid.size, n))
    kernel(np.random.default_rng(17), params.x0, grid, *_model_arrays(params, grid), out)
    return out


@PARAMS
def test_the_twins_draw_the_same_paths(params: JumpDiffusionParams) -> None:
    grid = uniform_grid(1.0, 52)
    compiled = _paths(kernels.chunk_log_paths_compiled, params, grid, 3_000)
    twin = _paths(kernels.chunk_log_paths_numpy, params, grid, 3_000)
    np.testing.assert_allclose(twin, compiled, rtol=0, atol=1e-12)  # exp may differ by an ulp


@PARAMS
def test_the_numpy_twin_matches_the_closed_forms(params: JumpDiffusionParams) -> None:
    times = np.array([0.0, 1 / 12, 0.5, 1.0, 3.0])
    paths = _paths(kernels.chunk_log_paths_numpy, params, times, 60_000)
    mean, var = log_moments(params, times[1:])
    price = expected_price(params, times[1:])
    n = paths.shape[1]
    for k in range(1, times.size):
        x = paths[k]
        assert abs(x.mean() - mean[k - 1]) < 3 * math.sqrt(var[k - 1] / n), k
        assert abs(x.var(ddof=1) / var[k - 1] - 1) < 3 * math.sqrt(2 / n) * 3, k  # jumps: fat tails
        p = np.exp(x)
        assert abs(p.mean() - price[k - 1]) < 3 * p.std(ddof=1) / math.sqrt(n), k


def _statistics(kernel: kernels.Kernel, params: JumpDiffusionParams) -> list[np.ndarray]:
    grid = uniform_grid(1.0, 24)
    x0, _, decay, drift, sd, jump = (params.x0, grid, *_model_arrays(params, grid))
    centre, var = log_moments(params, grid)
    hist_grid = HistogramGrid.around(centre, np.sqrt(var), n_bins=256)
    hist, sums = hist_grid.empty_counts(), np.zeros((3, grid.size))
    terminal, samples, flags = np.empty(2_000), np.empty((2, grid.size)), np.zeros(3, np.int64)
    kernel(
        np.random.default_rng(5), x0, grid, decay, drift, sd, jump, hist_grid.lo,
        1.0 / hist_grid.width, hist, centre, sums, terminal, samples,
        np.array([math.log(2.0), math.log(5.0)]), flags,
    )  # fmt: skip
    return [hist, sums, terminal, samples, flags]


@PARAMS
def test_the_twins_fold_the_same_statistics(params: JumpDiffusionParams) -> None:
    compiled = _statistics(kernels.chunk_statistics_compiled, params)
    twin = _statistics(kernels.chunk_statistics_numpy, params)
    for name, a, b in zip(
        ("hist", "sums", "terminal", "samples", "flags"), compiled, twin, strict=True
    ):
        np.testing.assert_allclose(b, a, rtol=1e-12, err_msg=name)


def test_the_histogram_quantile_twins_agree_on_awkward_counts() -> None:
    rng = np.random.default_rng(2)
    counts = rng.integers(0, 4, size=(20, 50)) * (rng.random((20, 50)) < 0.3)
    counts[3] = 0  # an empty time
    counts[4, :] = 0
    counts[4, 7] = 9  # all mass in one bin
    levels = np.array([0.0, 0.05, 0.5, 0.95, 1.0])
    lo, width = rng.normal(size=20), rng.random(20) + 0.1
    outs = []
    for kernel in (kernels.histogram_quantiles_compiled, kernels.histogram_quantiles_numpy):
        out = np.empty((levels.size, 20))
        kernel(counts.astype(np.int64), levels, lo, width, out)
        outs.append(out)
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-14, atol=1e-14)
    # independent reading of the single-bin time: levels > 0 fall in bin 7, linear inside it
    np.testing.assert_allclose(outs[1][1:, 4], lo[4] + (7 + levels[1:]) * width[4], rtol=1e-12)
