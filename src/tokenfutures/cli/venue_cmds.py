"""Commands of the venue area: replay a store and check its hash, run a seeded trading day."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tokenfutures.cli.options import DatabaseOpt, JsonOpt, database_url, echo_json, settings
from tokenfutures.core.errors import CheckFailedError, InvalidParameterError

venue_app = typer.Typer(help="The running market: sequencer, recovery, the trading day.")
_console = Console()


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(venue_app, name="venue")


@venue_app.command("replay")
def replay_cmd(database: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Recover the venue (snapshot + journal) and compare with a replay of the whole journal.

    Read-only (ADR 0640): safe against a live database; both sides stop at the journal head
    read first, so a server appending meanwhile does not make them differ.
    """
    from tokenfutures.storage import open_store
    from tokenfutures.venue.recovery import recover, replay_journal
    from tokenfutures.venue.statehash import state_hash

    database = database_url(database)
    store = open_store(database, read_only=True)
    try:
        head = store.journal.last_seq()
        snapshot = store.snapshots.latest(head)
        recovered = state_hash(recover(store, head)[0])
        fresh = replay_journal(store, upto=head)
        result = {
            "journal_seq": fresh.seq,
            "snapshot_seq": None if snapshot is None else snapshot.seq,
            "recovered_hash": recovered,
            "replay_hash": state_hash(fresh),
        }
    finally:
        store.close()
    result["match"] = result["recovered_hash"] == result["replay_hash"]
    if as_json:
        echo_json(result)
    else:
        table = Table(title=f"venue {database}")
        table.add_column("field")
        table.add_column("value")
        for field, value in result.items():
            table.add_row(field.replace("_", " "), str(value))
        _console.print(table)
    if not result["match"]:
        raise CheckFailedError("the recovered state differs from a replay of the journal")


@venue_app.command("day")
def day_cmd(
    database: DatabaseOpt = "memory://",
    day: Annotated[str, typer.Option(help="Trading day, YYYY-MM-DD (a business day).")] = (
        "2026-11-24"
    ),
    tpi: Annotated[
        str | None,
        typer.Option(
            help="TPI level fixed the day before (USD/M SIT); default: the published "
            "settlement index of that day, from the bundled prices."
        ),
    ] = None,
    orders: Annotated[int, typer.Option(help="Random limit orders to send.")] = 2_000,
    seed: Annotated[int, typer.Option(help="Seed of the order generator.")] = 1,
    png: Annotated[Path | None, typer.Option(help="Write the settlement curve as a PNG.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a seeded trading day: fix, list, trade, settle; print the end-of-day report."""
    from tokenfutures.bootstrap import open_venue
    from tokenfutures.core.clock import ManualClock
    from tokenfutures.venue.demo import run_day

    trading_day = _business_day(day)
    if orders < 0:
        raise InvalidParameterError("orders", orders, ">= 0")
    open_at = _session_open(trading_day)
    level = _published_level(trading_day, open_at) if tpi is None else _tpi_level(tpi)
    venue = open_venue(settings(database), ManualClock(open_at))
    try:
        with Progress(console=_console, transient=True, disable=as_json) as bar:
            task = bar.add_task("orders", total=orders)
            result = run_day(
                venue,
                trading_day,
                level,
                orders,
                random.Random(seed),
                lambda n: bar.advance(task, n),
            )
    finally:
        venue.store.close()
    if png is not None:
        _plot(result.report.to_dict(), png)
    summary = {
        "orders": result.orders,
        "accepted": result.accepted,
        "trades": result.trades,
        "orders_per_s": round(result.orders / result.seconds) if result.seconds else None,
        "state_hash": result.state_hash,
        "end_of_day": result.report.to_dict(),
    }
    if as_json:
        echo_json(summary)
        return
    table = Table(title=f"end of day {trading_day}")
    for column in ("contract", "settlement", "tier"):
        table.add_column(column)
    for s in result.report.settlements:
        table.add_row(s.contract, str(s.price), s.tier)
    _console.print(table)
    vm = ", ".join(f"{a} {v}" for a, v in sorted(result.report.variation_margin.items()))
    _console.print(
        f"{result.orders:,} orders ({result.accepted:,} accepted, {result.trades:,} trades), "
        f"{summary['orders_per_s']:,} orders/s through the facade; VM: {vm or 'none'}"
    )


def _business_day(text: str) -> date:
    """``--day`` as a SIT business day (a weekend or a holiday lists nothing)."""
    from tokenfutures.contracts import product_spec
    from tokenfutures.contracts.calendar import is_business_day, next_business_day

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidParameterError("day", text, "a date as YYYY-MM-DD") from None
    spec = product_spec("SIT")
    if not is_business_day(spec, day):
        following = next_business_day(spec, day)
        raise InvalidParameterError("day", text, f"a SIT business day (next one: {following})")
    return day


def _tpi_level(text: str) -> Decimal:
    """``--tpi`` as a positive finite decimal."""
    try:
        level = Decimal(text)
    except ArithmeticError:
        level = Decimal("NaN")
    if not level.is_finite() or level <= 0:
        raise InvalidParameterError("tpi", text, "a positive number (USD per million SIT)")
    return level


def _published_level(day: date, now: datetime) -> Decimal:
    """The settlement index published for the day before ``day``, from the bundled prices."""
    from tokenfutures.index.sources.inputs import open_index_service

    fix = open_index_service().fix(day - timedelta(days=1), now)
    if fix.level is None:
        raise InvalidParameterError(
            "day",
            day.isoformat(),
            f"a day after a published fix ({fix.withheld_reason}); pass --tpi",
        )
    return fix.level


def _session_open(day: date) -> datetime:
    from tokenfutures.contracts import product_spec

    return product_spec("SIT").session.bounds(day)[0]


def _plot(report: dict[str, object], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = report["settlements"]
    assert isinstance(rows, list)
    labels = [r["contract"] for r in rows]
    prices = [float(r["price"]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(labels, prices, marker="o")
    ax.set_title(f"daily settlement prices, {report['day']}")
    ax.set_ylabel("USD per million SIT")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
