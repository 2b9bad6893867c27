"""The venue's side of the index corridor: published fixes in, revisions kept, settlement inputs.

A published fix becomes one journalled ``FixIndex`` command carrying its audit and its
publication record (published at, newest observation, revision reason). The fold never
overwrites a fix: a second ingestion of a day is a new revision, recorded at the journal time,
so every past value stays readable "as known at" (ADR 0232).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tokenfutures.core.clock import Clock
from tokenfutures.index.publication import PublicationPolicy, PublishedFix
from tokenfutures.index.service import IndexService
from tokenfutures.venue.commands import FixIndex
from tokenfutures.venue.views import FixingView, jsonable

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Reason stated on a revision made because the index's inputs gave another value for a day.
INPUTS_CHANGED = "correction: the index inputs give another value for this day"


def fix_audit(fix: PublishedFix, *, full: bool = True) -> dict[str, Any]:
    """The audit trail journalled with a fix; ``full=False`` keeps counts instead of lists."""
    fixing = fix.fixing
    details: Any = fixing.audit
    if not full:
        details = {
            "constituents": len(fixing.audit.constituents),
            "providers": len(fixing.audit.providers),
            "exclusions": len(fixing.audit.exclusions),
            "cap_binding": fixing.audit.cap_binding,
            "notes": list(fixing.audit.notes),
            "attribution": fixing.audit.attribution,  # every day's move explained (ADR 0240)
        }
    trail = {
        "methodology_version": fixing.methodology_version,
        "audit": details,
        "sub_indices": fixing.sub_indices,
        "cheapest_to_deliver": fixing.cheapest_to_deliver,
        "fallback_from": fixing.fallback_from,
        "publication": fix.publication(),
    }
    result: dict[str, Any] = jsonable(trail)
    return result


def fix_command(fix: PublishedFix, *, full: bool = True) -> FixIndex:
    """The journal command that ingests ``fix`` (the sequencer stamps its time)."""
    level = None if fix.level is None else str(fix.level)
    return FixIndex(_EPOCH, fix.day, level, fix.status.value, fix_audit(fix, full=full))


def to_ingest(
    fixes: Sequence[PublishedFix],
    current: Mapping[date, FixingView],
    now: datetime,
    policy: PublicationPolicy,
) -> tuple[list[PublishedFix], list[date]]:
    """The fixes the venue lacks and revisions of the days whose value changed since; and
    the days whose value changed after their correction window closed (final, ADR 0244)."""
    out: list[PublishedFix] = []
    final: list[date] = []
    for fix in fixes:
        held = current.get(fix.day)
        if held is None:
            out.append(fix)
        elif corrected_by_administrator(held):
            continue  # the administrator's correction stands (ADR 0241)
        elif (held.level, held.status) == (fix.level, fix.status.value):
            continue
        elif now > policy.correction_deadline(fix.day):
            final.append(fix.day)  # published and past its window: it stands (ADR 0244)
        else:
            out.append(
                dataclasses.replace(
                    fix, published_at=now, revision=held.revision + 1, reason=INPUTS_CHANGED
                )
            )
    return out, final


def corrected_by_administrator(fix: FixingView) -> bool:
    """Whether the day's current revision is the index administrator's correction (ADR 0241)."""
    publication = fix.audit.get("publication") or {}
    return bool(publication.get("corrected_by"))


def ingest_commands(fixes: Sequence[PublishedFix]) -> list[FixIndex]:
    """Commands for ``fixes``: the newest with its full audit, older ones with a summary."""
    return [fix_command(f, full=i == len(fixes) - 1) for i, f in enumerate(fixes)]


def revision_view(seq: int, command: FixIndex, previous: FixingView | None) -> FixingView:
    """The view of a journalled fix: the next revision of the day, recorded at the command's ts."""
    level = None if command.level is None else Decimal(command.level)
    audit = command.audit
    publication = audit.get("publication") or {}
    published = publication.get("published_at")
    return FixingView(
        command.day,
        level,
        command.status,
        audit,
        seq,
        revision=0 if previous is None else previous.revision + 1,
        published_at=datetime.fromisoformat(published) if published else command.ts,
        recorded_at=command.ts,
        reason=str(publication.get("reason") or ("original" if previous is None else "revised")),
    )


def as_known_at(revisions: Iterable[FixingView], known_at: datetime) -> FixingView | None:
    """The last revision recorded at or before ``known_at`` (None if none was yet)."""
    known = [r for r in revisions if r.recorded_at is not None and r.recorded_at <= known_at]
    return known[-1] if known else None


def settlement_fixes(
    fixes: Mapping[date, FixingView],
) -> tuple[list[tuple[date, Decimal]], dict[date, str]]:
    """``(day, level)`` of the current fixes with a level, and ``{day: reason}`` of withheld ones."""
    levels = [(d, f.level) for d, f in sorted(fixes.items()) if f.level is not None]
    withheld = {d: withheld_reason(f) for d, f in fixes.items() if f.level is None}
    return levels, withheld


def withheld_reason(fix: FixingView) -> str:
    """Why a fix has no level: its publication's reason, else the audit's last note."""
    publication = fix.audit.get("publication") or {}
    if publication.get("withheld_reason"):
        return str(publication["withheld_reason"])
    notes = (fix.audit.get("audit") or {}).get("notes") or []
    return str(notes[-1]) if notes else f"{fix.status} (no reason recorded)"


def scheduled_fixer(service: IndexService, clock: Clock) -> Callable[[date], PublishedFix]:
    """The scheduler's fix provider: the index service's published fix of the day, now."""

    def fixer(day: date) -> PublishedFix:
        return service.fix(day, clock.now())

    return fixer
