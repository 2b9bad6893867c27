"""``tokenfutures index correct``: the index administrator corrects a published fix (ADR 0241).

The correction is journalled in the venue's database as the day's next revision (the earlier
value stays readable "as known at"), published now, with who corrected it and why; the API
serves it at ``/v1/index/fixings/{day}/revisions`` and settlement reads it. Like the other
administrative writes (``accounts create``), it needs the database's writer lock.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from tokenfutures.cli.index_cmds import CsvOpt, LlmOpt, index_app, parse_day
from tokenfutures.cli.options import DatabaseOpt, JsonOpt, database_url, echo_json, settings
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.methodology import DEFAULT_METHODOLOGY
from tokenfutures.index.publication import PublicationPolicy, PublishedFix


@index_app.command("correct")
def correct_command(
    when: Annotated[str, typer.Option("--date", help="the fixing day to correct")],
    reason: Annotated[str, typer.Option("--reason", help="why (published with the fix)")] = "",
    by: Annotated[str, typer.Option("--by", help="the administrator correcting")] = "",
    level: Annotated[
        str | None, typer.Option("--level", help="the corrected level (judgement)")
    ] = None,
    withhold: Annotated[bool, typer.Option("--withhold", help="withdraw the level")] = False,
    csv: CsvOpt = None,
    llm_prices: LlmOpt = None,
    database: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a published fix: recompute it from corrected inputs (--csv / --llm-prices), or
    set a level (--level) or withhold it (--withhold) by judgement; within the correction
    window, never overwriting."""
    from tokenfutures.bootstrap import open_venue
    from tokenfutures.storage import open_store

    day = parse_day(when)
    chosen = [x for x in (level, csv, llm_prices) if x is not None] + ([True] if withhold else [])
    if len(chosen) != 1:
        raise InvalidParameterError(
            "correction", len(chosen), "exactly one of --level, --withhold, --csv, --llm-prices"
        )
    value = _level(level)
    policy = PublicationPolicy()
    url = database_url(database)
    open_store(url, read_only=True).close()  # an existing venue's database, never a new one
    venue = open_venue(settings(url))
    try:
        now = venue.clock.now()
        recomputed = (
            _recompute(day, csv, llm_prices, now) if value is None and not withhold else None
        )
        view = venue.index.correct_fix(
            day, reason=reason, by=by, policy=policy, level=value, recomputed=recomputed
        )
    finally:
        venue.close()
    publication: dict[str, Any] = view.audit.get("publication") or {}
    result: dict[str, Any] = {
        "date": day.isoformat(),
        "level": None if view.level is None else str(view.level),
        "status": view.status,
        "revision": view.revision,
        "corrects": publication.get("corrects"),
        "kind": publication.get("kind"),
        "reason": view.reason,
        "corrected_by": publication.get("corrected_by"),
        "published_at": None if view.published_at is None else view.published_at.isoformat(),
        "final_after": policy.correction_deadline(day).isoformat(),
    }
    if as_json:
        echo_json(result)
        return
    old = result["corrects"] or {}
    typer.echo(
        f"{day}: revision {view.revision} {result['level'] or view.status} "
        f"(was {old.get('level') or old.get('status')}, revision {old.get('revision')}), "
        f"{result['kind']}, published {result['published_at']} by {result['corrected_by']}; "
        f"{view.reason}"
    )


def _level(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidParameterError("level", text, "a decimal number") from None
    if not value.is_finite() or value <= 0:
        raise InvalidParameterError("level", text, "a positive decimal number")
    return value


def _recompute(day: Any, csv: Path | None, llm: Path | None, now: Any) -> PublishedFix:
    """The methodology's fix of ``day`` from the corrected inputs (the one index service)."""
    from tokenfutures.index.sources.inputs import open_index_service

    service = open_index_service(
        csv or llm, llm_prices=llm is not None, methodology=DEFAULT_METHODOLOGY
    )
    return service.fix(day, now)
