"""Numba kernels: the exact transition fused with inline draws, one chunk of paths at a time.

Each kernel walks time-major over a chunk (all paths at step i, then step i+1), drawing from a
``numpy.random.Generator`` passed in (numba calls the same bit generator and the same ziggurat
algorithm as numpy, so the law is numpy's). Jumps are generated from exponential waiting times
per path (the exact compound Poisson process), each decayed by e^{-kappa(t_{i+1} - tau)}.
Kernels release the GIL, so chunks run in parallel threads. See ADR 0101.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
F = TypeVar("F", bound=Callable[..., Any])


def _jit(fn: F) -> F:
    """Compile with the house options: cached, GIL released, strict IEEE arithmetic."""
    return cast(F, numba.njit(cache=True, nogil=True, fastmath=False)(fn))


@_jit
def _step_all(
    gen: Any,
    x: FloatArray,
    next_jump: FloatArray,
    end: float,
    decay: float,
    drift: float,
    sd: float,
    jump: FloatArray,
) -> None:
    """Advance every path of the chunk by one exact step to time ``end`` (in place).

    ``jump`` = (kappa, intensity, mean, std); jumps in the step are decayed from their times.
    """
    kappa, intensity, j_mean, j_std = jump[0], jump[1], jump[2], jump[3]
    for j in range(x.size):
        xj = x[j] * decay + drift + sd * gen.standard_normal()
        tau = next_jump[j]
        if tau <= end:
            while tau <= end:
                xj += (j_mean + j_std * gen.standard_normal()) * math.exp(-kappa * (end - tau))
                tau += gen.standard_exponential() / intensity
            next_jump[j] = tau
        x[j] = xj


@_jit
def _first_jumps(gen: Any, n: int, jump: FloatArray) -> FloatArray:
    """Time of each path's first jump (infinity without jumps)."""
    out = np.full(n, np.inf)
    if jump[1] > 0.0:
        for j in range(n):
            out[j] = gen.standard_exponential() / jump[1]
    return out


@_jit
def chunk_log_paths(
    gen: Any,
    x0: float,
    times: FloatArray,
    decay: FloatArray,
    drift: FloatArray,
    sd: FloatArray,
    jump: FloatArray,
    out: FloatArray,
) -> None:
    """Fill ``out`` (n_times, n_paths) with exact log-price paths of one chunk."""
    n = out.shape[1]
    next_jump = _first_jumps(gen, n, jump)
    x = np.full(n, x0)
    out[0, :] = x
    for i in range(decay.size):
        _step_all(gen, x, next_jump, times[i + 1], decay[i], drift[i], sd[i], jump)
        out[i + 1, :] = x


@_jit
def chunk_statistics(
    gen: Any,
    x0: float,
    times: FloatArray,
    decay: FloatArray,
    drift: FloatArray,
    sd: FloatArray,
    jump: FloatArray,
    hist_lo: FloatArray,
    hist_inv_width: FloatArray,
    hist: IntArray,
    centre: FloatArray,
    sums: FloatArray,
    terminal: FloatArray,
    samples: FloatArray,
    thresholds: FloatArray,
    flags: IntArray,
) -> None:
    """Simulate one chunk and fold it into streaming statistics, never storing its paths.

    ``hist`` (n_times, n_bins) counts log prices; ``sums`` (3, n_times) accumulates
    P_t, X_t - centre_t and (X_t - centre_t)^2; ``terminal`` gets P_T per path; ``samples``
    (k, n_times) gets the first k paths' prices; ``flags`` counts paths whose rise
    (X - running min) reached ``thresholds[0]``, whose drawdown (running max - X)
    exceeded ``thresholds[1]`` and whose rise from the start (max X - X_0) reached
    ``thresholds[0]``.
    """
    n = terminal.size
    n_bins = hist.shape[1]
    n_samples = samples.shape[0]
    next_jump = _first_jumps(gen, n, jump)
    x = np.full(n, x0)
    run_min = np.full(n, x0)
    run_max = np.full(n, x0)
    max_rise = np.zeros(n)
    max_drop = np.zeros(n)
    for i in range(decay.size + 1):
        if i > 0:
            _step_all(gen, x, next_jump, times[i], decay[i - 1], drift[i - 1], sd[i - 1], jump)
        lo, inv_w, c = hist_lo[i], hist_inv_width[i], centre[i]
        s_p, s_d, s_d2 = 0.0, 0.0, 0.0
        for j in range(n):
            xj = x[j]
            pos = min(max((xj - lo) * inv_w, 0.0), n_bins - 1.0)
            hist[i, int(pos)] += 1
            s_p += math.exp(xj)
            d = xj - c
            s_d += d
            s_d2 += d * d
        for j in range(n):  # branch-free, vectorisable running extremes
            xj = x[j]
            run_min[j] = min(run_min[j], xj)
            run_max[j] = max(run_max[j], xj)
            max_rise[j] = max(max_rise[j], xj - run_min[j])
            max_drop[j] = max(max_drop[j], run_max[j] - xj)
        sums[0, i] += s_p
        sums[1, i] += s_d
        sums[2, i] += s_d2
        for j in range(min(n_samples, n)):
            samples[j, i] = math.exp(x[j])
    for j in range(n):
        terminal[j] = math.exp(x[j])
        flags[0] += max_rise[j] >= thresholds[0]
        flags[1] += max_drop[j] > thresholds[1]
        flags[2] += run_max[j] - x0 >= thresholds[0]


@_jit
def histogram_quantiles(
    counts: IntArray, levels: FloatArray, lo: FloatArray, width: FloatArray, out: FloatArray
) -> None:
    """Fill ``out`` (len(levels), n_times) with quantiles read from per-time histograms.

    ``levels`` must be sorted; linear interpolation inside the bin holding each quantile.
    """
    n_times, n_bins = counts.shape
    for i in range(n_times):
        total = 0
        for b in range(n_bins):
            total += counts[i, b]
        below, b = 0, 0
        for k in range(levels.size):
            target = levels[k] * total
            while b < n_bins - 1 and below + counts[i, b] < target:
                below += counts[i, b]
                b += 1
            inside = counts[i, b]
            frac = (target - below) / inside if inside > 0 else 0.5
            out[k, i] = lo[i] + (b + min(max(frac, 0.0), 1.0)) * width[i]
