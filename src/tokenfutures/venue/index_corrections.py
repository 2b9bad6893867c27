"""The index administrator's corrections of published fixes, as journal commands (ADR 0241).

A correction is the day's next revision (ADR 0232), never an overwrite: either the fix
recomputed by the methodology from corrected inputs, or a level (or a withholding) set by the
administrator's judgement. It is published when it is recorded, names who made it, why, and
the value it replaces, and is accepted only inside the policy's correction window. The
automatic re-publication of changed inputs never replaces an administrator's correction.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.publication import PublicationPolicy, PublishedFix
from tokenfutures.venue.commands import FixIndex
from tokenfutures.venue.index_feed import fix_audit
from tokenfutures.venue.views import FixingView

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: How a correction was made: the methodology on corrected inputs, or the administrator's value.
RECOMPUTED, JUDGEMENT, WITHHELD = "recomputed from corrected inputs", "judgement", "withheld"


def correction_command(
    held: FixingView,
    *,
    reason: str,
    by: str,
    now: datetime,
    policy: PublicationPolicy,
    level: Decimal | None = None,
    recomputed: PublishedFix | None = None,
) -> FixIndex:
    """The journal command of a correction of ``held`` (``level`` None without ``recomputed``:
    the fix is withheld); refused outside the window, without a reason or a name, or when it
    would not change the published value."""
    _check(held, reason, by, now, policy, level)
    record = {
        "published_at": now.isoformat(),
        "revision": held.revision + 1,
        "reason": f"correction: {reason.strip()}",
        "corrected_by": by.strip(),
        "corrects": {"revision": held.revision, "level": _text(held.level), "status": held.status},
    }
    if recomputed is not None:
        audit = _recomputed_audit(held, recomputed, now, record)
        return _changed(held, _command(held, recomputed.level, recomputed.status.value, audit))
    audit = _judgement_audit(held, level, by, reason, record)
    status = "fixed" if level is not None else "withheld"
    return _changed(held, _command(held, level, status, audit))


def _recomputed_audit(
    held: FixingView, recomputed: PublishedFix, now: datetime, record: dict[str, Any]
) -> dict[str, Any]:
    """The methodology's full audit of the recomputed fix, with the correction's record."""
    if recomputed.day != held.day:
        raise InvalidParameterError("recomputed", recomputed.day, f"the fix of {held.day}")
    version = held.audit.get("methodology_version")
    if version and version != recomputed.methodology_version:
        raise InvalidParameterError(
            "methodology", recomputed.methodology_version, f"{version}, the published one"
        )
    audit = fix_audit(dataclasses.replace(recomputed, published_at=now), full=True)
    audit["publication"] |= record | {"kind": RECOMPUTED}
    return audit


def _judgement_audit(
    held: FixingView, level: Decimal | None, by: str, reason: str, record: dict[str, Any]
) -> dict[str, Any]:
    """The held fix's audit, its explanation dropped, with the judgement noted and recorded."""
    audit: dict[str, Any] = copy.deepcopy(dict(held.audit))
    kind = JUDGEMENT if level is not None else WITHHELD
    details = audit.setdefault("audit", {})
    details["attribution"] = None  # the methodology's explanation no longer holds
    details["notes"] = [*details.get("notes", []), f"{kind} by {by.strip()}: {reason.strip()}"]
    withheld = None if level is not None else f"withheld by the index administrator: {reason}"
    audit["publication"] = {
        **(audit.get("publication") or {}),
        **record,
        "kind": kind,
        "withheld_reason": withheld,
    }
    return audit


def _check(
    held: FixingView,
    reason: str,
    by: str,
    now: datetime,
    policy: PublicationPolicy,
    level: Decimal | None,
) -> None:
    if not reason.strip():
        raise InvalidParameterError("reason", reason, "a non-empty reason for the correction")
    if not by.strip():
        raise InvalidParameterError("by", by, "the name of the administrator correcting")
    if level is not None and level <= 0:
        raise InvalidParameterError("level", str(level), "> 0")
    policy.require_correctable(held.day, now)


def _changed(held: FixingView, command: FixIndex) -> FixIndex:
    """``command``, unless it publishes the value the venue already holds."""
    if (command.level, command.status) == (_text(held.level), held.status):
        raise InvalidParameterError(
            "correction",
            command.level,
            f"a value other than the current revision {held.revision} of {held.day} "
            f"({_text(held.level) or held.status}): nothing to correct",
        )
    return command


def _command(held: FixingView, level: Decimal | None, status: str, audit: Any) -> FixIndex:
    return FixIndex(_EPOCH, held.day, _text(level), status, audit)  # the sequencer stamps it


def _text(level: Decimal | None) -> str | None:
    return None if level is None else str(level)
