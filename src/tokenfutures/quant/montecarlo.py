"""Monte Carlo engine: exact paths in seeded chunks, streamed into bounded-memory statistics.

Chunk k of ``ceil(n_paths / chunk_size)`` draws from ``Generator(PCG64(SeedSequence(seed).spawn(n)[k]))``,
so every number depends on (params, times, n_paths, seed, chunk_size) and never on ``workers``
or on the order in which threads finish: integer statistics (histograms, counts) are merged
as they come, float sums in chunk order. A different ``chunk_size`` gives different (equally
valid) draws. See ADR 0101 (RNG) and ADR 0102 (statistics).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant import kernels
from tokenfutures.quant.models import GBMParams, gbm_step_coefficients
from tokenfutures.quant.moments import ModelParams, log_moments, model_vol_term_structure
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.quant.process import step_coefficients, validate_grid
from tokenfutures.quant.streaming import HistogramGrid

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Progress = Callable[[int, int], None]
KernelModel = tuple[float, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]

#: Quantile levels of P_t reported per time (fan chart: 90 % and 50 % bands, median, 80 % band).
QUANTILE_LEVELS: tuple[float, ...] = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
#: Horizons (months) of the volatility term structure, kept where they fit in the grid.
VOL_HORIZON_MONTHS: tuple[int, ...] = (1, 3, 6, 12, 24, 36)
RISE_FACTOR = 2.0
SWING_FACTOR = 5.0
N_SAMPLE_PATHS = 2


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Statistics of one Monte Carlo run (prices in USD per M SIT, times in years)."""

    times: FloatArray
    n_paths: int
    seed: int
    params: dict[str, float]
    mean_path: FloatArray
    quantiles: dict[float, FloatArray]
    sample_paths: FloatArray
    terminal: FloatArray
    rise_share: float
    swing_share: float
    vol_horizons: FloatArray
    vol_term_structure: FloatArray
    model_vol_term_structure: FloatArray = field(default_factory=lambda: np.empty(0))
    start_rise_share: float = math.nan
    log_mean: FloatArray = field(default_factory=lambda: np.empty(0))
    log_var: FloatArray = field(default_factory=lambda: np.empty(0))
    chunk_size: int = 0

    def to_dict(self, include_terminal: bool = False) -> dict[str, Any]:
        """JSON-ready dict (seed and params included; the terminal vector only on request)."""
        out: dict[str, Any] = {
            "seed": self.seed,
            "n_paths": self.n_paths,
            "chunk_size": self.chunk_size,
            "params": dict(self.params),
            "times": self.times.tolist(),
            "mean_path": self.mean_path.tolist(),
            "quantiles": {f"{q:g}": v.tolist() for q, v in self.quantiles.items()},
            "sample_paths": self.sample_paths.tolist(),
            "rise_share": self.rise_share,
            "swing_share": self.swing_share,
            "start_rise_share": self.start_rise_share,
            "vol_horizons": self.vol_horizons.tolist(),
            "vol_term_structure": self.vol_term_structure.tolist(),
            "model_vol_term_structure": self.model_vol_term_structure.tolist(),
            "log_mean": self.log_mean.tolist(),
            "log_var": self.log_var.tolist(),
            "terminal_summary": _summary(self.terminal),
        }
        if include_terminal:
            out["terminal"] = self.terminal.tolist()
        return out


def _summary(values: FloatArray) -> dict[str, float]:
    levels = np.array([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
    qs = np.quantile(values, levels)
    out = {"mean": float(values.mean()), "std": float(values.std(ddof=1))}
    out.update({f"q{lv:g}": float(v) for lv, v in zip(levels, qs, strict=True)})
    return out


def _model_arrays(
    params: ModelParams, grid: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(decay, drift, sd, jump) arrays the kernels take; jump = (kappa, lambda, mu_J, sigma_J)."""
    if isinstance(params, GBMParams):
        decay, drift, sd = gbm_step_coefficients(params, grid)
        return decay, drift, sd, np.array([0.0, 0.0, 0.0, 0.0])
    if not isinstance(params, JumpDiffusionParams):
        raise InvalidParameterError(
            "params", type(params).__name__, "JumpDiffusionParams or GBMParams"
        )
    decay, drift, sd = step_coefficients(params, grid)
    jump = np.array([params.kappa, params.jump_intensity, params.jump_mean, params.jump_std])
    return decay, drift, sd, jump


def _check_run(n_paths: int, seed: int, chunk_size: int, workers: int | None) -> int:
    """Validate the run settings; returns the number of worker threads."""
    if isinstance(n_paths, bool) or not isinstance(n_paths, int | np.integer) or n_paths <= 0:
        raise InvalidParameterError("paths", n_paths, "a positive integer")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidParameterError("seed", seed, "a non-negative integer")
    if chunk_size <= 0:
        raise InvalidParameterError("chunk_size", chunk_size, "> 0")
    if workers is not None and workers <= 0:
        raise InvalidParameterError("workers", workers, "> 0 (or None for all cores)")
    return workers if workers is not None else max(1, os.cpu_count() or 1)


def chunk_bounds(n_paths: int, chunk_size: int) -> list[tuple[int, int]]:
    """Half-open path ranges of the chunks, in order."""
    return [(s, min(s + chunk_size, n_paths)) for s in range(0, n_paths, chunk_size)]


def chunk_generators(seed: int, n_chunks: int) -> list[np.random.Generator]:
    """One independent PCG64 generator per chunk from ``SeedSequence(seed).spawn``."""
    return [
        np.random.Generator(np.random.PCG64(s))
        for s in np.random.SeedSequence(seed).spawn(n_chunks)
    ]


def _run_chunks(
    tasks: list[Callable[[], Any]], workers: int, on_done: Callable[[int, Any], None]
) -> None:
    """Run tasks on a thread pool with at most 2 x workers in flight; ``on_done(index, result)``."""
    if workers == 1 or len(tasks) == 1:
        for k, task in enumerate(tasks):
            on_done(k, task())
        return
    pending: dict[Future[Any], int] = {}
    queue: Iterator[tuple[int, Callable[[], Any]]] = iter(enumerate(tasks))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for k, task in queue:
            pending[pool.submit(task)] = k
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                on_done(pending.pop(fut), fut.result())
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(nxt[1])] = nxt[0]


@dataclass(frozen=True, eq=False)
class _Plan:
    """A validated run: worker count, grid, per-chunk path ranges and generators, kernel inputs."""

    workers: int
    grid: FloatArray
    bounds: list[tuple[int, int]]
    gens: list[np.random.Generator]
    model: KernelModel  # (x0, grid, decay, drift, sd, jump), the kernels' leading inputs

    @classmethod
    def of(
        cls,
        params: ModelParams,
        times: ArrayLike,
        n_paths: int,
        seed: int,
        chunk_size: int,
        workers: int | None,
    ) -> _Plan:
        n_workers = _check_run(n_paths, seed, chunk_size, workers)
        grid = validate_grid(np.asarray(times, dtype=np.float64))
        bounds = chunk_bounds(n_paths, chunk_size)
        model = (params.x0, grid, *_model_arrays(params, grid))
        return cls(n_workers, grid, bounds, chunk_generators(seed, len(bounds)), model)


def simulate_log_paths_fast(
    params: ModelParams,
    times: ArrayLike,
    n_paths: int,
    seed: int,
    *,
    chunk_size: int = 10_000,
    workers: int | None = None,
) -> FloatArray:
    """Exact log-price paths (n_paths, n_times) from the fused numba kernel, chunked and seeded.

    Same law as ``process.simulate_log_paths``; the returned array is a transposed
    (Fortran-ordered) view. Results depend on ``seed`` and ``chunk_size``, not ``workers``.
    """
    plan = _Plan.of(params, times, n_paths, seed, chunk_size, workers)
    out = np.empty((plan.grid.size, n_paths), dtype=np.float64)

    def task(k: int) -> Callable[[], None]:
        lo, hi = plan.bounds[k]
        return lambda: kernels.chunk_log_paths(plan.gens[k], *plan.model, out[:, lo:hi])

    _run_chunks([task(k) for k in range(len(plan.bounds))], plan.workers, lambda k, r: None)
    return out.T


def _vol_indices(grid: FloatArray) -> IntArray:
    """Grid indices nearest to the standard horizons that lie inside the grid."""
    horizon = grid[-1]
    wanted = [m / 12.0 for m in VOL_HORIZON_MONTHS if m / 12.0 <= horizon * (1 + 1e-9)]
    idx = sorted({int(np.argmin(np.abs(grid - w))) for w in wanted} - {0})
    return np.asarray(idx, dtype=np.int64)


def run_monte_carlo(
    params: ModelParams,
    times: ArrayLike,
    n_paths: int,
    seed: int,
    *,
    chunk_size: int = 10_000,
    workers: int | None = None,
    progress: Progress | None = None,
) -> MonteCarloResult:
    """Simulate ``n_paths`` exact paths in seeded chunks and return their streamed statistics.

    Parameters
    ----------
    params : JumpDiffusionParams or GBMParams
        The model (physical measure; pass ``params.risk_neutral()`` for Q).
    times : array_like of float
        Time grid in years starting at 0.
    n_paths, seed : int
        Number of paths (> 0) and the root seed (>= 0), both stored in the result.
    chunk_size : int
        Paths per chunk; part of the random stream's definition.
    workers : int, optional
        Threads (default: all cores); results do not depend on it.
    progress : callable, optional
        Called as ``progress(paths_done, n_paths)`` from the calling thread after each chunk.
    """
    plan = _Plan.of(params, times, n_paths, seed, chunk_size, workers)
    grid = plan.grid
    centre, model_var = log_moments(params, grid)
    hist_grid = HistogramGrid.around(centre, np.sqrt(model_var))
    stats_args = (hist_grid.lo, 1.0 / hist_grid.width)
    thresholds = np.array([math.log(RISE_FACTOR), math.log(SWING_FACTOR)])
    terminal = np.empty(n_paths, dtype=np.float64)
    samples = np.full((N_SAMPLE_PATHS, grid.size), np.nan)
    counts = hist_grid.empty_counts()
    chunk_sums: list[FloatArray | None] = [None] * len(plan.bounds)
    flags = np.zeros(3, dtype=np.int64)
    done = [0]

    def task(k: int) -> Callable[[], tuple[IntArray, FloatArray, IntArray]]:
        lo, hi = plan.bounds[k]

        def run() -> tuple[IntArray, FloatArray, IntArray]:
            hist = hist_grid.empty_counts()
            sums = np.zeros((3, grid.size))
            chunk_flags = np.zeros(3, dtype=np.int64)
            chunk_samples = samples if k == 0 else np.empty((0, grid.size))
            kernels.chunk_statistics(
                plan.gens[k], *plan.model, *stats_args, hist, centre, sums,
                terminal[lo:hi], chunk_samples, thresholds, chunk_flags,
            )  # fmt: skip
            return hist, sums, chunk_flags

        return run

    def on_done(k: int, result: tuple[IntArray, FloatArray, IntArray]) -> None:
        hist, sums, chunk_flags = result
        counts.__iadd__(hist)  # integers: exact in any completion order
        flags.__iadd__(chunk_flags)
        chunk_sums[k] = sums
        done[0] += plan.bounds[k][1] - plan.bounds[k][0]
        if progress is not None:
            progress(done[0], n_paths)

    _run_chunks([task(k) for k in range(len(plan.bounds))], plan.workers, on_done)
    total = np.zeros((3, grid.size))
    for sums in chunk_sums:  # chunk order: float sums independent of thread timing
        total += sums if sums is not None else 0.0
    return _assemble(params, grid, n_paths, seed, chunk_size, hist_grid, counts, total, centre,
                     terminal, samples, flags)  # fmt: skip


def _assemble(
    params: ModelParams,
    grid: FloatArray,
    n_paths: int,
    seed: int,
    chunk_size: int,
    hist_grid: HistogramGrid,
    counts: IntArray,
    total: FloatArray,
    centre: FloatArray,
    terminal: FloatArray,
    samples: FloatArray,
    flags: IntArray,
) -> MonteCarloResult:
    """Turn merged sums, counts and histograms into the result object."""
    levels = np.array(QUANTILE_LEVELS)
    log_q = hist_grid.quantiles(counts, levels)
    log_q[:, 0] = params.x0
    shift_mean = total[1] / n_paths
    log_var = (total[2] - n_paths * shift_mean**2) / max(n_paths - 1, 1)
    log_var = np.maximum(log_var, 0.0)
    vol_idx = _vol_indices(grid)
    vol_h = grid[vol_idx]
    return MonteCarloResult(
        times=grid,
        n_paths=n_paths,
        seed=int(seed),
        params=params.to_dict(),
        mean_path=total[0] / n_paths,
        quantiles={float(q): np.exp(log_q[k]) for k, q in enumerate(levels)},
        sample_paths=samples[: min(N_SAMPLE_PATHS, n_paths)],
        terminal=terminal,
        rise_share=float(flags[0]) / n_paths,
        swing_share=float(flags[1]) / n_paths,
        start_rise_share=float(flags[2]) / n_paths,
        vol_horizons=vol_h,
        vol_term_structure=np.sqrt(log_var[vol_idx] / vol_h),
        model_vol_term_structure=model_vol_term_structure(params, vol_h) if vol_h.size else vol_h,
        log_mean=centre + shift_mean,
        log_var=log_var,
        chunk_size=chunk_size,
    )
