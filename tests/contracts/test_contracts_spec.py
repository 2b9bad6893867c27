"""The shipped SIT and SCU specs, their accessors, and spec-file validation errors."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tokenfutures.contracts import (
    HaltKind,
    SpecError,
    load_spec_file,
    paper_spec,
    parse_spec,
    product_spec,
)
from tokenfutures.core.errors import InvalidParameterError


def shipped_document(name: str = "sit-v1.json") -> dict[str, Any]:
    text = resources.files("tokenfutures.contracts").joinpath("specs", name).read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def test_sit_spec_matches_paper_section_5() -> None:
    spec = paper_spec()
    assert spec.product == "SIT"
    assert spec.lot_size == 1_000_000
    assert spec.tick_size == Decimal("0.01")
    assert spec.lot_multiplier == 1
    assert spec.tick_value == Decimal("0.01")
    assert (spec.listing.consecutive_months, spec.listing.quarterly_months) == (6, 4)
    assert spec.listing.quarter_cycle == (3, 6, 9, 12)
    assert spec.price_limit_fractions() == (Decimal("0.15"), Decimal("0.25"))
    first, second = spec.price_limit_tiers
    assert first.halt is HaltKind.MINUTES
    assert first.halt_duration() is not None
    assert first.halt_duration().total_seconds() == 600  # type: ignore[union-attr]
    assert second.halt is HaltKind.UNTIL_NEXT_SESSION
    assert second.halt_duration() is None
    assert spec.initial_margin_fraction_range() == (Decimal("0.08"), Decimal("0.12"))
    assert spec.maintenance_fraction_of_initial() == Decimal("0.75")
    assert spec.margin.coverage_alpha == Decimal(3)
    assert spec.margin.volatility_window_days == 20


def test_scu_spec_is_its_own_product() -> None:
    spec = product_spec("scu")
    assert spec.product == "SCU"
    assert spec.lot_multiplier == 1000
    assert spec.tick_size == Decimal("0.001")
    assert spec.tick_value == Decimal(1)
    # 3 lots at $2.360 per SCU-hour = 3 × 1000 × 2.36
    assert spec.notional(2360, 3) == Decimal("7080")


def test_sit_notional_is_price_times_lots() -> None:
    assert paper_spec().notional(1234, 5) == Decimal("61.70")


def test_session_opens_the_evening_before_and_settles_at_the_close() -> None:
    session = product_spec("SIT").session
    opens, closes = session.bounds(date(2026, 11, 23))  # a Monday
    assert opens == datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
    assert closes == datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
    assert session.settlement_instant(date(2026, 11, 23)) == closes
    assert session.settlement_window.total_seconds() == 120
    assert product_spec("SIT").daily_settlement_time() == time(21, 0)


def test_price_limit_band_rounds_the_move_down_to_a_tick() -> None:
    spec = paper_spec()
    assert spec.price_limit_band(1000, 0) == (850, 1150)
    assert spec.price_limit_band(1000, 1) == (750, 1250)
    # 15 % of 1003 ticks = 150.45 ticks -> 150
    assert spec.price_limit_band(1003, 0) == (853, 1153)
    with pytest.raises(InvalidParameterError, match="tier"):
        spec.price_limit_band(1000, 2)
    with pytest.raises(InvalidParameterError, match="prior_settlement_ticks"):
        spec.price_limit_band(0, 0)


def test_unknown_product_names_the_parameter() -> None:
    with pytest.raises(InvalidParameterError, match="product"):
        product_spec("XYZ")


def test_spec_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sit.json"
    path.write_text(json.dumps(shipped_document()), encoding="utf-8")
    assert load_spec_file(path) == paper_spec()


def _mutated(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    document = copy.deepcopy(shipped_document())
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("tick_size",), 0.01, "tick_size"),
        (("tick_size",), "-0.01", "tick_size"),
        (("lot_size",), 0, "lot_size"),
        (("lot_size",), _DELETE, "lot_size"),
        (("price_limits", 0, "fraction"), "1.5", "price_limits.0.fraction"),
        (("price_limits", 0, "halt_minutes"), None, "price_limits.0"),
        (("margin", "maintenance_ratio"), "1.2", "margin.maintenance_ratio"),
        (("margin", "initial_fraction_min"), "0.2", "margin"),
        (("last_trading_day", "nth"), 5, "last_trading_day.nth"),
        (("listing", "quarter_cycle"), [3, 6, 13], "listing"),
        (("session", "time_zone"), "America/Chicago", "session.time_zone"),
        (("holidays", "fixed"), ["02-30"], "holidays"),
        (
            ("final_settlement", "min_observed_fraction"),
            "0",
            "final_settlement.min_observed_fraction",
        ),
        (("surprise",), 1, "surprise"),
        (("currency",), "EUR", "currency"),
    ],
)
def test_invalid_spec_names_the_field(
    path: tuple[str | int, ...], value: object, field: str
) -> None:
    with pytest.raises(SpecError, match=f"field '{field}'"):
        parse_spec(_mutated(path, value), source="test.json")


def test_spec_level_rules_are_enforced() -> None:
    document = _mutated(("price_limits",), list(reversed(shipped_document()["price_limits"])))
    with pytest.raises(SpecError, match="strictly increasing"):
        parse_spec(document)
    with pytest.raises(SpecError, match="multiple of quote_unit_size"):
        parse_spec(_mutated(("lot_size",), 1_500))
    with pytest.raises(SpecError, match="product"):
        parse_spec(_mutated(("product",), "sit"))


def test_not_json_is_a_spec_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(SpecError, match=r"broken\.json.*not JSON"):
        load_spec_file(path)
