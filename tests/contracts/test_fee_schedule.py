"""The fee schedule: effective dates, rates per product version, and what a file may not say."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tokenfutures.contracts import SpecError
from tokenfutures.contracts.fee_schedule import FeeRates, fee_rates, parse_fee_schedule


def _doc(*entries: tuple[str, dict[str, Any]]) -> str:
    return json.dumps(
        {
            "schema_version": 1,
            "currency": "USD",
            "unit": "USD per lot per side",
            "schedules": [{"effective_from": d, "products": p} for d, p in entries],
        }
    )


def _rates(maker: Any, taker: Any = "0.30", clearing: Any = "0.10") -> dict[str, Any]:
    return {"SIT": {"v2": {"maker": maker, "taker": taker, "clearing": clearing}}}


def test_the_shipped_schedule_charges_sit_v2_per_lot_and_no_rebate() -> None:
    rates = fee_rates("SIT", "v2", date(2026, 12, 7))
    assert rates == FeeRates(Decimal("0.10"), Decimal("0.30"), Decimal("0.10"))
    # the paper's lot is 10,000 times smaller and pays the same basis points
    assert fee_rates("sit", "v1", date(2026, 12, 7)).taker * 10_000 == rates.taker
    assert fee_rates("SIT", "v2", date(2025, 12, 31)).taker == 0  # before the first entry


def test_an_entry_applies_from_its_day_until_the_next() -> None:
    schedule = parse_fee_schedule(
        _doc(("2026-01-01", _rates("0.10")), ("2026-07-01", _rates("-0.05")))
    )
    assert schedule.rates_for("SIT", "v2", date(2026, 6, 30)).maker == Decimal("0.10")
    assert schedule.rates_for("SIT", "v2", date(2026, 7, 1)).maker == Decimal("-0.05")  # rebate
    assert schedule.rates_for("SCU", "v1", date(2026, 7, 1)).taker == 0  # not named: no fee


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (_doc(("2026-01-01", _rates(0.1))), "not floats"),
        (_doc(("2026-01-01", _rates("0.0000001"))), "whole number of micro-USD"),
        (_doc(("2026-01-01", _rates("-0.31"))), "may not exceed the taker fee"),
        (_doc(("2026-01-01", _rates("0.1", taker="-0.1"))), "taker"),
        (_doc(("2026-02-01", _rates("0.1")), ("2026-01-01", _rates("0.1"))), "increasing"),
        ("{", "not JSON"),
    ],
)
def test_a_bad_schedule_is_refused_by_name(text: str, field: str) -> None:
    with pytest.raises(SpecError, match=field):
        parse_fee_schedule(text, source="fees.json")
