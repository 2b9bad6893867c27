"""Through uvicorn on a SQLite-backed venue: keys, orders and idempotency survive a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tokenfutures.api import create_app, serve_in_thread
from tokenfutures.client import TokenFuturesClient
from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

from .helpers import REFERENCE_PRICE, TRADING_DAY


def _open(url: str) -> Venue:
    return Venue.open(open_store(url), ManualClock(datetime(2026, 3, 2, 15, tzinfo=UTC)))


def test_orders_and_keys_survive_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'venue.db'}"
    venue = _open(url)
    symbol = venue.settlement.list_contracts(TRADING_DAY, reference_price=REFERENCE_PRICE)[0].symbol
    key = venue.accounts.create_account("carol")
    server = serve_in_thread(create_app(venue))
    try:
        with TokenFuturesClient(server.base_url, key) as client:
            first = client.submit_order(symbol, "buy", 3, "durable-1", price=REFERENCE_PRICE)
    finally:
        server.stop()
        venue.close()

    reopened = _open(url)
    server = serve_in_thread(create_app(reopened))
    try:
        with TokenFuturesClient(server.base_url, key) as client:
            assert client.account() == "carol"
            retry = client.submit_order(symbol, "buy", 3, "durable-1", price=REFERENCE_PRICE)
            assert retry.order_id == first.order_id
            assert retry.seq == first.seq
            orders = client.orders()
            assert [(o.order_id, o.open_quantity) for o in orders] == [(first.order_id, 3)]
    finally:
        server.stop()
        reopened.close()
