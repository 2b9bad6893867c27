"""``tokenfutures serve``: the venue, its API and dashboard, demo accounts and a market maker.

With no options it opens (or reopens) an embedded SQLite file, lists today's SIT contracts,
puts the full TPI history from the index service into the venue (``--prices`` CSV, else the
installed genai-prices data and the packaged SIT grade table), creates
demo accounts and prints their keys, serves HTTP on 127.0.0.1:8000 and runs the reference
market maker in a background thread through the REST client. Ctrl-C, SIGTERM (a service
manager's stop) or ``--run-for`` stops it cleanly: quotes withdrawn, the event log flushed, the
database's writer lock released (ADR 0644). The port is bound before the database is opened,
so a port in use or a bad host writes nothing.
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import DatabaseOpt, JsonOpt, echo_json, settings
from tokenfutures.core.clock import Clock, SystemClock
from tokenfutures.core.errors import CheckFailedError, InvalidParameterError
from tokenfutures.index.publication import PublishedFix
from tokenfutures.index.service import IndexService
from tokenfutures.index.sources.inputs import open_index_service

if TYPE_CHECKING:
    from tokenfutures.bootstrap import Settings
    from tokenfutures.venue.service import Venue

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
_console = Console()


@dataclass
class Demo:
    """A running demo: the venue, its HTTP server, the accounts' keys and the market maker."""

    venue: Venue
    server: Any
    keys: dict[str, str]
    fix: PublishedFix
    contracts: list[Any]
    clock: Clock = field(default_factory=SystemClock)
    stop: threading.Event = field(default_factory=threading.Event)
    bot_thread: threading.Thread | None = None
    bot: Any = None
    scheduler: Any = None

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
        if self.scheduler is not None:
            self.scheduler.stop()
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


def publish_index(venue: Venue, service: IndexService, now: datetime) -> PublishedFix:
    """Put the full published history into the venue; return the latest fix with a level.

    Days the venue lacks are ingested, days whose value changed become revisions (one batch).
    """
    history = service.history(None, service.latest_day(now), now)
    venue.index.publish_fixes(history, service.policy)
    latest = next((f for f in reversed(history) if f.level is not None), None)
    if latest is None:
        raise InvalidParameterError(
            "prices",
            service.inputs.price_source,
            f"inputs that publish a fix ({history[-1].withheld_reason})",
        )
    return latest


def start_demo(
    settings: Settings,
    *,
    prices: Path | None = None,
    methodology: str | None = None,
    clock: Clock | None = None,
    stop: threading.Event | None = None,
    trading_day_schedule: bool = True,
) -> Demo:
    """Open the venue the settings name, prepare today's market and serve it; returns the demo.

    The index is fixed by the index service from ``prices`` (a price-history CSV, or the
    genai-prices data bundled with the package when None) with ``methodology`` (ADR 0234).

    The listening socket is bound first: a bad host or a port in use is refused before the
    database is opened (nothing written, no lock taken). With ``trading_day_schedule`` a
    background scheduler runs the trading day on ``clock`` (fixes, settlement, variation
    margin, calls, defaults, rolls, expiries; ADR 0616).
    """
    from tokenfutures.api.dashboard import DashboardSettings, install_dashboard_settings
    from tokenfutures.api.server import listen, serve_in_thread
    from tokenfutures.bootstrap import build_api, open_venue
    from tokenfutures.marketmaking.fair_value import latest_calendar_model

    clock = clock or SystemClock()
    service = open_index_service(prices, methodology=methodology)
    sock = listen(settings.serve.host, settings.serve.port)
    try:
        venue = open_venue(settings, clock)
    except BaseException:
        sock.close()
        raise
    try:
        venue.auctions.set_window(timedelta(seconds=settings.venue.auction_window_s))
        day = trading_day(clock)
        fix = publish_index(venue, service, clock.now())
        contracts = venue.settlement.list_contracts(day, reference_price=fix.level)
        keys = _demo_keys(venue)
        app = build_api(venue, settings, index_policy=service.policy)
        install_dashboard_settings(
            app, DashboardSettings(params=latest_calendar_model(), clock=clock)
        )
        server = serve_in_thread(app, sock=sock)
    except BaseException:
        sock.close()
        venue.close()
        raise
    demo = Demo(venue=venue, server=server, keys=keys, fix=fix, contracts=contracts, clock=clock)
    if stop is not None:
        demo.stop = stop
    run = getattr(clock, "run", None)
    if run is not None:
        run()  # an accelerated clock held during set-up starts now
    if trading_day_schedule:
        from tokenfutures.venue.index_feed import scheduled_fixer
        from tokenfutures.venue.scheduler import DayScheduler

        fixer = scheduled_fixer(service, clock)
        demo.scheduler = DayScheduler(venue.settlement, clock, fixer=fixer, since=clock.now())
        demo.scheduler.start()
    if settings.serve.market_maker:
        _start_bot(demo, clock)
    return demo


def _demo_keys(venue: Any) -> dict[str, str]:
    """A fresh key for each demo account, creating the accounts on a new database.

    On a reopened database the demo accounts' earlier keys are revoked: every start prints
    the only keys that work (ADR 0644).
    """
    existing = set(venue.accounts.ids())
    keys: dict[str, str] = {}
    for account, deposit in DEMO_ACCOUNTS:
        if account in existing:
            keys[account] = venue.accounts.rotate_api_key(account)
        else:
            keys[account] = venue.accounts.create_account(account, deposit=deposit)
    return keys


def _start_bot(demo: Demo, clock: Clock) -> None:
    from tokenfutures.client.rest import TokenFuturesClient
    from tokenfutures.marketmaking.bot import MarketMakerBot
    from tokenfutures.marketmaking.fair_value import latest_calendar_model

    client = TokenFuturesClient(demo.base_url, demo.keys[MM_ACCOUNT])
    demo.bot = MarketMakerBot(client=client, params=latest_calendar_model(), clock=clock)
    demo.bot.step()  # quote once before the server is announced, so the books are two-sided
    demo.bot_thread = threading.Thread(
        target=demo.bot.run,
        args=(demo.stop, BOT_INTERVAL_S),
        name="market-maker",
        daemon=True,
    )
    demo.bot_thread.start()


def _render(demo: Demo, as_json: bool) -> None:
    summary: dict[str, Any] = {
        "url": demo.base_url,
        "dashboard": f"{demo.base_url}/dashboard",
        "tpi": {
            "day": demo.fix.day.isoformat(),
            "level": str(demo.fix.level),
            "published_at": demo.fix.published_at.isoformat(),
            "methodology": demo.fix.fixing.methodology_version,
        },
        "contracts": [c.symbol for c in demo.contracts],
        "accounts": demo.keys,
        "speed": getattr(demo.clock, "speed", 1.0),
    }
    if as_json:
        echo_json(summary)
        return
    _console.print(
        f"[bold]tokenfutures venue[/] on {demo.base_url} · dashboard {demo.base_url}/dashboard"
    )
    _console.print(
        f"TPI fix {demo.fix.day}: [bold]{demo.fix.level}[/] USD per million SIT "
        f"(published {demo.fix.published_at:%Y-%m-%d %H:%M} UTC, "
        f"{demo.fix.fixing.methodology_version})"
    )
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


def _serve_settings(
    database: str | None,
    host: str | None,
    port: int | None,
    no_market_maker: bool,
    auction_window: int | None,
) -> Settings:
    """The settings ``serve``'s flags name (over the config file and the environment)."""
    flags: dict[str, Any] = {"host": host, "port": port}
    flags = {name: value for name, value in flags.items() if value is not None}
    if no_market_maker:
        flags["market_maker"] = False
    sections: dict[str, Any] = {"serve": flags}
    if auction_window is not None:
        if not 1 <= auction_window <= 7 * 86_400:
            raise InvalidParameterError("auction-window", auction_window, "in 1..604800 seconds")
        sections["venue"] = {"auction_window_s": auction_window}
    return settings(database, **sections)


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
    prices: Annotated[
        Path | None,
        typer.Option(
            "--prices", help="price-history CSV for the index (default: bundled genai-prices)"
        ),
    ] = None,
    methodology: Annotated[
        str | None, typer.Option("--methodology", help="index methodology version")
    ] = None,
    margin_method: Annotated[
        str | None,
        typer.Option(
            "--margin-method",
            help="live initial-margin method: hs-es (default), eq7, span or fhs; journalled, "
            "so a replay margins the same way (env TOKENFUTURES_VENUE__MARGIN_METHOD)",
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            help="run the venue's clock this many times faster than the wall clock "
            "(e.g. 3600: an hour a second; the trading day's steps follow it)",
        ),
    ] = 1.0,
    auction_window: Annotated[
        int | None,
        typer.Option(
            "--auction-window",
            help="bid window of a default auction in seconds of the venue's clock "
            "(default 3600; widen it with --speed so members have time to bid)",
        ),
    ] = None,
) -> None:
    """Run the venue with its REST/WebSocket API, dashboard, demo accounts and a market maker."""
    if port is not None and not 0 <= port <= 65535:
        raise InvalidParameterError("port", port, "in 0..65535")
    if run_for is not None and run_for <= 0:
        raise InvalidParameterError("run-for", run_for, "> 0 seconds")
    if not 0 < speed <= 10_000_000:
        raise InvalidParameterError("speed", speed, "in (0, 10000000]")
    clock: Clock = SystemClock()
    if speed != 1.0:
        from tokenfutures.core.clock import AcceleratedClock

        clock = AcceleratedClock(datetime.now(UTC), speed, running=False)
    config = _serve_settings(database, host, port, no_market_maker, auction_window)
    config = with_margin_method(config, margin_method)
    stop = threading.Event()
    previous = stop_on_signals(stop)
    try:
        demo = start_demo(config, prices=prices, methodology=methodology, clock=clock, stop=stop)
        compliance: dict[str, Any] = {}
        try:
            _render(demo, as_json)
            wait_until_stopped(demo.stop, run_for)
        except KeyboardInterrupt:
            pass
        finally:
            if not as_json:
                _console.print("stopping…")
            compliance = demo.shutdown()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    _render_compliance(compliance, as_json)
    if demo.venue.failure is not None:
        raise VenueHaltedError(demo.venue.failure)


def with_margin_method(config: Settings, margin_method: str | None) -> Settings:
    """``config`` with ``--margin-method`` (or its alias) in force; the flag beats the file and
    the environment for this one key, the venue's other settings stay."""
    if margin_method is None:
        return config
    from tokenfutures.clearing.margin.live import canonical_method

    venue = config.venue.model_copy(update={"margin_method": canonical_method(margin_method)})
    return config.model_copy(update={"venue": venue})


class VenueHaltedError(CheckFailedError):
    """The sequencer halted while serving (``serve`` exits non-zero after its clean stop)."""


def stop_on_signals(stop: threading.Event) -> dict[int, Any]:
    """Make SIGINT and SIGTERM set ``stop``; returns the handlers they replace.

    SIGINT is taken even where the shell started ``serve`` with it ignored (a background job
    without job control), so Ctrl-C and ``kill -INT`` stop it in every mode.
    """

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous  # signal handlers live in the main thread only
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, _on_signal)
    return previous


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
