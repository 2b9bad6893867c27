"""The dashboard's TPI history with every move explained (ADR 0240).

One compact row per fixing day the venue holds (its current revision): the published level,
the status and why a day has no level, and the day's log move split into matched price
changes, entries/exits and re-weighting with the routes named behind each part, plus the
running sums of the parts. Built from the venue's fixes only, so every level is the one the
venue settles on and ``index history`` publishes for the same inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from tokenfutures.venue.index_feed import withheld_reason
from tokenfutures.venue.views import FixingView

#: The three parts of a move, in the order the chart stacks them.
PARTS = ("matched", "entries_exits", "reweighting")


def tpi_history(fixes: Sequence[FixingView]) -> dict[str, Any]:
    """The full history as the page plots it: rows oldest first and the final cumulative sums."""
    totals = dict.fromkeys(PARTS, Decimal(0))
    rows = []
    for fix in sorted(fixes, key=lambda f: f.day):
        move = _move(fix.audit)
        if move is not None:
            for part in PARTS:
                totals[part] += Decimal(move[part])
        rows.append(_row(fix, move, totals))
    latest = next((f for f in reversed(rows) if f["level"] is not None), None)
    return {
        "methodology": _methodology(fixes),
        "days": rows,
        "cumulative": {part: _text(totals[part]) for part in PARTS},
        "latest": None if latest is None else latest["day"],
    }


def _row(
    fix: FixingView, move: Mapping[str, Any] | None, totals: Mapping[str, Decimal]
) -> dict[str, Any]:
    publication = fix.audit.get("publication") or {}
    return {
        "day": fix.day.isoformat(),
        "level": None if fix.level is None else str(fix.level),
        "status": fix.status,
        "revision": fix.revision,
        "note": _note(fix),
        "input_age_days": _age(fix.day, publication.get("newest_observation")),
        "move": None if move is None else dict(move),
        "cumulative": None if move is None else {part: _text(totals[part]) for part in PARTS},
    }


def _move(audit: Mapping[str, Any]) -> dict[str, Any] | None:
    """The day's attribution from the fix's audit (None where the methodology has none)."""
    details = audit.get("audit")
    found = details.get("attribution") if isinstance(details, Mapping) else None
    if not isinstance(found, Mapping):
        return None
    return {
        "since": found.get("previous_date"),
        "log_change": str(found["log_change"]),
        "matched": str(found["matched"]),
        "entries_exits": str(found["entries_exits"]),
        "reweighting": str(found["reweighting"]),
        "routes": [
            [r["part"], f"{r['provider']}/{r['model']}", str(r["log_effect"])]
            for r in found.get("routes") or ()
        ],
        "route_counts": dict(_counts(found.get("route_counts"))),
    }


def _counts(value: Any) -> Iterable[tuple[str, int]]:
    """Route counts per part, stored as pairs (the full audit) or as a mapping."""
    pairs = value.items() if isinstance(value, Mapping) else (value or ())
    return ((str(part), int(count)) for part, count in pairs)


def _note(fix: FixingView) -> str | None:
    """Why a day has no level of its own: withheld (stale inputs, too few providers), carried."""
    if fix.level is None:
        return withheld_reason(fix)
    notes = (fix.audit.get("audit") or {}).get("notes") or []
    if fix.status != "fixed" and notes:
        return str(notes[-1])
    return None


def _text(value: Decimal) -> str:
    """A running sum as plain decimal text (``0.000000000``, never ``0E-9``)."""
    return format(value, "f")


def _age(day: date, newest: object) -> int | None:
    return None if not newest else (day - date.fromisoformat(str(newest))).days


def _methodology(fixes: Sequence[FixingView]) -> str | None:
    versions = [f.audit.get("methodology_version") for f in fixes if f.audit]
    return str(versions[-1]) if versions and versions[-1] else None
