"""The route panel of tpi-2.0: every graded route's log blended price in each *state*.

A state is a run of days on which no price, listing or delisting changes, so a daily
history needs one computation per state, not per day (ADR 0211). Pure: arrays in, arrays out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.routes import Exclusion
from tokenfutures.index.sit_gate import RouteGrade

Series = tuple[str, str, str]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
BULK_ENTRY = 3  # routes entering one listing on one day that make a coverage event (ADR 0211)


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """A priced series usable by tpi-2.0: its provider identity, listing and grade."""

    series: Series
    group: str
    listing: str
    grade: RouteGrade
    open_weight: bool


@dataclass(frozen=True, slots=True)
class Panel:
    """States x routes: log blended prices (NaN when not in force) and the observation used."""

    origin: date
    starts: IntArray  # first day of each state, in days after ``origin``
    ends: IntArray  # last day of each state (inclusive)
    routes: tuple[RouteInfo, ...]
    log_price: FloatArray
    observation: IntArray  # index into ``observations``; -1 when not in force
    observations: tuple[PriceObservation, ...]
    excluded: tuple[tuple[int, int, Exclusion], ...]  # (first day, last day, why)
    in_force: BoolArray  # ~isnan(log_price)

    def day(self, offset: int) -> date:
        """The calendar date ``offset`` days after the origin."""
        return self.origin + timedelta(days=int(offset))

    def state_of(self, day: date) -> int:
        """The state containing ``day`` (-1 before the first observation)."""
        offset = (day - self.origin).days
        return int(np.searchsorted(self.starts, offset, side="right")) - 1

    @property
    def present(self) -> BoolArray:
        """Whether each route is in force in each state (computed once)."""
        return self.in_force


def log_blend(obs: PriceObservation, methodology: Methodology) -> float:
    """Natural log of the workload-blended price (``-inf`` when the blend is zero)."""
    wi, wo, wc = (
        float(methodology.input_weight),
        float(methodology.output_weight),
        float(methodology.cached_input_weight),
    )
    cached = obs.input if obs.cached_input is None else obs.cached_input
    value = (wi * float(obs.input) + wo * float(obs.output) + wc * float(cached)) / (wi + wo + wc)
    return math.log(value) if value > 0 else -math.inf


def build_panel(
    observations: Sequence[PriceObservation],
    methodology: Methodology,
    grades: Mapping[tuple[str, str], RouteGrade],
    end: date,
    delisted: Mapping[Series, date] | None = None,
) -> Panel:
    """Segments of constant price per graded series, cut into states up to ``end``."""
    gone = delisted or {}
    ordered = sorted(
        (o for o in observations if o.effective <= end),
        key=lambda o: (o.series, o.effective),
    )
    origin = min(o.effective for o in ordered)
    by_series: dict[Series, list[int]] = {}
    for position, obs in enumerate(ordered):
        by_series.setdefault(obs.series, []).append(position)
    last_day = (end - origin).days
    routes: list[RouteInfo] = []
    segments: list[tuple[int, int, int, int]] = []  # (route, first, last, observation)
    excluded: list[tuple[int, int, Exclusion]] = []
    for series, positions in by_series.items():
        stop = min(last_day, (gone[series] - origin).days) if series in gone else last_day
        spans = _spans(ordered, positions, stop, origin)
        why = _why_excluded(series, methodology, grades)
        if why is not None:
            if spans:
                excluded.append((spans[0][0], spans[-1][1], Exclusion(*series[1:], series[0], why)))
            continue
        column = len(routes)
        grade = grades[(series[1], series[2])]
        routes.append(
            RouteInfo(
                series,
                methodology.provider_group(series[1]),
                f"{series[0]}:{series[1]}",
                grade,
                methodology.is_open_weight(grade.model_key)
                or methodology.is_open_weight(series[2]),
            )
        )
        segments.extend((column, a, b, p) for a, b, p in spans)
    return _assemble(origin, last_day, routes, segments, ordered, excluded, methodology)


def _spans(
    ordered: Sequence[PriceObservation], positions: list[int], stop: int, origin: date
) -> list[tuple[int, int, int]]:
    spans = []
    for i, position in enumerate(positions):
        first = (ordered[position].effective - origin).days
        last = (
            (ordered[positions[i + 1]].effective - origin).days - 1
            if i + 1 < len(positions)
            else stop
        )
        last = min(last, stop)
        if last >= first:
            spans.append((first, last, position))
    return spans


def _why_excluded(
    series: Series, methodology: Methodology, grades: Mapping[tuple[str, str], RouteGrade]
) -> str | None:
    if series[1] in methodology.excluded_providers:
        return "provider excluded by the methodology (aggregator, not a seller)"
    if (series[1], series[2]) not in grades:
        return "no benchmark or arena grade for this model"
    return None


def _assemble(
    origin: date,
    last_day: int,
    routes: list[RouteInfo],
    segments: list[tuple[int, int, int, int]],
    ordered: Sequence[PriceObservation],
    excluded: list[tuple[int, int, Exclusion]],
    methodology: Methodology,
) -> Panel:
    cuts = {0}
    for _, first, last, _ in segments:
        cuts.add(first)
        if last + 1 <= last_day:
            cuts.add(last + 1)
    starts = np.array(sorted(cuts), dtype=np.int64)
    ends = np.append(starts[1:] - 1, last_day).astype(np.int64)
    log_price = np.full((len(starts), len(routes)), np.nan)
    observation = np.full((len(starts), len(routes)), -1, dtype=np.int64)
    logs = {p: log_blend(ordered[p], methodology) for _, _, _, p in segments}
    for column, first, last, position in segments:
        a = int(np.searchsorted(starts, first, side="right")) - 1
        b = int(np.searchsorted(starts, last, side="right"))
        if math.isfinite(logs[position]):
            log_price[a:b, column] = logs[position]
            observation[a:b, column] = position
    cohorts = _cohorts(~np.isnan(log_price), [r.listing for r in routes])
    routes = [
        replace(r, listing=f"{r.listing}#{c}") if c else r
        for r, c in zip(routes, cohorts, strict=True)
    ]
    return Panel(
        origin,
        starts,
        ends,
        tuple(routes),
        log_price,
        observation,
        tuple(ordered),
        tuple(excluded),
        ~np.isnan(log_price),
    )


def _cohorts(present: BoolArray, listings: list[str]) -> list[int]:
    """Coverage cohort of each route: a listing that gains at least ``BULK_ENTRY`` routes, and
    at least as many as it held, on one day is a new sample (linked in), not new products."""
    first = np.where(present.any(0), present.argmax(0), -1)
    cohort = [0] * len(listings)
    by_listing: dict[str, list[int]] = {}
    for column, name in enumerate(listings):
        by_listing.setdefault(name, []).append(column)
    for columns in by_listing.values():
        current = 0
        for state in sorted({int(first[c]) for c in columns if first[c] >= 0}):
            entrants = [c for c in columns if first[c] == state]
            held = int(present[state - 1, columns].sum()) if state > 0 else 0
            if held and len(entrants) >= max(BULK_ENTRY, held):
                current += 1
            for c in entrants:
                cohort[c] = current
    return cohort
