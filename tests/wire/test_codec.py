"""The one codec: exact decimals, RFC 3339 times, enums by name, versioned envelopes, schemas."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction

import msgspec
import pytest

from tokenfutures import wire
from tokenfutures.wire import Book, Fixing, OrderAck, PriceLevel, WireError

TS = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


class Colour(IntEnum):
    RED = 1


def _ack(**changes: object) -> OrderAck:
    fields: dict[str, object] = {
        "status": "accepted",
        "account": "alice",
        "contract": "SIT-2026M07",
        "client_order_id": "c-1",
        "order_id": 7,
        "reason": None,
        "filled_quantity": 2,
        "seq": 11,
        "ts": TS,
    }
    return OrderAck(**(fields | changes))  # type: ignore[arg-type]


def test_shapes_are_written_with_exact_decimal_strings_and_utc_times() -> None:
    level = PriceLevel(Decimal("2.4700"), 24700, 3, 1)
    book = Book("SIT-2026M07", (level,), (), None, "CONTINUOUS", 5)
    text = json.loads(wire.encode(book))
    assert text["bids"] == [{"price": "2.4700", "price_ticks": 24700, "quantity": 3, "orders": 1}]
    assert text["last_price"] is None
    assert json.loads(wire.encode(_ack()))["ts"] == "2026-03-02T15:00:00Z"


def test_a_shape_survives_the_round_trip_and_lists_decode_too() -> None:
    acks = [_ack(), _ack(status="rejected", reason="NOT_ON_TICK", order_id=None)]
    back = wire.decode(wire.encode(acks), list[OrderAck])
    assert back == acks
    assert [a.rejected for a in back] == [False, True]


def test_bad_bytes_are_a_wire_error_naming_the_shape() -> None:
    with pytest.raises(WireError, match="OrderAck"):
        wire.decode(b'{"status": "accepted"}', OrderAck)
    with pytest.raises(WireError, match="OrderAck"):
        wire.decode(b"not json", OrderAck)


def test_to_dict_and_jsonable_match_what_encode_writes() -> None:
    fixing = Fixing(date(2026, 3, 2), Decimal("2.47"), "PUBLISHED", {"providers": 8}, 3)
    assert fixing.to_dict() == json.loads(wire.encode(fixing))
    value = {"w": Fraction(1, 3), "c": Colour.RED, "s": (Decimal("1.10"),), "d": date(2026, 1, 2)}
    assert wire.jsonable(value) == {"w": "1/3", "c": "RED", "s": ["1.10"], "d": "2026-01-02"}
    assert json.loads(wire.encode_pretty(value)) == wire.jsonable(value)
    assert wire.encode_pretty({"a": 1}) == '{\n  "a": 1\n}'
    assert wire.encode_line({"a": 1, "b": [2, Colour.RED]}) == '{"a": 1, "b": [2, "RED"]}'


def test_envelopes_carry_type_and_version_and_refuse_unknown_ones() -> None:
    data = wire.encode_envelope("ack", 1, _ack())
    assert json.loads(data)[:2] == ["ack", 1]
    assert wire.decode_envelope(data, {("ack", 1): OrderAck}) == _ack()
    with pytest.raises(WireError, match="'ack' version 1"):
        wire.decode_envelope(data, {("ack", 2): OrderAck})


def test_schema_components_name_every_public_shape_with_the_suffix() -> None:
    components = wire.schema_components(wire.PUBLIC_SHAPES, suffix="Public")
    assert {"OrderAckPublic", "BookPublic", "PriceLevelPublic", "MassCancelPublic"} <= set(
        components
    )
    bids = components["BookPublic"]["properties"]["bids"]
    assert bids["items"] == {"$ref": "#/components/schemas/PriceLevelPublic"}
    assert components["OrderAckPublic"]["properties"]["ts"]["type"] == "string"


def test_shapes_are_frozen() -> None:
    with pytest.raises(AttributeError):
        _ack().status = "rejected"  # type: ignore[misc]
    assert isinstance(_ack(), msgspec.Struct)
