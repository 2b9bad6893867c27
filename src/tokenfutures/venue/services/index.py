"""The index at the venue: published TPI fixes ingested (journalled), revisions read back.

The venue's side of the price → fix → settlement corridor (ADR 0232-0233): the index
service's :class:`PublishedFix` values come in, every ingestion of a day is a new revision
(never an overwrite), and reads give the current values or the values as known at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.publication import PublicationPolicy, PublishedFix
from tokenfutures.venue import index_corrections, index_feed
from tokenfutures.venue.commands import FixIndex
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.venue.views import FixingView, jsonable

_LOG = logging.getLogger(__name__)


class IndexService(Service):
    """Ingest published TPI fixes and hand-entered levels; list fixes and their revisions."""

    def fix_index(
        self,
        day: date,
        level: Decimal | None,
        *,
        status: str = "fixed",
        audit: Mapping[str, object] | None = None,
    ) -> FixingView:
        """Record a TPI level for ``day`` entered by hand (a published fix: ``ingest_fixing``)."""
        if level is not None and level <= 0:
            raise InvalidParameterError("level", level, "> 0 or None (withheld)")
        trail = jsonable(audit if audit is not None else {})
        command = FixIndex(EPOCH, day, None if level is None else str(level), status, trail)
        with self._lock:
            self._one(command)
            return self._state.fixes[day]

    def ingest_fixing(self, fixing: PublishedFix) -> FixingView:
        """Ingest one published fix with its audit and publication (a new revision if known)."""
        with self._lock:
            self._one(index_feed.fix_command(fixing))
            return self._state.fixes[fixing.day]

    def publish_fixes(
        self, fixes: Sequence[PublishedFix], policy: PublicationPolicy | None = None
    ) -> int:
        """Ingest the fixes the venue lacks and revisions of changed days, in one journal batch.

        The newest fix carries its full audit, older ones a summary; a day whose published value
        changed (new inputs) gets a new revision, never an overwrite, while ``policy``'s
        correction window is open; after it the published fix is final and stays (logged,
        ADR 0244). Returns how many were sent.
        """
        with self._lock:
            todo, final = index_feed.to_ingest(
                fixes, self._state.fixes, self._seq.clock.now(), policy or PublicationPolicy()
            )
            if final:
                _LOG.warning(
                    "the inputs now give another value for %d published day(s) past their "
                    "correction window (%s to %s); those fixes are final and stay as published",
                    len(final),
                    min(final).isoformat(),
                    max(final).isoformat(),
                )
            if todo:
                self._seq.execute(index_feed.ingest_commands(todo))
            return len(todo)

    def correct_fix(
        self,
        day: date,
        *,
        reason: str,
        by: str,
        policy: PublicationPolicy,
        level: Decimal | None = None,
        recomputed: PublishedFix | None = None,
    ) -> FixingView:
        """Journal the index administrator's correction of ``day``'s fix as its next revision.

        ``recomputed``: the methodology's fix from corrected inputs; else ``level`` (None:
        withhold). Refused outside the policy's correction window (ADR 0241).
        """
        with self._lock:
            held = self._state.fixes.get(day)
            if held is None:
                raise InvalidParameterError("date", day.isoformat(), "a day the venue has fixed")
            command = index_corrections.correction_command(
                held,
                reason=reason,
                by=by,
                now=self._seq.clock.now(),
                policy=policy,
                level=level,
                recomputed=recomputed,
            )
            self._one(command)
            return self._state.fixes[day]

    def index_fixings(
        self, start: date | None = None, end: date | None = None, known_at: datetime | None = None
    ) -> list[FixingView]:
        """TPI fixes in ``[start, end]``, oldest first: current values, or as known at a time."""
        with self._lock:
            days = [
                d
                for d in sorted(self._state.fix_revisions)
                if (start is None or d >= start) and (end is None or d <= end)
            ]
            if known_at is None:
                return [self._state.fixes[d] for d in days]
            views = (index_feed.as_known_at(self._state.fix_revisions[d], known_at) for d in days)
            return [v for v in views if v is not None]

    def fixing_revisions(self, day: date) -> list[FixingView]:
        """Every recorded revision of the fix of ``day``, oldest first (empty if none)."""
        with self._lock:
            return list(self._state.fix_revisions.get(day, ()))
