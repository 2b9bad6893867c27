"""Snapshots carry the wire's shapes (msgspec structs) and rebuild them by their constructor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import msgspec
import pytest

from tokenfutures.venue.snapcodec import SnapshotFormatError, decode_object, encode_object
from tokenfutures.wire import Fixing, OrderAck


def test_shapes_inside_the_state_survive_a_snapshot() -> None:
    ack = OrderAck(
        "accepted", "alice", "SITZ26", "c-1", 7, None, 2, 11, datetime(2026, 3, 2, tzinfo=UTC)
    )
    fixing = Fixing(date(2026, 3, 2), Decimal("2.47"), "PUBLISHED", {"providers": 8}, 3)
    state = {"acks": {("alice", "c-1"): ack}, "fixings": [fixing, fixing]}
    back = decode_object(encode_object(state))
    assert back == state
    assert type(back["acks"][("alice", "c-1")]) is OrderAck


def test_a_blob_naming_a_class_that_is_not_a_struct_is_refused() -> None:
    blob = msgspec.msgpack.encode(["S", ["tokenfutures.core.errors", "InvariantError"], []])
    with pytest.raises(SnapshotFormatError, match="not a msgspec struct"):
        decode_object(blob)
