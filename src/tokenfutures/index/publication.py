"""Publication of fixes: when a day's fix is published, when inputs are too stale, revisions.

A fix of day ``D`` is published at ``D`` + ``fixing_time`` (UTC) from the prices effective on
or before ``D`` (ADR 0230); a day whose publication instant is still ahead is refused, never
fixed. When the newest price observation on or before ``D`` is older than the declared
tolerance the fix is withheld with the reason (ADR 0231). A correction is a new revision of a
published fix with its own publication time and reason; the earlier value stays (ADR 0232).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_money
from tokenfutures.index.fixing import FixStatus, IndexFixing
from tokenfutures.index.precision import exact

#: The daily publication time of the TPI (UTC): after the 4 pm London benchmark convention,
#: five hours before the SIT daily settlement at 21:00 UTC.
FIXING_TIME = time(16, 0)
#: The newest price observation may be at most this many days older than the fixing day.
STALE_AFTER_DAYS = 60
#: The administrator corrects a published fix for at most this many days after its original
#: publication; later the fix is final (ADR 0241).
CORRECTION_DAYS = 5


@dataclass(frozen=True, slots=True)
class PublicationPolicy:
    """The administrator's publication rules: the daily fixing time and the staleness tolerance."""

    fixing_time: time = FIXING_TIME
    stale_after_days: int = STALE_AFTER_DAYS
    correction_days: int = CORRECTION_DAYS

    def __post_init__(self) -> None:
        if self.stale_after_days < 0:
            raise InvalidParameterError("stale_after_days", self.stale_after_days, ">= 0")
        if self.correction_days < 0:
            raise InvalidParameterError("correction_days", self.correction_days, ">= 0")

    def published_at(self, day: date) -> datetime:
        """The instant (UTC) the original fix of ``day`` is published."""
        return datetime.combine(day, self.fixing_time, tzinfo=UTC)

    def latest_day(self, now: datetime) -> date:
        """The newest day whose fix is published at ``now`` (timezone-aware)."""
        if now.tzinfo is None:
            raise InvalidParameterError("now", now, "timezone-aware")
        today = now.astimezone(UTC).date()
        return today if now >= self.published_at(today) else today - timedelta(days=1)

    def require_published(self, day: date, now: datetime) -> None:
        """Refuse a day whose fix is not published yet at ``now`` (a future fix is never made)."""
        latest = self.latest_day(now)
        if day > latest:
            raise _refused(
                day,
                f"a day already fixed: the fix of a day is published at "
                f"{self.fixing_time:%H:%M} UTC that day and the latest is {latest.isoformat()}",
            )

    def correction_deadline(self, day: date) -> datetime:
        """The last instant at which the fix of ``day`` may be corrected (ADR 0241)."""
        return self.published_at(day) + timedelta(days=self.correction_days)

    def require_correctable(self, day: date, now: datetime) -> None:
        """Refuse a correction of a fix not yet published, or one past its correction window."""
        self.require_published(day, now)
        deadline = self.correction_deadline(day)
        if now > deadline:
            raise _refused(
                day,
                f"a fix inside its correction window: corrections are accepted for "
                f"{self.correction_days} days after publication, so the fix of {day.isoformat()} "
                f"became final at {deadline:%Y-%m-%d %H:%M} UTC",
            )

    def to_dict(self) -> dict[str, object]:
        """The policy as JSON-ready values."""
        return {
            "fixing_time_utc": f"{self.fixing_time:%H:%M}",
            "stale_after_days": self.stale_after_days,
            "correction_days": self.correction_days,
        }


@dataclass(frozen=True, slots=True)
class PublishedFix:
    """A fix as published: the methodology's fixing, when it was published, and why.

    ``level`` is the fixing's level times ``link_factor`` (1 unless the history is chain-linked
    across a methodology change); ``revision`` 0 is the original, higher ones are corrections.
    """

    fixing: IndexFixing
    published_at: datetime
    newest_observation: date | None
    level: Decimal | None
    link_factor: Decimal = Decimal(1)
    revision: int = 0
    reason: str = "original"

    @property
    def day(self) -> date:
        """The fixing day."""
        return self.fixing.as_of

    @property
    def methodology_version(self) -> str:
        """The version of the methodology that made the fixing."""
        return self.fixing.methodology_version

    @property
    def status(self) -> FixStatus:
        """fixed, fallback_last_good or withheld."""
        return self.fixing.status

    @property
    def withheld_reason(self) -> str | None:
        """Why no level was published (the audit's last note), or None when there is one."""
        if self.level is not None:
            return None
        notes = self.fixing.audit.notes
        return notes[-1] if notes else "withheld"

    def correction(self, fixing: IndexFixing, published_at: datetime, reason: str) -> PublishedFix:
        """The next revision of this fix, published at ``published_at`` with ``reason``."""
        if not reason.strip():
            raise InvalidParameterError("reason", reason, "a non-empty reason for the correction")
        if published_at <= self.published_at:
            raise InvalidParameterError("published_at", published_at, "after the last revision")
        if fixing.as_of != self.day:
            raise InvalidParameterError("fixing", fixing.as_of, f"a fix of {self.day}")
        level = _linked(fixing.level, self.link_factor)
        return replace(
            self,
            fixing=fixing,
            published_at=published_at,
            level=level,
            revision=self.revision + 1,
            reason=reason,
        )

    def publication(self) -> dict[str, object]:
        """The publication record as JSON-ready values (what the venue journals with the fix)."""
        return {
            "published_at": self.published_at.isoformat(),
            "newest_observation": (
                None if self.newest_observation is None else self.newest_observation.isoformat()
            ),
            "link_factor": str(self.link_factor),
            "revision": self.revision,
            "reason": self.reason,
            "withheld_reason": self.withheld_reason,
        }


class Freshness:
    """The newest price observation on or before any day (for the staleness rule)."""

    def __init__(self, effective_dates: Iterable[date]) -> None:
        self._days = sorted(set(effective_dates))

    def newest_on(self, day: date) -> date | None:
        """The newest effective date ``<= day`` (None before the first observation)."""
        position = bisect_right(self._days, day)
        return self._days[position - 1] if position else None


def publish(
    fixing: IndexFixing,
    policy: PublicationPolicy,
    freshness: Freshness,
    link_factor: Decimal = Decimal(1),
) -> PublishedFix:
    """The original publication of ``fixing``: withheld with the reason when inputs are stale."""
    newest = freshness.newest_on(fixing.as_of)
    fixing = _unless_stale(fixing, newest, policy)
    return PublishedFix(
        fixing,
        policy.published_at(fixing.as_of),
        newest,
        _linked(fixing.level, link_factor),
        link_factor,
    )


def _unless_stale(
    fixing: IndexFixing, newest: date | None, policy: PublicationPolicy
) -> IndexFixing:
    if newest is None or fixing.level is None:
        return fixing
    age = (fixing.as_of - newest).days
    if age <= policy.stale_after_days:
        return fixing
    note = (
        f"withheld: stale inputs, the newest price observation ({newest.isoformat()}) is {age} "
        f"days before the fixing day (tolerance {policy.stale_after_days} days)"
    )
    audit = replace(fixing.audit, notes=(*fixing.audit.notes, note))
    return replace(fixing, level=None, status=FixStatus.WITHHELD, audit=audit, fallback_from=None)


def _refused(day: date, expected: str) -> InvalidParameterError:
    """The one clear line when a fix of ``day`` cannot be had or changed (``--date``/``date``)."""
    return InvalidParameterError("date", day.isoformat(), expected)


def _linked(level: Decimal | None, factor: Decimal) -> Decimal | None:
    if level is None or factor == 1:
        return level
    with exact():
        return round_money(level * factor)


def settlement_inputs(
    fixes: Iterable[PublishedFix],
) -> tuple[list[tuple[date, Decimal]], dict[date, str]]:
    """``(day, level)`` of the published levels and ``{day: reason}`` of the withheld days."""
    levels: list[tuple[date, Decimal]] = []
    withheld: dict[date, str] = {}
    for fix in fixes:
        if fix.level is None:
            withheld[fix.day] = fix.withheld_reason or "withheld"
        else:
            levels.append((fix.day, fix.level))
    return levels, withheld
