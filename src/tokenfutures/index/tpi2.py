"""Methodology tpi-2.0: a quality-adjusted, entry/exit-robust index of SIT-class routes.

Headline: rolling-window weighted time-dummy hedonic regression over routes (provider x
model), ``ln p = delta_t + beta * quality + gamma_listing``, movement-spliced so a published
value is never revised; chained matched-model Jevons and GEKS-Törnqvist run on the same
panel for comparison (ADR 0211). Pure: observations and grades in, arrays out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_money
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.multilateral import (
    TimeDummyFit,
    Weights,
    chained_jevons,
    geks_tornqvist,
    route_weights,
    time_dummy,
)
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.panel import Panel, build_panel
from tokenfutures.index.sit_gate import RouteGrade

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
SUB_INDICES = ("frontier", "standard", "budget", "open_weight", "proprietary")
METHODS = ("time_dummy", "jevons", "geks")


@dataclass(frozen=True, slots=True)
class Prepared:
    """The panel and its per-route arrays: provider group, listing, quality, flags."""

    panel: Panel
    methodology: Methodology
    groups: IntArray
    group_names: tuple[str, ...]
    listings: IntArray
    quality: FloatArray  # ECI-scale quality minus the reference quality
    eligible: BoolArray
    open_weight: BoolArray
    active: BoolArray  # states x routes: in force and past its listing's settling-in period
    linked: BoolArray  # states x routes: routes of a listing that becomes active on that state


@dataclass(frozen=True, slots=True)
class IndexRun:
    """One index (headline or sub-index) over the panel's states."""

    name: str
    method: str
    weights: Weights
    fit: TimeDummyFit
    move: FloatArray  # log movement published on each state (NaN: not published / base)
    levels: tuple[Decimal | None, ...]  # published level of each state


def prepare(
    observations: Sequence[PriceObservation],
    methodology: Methodology,
    grades: Mapping[tuple[str, str], RouteGrade],
    end: date,
    delisted: Mapping[tuple[str, str, str], date] | None = None,
) -> Prepared:
    """Build the panel up to ``end`` and the arrays every estimator uses."""
    if not grades:
        raise InvalidParameterError(
            "capabilities",
            "sit_grades",
            "benchmark grades for tpi-2.0 (model_benchmark_scores.csv and "
            "benchmark_model_join.csv beside the prices, or the packaged grade table)",
        )
    if not any(o.effective <= end for o in observations):
        raise InvalidParameterError("end", end, "a date on or after the first observation")
    panel = build_panel(observations, methodology, grades, end, delisted)
    group_names = tuple(sorted({r.group for r in panel.routes}))
    listing_names = sorted({r.listing for r in panel.routes})
    listings = np.array([listing_names.index(r.listing) for r in panel.routes], dtype=np.int64)
    return Prepared(
        panel,
        methodology,
        np.array([group_names.index(r.group) for r in panel.routes], dtype=np.int64),
        group_names,
        listings,
        np.array([r.grade.quality for r in panel.routes]) - float(methodology.reference_quality),
        np.array([r.grade.eligible for r in panel.routes], dtype=bool),
        np.array([r.open_weight for r in panel.routes], dtype=bool),
        *_settled(panel, listings, methodology.settle_days),
    )


def _settled(panel: Panel, listings: IntArray, settle_days: int) -> tuple[BoolArray, BoolArray]:
    """Active routes and linked routes (ADR 0214): a listing counts from the first state that
    starts ``settle_days`` after it appeared (a new source's first weeks are its import and
    corrections), and is linked in on that state, so its arrival moves nothing."""
    present = panel.present
    big = np.iinfo(np.int64).max
    first_route = np.where(present.any(0), present.argmax(0), len(panel.starts) - 1)
    first_listing = np.full(int(listings.max()) + 1 if len(listings) else 0, big)
    np.minimum.at(first_listing, listings, first_route)
    appeared = panel.starts[np.minimum(first_listing, len(panel.starts) - 1)]
    activation = np.searchsorted(panel.starts, appeared + settle_days, side="left")
    states = np.arange(present.shape[0])[:, None]
    active: BoolArray = present & (states >= activation[listings][None, :])
    linked: BoolArray = active & (states == activation[listings][None, :])
    return active, linked


def masks(prep: Prepared) -> dict[str, BoolArray]:
    """Route membership per state of the headline and of each sub-index."""
    present = prep.active
    sit = present & prep.eligible[None, :]
    best = np.where(sit, prep.quality[None, :], -np.inf).max(1, initial=-np.inf)
    frontier = sit & (
        prep.quality[None, :] >= best[:, None] - float(prep.methodology.frontier_quality_band)
    )
    return {
        "headline": sit,
        "frontier": frontier,
        "standard": sit & ~frontier,
        "budget": present & ~prep.eligible[None, :],
        "open_weight": sit & prep.open_weight[None, :],
        "proprietary": sit & ~prep.open_weight[None, :],
    }


def run_index(
    prep: Prepared,
    name: str,
    member: BoolArray,
    method: str,
    fixed_beta: FloatArray | None = None,
    anchor: IndexRun | None = None,
) -> IndexRun:
    """Weights, the hedonic fit and the spliced, published level chain of one index."""
    m = prep.methodology
    shares = (
        {prep.group_names.index(g): Fraction(v) for g, v in m.shares if g in prep.group_names}
        if m.weighting == "shares"
        else None
    )
    weights = route_weights(
        member, prep.groups, Fraction(m.provider_cap), m.min_providers, shares, prep.linked
    )
    panel = prep.panel
    fit = time_dummy(
        panel.log_price,
        weights,
        prep.quality,
        prep.listings,
        panel.starts,
        panel.ends,
        m.window_days,
        fixed_beta,
    )
    if method == "time_dummy":
        move = fit.move
    elif method == "jevons":
        move = chained_jevons(panel.log_price, weights)
    elif method == "geks":
        move = geks_tornqvist(panel.log_price, weights, panel.starts, panel.ends, m.window_days)
    else:
        raise InvalidParameterError("method", method, f"one of {', '.join(METHODS)}")
    return IndexRun(name, method, weights, fit, move, _levels(prep, weights, fit, move, anchor))


def cross_section(prep: Prepared, weights: Weights, fit: TimeDummyFit, k: int) -> float:
    """Weighted mean log price of state ``k`` at the reference quality (its own slope)."""
    adjusted = np.nan_to_num(prep.panel.log_price[k]) - fit.beta[k] * prep.quality
    return float(weights.route[k] @ adjusted)


def _levels(
    prep: Prepared,
    weights: Weights,
    fit: TimeDummyFit,
    move: FloatArray,
    anchor: IndexRun | None = None,
) -> tuple[Decimal | None, ...]:
    """Base: the weighted geometric mean of quality-adjusted prices at the reference quality
    on the first publishable state (a sub-index: the headline's level there times its
    cross-sectional ratio to the headline); then each published movement is chained on the
    previous *published* (rounded) level, so no value is ever revised."""
    levels: list[Decimal | None] = [None] * len(weights.ok)
    last: Decimal | None = None
    for k in np.flatnonzero(weights.ok):
        step = move[k]
        if last is None:
            last = _base(prep, weights, fit, int(k), anchor)
        elif math.isfinite(step):
            last = round_money(last * Decimal(repr(math.exp(float(step)))))
        levels[k] = last
    return tuple(levels)


def _base(
    prep: Prepared, weights: Weights, fit: TimeDummyFit, k: int, anchor: IndexRun | None
) -> Decimal:
    own = cross_section(prep, weights, fit, k)
    if anchor is not None and anchor.levels[k] is not None:
        ratio = own - cross_section(prep, anchor.weights, anchor.fit, k)
        return round_money(anchor.levels[k] * Decimal(repr(math.exp(ratio))))  # type: ignore[operator]
    return round_money(Decimal(repr(math.exp(own))))


def run_all(prep: Prepared, method: str | None = None) -> dict[str, IndexRun]:
    """The headline (``method``, default the methodology's) and every sub-index."""
    chosen = method or prep.methodology.method
    members = masks(prep)
    head = run_index(prep, "headline", members.pop("headline"), chosen)
    beta = head.fit.beta
    return {"headline": head} | {
        name: run_index(prep, name, member, chosen, beta, head) for name, member in members.items()
    }


def adjusted_logs(prep: Prepared, run: IndexRun, state: int, fit_state: int) -> FloatArray:
    """Quality- and listing-adjusted log prices of ``state`` under the fit of ``fit_state``."""
    fit = run.fit
    return np.asarray(
        prep.panel.log_price[state]
        - fit.beta[fit_state] * prep.quality
        - fit.gamma[fit_state][prep.listings],
        dtype=np.float64,
    )


def group_contributions(run: IndexRun, prep: Prepared, state: int) -> dict[str, float]:
    """Each provider group's contribution to the level: the elasticity of the level to the
    group's prices, i.e. the sum of its routes' weights in the geometric mean."""
    share = np.bincount(
        prep.groups, weights=run.weights.route[state], minlength=len(prep.group_names)
    )
    return {prep.group_names[g]: float(share[g]) for g in np.flatnonzero(share > 0)}
