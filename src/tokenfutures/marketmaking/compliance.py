"""Compliance measurement of market-maker obligations from sampled book states (pure).

A sample says what the market maker's own best bid and ask were at an instant; the state holds
until the next sample (a step function). A quote qualifies when both sides are present, each
side is at least the minimum size, and the spread is within the limit (ADR 0701). Presence is
qualifying time over eligible session time; the response time is how long each loss of a
qualifying quote lasted (ADR 0702).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.marketmaking.obligations import Obligations, max_spread_ticks


@dataclass(frozen=True, slots=True)
class QuoteSample:
    """The market maker's best quote in one contract at ``at`` (``None`` ticks: that side is empty)."""

    at: datetime
    bid_ticks: int | None
    bid_lots: int
    ask_ticks: int | None
    ask_lots: int


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """Presence share, outage lengths and the verdict for one contract over one session."""

    eligible: timedelta
    qualifying: timedelta
    presence: Decimal
    outages: tuple[timedelta, ...]
    worst_response: timedelta
    response_breaches: int
    compliant: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (Decimal as string, durations in seconds)."""
        return {
            "eligible_s": self.eligible.total_seconds(),
            "qualifying_s": self.qualifying.total_seconds(),
            "presence": str(self.presence),
            "outages_s": [o.total_seconds() for o in self.outages],
            "worst_response_s": self.worst_response.total_seconds(),
            "response_breaches": self.response_breaches,
            "compliant": self.compliant,
        }


def qualifies(sample: QuoteSample, obligations: Obligations, is_front: bool) -> bool:
    """True when the sampled quote is two-sided, large enough and within the spread limit."""
    if sample.bid_ticks is None or sample.ask_ticks is None:
        return False
    if min(sample.bid_lots, sample.ask_lots) < obligations.min_size_lots:
        return False
    if sample.ask_ticks <= sample.bid_ticks or sample.bid_ticks <= 0:
        return False
    mid = Decimal(sample.bid_ticks + sample.ask_ticks) / 2
    return sample.ask_ticks - sample.bid_ticks <= max_spread_ticks(obligations, mid, is_front)


def measure_compliance(
    samples: Sequence[QuoteSample],
    session: tuple[datetime, datetime],
    obligations: Obligations,
    *,
    is_front: bool,
) -> ComplianceReport:
    """Measure presence and response time over ``session`` from time-ordered samples.

    Before the first sample no quote is assumed; samples outside the session are clipped.
    """
    start, end = session
    if end <= start:
        raise InvalidParameterError("session", session, "end after start")
    if any(b.at < a.at for a, b in itertools.pairwise(samples)):
        raise InvalidParameterError("samples", "order", "sorted by time")
    states = _segments(samples, start, end, obligations, is_front)
    qualifying = sum((stop - begin for begin, stop, ok in states if ok), timedelta(0))
    outages = tuple(_outages(states))
    eligible = end - start
    presence = Decimal(qualifying // timedelta(microseconds=1)) / Decimal(
        eligible // timedelta(microseconds=1)
    )
    worst = max(outages, default=timedelta(0))
    breaches = sum(1 for o in outages if o > obligations.max_response)
    return ComplianceReport(
        eligible=eligible,
        qualifying=qualifying,
        presence=presence,
        outages=outages,
        worst_response=worst,
        response_breaches=breaches,
        compliant=presence >= obligations.min_presence and breaches == 0,
    )


def _segments(
    samples: Sequence[QuoteSample],
    start: datetime,
    end: datetime,
    obligations: Obligations,
    is_front: bool,
) -> list[tuple[datetime, datetime, bool]]:
    """(begin, end, qualifies) pieces covering the session, adjacent equal states merged."""
    pieces: list[tuple[datetime, datetime, bool]] = []
    cursor, state = start, False
    for sample in samples:
        at = min(max(sample.at, start), end)
        if at > cursor:
            pieces.append((cursor, at, state))
            cursor = at
        state = qualifies(sample, obligations, is_front)
    if end > cursor:
        pieces.append((cursor, end, state))
    merged: list[tuple[datetime, datetime, bool]] = []
    for piece in pieces:
        if merged and merged[-1][2] == piece[2]:
            merged[-1] = (merged[-1][0], piece[1], piece[2])
        else:
            merged.append(piece)
    return merged


def _outages(states: list[tuple[datetime, datetime, bool]]) -> list[timedelta]:
    """Lengths of the non-qualifying stretches that follow a qualifying one (a lost quote)."""
    return [
        stop - begin
        for index, (begin, stop, ok) in enumerate(states)
        if not ok and index > 0 and states[index - 1][2]
    ]
