"""The index service: price inputs and a methodology in, published fixes and their history out.

The one path from prices to a published number, shared by ``tokenfutures index``, the
``contracts final-settlement`` command, ``serve``, the venue's scheduler and the API (ADR
0233): the same inputs give the same value for the same day everywhere. Pure: the caller
passes ``now``; reading the inputs is :mod:`tokenfutures.index.sources.inputs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.fixing import IndexFixing
from tokenfutures.index.precision import exact
from tokenfutures.index.publication import Freshness, PublicationPolicy, PublishedFix, publish
from tokenfutures.index.registry import IndexInputs, IndexMethod


@dataclass(frozen=True, slots=True)
class ChainLink:
    """A methodology change: from ``day`` on, ``method`` fixes, scaled to join the old series."""

    day: date
    method: IndexMethod


class IndexService:
    """Published fixes of one methodology (optionally chain-linked from predecessors) on inputs.

    The history always starts at the inputs' first day, so a path-dependent methodology gives
    every caller the same value for a day; computed days are kept and re-used.
    """

    def __init__(
        self,
        inputs: IndexInputs,
        method: IndexMethod,
        policy: PublicationPolicy | None = None,
        links: Sequence[ChainLink] = (),
    ) -> None:
        if list(links) != sorted(links, key=lambda link: link.day):
            raise InvalidParameterError("links", links, "in date order")
        self.inputs = inputs
        self.method = method
        self.policy = policy or PublicationPolicy()
        self.links = tuple(links)
        self._freshness = Freshness(o.effective for o in inputs.observations)
        self._fixes: list[PublishedFix] = []

    @property
    def version(self) -> str:
        """The methodology version of the newest fixes (the last link's, else the method's)."""
        return self.links[-1].method.version if self.links else self.method.version

    @property
    def first_day(self) -> date:
        """The first day of the history (the inputs' earliest effective date)."""
        return self.inputs.first_day

    def latest_day(self, now: datetime) -> date:
        """The newest day whose fix is published at ``now``."""
        return self.policy.latest_day(now)

    def fix(self, day: date, now: datetime) -> PublishedFix:
        """The published fix of ``day``; a day not yet published at ``now`` is refused."""
        return self.history(day, day, now)[-1]

    def history(self, start: date | None, end: date, now: datetime) -> list[PublishedFix]:
        """Published fixes from ``start`` (default: the first day) to ``end`` inclusive."""
        self.policy.require_published(end, now)
        first = self.first_day
        begin = first if start is None else start
        if begin > end:
            raise InvalidParameterError("end", end, f">= start ({begin})")
        if end < first:
            raise InvalidParameterError("end", end, f">= the first day of the prices ({first})")
        self._extend(end)
        offset = max((begin - first).days, 0)
        return self._fixes[offset : (end - first).days + 1]

    def levels(self, start: date | None, end: date, now: datetime) -> list[tuple[date, Decimal]]:
        """``(day, level)`` of the published (not withheld) fixes, for settlement."""
        return [(f.day, f.level) for f in self.history(start, end, now) if f.level is not None]

    def _extend(self, end: date) -> None:
        have = self.first_day + timedelta(days=len(self._fixes) - 1)
        if self._fixes and end <= have:
            return
        segments = self._segments(end)
        fixes: list[PublishedFix] = []
        factor = Decimal(1)
        for method, seg_start, seg_end in segments:
            raw = method.history(self.inputs, self.first_day, seg_end)
            if fixes:
                factor = _link_factor(fixes[-1], raw, seg_start)
            offset = (seg_start - self.first_day).days
            fixes.extend(publish(f, self.policy, self._freshness, factor) for f in raw[offset:])
        self._fixes = fixes

    def _segments(self, end: date) -> list[tuple[IndexMethod, date, date]]:
        starts = [(self.first_day, self.method)] + [(k.day, k.method) for k in self.links]
        starts = [(d, m) for d, m in starts if d <= end]
        return [
            (method, day, starts[i + 1][0] - timedelta(days=1) if i + 1 < len(starts) else end)
            for i, (day, method) in enumerate(starts)
        ]


def _link_factor(previous: PublishedFix, raw: Sequence[IndexFixing], link_day: date) -> Decimal:
    """Published old level over the new methodology's level on the link's eve (ADR 0210)."""
    new_on_eve = next((f for f in raw if f.as_of == previous.day), None)
    if previous.level is None or new_on_eve is None or new_on_eve.level is None:
        raise InvalidParameterError(
            "link day", link_day, "a day whose eve has a level in both methodologies"
        )
    with exact():
        return previous.level / new_on_eve.level
