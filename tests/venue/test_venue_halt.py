"""Acknowledgements never lie (ADR 0643): a stage after the journal fails, the sequencer halts.

The event log is broken for real (its table dropped behind the venue's back, as a second
writer once did): the order that was journalled still gets its true ack, the venue says why it
halted, and every later command is refused with ``SequencerStoppedError`` before the journal.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from venue_helpers import FRONT, TPI, TRADING_DAY

from tokenfutures.api import create_app
from tokenfutures.api.server import serve_in_thread
from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue import sequencer
from tokenfutures.venue.sequencer import SequencerStoppedError
from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import OrderRequest


def _venue_with_a_broken_event_log(tmp_path: Path) -> tuple[Venue, dict[str, str]]:
    path = tmp_path / "venue.db"
    clock = ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))
    venue = Venue.open(open_store(f"sqlite:///{path}"), clock)
    venue.index.fix_index(date(2026, 11, 23), TPI)
    venue.settlement.list_contracts(TRADING_DAY)
    keys = {a: venue.accounts.create_account(a, deposit=Decimal(10_000)) for a in ("alice", "bob")}
    venue.sync_event_log()
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE event_log_frame")
    return venue, keys


def test_an_event_log_failure_acks_the_journalled_order_then_halts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sequencer, "EVENT_FLUSH_SECONDS", 0.0)  # every batch writes the log
    venue, _ = _venue_with_a_broken_event_log(tmp_path)
    try:
        assert venue.failure is None
        ack = venue.trading.submit_order(
            "alice", OrderRequest(FRONT, "buy", 2, "a1", Decimal("3.50"))
        )
        assert ack.status == "accepted"
        assert venue.store.journal.last_seq() == ack.seq, "the acked order is in the journal"
        assert venue.failure is not None
        assert "event_log_frame" in venue.failure
        journalled = venue.store.journal.last_seq()
        with pytest.raises(SequencerStoppedError, match="not accepted"):
            venue.trading.submit_order("bob", OrderRequest(FRONT, "sell", 1, "b1", Decimal("3.50")))
        assert venue.store.journal.last_seq() == journalled, "a halted venue journals nothing"
        again = venue.trading.submit_order(
            "alice", OrderRequest(FRONT, "buy", 2, "a1", Decimal("3.50"))
        )
        assert again == ack, "a retry of a journalled order still gets its true ack"
    finally:
        venue.store.close()


def test_a_halted_venue_answers_503_on_health_and_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sequencer, "EVENT_FLUSH_SECONDS", 0.0)
    venue, keys = _venue_with_a_broken_event_log(tmp_path)
    server = serve_in_thread(create_app(venue))
    order = {"contract": FRONT, "side": "buy", "quantity": 1, "price": "3.50"}
    try:
        with httpx.Client(base_url=server.base_url, timeout=10) as http:
            assert http.get("/v1/health").status_code == 200
            first = http.post(
                "/v1/orders",
                json={**order, "client_order_id": "h1"},
                headers={"X-API-Key": keys["alice"]},
            )
            assert first.status_code == 201, first.text
            assert first.json()["status"] == "accepted"
            health = http.get("/v1/health")
            assert health.status_code == 503
            assert "event_log_frame" in health.json()["detail"]
            second = http.post(
                "/v1/orders",
                json={**order, "client_order_id": "h2"},
                headers={"X-API-Key": keys["alice"]},
            )
            assert second.status_code == 503, second.text
            assert second.headers["content-type"].startswith("application/problem+json")
            assert "not accepted" in second.json()["detail"]
    finally:
        server.stop()
        venue.store.close()
