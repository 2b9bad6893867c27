"""Eq. 5 weights (declared volume proxy) and the per-provider cap with iterative redistribution.

Weights are exact fractions, so they sum to exactly one and the cap holds exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from tokenfutures.index.methodology import Methodology


@dataclass(frozen=True, slots=True)
class CappedWeights:
    """Weights before and after the cap, and whether the cap bound or could not hold."""

    raw: Mapping[str, Fraction]
    capped: Mapping[str, Fraction]
    binding: bool
    infeasible: bool


def proxy_weights(
    providers: Sequence[str], methodology: Methodology
) -> tuple[dict[str, Fraction], list[str]]:
    """Eq. 5 ``w_i = V_i / sum V_j`` with the declared proxy; returns weights and left-out providers.

    ``equal``: every provider the same volume. ``shares``: the declared volumes; a provider
    without a declared (positive) share is left out and named.
    """
    if methodology.weighting == "equal":
        if not providers:
            return {}, []
        share = Fraction(1, len(providers))
        return dict.fromkeys(providers, share), []
    declared = methodology.share_map
    volumes = {p: Fraction(declared[p]) for p in providers if declared.get(p, 0) > 0}
    missing = [p for p in providers if p not in volumes]
    total = sum(volumes.values(), Fraction(0))
    if total == 0:
        return {}, missing
    return {p: v / total for p, v in volumes.items()}, missing


def apply_cap(raw: Mapping[str, Fraction], cap: Decimal) -> CappedWeights:
    """Cap every weight at ``cap`` and hand the excess to the others in proportion, repeatedly.

    When ``len(raw) * cap < 1`` no allocation can respect the cap: the weights become equal
    (the smallest possible maximum) and ``infeasible`` is set.
    """
    limit = Fraction(cap)
    if not raw:
        return CappedWeights(raw, {}, False, False)
    if len(raw) * limit < 1:
        equal = Fraction(1, len(raw))
        return CappedWeights(raw, dict.fromkeys(raw, equal), True, True)
    if max(raw.values()) <= limit:
        return CappedWeights(raw, dict(raw), False, False)
    pinned: set[str] = set()
    while True:
        free = [p for p in raw if p not in pinned]
        remaining = 1 - len(pinned) * limit
        free_total = sum((raw[p] for p in free), Fraction(0))
        scaled = {p: raw[p] * remaining / free_total for p in free}
        over = [p for p, w in scaled.items() if w > limit]
        if not over:
            capped = {p: (limit if p in pinned else scaled[p]) for p in raw}
            return CappedWeights(raw, capped, bool(pinned), False)
        pinned.update(over)
