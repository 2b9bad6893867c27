"""Capability scores, the SIT gate with hysteresis, and the quality factors (paper eq. 6).

Scores are Elo-type (Bradley-Terry) arena scores, comparable only within one snapshot, so
each model's capability is its *margin* over the SIT anchor in the same snapshot. The
ratio-scale mapping of a margin is the Bradley-Terry strength ratio ``10^(margin/scale)``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.precision import exact
from tokenfutures.index.sit_gate import RouteGrade


@dataclass(frozen=True, slots=True)
class ScoreSnapshot:
    """One dated leaderboard: arena model key -> score (same scale only within the snapshot)."""

    taken: date
    label: str
    scores: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class CapabilityBook:
    """Dated score snapshots plus the crosswalk from priced routes to arena model keys."""

    snapshots: tuple[ScoreSnapshot, ...]
    by_series: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    by_route: Mapping[tuple[str, str], str] = field(default_factory=dict)
    by_model: Mapping[str, str] = field(default_factory=dict)
    seed_eligible: frozenset[str] = frozenset()
    # tpi-2.0: benchmark grades per (provider, model) (Definition 5.1 gate, ADR 0212)
    sit_grades: Mapping[tuple[str, str], RouteGrade] = field(default_factory=dict)

    def arena_key(self, observation: PriceObservation) -> str | None:
        """The arena key of a priced route: exact series, then (provider, model), then model."""
        key = self.by_series.get(observation.series)
        if key is None:
            key = self.by_route.get((observation.provider, observation.model))
        if key is None:
            key = self.by_model.get(observation.model)
        return key


@dataclass(frozen=True, slots=True)
class GateState:
    """The SIT gate after one snapshot: carried margins, eligible set and the best margin."""

    taken: date
    margins: Mapping[str, Decimal]
    eligible: frozenset[str]
    best_margin: Decimal


def gate_timeline(book: CapabilityBook, methodology: Methodology) -> tuple[GateState, ...]:
    """Fold the snapshots in date order into gate states (hysteresis: enter/exit thresholds).

    A model enters when its margin reaches ``gate_enter`` and leaves only when it falls below
    ``gate_exit``; a model missing from a snapshot keeps its last margin. Snapshots without
    the anchor are skipped (no margin can be measured in them).
    """
    states: list[GateState] = []
    margins: dict[str, Decimal] = {}
    eligible = set(book.seed_eligible)
    for snapshot in sorted(book.snapshots, key=lambda s: (s.taken, s.label)):
        anchor = snapshot.scores.get(methodology.anchor_model)
        if anchor is None:
            continue
        fresh = {key: score - anchor for key, score in snapshot.scores.items()}
        margins = {**margins, **fresh}
        eligible = {
            key
            for key, margin in margins.items()
            if margin >= (methodology.gate_exit if key in eligible else methodology.gate_enter)
        }
        states.append(GateState(snapshot.taken, margins, frozenset(eligible), max(fresh.values())))
    return tuple(states)


def state_at(timeline: Sequence[GateState], as_of: date) -> GateState | None:
    """The gate state in force on ``as_of`` (the last snapshot taken on or before it)."""
    position = bisect_right([s.taken for s in timeline], as_of)
    return timeline[position - 1] if position else None


def ratio_factor(margin: Decimal, methodology: Methodology) -> Decimal:
    """Eq. 6 factor ``S_SIT / S_i`` on the ratio scale: ``10^(-margin / elo_scale)``."""
    return _ten_to_minus(margin, methodology.elo_scale)


@lru_cache(maxsize=65536)
def _ten_to_minus(margin: Decimal, scale: Decimal) -> Decimal:
    with exact():
        return Decimal(10) ** (-margin / scale)


def hedonic_slope(points: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """OLS slope of log-price on margin over ``(margin, ln price)`` points; ``None`` if unfit.

    Needs three points and spread in the margins; a negative slope (higher capability
    cheaper) is clamped to zero, as a hedonic premium cannot be negative.
    """
    if len(points) < 3:
        return None
    with exact():
        n = Decimal(len(points))
        mean_x = sum((x for x, _ in points), Decimal(0)) / n
        mean_y = sum((y for _, y in points), Decimal(0)) / n
        sxx = sum(((x - mean_x) ** 2 for x, _ in points), Decimal(0))
        if sxx == 0:
            return None
        sxy = sum(((x - mean_x) * (y - mean_y) for x, y in points), Decimal(0))
        return max(sxy / sxx, Decimal(0))


def hedonic_factor(margin: Decimal, slope: Decimal) -> Decimal:
    """Price of a SIT-equivalent token: ``exp(-slope * margin)`` (log-linear hedonic model)."""
    with exact():
        return (-slope * margin).exp()
