"""Stored records by (type, version): the current version is written, old ones are lifted."""

from __future__ import annotations

import msgspec
import pytest

from tokenfutures import wire
from tokenfutures.wire import Records, WireError, parse_key, record_key


class PointV1(msgspec.Struct, array_like=True):
    x: int


class PointV2(msgspec.Struct, array_like=True):
    x: int
    y: int


class PointV3(msgspec.Struct, array_like=True):
    x: int
    y: int
    label: str


def _points() -> Records:
    records = Records("test")
    records.register("point", 1, PointV1, lambda p: PointV2(p.x, 0))
    records.register("point", 2, PointV2, lambda p: PointV3(p.x, p.y, "?"))
    records.register("point", 3, PointV3)
    return records


def test_the_writer_writes_the_current_version_in_an_envelope() -> None:
    assert _points().write("point", PointV3(1, 2, "a")) == b'["point",3,[1,2,"a"]]'
    blob = _points().write("point", PointV3(1, 2, "a"), binary=True)
    assert msgspec.msgpack.decode(blob) == ["point", 3, [1, 2, "a"]]


def test_old_versions_are_lifted_step_by_step_to_the_current_one() -> None:
    records = _points()
    assert records.open(b'["point",1,[7]]') == ("point", PointV3(7, 0, "?"))
    assert records.open(b'["point",2,[7,5]]') == ("point", PointV3(7, 5, "?"))
    old = msgspec.msgpack.encode(["point", 1, [4]])
    assert records.open(old, binary=True) == ("point", PointV3(4, 0, "?"))


def test_unknown_versions_types_and_bodies_are_refused_by_name() -> None:
    records = _points()
    with pytest.raises(WireError, match="'point' version 4"):
        records.open(b'["point",4,[1,2,"a"]]')
    with pytest.raises(WireError, match="'line'"):
        records.open(b'["line",1,[1]]')
    with pytest.raises(WireError, match="'point' v2"):
        records.open(b'["point",2,["x",1]]')
    with pytest.raises(WireError, match="registered"):
        records.register("point", 2, PointV2)


def test_a_missing_upgrade_is_refused_not_guessed() -> None:
    records = Records("test")
    records.register("point", 1, PointV1)
    records.register("point", 2, PointV2)
    with pytest.raises(WireError, match="no upgrade"):
        records.open(b'["point",1,[1]]')


def test_record_keys_carry_the_version_in_a_kind_column() -> None:
    assert record_key("order", 1) == "order"
    assert record_key("order", 2) == "order.v2"
    assert parse_key("order.v2") == ("order", 2)
    assert parse_key("order") == ("order", 1)
    assert parse_key("mass_cancel") == ("mass_cancel", 1)


def test_a_problem_omits_unset_members_and_keeps_validation_errors() -> None:
    problem = wire.Problem(type="about:blank", title="Not Found", status=404, instance="/x")
    assert wire.encode(problem) == (
        b'{"type":"about:blank","title":"Not Found","status":404,"instance":"/x"}'
    )
    invalid = wire.Problem(
        type="t", title="Invalid", status=422, errors=[wire.Violation(["body", 0], "bad", "v")]
    )
    back = wire.decode(wire.encode(invalid), wire.Problem)
    assert back == invalid
    assert wire.jsonable(invalid)["errors"] == [{"loc": ["body", 0], "msg": "bad", "type": "v"}]


def test_pretty_documents_can_sort_their_keys() -> None:
    text = wire.encode_pretty({"b": 1, "a": {"d": 2, "c": 3}}, sort_keys=True)
    assert text == '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}'
