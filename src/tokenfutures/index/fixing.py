"""The pure daily fixing: ``compute_fixing(observations, methodology, as_of, ...) -> IndexFixing``.

Steps (paper eq. 4-6): blend, gate at the SIT anchor, screen outliers, quality-adjust, take
each provider's cheapest SIT-equivalent route, weight (eq. 5 proxy), cap, sum. No I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.audit import (
    ConstituentRecord,
    FixingAudit,
    SubIndex,
    adjust_routes,
    weighted_level,
)
from tokenfutures.index.capability import CapabilityBook, GateState, gate_timeline, state_at
from tokenfutures.index.methodology import TPI2_VERSION, Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.routes import (
    Exclusion,
    Route,
    classify,
    delisted_exclusion,
    screen_outliers,
)

SUB_INDEX_NAMES = ("frontier", "standard", "budget", "open_weight", "proprietary")


class FixStatus(StrEnum):
    """How a fix was made: fresh, carried from the last good fix (flagged), or withheld."""

    FIXED = "fixed"
    FALLBACK = "fallback_last_good"
    WITHHELD = "withheld"


@dataclass(frozen=True, slots=True)
class CheapestRoute:
    """The cheapest qualifying way to buy one SIT-equivalent on the day."""

    provider: str
    model: str
    adjusted_price: Decimal
    blended_price: Decimal


@dataclass(frozen=True, slots=True)
class IndexFixing:
    """One daily TPI fix (USD per million SIT) with sub-indices and its full audit trail."""

    as_of: date
    level: Decimal | None
    status: FixStatus
    methodology_version: str
    sub_indices: tuple[SubIndex, ...]
    cheapest_to_deliver: CheapestRoute | None
    audit: FixingAudit
    fallback_from: date | None = None

    @property
    def weights(self) -> dict[str, object]:
        """Capped weight per provider (exact fractions)."""
        return {p.provider: p.weight for p in self.audit.providers}


def current_observations(
    observations: Iterable[PriceObservation], as_of: date
) -> dict[tuple[str, str, str], PriceObservation]:
    """The observation in force on ``as_of`` for every series (latest effective date wins)."""
    current: dict[tuple[str, str, str], PriceObservation] = {}
    for obs in observations:
        if obs.effective > as_of:
            continue
        held = current.get(obs.series)
        if held is None or obs.effective >= held.effective:
            current[obs.series] = obs
    return current


def compute_fixing(
    observations: Sequence[PriceObservation],
    methodology: Methodology,
    as_of: date,
    capabilities: CapabilityBook,
    last_good: IndexFixing | None = None,
    delisted: Mapping[tuple[str, str, str], date] | None = None,
) -> IndexFixing:
    """Fix the TPI on ``as_of`` from the prices in force then (pure; no I/O, no clock).

    ``last_good`` is the most recent fresh fix, used by the fallback ladder when the day has
    too few providers: within ``max_fallback_days`` it is carried (flagged), else withheld.
    ``delisted`` maps a series to its last listed day; after it the route is excluded.
    """
    if not observations:
        raise InvalidParameterError("observations", observations, "at least one observation")
    if methodology.version == TPI2_VERSION:
        from tokenfutures.index.tpi2_fixes import tpi2_fixing

        return tpi2_fixing(observations, methodology, as_of, capabilities, delisted)
    state = state_at(gate_timeline(capabilities, methodology), as_of)
    current = current_observations(observations, as_of)
    gone = delisted or {}
    classified = {
        series: delisted_exclusion(obs, gone[series])
        if series in gone and as_of > gone[series]
        else classify(obs, capabilities, state, methodology)
        for series, obs in current.items()
    }
    return assemble_fixing(as_of, classified, state, methodology, last_good)


def assemble_fixing(
    as_of: date,
    classified: Mapping[tuple[str, str, str], Route | Exclusion],
    state: GateState | None,
    methodology: Methodology,
    last_good: IndexFixing | None,
) -> IndexFixing:
    """Screen, adjust, weight and cap classified routes into a fix (shared with history)."""
    ordered = [item for _, item in sorted(classified.items(), key=_first)]
    routes = [c for c in ordered if isinstance(c, Route)]
    exclusions = [c for c in ordered if isinstance(c, Exclusion)]
    kept, outliers = screen_outliers(routes, methodology)
    exclusions.extend(outliers)
    eligible = [r for r in kept if r.eligible]
    exclusions.extend(
        Exclusion(
            r.observation.provider,
            r.observation.model,
            r.observation.source,
            f"below the SIT gate (margin {r.margin} vs anchor; budget tier)",
        )
        for r in kept
        if not r.eligible
    )
    records, slope = adjust_routes(eligible, methodology)
    headline = weighted_level(
        [(r.provider, r.model, r.source, r.adjusted) for r in records], methodology
    )
    audit = FixingAudit(
        constituents=tuple(records),
        providers=headline.providers,
        exclusions=tuple(exclusions),
        snapshot_date=state.taken if state else None,
        hedonic_slope=slope,
        cap_binding=headline.binding,
        cap_infeasible=headline.infeasible,
        notes=headline.notes,
    )
    sub_indices = _sub_indices(kept, records, methodology)
    cheapest = _cheapest(records)
    if len(headline.providers) >= methodology.min_providers and headline.level is not None:
        return IndexFixing(
            as_of,
            headline.level,
            FixStatus.FIXED,
            methodology.version,
            sub_indices,
            cheapest,
            audit,
        )
    return _fallback(as_of, methodology, last_good, sub_indices, cheapest, audit)


def _first(pair: tuple[tuple[str, str, str], object]) -> tuple[str, str, str]:
    return pair[0]


def _fallback(
    as_of: date,
    methodology: Methodology,
    last_good: IndexFixing | None,
    sub_indices: tuple[SubIndex, ...],
    cheapest: CheapestRoute | None,
    audit: FixingAudit,
) -> IndexFixing:
    count = len(audit.providers)
    note = f"{count} qualifying providers < minimum {methodology.min_providers}"
    usable = (
        last_good is not None
        and last_good.status is FixStatus.FIXED
        and 0 <= (as_of - last_good.as_of).days <= methodology.max_fallback_days
    )
    if usable and last_good is not None:
        audit = _with_note(audit, f"{note}: carried the last good fix of {last_good.as_of}")
        return IndexFixing(
            as_of,
            last_good.level,
            FixStatus.FALLBACK,
            methodology.version,
            sub_indices,
            cheapest,
            audit,
            fallback_from=last_good.as_of,
        )
    audit = _with_note(audit, f"{note}: withheld (no usable last good fix)")
    return IndexFixing(
        as_of, None, FixStatus.WITHHELD, methodology.version, sub_indices, cheapest, audit
    )


def _with_note(audit: FixingAudit, note: str) -> FixingAudit:
    from dataclasses import replace

    return replace(audit, notes=(*audit.notes, note))


def _sub_indices(
    kept: Sequence[Route], records: Sequence[ConstituentRecord], methodology: Methodology
) -> tuple[SubIndex, ...]:
    """Tier sub-indices on raw blended prices; open/proprietary on SIT-adjusted prices."""
    result: list[SubIndex] = []
    for tier in ("frontier", "standard", "budget"):
        quotes = [
            (r.observation.provider, r.observation.model, r.observation.source, r.blended)
            for r in kept
            if r.tier == tier
        ]
        result.append(_sub_index(tier, quotes, methodology))
    for name, flag in (("open_weight", True), ("proprietary", False)):
        quotes = [
            (r.provider, r.model, r.source, r.adjusted) for r in records if r.open_weight is flag
        ]
        result.append(_sub_index(name, quotes, methodology))
    return tuple(result)


def _sub_index(
    name: str, quotes: list[tuple[str, str, str, Decimal]], methodology: Methodology
) -> SubIndex:
    level = weighted_level(quotes, methodology)
    return SubIndex(name, level.level, len(level.providers))


def _cheapest(records: Sequence[ConstituentRecord]) -> CheapestRoute | None:
    if not records:
        return None
    best = min(records, key=lambda r: (r.adjusted, r.provider, r.model))
    return CheapestRoute(best.provider, best.model, best.adjusted, best.blended)
