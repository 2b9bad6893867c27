"""Fixtures: a real venue with two funded accounts, served by uvicorn on an ephemeral port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tokenfutures.api import RunningServer, serve_in_thread
from tokenfutures.bootstrap import build_api

from .helpers import Market, memory_settings, open_market


@pytest.fixture
def market() -> Iterator[Market]:
    built = open_market()
    yield built
    built.venue.close()


@pytest.fixture
def server(market: Market) -> Iterator[RunningServer]:
    running = serve_in_thread(build_api(market.venue, memory_settings()))
    yield running
    running.stop()
