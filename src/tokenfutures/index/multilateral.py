"""Estimators of tpi-2.0 on a route panel: rolling-window time-dummy hedonic (headline),
chained matched-model Jevons and rolling-window GEKS-Törnqvist (comparisons).

All three return, per state, the log movement from the previous published state (NaN when
the state is not published). Pure numpy; floats stay inside this module and ``tpi2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from tokenfutures.index.weights import apply_cap

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Weights:
    """Route weights per state (rows sum to 1 on published states) and group weights."""

    route: FloatArray  # states x routes
    link: FloatArray  # states x routes: a state's weights for its own movement (linking)
    group: tuple[dict[int, Fraction], ...]  # per state: group -> capped weight (exact)
    raw: tuple[dict[int, Fraction], ...]  # per state: group -> weight before the cap
    ok: BoolArray  # states with enough groups to publish


def route_weights(
    present: BoolArray,
    groups: IntArray,
    cap: Fraction,
    min_groups: int,
    shares: dict[int, Fraction] | None = None,
    linked: BoolArray | None = None,
) -> Weights:
    """Equal (or declared-share) weights per provider group, capped; equal per route within a
    group, so entries dilute every incumbent alike. A group's weight is its contribution.

    ``linked`` marks routes of a listing that is new on that state (a new source, vendor or
    coverage cohort): they are left out of that state's own movement (``link`` weights) and
    count from the next state on, so a coverage change moves the index by nothing.
    """
    if shares is None:
        return _equal_weights(present, groups, cap, min_groups, linked)
    n_states = present.shape[0]
    route = np.zeros(present.shape)
    link = np.zeros(present.shape)
    capped: list[dict[int, Fraction]] = []
    raws: list[dict[int, Fraction]] = []
    ok = np.zeros(n_states, dtype=bool)
    for k in range(n_states):
        raw, weights = _state(present[k], groups, cap, shares, route[k])
        raws.append(raw)
        capped.append(weights)
        ok[k] = len(weights) >= min_groups and max(weights.values(), default=1) <= cap
        link[k] = route[k]
        if linked is not None and ok[k] and (present[k] & linked[k]).any():
            _, kept = _state(present[k] & ~linked[k], groups, cap, shares, link[k])
            if len(kept) < min_groups:
                link[k] = route[k]
    return Weights(route, link, tuple(capped), tuple(raws), ok)


@dataclass(frozen=True, slots=True)
class Columns:
    """Routes grouped by a label (provider group or listing), for fast per-label sums."""

    label: IntArray
    order: IntArray
    cuts: IntArray
    size: int

    @staticmethod
    def of(label: IntArray) -> Columns:
        size = int(label.max()) + 1 if len(label) else 0
        order = np.argsort(label, kind="stable")
        cuts = np.searchsorted(label[order], np.arange(size))
        return Columns(label, order, cuts, size)

    def sums(self, matrix: FloatArray) -> FloatArray:
        """Row sums of ``matrix`` per label (states x labels), without BLAS."""
        out = np.zeros((matrix.shape[0], self.size))
        if not len(self.label):
            return out
        present = np.unique(self.label)
        out[:, present] = np.add.reduceat(matrix[:, self.order], self.cuts[present], axis=1)
        return out


def _equal_rows(present: BoolArray, columns: Columns) -> tuple[FloatArray, FloatArray]:
    """Equal group weights split equally over each group's routes; and the group counts."""
    per_group = columns.sums(present.astype(np.float64))  # states x groups: routes per group
    n_groups = (per_group > 0).sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(per_group > 0, 1.0 / (n_groups[:, None] * per_group), 0.0)
    rows: FloatArray = np.where(present, share[:, columns.label], 0.0)
    return rows, (per_group > 0).astype(np.float64)


def _equal_weights(
    present: BoolArray, groups: IntArray, cap: Fraction, min_groups: int, linked: BoolArray | None
) -> Weights:
    """The vectorised equal-weight case (no declared shares): the cap can only fail to hold."""
    columns = Columns.of(groups)
    route, members = _equal_rows(present, columns)
    link = route
    if linked is not None:
        kept, kept_members = _equal_rows(present & ~linked, columns)
        enough = (kept_members.sum(1) >= min_groups) & (present & linked).any(1)
        link = np.where(enough[:, None], kept, route)
    counts = members.sum(1).astype(np.int64)
    ok = (counts >= min_groups) & (counts * cap >= 1)
    group = tuple(
        dict.fromkeys((int(g) for g in np.flatnonzero(members[k])), Fraction(1, int(counts[k])))
        if counts[k]
        else {}
        for k in range(len(counts))
    )
    return Weights(route, link, group, group, ok)


def _state(
    present: BoolArray,
    groups: IntArray,
    cap: Fraction,
    shares: dict[int, Fraction] | None,
    out: FloatArray,
) -> tuple[dict[int, Fraction], dict[int, Fraction]]:
    """Fill ``out`` with one state's route weights; return raw and capped group weights."""
    out[:] = 0.0
    cols = np.flatnonzero(present)
    members = sorted({int(g) for g in groups[cols]})
    raw = _raw(members, shares)
    weights = dict(apply_cap(raw, Decimal(cap.numerator) / cap.denominator).capped) if raw else {}
    raw_i = {int(g): w for g, w in raw.items()}
    weights_i = {int(g): w for g, w in weights.items()}
    if weights_i:
        out[cols] = _split(cols, groups, weights_i)
    return raw_i, weights_i


def _raw(members: list[int], shares: dict[int, Fraction] | None) -> dict[str, Fraction]:
    if shares is None:
        return {str(g): Fraction(1, len(members)) for g in members} if members else {}
    declared = {g: shares[g] for g in members if shares.get(g, Fraction(0)) > 0}
    total = sum(declared.values(), Fraction(0))
    return {str(g): v / total for g, v in declared.items()} if total else {}


def _split(cols: IntArray, groups: IntArray, weights: dict[int, Fraction]) -> FloatArray:
    g = groups[cols]
    counts = np.bincount(g)
    share = np.zeros(len(counts))
    for group, weight in weights.items():
        share[group] = float(weight) / counts[group]
    result: FloatArray = share[g]
    return result


def window_states(
    starts: IntArray, ends: IntArray, k: int, window: int
) -> tuple[IntArray, FloatArray]:
    """States overlapping the window ending on the first day of state ``k`` and their days in it."""
    day = starts[k]
    first = day - window + 1
    idx = np.arange(k + 1)
    idx = idx[ends[: k + 1] >= first]
    days = np.minimum(ends[idx], day) - np.maximum(starts[idx], first) + 1
    days[-1] = 1.0
    return idx.astype(np.int64), days.astype(np.float64)


@dataclass(frozen=True, slots=True)
class TimeDummyFit:
    """Per published state: movement from the previous published state and the fit used."""

    move: FloatArray  # NaN on unpublished states and the first published one
    previous: IntArray  # previous published state (-1 if none)
    beta: FloatArray  # hedonic slope of log price on quality (per ECI point)
    gamma: FloatArray  # states x listings: listing effects of the window ending there


@dataclass(frozen=True, slots=True)
class _Sums:
    """Per-state weighted sums that the window regressions are assembled from."""

    f: FloatArray  # [sum w q, sum w per listing]
    uqq: FloatArray
    b: FloatArray  # sum w q per listing
    uqy: FloatArray
    c: FloatArray  # sum w y per listing
    uy: FloatArray

    @staticmethod
    def of(u: FloatArray, y: FloatArray, quality: FloatArray, listings: Columns) -> _Sums:
        uyz, uq = u * y, u * quality
        return _Sums(
            np.column_stack([uq.sum(1), listings.sums(u)]),
            (uq * quality).sum(1),
            listings.sums(uq),
            (uyz * quality).sum(1),
            listings.sums(uyz),
            uyz.sum(1),
        )

    def rows(self, idx: IntArray, last: _Sums, k: int) -> _Sums:
        """The window's rows: full sums for earlier states, ``last``'s for state ``k``."""

        def pick(mine: FloatArray, theirs: FloatArray) -> FloatArray:
            return np.concatenate([mine[idx[:-1]], theirs[k : k + 1]])

        return _Sums(
            pick(self.f, last.f),
            pick(self.uqq, last.uqq),
            pick(self.b, last.b),
            pick(self.uqy, last.uqy),
            pick(self.c, last.c),
            pick(self.uy, last.uy),
        )


def time_dummy(
    y: FloatArray,
    weights: Weights,
    quality: FloatArray,
    listings: IntArray,
    starts: IntArray,
    ends: IntArray,
    window: int,
    fixed_beta: FloatArray | None = None,
) -> TimeDummyFit:
    """Rolling-window weighted time-dummy hedonic regression, movement-spliced.

    ``ln p = delta_t + beta * q + gamma_listing``; each window's states are weighted by the
    days they cover, so identical days count as the days they are. Only state-to-state
    movements of the newest window are published: earlier values are never revised. The
    newest state enters its own window with its link weights (new listings linked in).
    ``fixed_beta`` (per state) imposes the quality slope, as sub-indices take the headline's.
    """
    ok = weights.ok[:, None]
    yz = np.nan_to_num(y)
    columns = Columns.of(listings)
    n_listings = columns.size
    full = _Sums.of(np.where(ok, weights.route, 0.0), yz, quality, columns)
    link = _Sums.of(np.where(ok, weights.link, 0.0), yz, quality, columns)
    n_states = len(starts)
    move = np.full(n_states, np.nan)
    previous = np.full(n_states, -1, dtype=np.int64)
    beta = np.zeros(n_states)
    gamma = np.zeros((n_states, n_listings))
    last = -1
    for k in np.flatnonzero(weights.ok):
        idx, days = window_states(starts, ends, int(k), window)
        keep = weights.ok[idx]
        idx, days = idx[keep], days[keep]
        rows = full.rows(idx, link, int(k))
        theta = _solve(days, rows, None if fixed_beta is None else float(fixed_beta[k]))
        beta[k], gamma[k] = theta[0], theta[1:]
        if last >= 0 and last in idx:
            move[k] = (link.uy[k] - full.uy[last]) - (link.f[k] - full.f[last]) @ theta
        previous[k] = last
        last = int(k)
    return TimeDummyFit(move, previous, beta, gamma)


def _solve(days: FloatArray, s: _Sums, fixed_beta: float | None) -> FloatArray:
    """Solve for (beta, gamma) after eliminating the period dummies (Frisch-Waugh)."""
    fw = s.f * days[:, None]
    size = s.f.shape[1]
    m = np.zeros((size, size))
    m[0, 0] = days @ s.uqq
    m[0, 1:] = m[1:, 0] = days @ s.b
    m[1:, 1:] = np.diag(days @ s.f[:, 1:])
    m -= fw.T @ s.f
    rhs = np.concatenate([[days @ s.uqy], days @ s.c]) - fw.T @ s.uy
    active = np.flatnonzero(np.abs(np.diag(m)) > 1e-12)
    listing_effects = active[active > 0]
    keep = np.concatenate([active[active == 0], listing_effects[1:]])  # one listing at 0
    theta = np.zeros(size)
    if fixed_beta is not None:
        theta[0] = fixed_beta
        rhs = rhs - m[:, 0] * fixed_beta
        keep = keep[keep > 0]
    if len(keep):
        sub = m[np.ix_(keep, keep)]
        try:
            theta[keep] = np.linalg.solve(sub, rhs[keep])
        except np.linalg.LinAlgError:  # a window without quality spread or a lone listing
            theta[keep] = np.linalg.lstsq(sub, rhs[keep], rcond=None)[0]
    if fixed_beta is None and theta[0] < 0:  # a quality premium cannot be negative
        return _solve(days, s, 0.0)
    return theta


def chained_jevons(y: FloatArray, weights: Weights) -> FloatArray:
    """Chained matched-model geometric index: mean log change of routes priced on both states."""
    move = np.full(y.shape[0], np.nan)
    last = -1
    for k in np.flatnonzero(weights.ok):
        if last >= 0:
            move[k] = _tornqvist(y[last], y[k], weights.route[last], weights.link[k])
        last = int(k)
    return move


def _tornqvist(y0: FloatArray, y1: FloatArray, w0: FloatArray, w1: FloatArray) -> float:
    matched = (w0 > 0) & (w1 > 0)
    if not matched.any():
        return 0.0
    s0 = w0[matched] / w0[matched].sum()
    s1 = w1[matched] / w1[matched].sum()
    return float(0.5 * (s0 + s1) @ (y1[matched] - y0[matched]))


def geks_tornqvist(
    y: FloatArray, weights: Weights, starts: IntArray, ends: IntArray, window: int
) -> FloatArray:
    """Rolling-window GEKS of bilateral Törnqvist indices, movement-spliced (day-weighted)."""
    move = np.full(y.shape[0], np.nan)
    last = -1
    for k in np.flatnonzero(weights.ok):
        if last >= 0:
            idx, days = window_states(starts, ends, int(k), window)
            keep = weights.ok[idx]
            idx, days = idx[keep], days[keep]
            w = weights.route.copy()
            w[k] = weights.link[k]
            to_k = _bilateral(y, w, idx, int(k))
            to_last = _bilateral(y, w, idx, last)
            move[k] = float(days @ (to_k - to_last) / days.sum())
        last = int(k)
    return move


def _bilateral(y: FloatArray, w: FloatArray, idx: IntArray, k: int) -> FloatArray:
    """Log Törnqvist index from each state in ``idx`` to state ``k`` (matched routes)."""
    w0, w1 = w[idx], w[k][None, :]
    matched = (w0 > 0) & (w1 > 0)
    s0 = np.where(matched, w0, 0.0)
    s1 = np.where(matched, w1, 0.0)
    t0, t1 = s0.sum(1, keepdims=True), s1.sum(1, keepdims=True)
    s0 = np.divide(s0, t0, out=np.zeros_like(s0), where=t0 > 0)
    s1 = np.divide(s1, t1, out=np.zeros_like(s1), where=t1 > 0)
    diff = np.where(matched, np.nan_to_num(y[k])[None, :] - np.nan_to_num(y[idx]), 0.0)
    result: FloatArray = (0.5 * (s0 + s1) * diff).sum(1)
    return result
