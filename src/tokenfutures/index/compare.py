"""tpi-1.0 against tpi-2.0 and its comparison methods on the same inputs (pure).

For each method: the level path, the total log move over the range, and how much of it comes
from matched price changes, entries/exits and re-weighting; the moves on known coverage
events; and the blend-sensitivity table of tpi-2.0 (ADR 0215, 0216).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import numpy as np

from tokenfutures.index.attribution import route_effects
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.fixing import FixStatus, IndexFixing
from tokenfutures.index.history import daily_history
from tokenfutures.index.methodology import METHODOLOGY_VERSION, TPI2_VERSION, methodology_named
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.tpi2 import IndexRun, Prepared, adjusted_logs, masks, prepare, run_index

COVERAGE_EVENTS = (
    (date(2025, 6, 21), "genai-prices source starts"),
    (date(2025, 11, 24), "huggingface_* router sub-providers enter"),
)
BLENDS = ((3, 1), (1, 1), (1, 3))
Delisted = Mapping[tuple[str, str, str], date]


@dataclass(frozen=True, slots=True)
class MethodResult:
    """One method over the range: levels by day and its attributed total move."""

    name: str
    levels: tuple[tuple[date, float], ...]
    matched: float
    entries_exits: float
    reweighting: float
    route_switches: float = 0.0  # tpi-1.0 only: a provider's cheapest route changing

    @property
    def total(self) -> float:
        """Log change from the first to the last level in the range."""
        return math.log(self.levels[-1][1] / self.levels[0][1]) if len(self.levels) > 1 else 0.0

    @property
    def matched_share(self) -> float | None:
        """Share of the total move that comes from matched price changes."""
        return self.matched / self.total if abs(self.total) > 1e-12 else None

    def move_on(self, day: date) -> float | None:
        """Log move from the previous level to ``day`` (None when either is missing)."""
        by_day = dict(self.levels)
        before = by_day.get(day - timedelta(days=1))
        return None if before is None or day not in by_day else math.log(by_day[day] / before)

    @property
    def max_daily_move(self) -> float:
        """Largest absolute one-day log move."""
        values = [v for _, v in self.levels]
        return max((abs(math.log(b / a)) for a, b in pairwise(values)), default=0.0)


def compare_methods(
    observations: Sequence[PriceObservation],
    capabilities: CapabilityBook,
    start: date,
    end: date,
    delisted: Delisted | None = None,
) -> dict[str, MethodResult]:
    """tpi-1.0, tpi-2.0 (time-dummy hedonic) and the chained Jevons and GEKS-Törnqvist."""
    v1 = daily_history(
        observations, methodology_named(METHODOLOGY_VERSION), start, end, capabilities, delisted
    )
    results = {METHODOLOGY_VERSION: tpi1_result(v1)}
    prep = prepare(
        observations, methodology_named(TPI2_VERSION), capabilities.sit_grades, end, delisted
    )
    member = masks(prep)["headline"]
    head = run_index(prep, "headline", member, "time_dummy")
    results[TPI2_VERSION] = tpi2_result(prep, head, start, end, TPI2_VERSION)
    for method in ("jevons", "geks"):
        run = run_index(prep, "headline", member, method)
        results[method] = tpi2_result(prep, run, start, end, method)
    return results


def _daily(prep: Prepared, run: IndexRun, start: date, end: date) -> list[tuple[date, int]]:
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        k = prep.panel.state_of(day)
        if k >= 0 and run.levels[k] is not None:
            days.append((day, k))
    return days


def tpi2_result(
    prep: Prepared,
    run: IndexRun,
    start: date,
    end: date,
    name: str,
) -> MethodResult:
    """Levels and attributed parts of a tpi-2.0-family run over ``[start, end]``."""
    days = _daily(prep, run, start, end)
    states = sorted({k for _, k in days})
    parts = {"matched": 0.0, "entries_exits": 0.0, "reweighting": 0.0}
    for k in states[1:]:
        prev = int(run.fit.previous[k])
        w1, w0 = run.weights.link[k], run.weights.route[prev]
        if run.method == "time_dummy":
            e = route_effects(
                adjusted_logs(prep, run, k, k), adjusted_logs(prep, run, prev, k), w1, w0
            )
            parts["matched"] += float(e["matched"].sum())
            parts["entries_exits"] += float(e["entry"].sum() + e["exit"].sum())
            parts["reweighting"] += float(e["reweighting"].sum())
            continue
        y = prep.panel.log_price
        matched = float(route_effects(y[k], y[prev], w1, w0)["matched"].sum())
        parts["matched"] += matched
        parts["reweighting"] += float(np.nan_to_num(run.move[k])) - matched  # GEKS: multilateral
    levels = tuple((d, float(run.levels[k] or 0)) for d, k in days)
    return MethodResult(name, levels, **parts)


def tpi1_result(fixes: Sequence[IndexFixing]) -> MethodResult:
    """tpi-1.0 levels and the sequential split of each day's move: price changes on unchanged
    routes, a provider's cheapest route switching, providers entering/leaving (and weights)."""
    fixed = [f for f in fixes if f.status is FixStatus.FIXED and f.level is not None]
    parts = {"matched": 0.0, "route_switches": 0.0, "entries_exits": 0.0}
    for before, after in pairwise(fixed):
        p0 = {
            p.provider: (p.model, float(p.price), float(p.weight)) for p in before.audit.providers
        }
        p1 = {p.provider: (p.model, float(p.price)) for p in after.audit.providers}
        level0 = sum(w * price for _, price, w in p0.values())
        same = sum(
            w * (p1[i][1] if i in p1 and p1[i][0] == m else price)
            for i, (m, price, w) in p0.items()
        )
        moved = sum(w * (p1[i][1] if i in p1 else price) for i, (m, price, w) in p0.items())
        total = math.log(float(after.level or 0) / float(before.level or 0))
        parts["matched"] += math.log(same / level0)
        parts["route_switches"] += math.log(moved / same)
        parts["entries_exits"] += total - math.log(moved / level0)
    levels = tuple((f.as_of, float(f.level or 0)) for f in fixed)
    return MethodResult(
        METHODOLOGY_VERSION,
        levels,
        parts["matched"],
        parts["entries_exits"],
        0.0,
        parts["route_switches"],
    )


def blend_sensitivity(
    observations: Sequence[PriceObservation],
    capabilities: CapabilityBook,
    start: date,
    end: date,
    delisted: Delisted | None = None,
) -> list[dict[str, object]]:
    """tpi-2.0 under the 3:1, 1:1 and 1:3 input:output blends: levels and total move."""
    rows: list[dict[str, object]] = []
    for wi, wo in BLENDS:
        m = replace(
            methodology_named(TPI2_VERSION), input_weight=Decimal(wi), output_weight=Decimal(wo)
        )
        prep = prepare(observations, m, capabilities.sit_grades, end, delisted)
        run = run_index(prep, "headline", masks(prep)["headline"], "time_dummy")
        result = tpi2_result(prep, run, start, end, f"{wi}:{wo}")
        rows.append(
            {
                "blend": f"{wi}:{wo}",
                "first": result.levels[0][1] if result.levels else None,
                "last": result.levels[-1][1] if result.levels else None,
                "total_log_move": result.total,
                "matched_share": result.matched_share,
            }
        )
    return rows
