"""``tokenfutures serve``: the venue, its API and dashboard, demo accounts and a market maker.

With no options it opens (or reopens) an embedded SQLite file, lists today's SIT contracts,
fixes the TPI from the installed genai-prices data and the packaged SIT grade table, creates
demo accounts and prints their keys, serves HTTP on 127.0.0.1:8000 and runs the reference
market maker in a background thread through the REST client. Ctrl-C (or ``--run-for``) stops.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import DatabaseOpt, JsonOpt, echo_json, settings
from tokenfutures.core.clock import Clock, SystemClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.wire import jsonable

if TYPE_CHECKING:
    from tokenfutures.bootstrap import Settings

MM_ACCOUNT = "mm-reference"
DEMO_ACCOUNTS: tuple[tuple[str, Decimal], ...] = (
    (MM_ACCOUNT, Decimal(50_000_000)),  # the paper's $50M net capital (§5.4)
    ("demo-alice", Decimal(1_000_000)),
    ("demo-bob", Decimal(1_000_000)),
)
BOT_INTERVAL_S = 1.0
#: The main thread wakes this often while serving, so a Ctrl-C that the kernel hands to
#: another thread (the server's loop, a libuv worker) is still acted on promptly.
WAKE_S = 0.25
HISTORY_DAYS = 180
_console = Console()


@dataclass
class Demo:
    """A running demo: the venue, its HTTP server, the accounts' keys and the market maker."""

    venue: Any
    server: Any
    keys: dict[str, str]
    fix: Any
    contracts: list[Any]
    clock: Clock = field(default_factory=SystemClock)
    stop: threading.Event = field(default_factory=threading.Event)
    bot_thread: threading.Thread | None = None
    bot: Any = None

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the server."""
        return str(self.server.base_url)

    def shutdown(self) -> dict[str, Any]:
        """Stop the market maker (pulling its quotes), the server and the store, in that order.

        Returns the market maker's compliance per contract over the run (empty without one).
        """
        self.stop.set()
        compliance: dict[str, Any] = {}
        if self.bot_thread is not None:
            self.bot_thread.join(10.0)
        if self.bot is not None:
            compliance = self.bot.compliance(self.clock.now())
        if self.bot is not None:
            try:
                self.bot.withdraw()
            finally:
                self.bot.client.close()
        self.server.stop()
        self.venue.close()
        return compliance


def trading_day(clock: Clock) -> date:
    """The SIT trading day of now (after the 22:00 UTC open: the next day; weekends: Monday)."""
    from tokenfutures.contracts import product_spec, trading_day_of
    from tokenfutures.contracts.calendar import next_business_day

    spec = product_spec("SIT")
    now = clock.now()
    day = trading_day_of(spec, now)
    return day if day is not None else next_business_day(spec, now.astimezone(UTC).date())


def tpi_history_from_genai_prices(day: date, days: int = HISTORY_DAYS) -> list[Any]:
    """Daily TPI fixes up to ``day`` from the installed genai-prices data and the packaged
    SIT grade table (the last one is ``day``'s fix)."""
    from tokenfutures.index import Methodology, daily_history
    from tokenfutures.index.grades import book_from_grades, packaged_grade_table
    from tokenfutures.index.sources.genai_prices_pkg import read_genai_prices

    if days < 0:
        raise InvalidParameterError("days", days, ">= 0")
    report = read_genai_prices()
    book = book_from_grades(packaged_grade_table())
    return daily_history(report.observations, Methodology(), day - timedelta(days=days), day, book)


def ingest_fixes(venue: Any, fixes: list[Any]) -> int:
    """Send the fixes the venue does not have yet (by day); returns how many were sent.

    The newest fix carries its full audit trail; older ones a summary (methodology, counts,
    sub-indices), which keeps start-up fast — ``tokenfutures index fix --date`` recomputes any.
    """
    have = {f.day for f in venue.index.index_fixings()}
    sent = 0
    for position, fix in enumerate(fixes):
        if fix.as_of in have:
            continue
        audit = fixing_audit(fix, full=position == len(fixes) - 1)
        venue.index.fix_index(fix.as_of, fix.level, status=str(fix.status), audit=audit)
        sent += 1
    return sent


def fixing_audit(fix: Any, *, full: bool = True) -> dict[str, Any]:
    """The audit trail of an ``IndexFixing`` as JSON-ready data (exact weights as fraction text).

    ``full=False`` keeps the counts of constituents, providers and exclusions instead of lists.
    """
    details: Any = fix.audit
    if not full:
        details = {
            "constituents": len(fix.audit.constituents),
            "providers": len(fix.audit.providers),
            "exclusions": len(fix.audit.exclusions),
            "cap_binding": fix.audit.cap_binding,
        }
    trail = {
        "methodology_version": fix.methodology_version,
        "audit": details,
        "sub_indices": fix.sub_indices,
        "cheapest_to_deliver": fix.cheapest_to_deliver,
        "fallback_from": fix.fallback_from,
    }
    return {key: jsonable(value) for key, value in trail.items()}


def start_demo(settings: Settings, *, clock: Clock | None = None) -> Demo:
    """Open the venue the settings name, prepare today's market and serve it; returns the demo."""
    from tokenfutures.api.dashboard import DashboardSettings, install_dashboard_settings
    from tokenfutures.api.server import serve_in_thread
    from tokenfutures.bootstrap import build_api, open_venue
    from tokenfutures.quant.params import preset

    clock = clock or SystemClock()
    venue = open_venue(settings, clock)
    try:
        day = trading_day(clock)
        history = tpi_history_from_genai_prices(day)
        fix = history[-1]
        if fix.level is None:
            raise InvalidParameterError("tpi", fix.status, "a published fix for today")
        ingest_fixes(venue, history)
        contracts = venue.settlement.list_contracts(day, reference_price=fix.level)
        keys = _demo_keys(venue)
        app = build_api(venue, settings)
        install_dashboard_settings(app, DashboardSettings(params=preset("calibrated"), clock=clock))
        server = serve_in_thread(app, host=settings.serve.host, port=settings.serve.port)
    except BaseException:
        venue.close()
        raise
    demo = Demo(venue=venue, server=server, keys=keys, fix=fix, contracts=contracts, clock=clock)
    if settings.serve.market_maker:
        _start_bot(demo, clock)
    return demo


def _demo_keys(venue: Any) -> dict[str, str]:
    """A fresh key for each demo account, creating the accounts on a new database."""
    existing = set(venue.accounts.ids())
    keys: dict[str, str] = {}
    for account, deposit in DEMO_ACCOUNTS:
        if account in existing:
            keys[account] = venue.accounts.issue_api_key(account)
        else:
            keys[account] = venue.accounts.create_account(account, deposit=deposit)
    return keys


def _start_bot(demo: Demo, clock: Clock) -> None:
    from tokenfutures.client.rest import TokenFuturesClient
    from tokenfutures.marketmaking.bot import MarketMakerBot
    from tokenfutures.quant.params import preset

    client = TokenFuturesClient(demo.base_url, demo.keys[MM_ACCOUNT])
    demo.bot = MarketMakerBot(client=client, params=preset("calibrated"), clock=clock)
    demo.bot.step()  # quote once before the server is announced, so the books are two-sided
    demo.bot_thread = threading.Thread(
        target=demo.bot.run,
        args=(demo.stop, BOT_INTERVAL_S),
        name="market-maker",
        daemon=True,
    )
    demo.bot_thread.start()


def _render(demo: Demo, as_json: bool) -> None:
    summary = {
        "url": demo.base_url,
        "dashboard": f"{demo.base_url}/dashboard",
        "tpi": {"day": demo.fix.as_of.isoformat(), "level": str(demo.fix.level)},
        "contracts": [c.symbol for c in demo.contracts],
        "accounts": demo.keys,
    }
    if as_json:
        echo_json(summary)
        return
    _console.print(
        f"[bold]tokenfutures venue[/] on {demo.base_url} · dashboard {demo.base_url}/dashboard"
    )
    _console.print(f"TPI fix {demo.fix.as_of}: [bold]{demo.fix.level}[/] USD per million SIT")
    _console.print("contracts: " + ", ".join(summary["contracts"]))
    table = Table(title="demo accounts (keys are shown once)")
    table.add_column("account")
    table.add_column("API key")
    for account, key in demo.keys.items():
        table.add_row(account, key)
    _console.print(table)


def _render_compliance(reports: dict[str, Any], as_json: bool) -> None:
    """The market maker's §5.4 compliance over the run, per contract."""
    if as_json:
        echo_json({"market_maker_compliance": {k: r.to_dict() for k, r in reports.items()}})
        return
    if not reports:
        _console.print(f"stopped at {datetime.now(UTC):%H:%M:%S} UTC")
        return
    table = Table(title="market-maker compliance over this run (paper §5.4)")
    for column in ("contract", "presence", "outages", "worst response (s)", "compliant"):
        table.add_column(column)
    for symbol, report in reports.items():
        table.add_row(
            symbol,
            f"{float(report.presence):.1%}",
            str(len(report.outages)),
            f"{report.worst_response.total_seconds():.1f}",
            "yes" if report.compliant else "no",
        )
    _console.print(table)


def serve_command(
    host: Annotated[
        str | None, typer.Option("--host", help="interface to listen on (default 127.0.0.1)")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="TCP port (0 = any free port; default 8000)")
    ] = None,
    database: DatabaseOpt = None,
    no_market_maker: Annotated[
        bool, typer.Option("--no-market-maker", help="do not run the reference market maker")
    ] = False,
    run_for: Annotated[
        float | None, typer.Option("--run-for", help="stop after this many seconds")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the venue with its REST/WebSocket API, dashboard, demo accounts and a market maker."""
    if port is not None and not 0 <= port <= 65535:
        raise InvalidParameterError("port", port, "in 0..65535")
    if run_for is not None and run_for <= 0:
        raise InvalidParameterError("run-for", run_for, "> 0 seconds")
    flags: dict[str, Any] = {"host": host, "port": port}
    flags = {name: value for name, value in flags.items() if value is not None}
    if no_market_maker:
        flags["market_maker"] = False
    demo = start_demo(settings(database, serve=flags))
    compliance: dict[str, Any] = {}
    try:
        _render(demo, as_json)
        wait_until_stopped(demo.stop, run_for)
    except KeyboardInterrupt:
        _console.print("stopping…")
    finally:
        compliance = demo.shutdown()
    _render_compliance(compliance, as_json)


def wait_until_stopped(stop: threading.Event, run_for: float | None) -> None:
    """Wait for ``stop`` (or ``run_for`` seconds) in short slices, never one unbounded wait.

    Python runs signal handlers in the main thread only, and only between bytecodes: a main
    thread parked in one untimed lock wait never sees a SIGINT delivered to another thread.
    """
    deadline = None if run_for is None else time.monotonic() + run_for
    while True:
        left = WAKE_S if deadline is None else min(WAKE_S, deadline - time.monotonic())
        if left <= 0 or stop.wait(left):
            return


def register(root: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    root.command("serve")(serve_command)
