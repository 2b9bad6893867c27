"""The audit trail of a fix and the shared arithmetic that re-computes it from that trail.

``compute_fixing`` and :func:`recompute_level` run the same functions here, so a fix can
be re-derived exactly from its audit (raw prices and margins) and the methodology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from tokenfutures.core.money import round_money
from tokenfutures.index.attribution import MoveAttribution
from tokenfutures.index.capability import hedonic_factor, hedonic_slope, ratio_factor
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.precision import exact
from tokenfutures.index.routes import Exclusion, Route, blend
from tokenfutures.index.weights import apply_cap, proxy_weights


@dataclass(frozen=True, slots=True)
class ConstituentRecord:
    """One qualifying route in a fix: raw prices, blend, margin, quality factor, adjusted price."""

    provider: str
    model: str
    source: str
    arena_model: str
    effective: date
    input: Decimal
    output: Decimal
    cached_input: Decimal | None
    blended: Decimal
    margin: Decimal
    quality_factor: Decimal
    adjusted: Decimal
    tier: str
    open_weight: bool


@dataclass(frozen=True, slots=True)
class ProviderWeight:
    """A provider's SIT-equivalent price (its cheapest qualifying route) and its weights."""

    provider: str
    model: str
    source: str
    price: Decimal
    weight_before_cap: Fraction
    weight: Fraction


@dataclass(frozen=True, slots=True)
class SubIndex:
    """A published sub-index level (``None`` when no provider qualifies) and its breadth."""

    name: str
    level: Decimal | None
    providers: int


@dataclass(frozen=True, slots=True)
class FixingAudit:
    """Everything needed to re-compute a fix, and every exclusion with its reason."""

    constituents: tuple[ConstituentRecord, ...]
    providers: tuple[ProviderWeight, ...]
    exclusions: tuple[Exclusion, ...]
    snapshot_date: date | None
    hedonic_slope: Decimal | None
    cap_binding: bool
    cap_infeasible: bool
    notes: tuple[str, ...]
    attribution: MoveAttribution | None = None  # tpi-2.0: the day's move, explained


@dataclass(frozen=True, slots=True)
class WeightedLevel:
    """Result of weighting per-provider prices: the level and the per-provider weights."""

    level: Decimal | None
    providers: tuple[ProviderWeight, ...]
    binding: bool
    infeasible: bool
    notes: tuple[str, ...]


def adjust_routes(
    routes: Sequence[Route], methodology: Methodology
) -> tuple[list[ConstituentRecord], Decimal | None]:
    """Quality-adjust qualifying routes (ratio / hedonic / none); returns records and slope."""
    slope: Decimal | None = None
    if methodology.adjustment == "hedonic":
        slope = hedonic_slope([(r.margin, r.log_blended) for r in routes]) or Decimal(0)
    records = []
    for route in routes:
        factor = quality_factor(route.margin, methodology, slope)
        obs = route.observation
        with exact():
            adjusted = route.blended * factor
        records.append(
            ConstituentRecord(
                obs.provider,
                obs.model,
                obs.source,
                route.arena_model,
                obs.effective,
                obs.input,
                obs.output,
                obs.cached_input,
                route.blended,
                route.margin,
                factor,
                adjusted,
                route.tier,
                route.open_weight,
            )
        )
    return records, slope


def quality_factor(margin: Decimal, methodology: Methodology, slope: Decimal | None) -> Decimal:
    """The quality factor of the selected adjustment for a route with ``margin``."""
    if methodology.adjustment == "ratio":
        return ratio_factor(margin, methodology)
    if methodology.adjustment == "hedonic":
        return hedonic_factor(margin, slope or Decimal(0))
    return Decimal(1)


def weighted_level(
    quotes: Sequence[tuple[str, str, str, Decimal]], methodology: Methodology
) -> WeightedLevel:
    """Eq. 4: each provider's cheapest quote, eq. 5 proxy weights, the cap, then the sum."""
    best: dict[str, tuple[str, str, str, Decimal]] = {}
    for quote in quotes:
        held = best.get(quote[0])
        if held is None or (quote[3], quote[1], quote[2]) < (held[3], held[1], held[2]):
            best[quote[0]] = quote
    raw, missing = proxy_weights(sorted(best), methodology)
    notes = tuple(f"provider {p} has no declared volume share: left out" for p in missing)
    capped = apply_cap(raw, methodology.provider_cap)
    if capped.infeasible:
        notes = (*notes, f"cap {methodology.provider_cap} infeasible with {len(raw)} providers")
    providers = tuple(
        ProviderWeight(p, best[p][1], best[p][2], best[p][3], raw[p], capped.capped[p])
        for p in sorted(raw)
    )
    if not providers:
        return WeightedLevel(None, (), False, False, notes)
    by_weight: dict[tuple[int, int], Decimal] = {}
    with exact():
        for pw in providers:  # prices sharing a weight are summed first: few Fraction products
            key = (pw.weight.numerator, pw.weight.denominator)
            by_weight[key] = by_weight.get(key, Decimal(0)) + pw.price
    total = sum((Fraction(n, d) * Fraction(p) for (n, d), p in by_weight.items()), Fraction(0))
    with exact():
        level = round_money(Decimal(total.numerator) / Decimal(total.denominator))
    return WeightedLevel(level, providers, capped.binding, capped.infeasible, notes)


def recompute_level(audit: FixingAudit, methodology: Methodology) -> Decimal | None:
    """Re-derive a fix's level from its audit's raw prices and margins alone.

    tpi-2.0 is a chain (ADR 0211): its level is the previous published level moved by the
    attributed parts, ``round(previous * exp(matched + entries/exits + re-weighting))``.
    """
    if methodology.version == "tpi-2.0":
        return _chain_level(audit)
    routes = []
    for record in audit.constituents:
        obs = PriceObservation(
            record.effective,
            record.provider,
            record.model,
            record.input,
            record.output,
            record.cached_input,
            record.source,
        )
        blended = blend(obs, methodology)
        with exact():
            log_blended = blended.ln()
        routes.append(
            Route(
                obs,
                record.arena_model,
                record.margin,
                blended,
                log_blended,
                True,
                record.tier,
                record.open_weight,
            )
        )
    records, _ = adjust_routes(routes, methodology)
    quotes = [(r.provider, r.model, r.source, r.adjusted) for r in records]
    return weighted_level(quotes, methodology).level


def _chain_level(audit: FixingAudit) -> Decimal | None:
    a = audit.attribution
    if a is None or a.previous_level is None:
        return None
    with exact():
        step = (a.matched + a.entries_exits + a.reweighting).exp()
        return round_money(a.previous_level * step)
