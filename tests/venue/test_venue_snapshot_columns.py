"""Snapshot format 4 (ADR 0632): the order table and the client ids travel as typed columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import msgspec
import pytest
from venue_helpers import FRONT, TPI, TRADING_DAY

from tokenfutures.core.clock import ManualClock
from tokenfutures.exchange import Side
from tokenfutures.exchange.events import OrderAccepted
from tokenfutures.storage import open_store
from tokenfutures.venue.orders import OrderRecord
from tokenfutures.venue.ports import Snapshot
from tokenfutures.venue.service import Venue
from tokenfutures.venue.snapcolumns import FIELDS, ORDER_FIELDS, OrderColumns
from tokenfutures.venue.snapshot import (
    _ORDER_FIELDS,
    FORMAT,
    LegacySnapshotError,
    _digest,
    dump_state,
    load_state,
)
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest


def _venue(clock: ManualClock) -> Venue:
    """Orders of both kinds: changed (records) and untouched (accepted events), interleaved."""
    venue = Venue.open(open_store("memory://"), clock)
    venue.index.fix_index(TRADING_DAY - timedelta(days=1), TPI)
    venue.settlement.list_contracts(TRADING_DAY)
    for name in ("alice", "bob"):
        venue.accounts.create_account(name, deposit=Decimal(50_000))
    submit = venue.trading.submit_order
    submit("alice", OrderRequest(FRONT, "buy", 1, "a0", Decimal("3.40")))  # rests
    submit("alice", OrderRequest(FRONT, "buy", 3, "a1", Decimal("3.50")))  # partly filled
    submit("bob", OrderRequest(FRONT, "sell", 2, "b1", Decimal("3.50")))  # filled
    submit("bob", OrderRequest(FRONT, "sell", 4, "b2", Decimal("3.55")))  # rests
    return venue


def _stored(state: VenueState) -> dict[int, object]:
    stored: dict[int, object] = state.orders.__getstate__()[0]
    return stored


def _resting(state: VenueState) -> list[tuple[object, ...]]:
    book = state.exchange.contracts[FRONT].book
    return [o.canonical() for side in (Side.BUY, Side.SELL) for o in book.in_priority(side)]


def _body(blob: bytes) -> list[bytes]:
    envelope = msgspec.msgpack.decode(blob)
    assert envelope[:2] == ["snapshot", FORMAT]
    body: list[bytes] = envelope[2]
    return body


def test_the_order_table_and_client_ids_round_trip_through_their_column(
    clock: ManualClock,
) -> None:
    state = _venue(clock)._state
    kinds = [type(entry) for entry in _stored(state).values()]
    assert OrderAccepted in kinds  # both kinds, in the table's order
    assert OrderRecord in kinds
    blob = dump_state(state)
    assert _body(blob)[4]  # the column is there: the graph does not carry the rows
    loaded = load_state(blob)
    assert [type(e) for e in _stored(loaded).values()] == kinds
    assert list(_stored(loaded)) == list(_stored(state))
    for order_id, record in state.orders.by_id.items():
        again = loaded.orders.by_id[order_id]
        assert [getattr(again, f) for f in FIELDS] == [getattr(record, f) for f in FIELDS]
    assert loaded.orders.by_account == state.orders.by_account
    assert loaded.exchange.client_ids == state.exchange.client_ids
    assert _resting(loaded) == _resting(state)
    assert _resting(state)  # a bid and an offer rest
    assert state_hash(loaded) == state_hash(state)
    assert len(state.exchange.client_ids) == 4  # the live state was left whole
    assert len(_stored(state)) == 4


def test_a_clock_outside_utc_keeps_the_rows_in_the_graph(clock: ManualClock) -> None:
    eastern = ManualClock(datetime(2026, 11, 23, 17, 0, tzinfo=timezone(timedelta(hours=-5))))
    state = _venue(eastern)._state
    blob = dump_state(state)
    assert _body(blob)[4] == b""
    loaded = load_state(blob)
    record = next(iter(loaded.orders.by_id.values()))
    assert record.created_at.utcoffset() == timedelta(hours=-5)
    assert state_hash(loaded) == state_hash(state)
    assert loaded.exchange.client_ids == state.exchange.client_ids


def test_a_column_of_other_record_fields_is_passed_over_for_the_journal(
    clock: ManualClock,
) -> None:
    venue = _venue(clock)
    state = venue._state
    layout, _, graph, acks, orders = _body(dump_state(state))
    column = msgspec.msgpack.decode(orders, type=OrderColumns)
    other = msgspec.structs.replace(column, order_fields=[*ORDER_FIELDS, "venue_tag"])
    rows = msgspec.msgpack.encode(other)
    body = [layout, _digest(graph, acks, rows), graph, acks, rows]
    blob = msgspec.msgpack.encode(["snapshot", FORMAT, body])
    with pytest.raises(LegacySnapshotError, match="other fields"):
        load_state(blob)
    store = open_store("memory://")
    store.journal.append(list(venue.store.journal.read()))
    store.snapshots.save(Snapshot(state.seq, state_hash(state), blob))
    assert Venue.open(store, ManualClock(datetime(2026, 11, 25, tzinfo=UTC))).state_hash() == (
        venue.state_hash()
    )


def test_the_columns_name_every_field_of_the_records_and_the_resting_orders() -> None:
    assert set(FIELDS) == set(OrderRecord.__slots__)
    assert ORDER_FIELDS == _ORDER_FIELDS  # the order's slots but its book links
