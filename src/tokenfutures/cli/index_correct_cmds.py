"""``tokenfutures index correct``: the index administrator corrects a published fix (ADR 0241).

The correction is journalled in the venue's database as the day's next revision (the earlier
value stays readable "as known at"), published now, with who corrected it and why; the API
serves it at ``/v1/index/fixings/{day}/revisions`` and settlement reads it. On the database
(``--database``) it needs the writer lock, like ``accounts create``; with ``--url`` a level or a
withholding goes to the running venue with an index administrator's key (ADR 0245).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from tokenfutures.cli.index_cmds import index_app, parse_day
from tokenfutures.cli.options import DatabaseOpt, JsonOpt, database_url, echo_json, settings
from tokenfutures.core.errors import InvalidParameterError, TokenFuturesError
from tokenfutures.index.methodology import DEFAULT_METHODOLOGY
from tokenfutures.index.publication import PublicationPolicy, PublishedFix
from tokenfutures.wire import Fixing as FixingView

KEY_ENV = "TOKENFUTURES_OPERATOR_KEY"
UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="a running venue (http://host:port): send a --level or --withhold correction "
        "over the API with an index administrator's key; --csv/--llm-prices stay "
        "database-only",
    ),
]
KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar=KEY_ENV,
        show_envvar=True,
        help="the index administrator's API key (accounts create-operator), with --url",
    ),
]


@index_app.command("correct")
def correct_command(
    when: Annotated[str, typer.Option("--date", help="the fixing day to correct")],
    reason: Annotated[str, typer.Option("--reason", help="why (published with the fix)")] = "",
    by: Annotated[
        str, typer.Option("--by", help="the administrator correcting (database mode only)")
    ] = "",
    level: Annotated[
        str | None, typer.Option("--level", help="the corrected level (judgement)")
    ] = None,
    withhold: Annotated[bool, typer.Option("--withhold", help="withdraw the level")] = False,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="corrected price-history CSV (database only)")
    ] = None,
    llm_prices: Annotated[
        Path | None, typer.Option("--llm-prices", help="corrected llm-prices JSON (database only)")
    ] = None,
    database: DatabaseOpt = None,
    url: UrlOpt = None,
    key: KeyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a published fix: recompute it from corrected inputs (--csv / --llm-prices), or
    set a level (--level) or withhold it (--withhold) by judgement; within the correction
    window, never overwriting. With --url the running venue records it (level or withhold)."""
    day = parse_day(when)
    chosen = [x for x in (level, csv, llm_prices) if x is not None] + ([True] if withhold else [])
    if len(chosen) != 1:
        raise InvalidParameterError(
            "correction", len(chosen), "exactly one of --level, --withhold, --csv, --llm-prices"
        )
    value = _level(level)
    policy = PublicationPolicy()
    if url is None:
        view = _on_database(day, reason, by, value, withhold, csv, llm_prices, database, policy)
    else:
        _require_http(csv, llm_prices, by, database, key)
        view = _over_http(url, key or "", day, reason, value)
    _report(view, day, policy, as_json)


def _on_database(
    day: date,
    reason: str,
    by: str,
    value: Decimal | None,
    withhold: bool,
    csv: Path | None,
    llm_prices: Path | None,
    database: str | None,
    policy: PublicationPolicy,
) -> FixingView:
    """The correction journalled in the venue's database (its writer lock)."""
    from tokenfutures.bootstrap import open_venue
    from tokenfutures.storage import open_store

    url = database_url(database)
    open_store(url, read_only=True).close()  # an existing venue's database, never a new one
    venue = open_venue(settings(url))
    try:
        now = venue.clock.now()
        recomputed = (
            _recompute(day, csv, llm_prices, now) if value is None and not withhold else None
        )
        return venue.index.correct_fix(
            day, reason=reason, by=by, policy=policy, level=value, recomputed=recomputed
        )
    finally:
        venue.close()


def _require_http(
    csv: Path | None, llm: Path | None, by: str, database: str | None, key: str | None
) -> None:
    """Refuse what the API mode cannot do: recomputation, a name, a database, no key."""
    if csv is not None or llm is not None:
        raise InvalidParameterError(
            "--url", "--csv/--llm-prices", "used with --level or --withhold only: a "
            "recomputation from corrected inputs runs on the venue's database (--database)"
        )  # fmt: skip
    if by:
        raise InvalidParameterError(
            "--by", by, "omitted with --url: the venue records the key's index administrator"
        )
    if database is not None:
        raise InvalidParameterError("--database", database, "omitted with --url")
    if not key:
        raise InvalidParameterError(
            "--key", "", f"an index administrator's API key (--key or {KEY_ENV}) with --url"
        )


def _over_http(url: str, key: str, day: date, reason: str, level: Decimal | None) -> FixingView:
    """The correction sent to the running venue; its refusal becomes one line (exit 2)."""
    import httpx

    from tokenfutures.client import TokenFuturesClient
    from tokenfutures.client.errors import ApiError

    try:
        with TokenFuturesClient(url, key) as client:
            return client.correct_fixing(day, reason=reason, level=level)
    except ApiError as error:
        detail = error.problem.get("detail") or error.problem.get("title") or "refused"
        raise TokenFuturesError(f"{detail} (HTTP {error.status} from {url})") from None
    except httpx.HTTPError as error:
        raise TokenFuturesError(f"cannot reach the venue at {url}: {error}") from None


def _report(view: FixingView, day: date, policy: PublicationPolicy, as_json: bool) -> None:
    """Print the new revision: one line, or the JSON object."""
    publication: dict[str, Any] = dict(view.audit.get("publication") or {})
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
