"""A real venue served by uvicorn on 127.0.0.1 (ephemeral port) with demo accounts and quotes,
and a headless Chromium (Playwright) for the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tokenfutures.api.dashboard import DashboardSettings, install_dashboard_settings
from tokenfutures.api.server import RunningServer, serve_in_thread
from tokenfutures.bootstrap import build_api, load_settings, open_venue
from tokenfutures.cli.serve_cmds import publish_index
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.core.clock import ManualClock
from tokenfutures.index.publication import PublishedFix
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.marketmaking.bot import MarketMakerBot
from tokenfutures.quant.params import preset
from tokenfutures.venue.service import Venue

#: A Monday inside the SIT session (22:00 UTC Sunday to 21:00 UTC Monday).
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
#: The page's poll period in the tests: longer than any test, so whatever changes on the
#: page during a test was pushed over a WebSocket (or asked for by the page on an event).
TEST_POLL_S = 60.0
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Market:
    """The served venue, its URL, the accounts' keys and the market maker that quoted it."""

    venue: Venue
    tpi: PublishedFix
    server: RunningServer
    keys: dict[str, str]
    bot: MarketMakerBot
    clock: ManualClock

    @property
    def url(self) -> str:
        return self.server.base_url


def serve_dashboard(venue: Venue, clock: ManualClock, *, port: int = 0) -> RunningServer:
    """A fresh API + dashboard app over ``venue`` on loopback (``port`` 0: an ephemeral one)."""
    app = build_api(venue, load_settings(store={"url": "memory://"}))
    settings = DashboardSettings(params=preset("paper"), clock=clock, poll_s=TEST_POLL_S)
    install_dashboard_settings(app, settings)
    return serve_in_thread(app, port=port)


@pytest.fixture(scope="module")
def market() -> Iterator[Market]:
    """Venue in memory, a TPI fix, today's SIT contracts, three accounts, one round of quotes."""
    clock = ManualClock(NOW)
    venue = open_venue(load_settings(store={"url": "memory://"}), clock)
    tpi = publish_index(venue, open_index_service(), NOW)
    venue.settlement.list_contracts(NOW.date(), reference_price=tpi.level)
    keys = {
        "mm": venue.accounts.create_account("mm", deposit=Decimal(50_000_000)),
        "alice": venue.accounts.create_account("alice", deposit=Decimal(1_000_000)),
    }
    server = serve_dashboard(venue, clock)
    bot = MarketMakerBot(TokenFuturesClient(server.base_url, keys["mm"]), preset("paper"), clock)
    bot.step()
    try:
        yield Market(venue, tpi, server, keys, bot, clock)
    finally:
        bot.client.close()
        server.stop()
        venue.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; the browser tests skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (own sessionStorage) and page, 1400×1000."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    try:
        yield opened
    finally:
        context.close()
