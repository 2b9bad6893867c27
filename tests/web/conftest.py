"""A real venue served by uvicorn on 127.0.0.1 (ephemeral port) with demo accounts and quotes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tokenfutures.api.app import create_app
from tokenfutures.api.dashboard import DashboardSettings, install_dashboard_settings
from tokenfutures.api.server import RunningServer, serve_in_thread
from tokenfutures.cli.serve_cmds import ingest_fixes, tpi_history_from_genai_prices
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.core.clock import ManualClock
from tokenfutures.index import IndexFixing
from tokenfutures.marketmaking.bot import MarketMakerBot
from tokenfutures.quant.params import preset
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

#: A Monday inside the SIT session (22:00 UTC Sunday to 21:00 UTC Monday).
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@dataclass
class Market:
    """The served venue, its URL, the accounts' keys and the market maker that quoted it."""

    venue: Venue
    tpi: IndexFixing
    server: RunningServer
    keys: dict[str, str]
    bot: MarketMakerBot
    clock: ManualClock

    @property
    def url(self) -> str:
        return self.server.base_url


@pytest.fixture(scope="module")
def market() -> Iterator[Market]:
    """Venue in memory, a TPI fix, today's SIT contracts, three accounts, one round of quotes."""
    clock = ManualClock(NOW)
    venue = Venue.open(open_store("memory://"), clock)
    history = tpi_history_from_genai_prices(NOW.date(), days=120)
    ingest_fixes(venue, history)
    venue.list_contracts(NOW.date(), reference_price=history[-1].level)
    keys = {
        "mm": venue.create_account("mm", deposit=Decimal(50_000_000)),
        "alice": venue.create_account("alice", deposit=Decimal(1_000_000)),
    }
    app = create_app(venue)
    install_dashboard_settings(app, DashboardSettings(params=preset("paper"), clock=clock))
    server = serve_in_thread(app)
    bot = MarketMakerBot(TokenFuturesClient(server.base_url, keys["mm"]), preset("paper"), clock)
    bot.step()
    try:
        yield Market(venue, history[-1], server, keys, bot, clock)
    finally:
        bot.client.close()
        server.stop()
        venue.close()
