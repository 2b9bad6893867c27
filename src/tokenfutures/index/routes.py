"""Routes: a priced (provider, model) with its blended price and capability; gate and screens.

Each current observation becomes a :class:`Route` (usable) or an :class:`Exclusion` (with
its reason); nothing leaves the fixing without a recorded reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tokenfutures.index.capability import CapabilityBook, GateState
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.precision import exact

MAD_TO_SIGMA = Decimal("1.4826")


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A route left out of a fixing, and why."""

    provider: str
    model: str
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Route:
    """A scored route: its observation, arena key, margin over the anchor, blend and tier."""

    observation: PriceObservation
    arena_model: str
    margin: Decimal
    blended: Decimal
    log_blended: Decimal
    eligible: bool
    tier: str
    open_weight: bool


def blend(observation: PriceObservation, methodology: Methodology) -> Decimal:
    """Workload-blended USD per million tokens; cached input falls back to the input price."""
    cached = observation.cached_input
    with exact():
        total = (
            methodology.input_weight * observation.input
            + methodology.output_weight * observation.output
            + methodology.cached_input_weight * (observation.input if cached is None else cached)
        )
        return total / (
            methodology.input_weight + methodology.output_weight + methodology.cached_input_weight
        )


def classify(
    observation: PriceObservation,
    book: CapabilityBook,
    state: GateState | None,
    methodology: Methodology,
) -> Route | Exclusion:
    """Turn one current observation into a route or an exclusion with its reason."""

    def excluded(reason: str) -> Exclusion:
        return Exclusion(observation.provider, observation.model, observation.source, reason)

    if observation.provider in methodology.excluded_providers:
        return excluded("provider excluded by the methodology (aggregator, not a seller)")
    arena = book.arena_key(observation)
    if arena is None:
        return excluded("no capability crosswalk entry for this model")
    if state is None:
        return excluded("no capability snapshot in force on this date")
    margin = state.margins.get(arena)
    if margin is None:
        return excluded(f"no capability score for {arena} as of this date")
    blended = blend(observation, methodology)
    if blended <= 0:
        return excluded("blended price is zero")
    eligible = arena in state.eligible
    frontier = eligible and margin >= state.best_margin - methodology.frontier_band
    tier = "frontier" if frontier else ("standard" if eligible else "budget")
    with exact():
        log_blended = blended.ln()
    return Route(
        observation=observation,
        arena_model=arena,
        margin=margin,
        blended=blended,
        log_blended=log_blended,
        eligible=eligible,
        tier=tier,
        open_weight=methodology.is_open_weight(arena)
        or methodology.is_open_weight(observation.model),
    )


def delisted_exclusion(observation: PriceObservation, last_listed: date) -> Exclusion:
    """The exclusion of a route whose source stopped listing it after ``last_listed``."""
    return Exclusion(
        observation.provider,
        observation.model,
        observation.source,
        f"delisted by its source after {last_listed}",
    )


def median(values: Sequence[Decimal]) -> Decimal:
    """Median of a non-empty sequence (mean of the middle two for even length)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    with exact():
        return (ordered[middle - 1] + ordered[middle]) / 2


def screen_outliers(
    routes: Iterable[Route], methodology: Methodology
) -> tuple[list[Route], list[Exclusion]]:
    """Per arena model across providers: drop routes whose log price is a MAD outlier.

    A route is an outlier when ``|ln p - median| > k * max(1.4826 * MAD, floor)``; groups
    with fewer than ``screen_min_routes`` routes are not screened (too few to judge).
    """
    groups: dict[str, list[Route]] = defaultdict(list)
    for route in routes:
        groups[route.arena_model].append(route)
    kept: list[Route] = []
    dropped: list[Exclusion] = []
    for group in groups.values():
        if len(group) < methodology.screen_min_routes:
            kept.extend(group)
            continue
        center = median([r.log_blended for r in group])
        with exact():
            mad = median([abs(r.log_blended - center) for r in group])
            bound = methodology.mad_k * max(MAD_TO_SIGMA * mad, methodology.mad_floor)
        for route in group:
            if abs(route.log_blended - center) > bound:
                obs = route.observation
                dropped.append(
                    Exclusion(
                        obs.provider,
                        obs.model,
                        obs.source,
                        f"outlier: blended {route.blended} vs median of {len(group)} routes "
                        f"of {route.arena_model} (MAD rule)",
                    )
                )
            else:
                kept.append(route)
    return kept, dropped
