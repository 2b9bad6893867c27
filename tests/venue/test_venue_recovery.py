"""Recovery: snapshot + replay gives the state a fresh replay of the whole journal gives."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from venue_helpers import FRONT, TPI, TRADING_DAY, logged_events, replayed_events

from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue import sequencer
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest


def _load(venue: Venue, clock: ManualClock, n: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(n):
        account = rng.choice(["alice", "bob", "carol"])
        side = rng.choice(["buy", "sell"])
        price = Decimal(rng.randint(340, 360)) / 100
        venue.trading.submit_order(
            account, OrderRequest(FRONT, side, rng.randint(1, 9), f"c{i}", price)
        )
        if i % 7 == 0:
            open_orders = venue.trading.orders(account)
            if open_orders:
                venue.trading.cancel_order(account, open_orders[0].order_id)
        clock.advance(timedelta(milliseconds=rng.randint(0, 50)))


def _prepare(venue: Venue) -> None:
    venue.index.fix_index(TRADING_DAY - timedelta(days=1), TPI)
    venue.settlement.list_contracts(TRADING_DAY)
    for name in ("alice", "bob", "carol"):
        venue.accounts.create_account(name, deposit=Decimal(50_000))


def test_snapshot_plus_replay_equals_a_fresh_replay(durable_url: str, clock: ManualClock) -> None:
    url = durable_url
    venue = Venue.open(open_store(url), clock, snapshot_every=97)
    _prepare(venue)
    _load(venue, clock, 400, seed=7)
    live_hash, live_seq = venue.state_hash(), venue.seq
    book = venue.market.book(FRONT)
    venue.close()

    store = open_store(url)
    try:
        snapshot = store.snapshots.latest()
        assert snapshot is not None
        assert 0 < snapshot.seq < live_seq
        reopened = Venue.open(store, clock, snapshot_every=97)
        assert reopened.seq == live_seq
        assert reopened.state_hash() == live_hash
        assert state_hash(replay_journal(store)) == live_hash
        assert reopened.market.book(FRONT) == book
        assert len(list(store.ledger.entries())) == 3, "one deposit each, mirrored once"
        # the recovered venue keeps working, and a retry still gets the first ack
        first = reopened.trading.orders("alice")[0]  # open: its quantity is still the first one
        same = OrderRequest(
            FRONT, first.side, first.quantity, first.client_order_id, first.price
        )  # the first request exactly (orders are never replaced here)
        retry = reopened.trading.submit_order("alice", same)
        assert retry.order_id == first.order_id
    finally:
        store.close()


def test_snapshot_of_a_deep_price_level_loads(clock: ManualClock) -> None:
    store = open_store("memory://")
    venue = Venue.open(store, clock)
    _prepare(venue)
    requests = [OrderRequest(FRONT, "buy", 1, f"d{i}", Decimal("3.45")) for i in range(3000)]
    venue.trading.submit_orders("alice", requests)
    digest = venue.snapshot()
    again = Venue.open(store, clock)
    assert again.state_hash() == digest
    assert again.market.book(FRONT).bids[0].orders == 3000
    sold = again.trading.submit_order("bob", OrderRequest(FRONT, "sell", 2, "s", Decimal("3.45")))
    assert sold.filled_quantity == 2
    assert [o.client_order_id for o in again.trading.orders("alice", open_only=False)][:2] == [
        "d0",
        "d1",
    ]
    assert again.trading.order("alice", 1) is not None
    filled = [o for o in again.trading.orders("alice", open_only=False) if o.status == "filled"]
    assert [o.client_order_id for o in filled] == ["d0", "d1"]


def test_a_journal_replays_to_the_same_events_log(clock: ManualClock) -> None:
    store = open_store("memory://")
    venue = Venue.open(store, clock)
    _prepare(venue)
    _load(venue, clock, 60, seed=3)
    digest = venue.state_hash()
    venue.close()  # writes the buffered events
    logged = logged_events(store)
    seqs = [seq for seq, _ in logged]
    assert seqs == sorted(seqs)
    assert len(seqs) == len(set(seqs)), "no command's events are logged twice"
    kinds = {type(e).__name__ for _, events in logged for e in events}
    assert {"OrderAccepted", "Trade", "PhaseChanged", "ContractListed"} <= kinds
    assert logged == replayed_events(store), "the log holds exactly the replay's events"
    assert state_hash(replay_journal(store)) == digest


def test_a_failed_event_log_write_is_raised_and_loses_nothing(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sequencer, "EVENT_FLUSH_SECONDS", 3600.0)  # flushes only when asked
    path = tmp_path / "venue.db"
    venue = Venue.open(open_store(f"sqlite:///{path}"), clock)
    _prepare(venue)
    _load(venue, clock, 40, seed=5)
    venue.sync_event_log()
    with sqlite3.connect(path) as db:  # the event log's table goes away under the venue
        db.execute("ALTER TABLE event_log_frame RENAME TO event_log_lost")
    _load(venue, clock, 40, seed=6)
    with pytest.raises(sqlite3.OperationalError, match="event_log_frame"):
        venue.sync_event_log()
    with pytest.raises(sqlite3.OperationalError):
        venue.snapshot()  # a snapshot never gets ahead of the event log
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE event_log_lost RENAME TO event_log_frame")
    _load(venue, clock, 10, seed=7)
    venue.sync_event_log()  # the kept buffer is written with what came after it
    store = venue.store
    assert logged_events(store) == replayed_events(store), "no event lost, none twice"
    venue.close()
