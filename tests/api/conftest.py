"""Fixtures: a real venue with two funded accounts, served by uvicorn on an ephemeral port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tokenfutures.api import ApiSettings, RunningServer, create_app, serve_in_thread

from .helpers import Market, open_market


@pytest.fixture
def market() -> Iterator[Market]:
    built = open_market()
    yield built
    built.venue.close()


@pytest.fixture
def server(market: Market) -> Iterator[RunningServer]:
    running = serve_in_thread(create_app(market.venue, settings=ApiSettings()))
    yield running
    running.stop()
