"""The sequencer's journal: one frame per group commit; order records kept lazily (ADR 0609)."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import create_engine, text
from venue_helpers import FRONT, Market

from tokenfutures.core.clock import ManualClock
from tokenfutures.exchange import NewOrder, OrderAccepted, OrderType, Side
from tokenfutures.exchange.types import StpMode, TimeInForce
from tokenfutures.storage import open_store
from tokenfutures.venue.commands import decode
from tokenfutures.venue.orders import OPEN, OrderRecord, OrderTable
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest

TS = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _order(account: str, coid: str, side: Side, price: int, qty: int = 1) -> NewOrder:
    return NewOrder(
        TS,
        FRONT,
        account,
        coid,
        side,
        qty,
        price,
        OrderType.LIMIT,
        TimeInForce.GTC,
        None,
        False,
        None,
        None,
        None,
        StpMode.CANCEL_RESTING,
    )


def test_each_execute_is_one_frame_and_replays_to_the_same_state(
    durable_url: str, clock: ManualClock
) -> None:
    venue = Venue.open(open_store(durable_url), clock)
    venue.settlement.list_contracts(datetime(2026, 11, 24).date(), reference_price=Decimal("3.50"))
    venue.accounts.create_account("a", deposit=Decimal(100_000))
    venue.accounts.create_account("b", deposit=Decimal(100_000))
    before = venue.store.journal.last_seq()
    batch = [
        _order("a" if i % 2 else "b", f"c{i}", Side.BUY if i % 2 else Side.SELL, 340 + i % 5)
        for i in range(40)
    ]
    applied = venue.execute(batch)
    retry = venue.execute([batch[3], _order("a", "new", Side.BUY, 330)])
    assert retry[0].ack == applied[3].ack  # answered from the first ack, not journalled
    stored = list(venue.store.journal.read(from_seq=before + 1))
    assert [r.seq for r in stored] == list(range(before + 1, before + 42))
    assert [r.key.client_order_id for r in stored if r.key] == [f"c{i}" for i in range(40)] + [
        "new"
    ]
    assert decode(stored[5].kind, stored[5].ts, stored[5].payload)[1:] == batch[5][1:]
    live_hash = venue.state_hash()
    venue.close()
    fresh = open_store(durable_url)
    try:
        assert state_hash(replay_journal(fresh)) == live_hash
    finally:
        fresh.close()
    if durable_url.startswith("sqlite"):  # one frame for the 40 orders, one for the new one
        engine = create_engine(durable_url)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT first_seq, last_seq FROM journal_frame"))
            frames = {int(row[0]): int(row[1]) for row in rows}
        engine.dispose()
        assert frames[before + 1] == before + 40
        assert frames[before + 41] == before + 41


def test_resting_orders_stay_events_until_they_change(market: Market) -> None:
    venue, state = market.venue, market.venue._state
    ack = venue.trading.submit_order(
        "alice", OrderRequest(FRONT, "buy", 3, "r1", price=Decimal("3.40"))
    )
    assert ack.order_id is not None
    table = state.orders
    assert type(table._stored[ack.order_id]) is OrderAccepted  # nothing built yet
    rows = table.hash_rows()
    view = venue.trading.order("alice", ack.order_id)  # a reader materialises the record
    assert view is not None
    assert view.status == OPEN
    assert view.open_quantity == 3
    assert type(table._stored[ack.order_id]) is OrderRecord
    assert table.hash_rows() == rows  # the hash does not depend on the representation
    venue.trading.cancel_order("alice", ack.order_id)
    assert venue.trading.order("alice", ack.order_id).status == "cancelled"  # type: ignore[union-attr]


def test_an_order_table_pickled_before_lazy_records_still_loads() -> None:
    accepted = OrderAccepted(1, TS, FRONT, 7, "c1", "m1", Side.BUY, OrderType.LIMIT, 350, 5)
    record = OrderRecord(accepted)
    record.filled, record.open = 2, 3
    old = OrderTable.__new__(OrderTable)
    old.__setstate__((None, {"by_id": {7: record}, "by_account": {"m1": [7]}}))
    again = pickle.loads(pickle.dumps(old))
    assert again.by_id[7].filled == 2
    assert again.hash_rows() == [[7, "m1", OPEN, 2, 3, 350]]
    assert list(again.by_id) == [7]
    assert isinstance(again.by_id, Mapping)
