"""Daily fix history (incremental), level series, corrections "as known at", chain-linking.

``daily_history`` walks the days once, applying only the observations and score snapshots
that change on each day; an unchanged day re-uses the previous fix (re-dated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import CapabilityBook, gate_timeline, state_at
from tokenfutures.index.fixing import FixStatus, IndexFixing, assemble_fixing
from tokenfutures.index.methodology import TPI2_VERSION, Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.precision import exact
from tokenfutures.index.routes import Exclusion, Route, classify, delisted_exclusion


def daily_history(
    observations: Sequence[PriceObservation],
    methodology: Methodology,
    start: date,
    end: date,
    capabilities: CapabilityBook,
    delisted: Mapping[tuple[str, str, str], date] | None = None,
) -> list[IndexFixing]:
    """One fix per calendar day from ``start`` to ``end`` inclusive (same result as fixing each day).

    ``delisted`` maps a series to its last listed day, as in :func:`compute_fixing`.
    """
    if end < start:
        raise InvalidParameterError("end", end, f">= start ({start})")
    if not observations:
        raise InvalidParameterError("observations", observations, "at least one observation")
    if methodology.version == TPI2_VERSION:
        from tokenfutures.index.tpi2_fixes import tpi2_history

        return tpi2_history(observations, methodology, start, end, capabilities, delisted)
    timeline = gate_timeline(capabilities, methodology)
    pending = sorted(observations, key=lambda o: o.effective)
    current: dict[tuple[str, str, str], PriceObservation] = {}
    classified: dict[tuple[str, str, str], Route | Exclusion] = {}
    fixes: list[IndexFixing] = []
    last_good: IndexFixing | None = None
    state = None
    cursor = 0
    removals = sorted(
        ((last + timedelta(days=1), series) for series, last in (delisted or {}).items())
    )
    removal_cursor = 0
    gone: dict[tuple[str, str, str], date] = {}
    day = start
    while day <= end:
        changed: set[tuple[str, str, str]] = set()
        while cursor < len(pending) and pending[cursor].effective <= day:
            obs = pending[cursor]
            held = current.get(obs.series)
            if held is None or obs.effective >= held.effective:
                current[obs.series] = obs
                changed.add(obs.series)
            cursor += 1
        while removal_cursor < len(removals) and removals[removal_cursor][0] <= day:
            removed_on, series = removals[removal_cursor]
            gone[series] = removed_on - timedelta(days=1)
            if series in current:
                changed.add(series)
            removal_cursor += 1
        new_state = state_at(timeline, day)
        moved = new_state is not state
        if moved:
            state, changed = new_state, set(current)
        for series in changed:
            obs = current[series]
            verdict = (
                delisted_exclusion(obs, gone[series])
                if series in gone
                else classify(obs, capabilities, state, methodology)
            )
            # an excluded route whose price changed stays the same exclusion: nothing moves
            moved = moved or classified.get(series) != verdict
            classified[series] = verdict
        previous = fixes[-1] if fixes else None
        if previous is not None and not moved and previous.status is FixStatus.FIXED:
            fix = replace(previous, as_of=day)
        else:
            fix = assemble_fixing(day, classified, state, methodology, last_good)
        if fix.status is FixStatus.FIXED:
            last_good = fix
        fixes.append(fix)
        day += timedelta(days=1)
    return fixes


def level_series(fixes: Sequence[IndexFixing]) -> list[tuple[date, Decimal]]:
    """(date, level) pairs of the published fixes (withheld days left out), for settlement."""
    return [(f.as_of, f.level) for f in fixes if f.level is not None]


@dataclass(frozen=True, slots=True)
class Publication:
    """One published value of a fix: the level, when it was published, and why (if a correction)."""

    fixing_date: date
    level: Decimal | None
    published_on: date
    methodology_version: str
    reason: str = "original"


@dataclass(frozen=True, slots=True)
class FixingLedger:
    """Append-only record of publications: corrections add entries, never rewrite old ones."""

    entries: tuple[Publication, ...] = ()

    def publish(self, fix: IndexFixing, published_on: date) -> FixingLedger:
        """Append the original publication of ``fix``."""
        entry = Publication(fix.as_of, fix.level, published_on, fix.methodology_version)
        return FixingLedger((*self.entries, entry))

    def correct(
        self, fixing_date: date, level: Decimal, published_on: date, reason: str, version: str
    ) -> FixingLedger:
        """Append a correction of a past fix, with its reason; earlier values stay visible."""
        if not reason.strip():
            raise InvalidParameterError("reason", reason, "a non-empty reason for the correction")
        known = self.as_known_at(fixing_date, published_on)
        if known is None:
            raise InvalidParameterError("fixing_date", fixing_date, "a fix already published")
        entry = Publication(fixing_date, level, published_on, version, reason)
        return FixingLedger((*self.entries, entry))

    def as_known_at(self, fixing_date: date, known_at: date) -> Publication | None:
        """The value of the fix for ``fixing_date`` as it was known on ``known_at``."""
        known = [
            e for e in self.entries if e.fixing_date == fixing_date and e.published_on <= known_at
        ]
        return known[-1] if known else None


def chain_link(
    old: Sequence[tuple[date, Decimal]], new: Sequence[tuple[date, Decimal]], link_date: date
) -> list[tuple[date, Decimal]]:
    """Join two level series at ``link_date``: old levels before, new levels scaled after.

    The link factor ``old(link) / new(link)`` makes the joined series continuous, as when a
    methodology version changes; both series must have a level on ``link_date``.
    """
    old_map, new_map = dict(old), dict(new)
    if link_date not in old_map or link_date not in new_map or new_map[link_date] == 0:
        raise InvalidParameterError("link_date", link_date, "a date with a level in both series")
    with exact():
        factor = old_map[link_date] / new_map[link_date]
        joined = [(d, v) for d, v in old if d < link_date]
        joined += [(d, v * factor) for d, v in new if d >= link_date]
    return joined
