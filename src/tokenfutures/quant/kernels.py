"""Monte Carlo kernels: the exact transition fused with inline draws, one chunk of paths at a time.

Each kernel walks time-major over a chunk (all paths at step i, then step i+1), drawing from a
``numpy.random.Generator`` passed in. Jumps are generated from exponential waiting times per
path (the exact compound Poisson process), each decayed by e^{-kappa(t_{i+1} - tau)}. See
ADR 0101.

Every kernel has two twins (ADR 0371): a numba one (``fast`` extra; releases the GIL, so
chunks run in parallel threads) and a numpy one. Both draw the same numbers in the same
order — a step draws one normal per path, then, in rounds, one jump size per path with a jump
still due in the step and then one waiting time per such path, paths in index order — so for
a seed they give the same paths up to the last bit of ``exp`` (numba calls numpy's own bit
generator and ziggurat). The plain names are the twin ``accel.pick`` selects.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core import accel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@accel.jit
def _step_all_compiled(
    gen: Any,
    x: FloatArray,
    next_jump: FloatArray,
    due: IntArray,
    end: float,
    step: FloatArray,
    jump: FloatArray,
) -> None:
    """Advance every path of the chunk by one exact step to time ``end`` (in place).

    ``step`` = (decay, drift, sd); ``jump`` = (kappa, intensity, mean, std); ``due`` is
    scratch for the indices of paths with a jump in the step.
    """
    decay, drift, sd = step[0], step[1], step[2]
    kappa, intensity, j_mean, j_std = jump[0], jump[1], jump[2], jump[3]
    m = 0
    for j in range(x.size):
        x[j] = x[j] * decay + drift + sd * gen.standard_normal()
        if next_jump[j] <= end:
            due[m] = j
            m += 1
    while m > 0:
        for q in range(m):
            j = due[q]
            x[j] += (j_mean + j_std * gen.standard_normal()) * math.exp(
                -kappa * (end - next_jump[j])
            )
        kept = 0
        for q in range(m):
            j = due[q]
            next_jump[j] += gen.standard_exponential() / intensity
            if next_jump[j] <= end:
                due[kept] = j
                kept += 1
        m = kept


def _step_all_numpy(
    gen: Any, x: FloatArray, next_jump: FloatArray, end: float, step: FloatArray, jump: FloatArray
) -> None:
    """The numpy twin of ``_step_all_compiled`` (same draws in the same order)."""
    kappa, intensity, j_mean, j_std = jump[0], jump[1], jump[2], jump[3]
    x *= step[0]
    x += step[1]
    x += step[2] * gen.standard_normal(x.size)
    due = np.flatnonzero(next_jump <= end)
    while due.size:
        tau = next_jump[due]
        x[due] += (j_mean + j_std * gen.standard_normal(due.size)) * np.exp(-kappa * (end - tau))
        tau += gen.standard_exponential(due.size) / intensity
        next_jump[due] = tau
        due = due[tau <= end]


@accel.jit
def _first_jumps_compiled(gen: Any, n: int, jump: FloatArray) -> FloatArray:
    """Time of each path's first jump (infinity without jumps)."""
    out = np.full(n, np.inf)
    if jump[1] > 0.0:
        for j in range(n):
            out[j] = gen.standard_exponential() / jump[1]
    return out


def _first_jumps_numpy(gen: Any, n: int, jump: FloatArray) -> FloatArray:
    """The numpy twin of ``_first_jumps_compiled``."""
    if jump[1] > 0.0:
        out: FloatArray = gen.standard_exponential(n) / jump[1]
        return out
    return np.full(n, np.inf)


@accel.jit
def chunk_log_paths_compiled(
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
    next_jump = _first_jumps_compiled(gen, n, jump)
    due = np.empty(n, np.int64)
    x = np.full(n, x0)
    out[0, :] = x
    for i in range(decay.size):
        step = np.array((decay[i], drift[i], sd[i]))
        _step_all_compiled(gen, x, next_jump, due, times[i + 1], step, jump)
        out[i + 1, :] = x


def chunk_log_paths_numpy(gen: Any, *args: Any) -> None:
    """The numpy twin of ``chunk_log_paths_compiled`` (its arguments, in its order)."""
    x0, times, decay, drift, sd, jump, out = args
    n = out.shape[1]
    next_jump = _first_jumps_numpy(gen, n, jump)
    x = np.full(n, x0)
    out[0, :] = x
    for i in range(decay.size):
        step = np.array((decay[i], drift[i], sd[i]))
        _step_all_numpy(gen, x, next_jump, times[i + 1], step, jump)
        out[i + 1, :] = x


@accel.jit
def chunk_statistics_compiled(
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
    next_jump = _first_jumps_compiled(gen, n, jump)
    due = np.empty(n, np.int64)
    x = np.full(n, x0)
    run_min = np.full(n, x0)
    run_max = np.full(n, x0)
    max_rise = np.zeros(n)
    max_drop = np.zeros(n)
    for i in range(decay.size + 1):
        if i > 0:
            step = np.array((decay[i - 1], drift[i - 1], sd[i - 1]))
            _step_all_compiled(gen, x, next_jump, due, times[i], step, jump)
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


def chunk_statistics_numpy(gen: Any, *args: Any) -> None:
    """The numpy twin of ``chunk_statistics_compiled`` (its arguments, in its order; float
    sums in numpy's order)."""
    x0, times, decay, drift, sd, jump, hist_lo, hist_inv_width, hist = args[:9]
    centre, sums, terminal, samples, thresholds, flags = args[9:]
    n, n_bins = terminal.size, hist.shape[1]
    k = min(samples.shape[0], n)
    next_jump = _first_jumps_numpy(gen, n, jump)
    x = np.full(n, x0)
    run_min, run_max = x.copy(), x.copy()
    max_rise, max_drop = np.zeros(n), np.zeros(n)
    for i in range(decay.size + 1):
        if i > 0:
            step = np.array((decay[i - 1], drift[i - 1], sd[i - 1]))
            _step_all_numpy(gen, x, next_jump, times[i], step, jump)
        pos = np.clip((x - hist_lo[i]) * hist_inv_width[i], 0.0, n_bins - 1.0).astype(np.int64)
        hist[i] += np.bincount(pos, minlength=n_bins)
        d = x - centre[i]
        sums[:, i] += (np.exp(x).sum(), d.sum(), (d * d).sum())
        np.minimum(run_min, x, out=run_min)
        np.maximum(run_max, x, out=run_max)
        np.maximum(max_rise, x - run_min, out=max_rise)
        np.maximum(max_drop, run_max - x, out=max_drop)
        samples[:k, i] = np.exp(x[:k])
    terminal[:] = np.exp(x)
    flags += (
        np.count_nonzero(max_rise >= thresholds[0]),
        np.count_nonzero(max_drop > thresholds[1]),
        np.count_nonzero(run_max - x0 >= thresholds[0]),
    )


@accel.jit
def histogram_quantiles_compiled(
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


def histogram_quantiles_numpy(
    counts: IntArray, levels: FloatArray, lo: FloatArray, width: FloatArray, out: FloatArray
) -> None:
    """The numpy twin of ``histogram_quantiles_compiled``: the first bin whose cumulative
    count reaches each target, by ``searchsorted``."""
    cum = np.cumsum(counts, axis=1)
    last = counts.shape[1] - 1
    for i in range(counts.shape[0]):
        target = levels * cum[i, -1]
        b = np.minimum(np.searchsorted(cum[i], target, side="left"), last)
        inside = counts[i, b]
        below = cum[i, b] - inside
        safe = np.where(inside > 0, inside, 1)
        frac = np.where(inside > 0, (target - below) / safe, 0.5)
        out[:, i] = lo[i] + (b + np.clip(frac, 0.0, 1.0)) * width[i]


#: The twins the engine runs: compiled where numba is installed and not switched off.
chunk_log_paths = accel.pick(chunk_log_paths_compiled, chunk_log_paths_numpy)
chunk_statistics = accel.pick(chunk_statistics_compiled, chunk_statistics_numpy)
histogram_quantiles = accel.pick(histogram_quantiles_compiled, histogram_quantiles_numpy)
