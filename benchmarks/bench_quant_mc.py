"""Speed of the Monte Carlo kernel: 10,000 paths x 252 daily steps of the full model.

Figures are ratios to baselines timed in this same process (the machine is shared, so
absolute times are noisy): numpy's ``Generator.standard_normal(2_520_000)`` and QuantLib's
``ExtOUWithJumpsProcess`` driven from Python. Last line: a JSON object.
Run: ``PYTHONPATH=src python benchmarks/bench_quant_mc.py``.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from tokenfutures.quant.montecarlo import run_monte_carlo, simulate_log_paths_fast
from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.process import simulate_log_paths, uniform_grid

N_PATHS, N_STEPS, CHUNK, WORKERS, REPEATS, QL_REPEATS = 10_000, 252, 5_000, 2, 21, 3


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def quantlib_seconds(n_paths: int) -> float | None:
    """Time QuantLib's ExtOUWithJumpsProcess (Kluge: OU + exponential jumps) for the same grid."""
    try:
        import QuantLib as ql  # noqa: N813
    except ImportError:
        return None
    p = PAPER_TABLE3

    def theta(t: float) -> float:
        return p.theta(t)

    ou = ql.ExtendedOrnsteinUhlenbeckProcess(p.kappa, p.sigma, p.x0, theta)
    process = ql.ExtOUWithJumpsProcess(ou, 0.0, p.kappa, p.jump_intensity, 1.0 / p.jump_mean)
    grid = ql.TimeGrid(1.0, N_STEPS)
    uniform = ql.UniformRandomSequenceGenerator(
        process.factors() * N_STEPS, ql.UniformRandomGenerator(42)
    )
    generator = ql.GaussianMultiPathGenerator(
        process, list(grid), ql.GaussianRandomSequenceGenerator(uniform), False
    )

    def run() -> None:
        total = 0.0
        for _ in range(n_paths):
            paths = generator.next().value()
            total += math.exp(paths[0][N_STEPS] + paths[1][N_STEPS])

    return _seconds(run)


def main() -> None:
    grid = uniform_grid(1.0, N_STEPS)
    rng = np.random.default_rng(1)
    fast = lambda: simulate_log_paths_fast(  # noqa: E731
        PAPER_TABLE3, grid, N_PATHS, seed=1, chunk_size=CHUNK, workers=WORKERS
    )
    stats_run = lambda: run_monte_carlo(  # noqa: E731
        PAPER_TABLE3, grid, N_PATHS, seed=1, chunk_size=CHUNK, workers=WORKERS
    )
    one_thread = lambda: simulate_log_paths_fast(  # noqa: E731
        PAPER_TABLE3, grid, N_PATHS, seed=1, chunk_size=CHUNK, workers=1
    )
    normals = lambda: rng.standard_normal(N_PATHS * N_STEPS)  # noqa: E731
    fast()  # compile (or load the numba cache) outside the timings
    stats_run()
    t_fast, t_normals, t_stats, t_one = [], [], [], []
    for _ in range(REPEATS):  # interleaved, so load changes hit all alike
        t_normals.append(_seconds(normals))
        t_fast.append(_seconds(fast))
        t_stats.append(_seconds(stats_run))
        t_one.append(_seconds(one_thread))
    t_ref = _seconds(lambda: simulate_log_paths(PAPER_TABLE3, grid, N_PATHS, rng))
    t_normal_ref = _seconds(normals)
    ql_runs = [quantlib_seconds(N_PATHS) for _ in range(QL_REPEATS)]
    t_ql = None if ql_runs[0] is None else statistics.median(t for t in ql_runs if t is not None)
    med_fast, med_norm = statistics.median(t_fast), statistics.median(t_normals)
    med_stats, med_one = statistics.median(t_stats), statistics.median(t_one)
    figures = {
        "mc_ratio_vs_numpy_normals": med_fast / med_norm,
        "mc_ratio_vs_numpy_normals_best": min(t_fast) / min(t_normals),
        "path_steps_per_s": N_PATHS * N_STEPS / med_fast,
        "speedup_vs_quantlib": None if t_ql is None else t_ql / med_fast,
        "quantlib_ratio_vs_numpy_normals": None if t_ql is None else t_ql / med_norm,
        "mc_one_thread_ratio_vs_numpy_normals": med_one / med_norm,
        "speedup_vs_quantlib_one_thread": None if t_ql is None else t_ql / med_one,
        "mc_with_statistics_ratio_vs_numpy_normals": med_stats / med_norm,
        "numpy_reference_ratio_vs_numpy_normals": t_ref / t_normal_ref,
        "median_ms": {
            "fast": 1e3 * med_fast,
            "one_thread": 1e3 * med_one,
            "normals": 1e3 * med_norm,
            "statistics": 1e3 * med_stats,
        },
        "quantlib_ms": None if t_ql is None else 1e3 * t_ql,
        "paths": N_PATHS,
        "steps": N_STEPS,
        "chunk_size": CHUNK,
        "workers": WORKERS,
        "repeats": REPEATS,
    }
    print(f"fast kernel  {1e3 * med_fast:8.2f} ms (median of {REPEATS})")
    print(
        f"numpy normals{1e3 * med_norm:8.2f} ms  -> ratio {figures['mc_ratio_vs_numpy_normals']:.3f}"
    )
    print(f"with stats   {1e3 * med_stats:8.2f} ms")
    print(f"numpy reference simulator {1e3 * t_ref:8.1f} ms")
    if t_ql is not None:
        print(
            f"QuantLib ExtOUWithJumpsProcess {1e3 * t_ql:8.1f} ms -> speed-up {t_ql / med_fast:.0f}x"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
