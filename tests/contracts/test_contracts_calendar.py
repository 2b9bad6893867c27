"""Last trading days and the listing calendar, including a property sweep over several years."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.contracts import (
    ContractSpec,
    ContractSymbol,
    DeliveryMonth,
    first_trading_day,
    is_business_day,
    is_listed,
    last_trading_day,
    listed_contracts,
    listing_date,
    parse_spec,
    parse_symbol,
    product_spec,
    trading_contracts,
    trading_day_of,
)
from tokenfutures.contracts.calendar import next_business_day
from tokenfutures.core.errors import InvalidParameterError

SIT = product_spec("SIT")
QUARTER_MONTHS = {3, 6, 9, 12}


def names(symbols: list[ContractSymbol]) -> list[str]:
    return [str(s) for s in symbols]


def spec_with_extra_holidays(*days: str) -> ContractSpec:
    text = resources.files("tokenfutures.contracts").joinpath("specs", "sit-v1.json")
    document: dict[str, Any] = copy.deepcopy(json.loads(text.read_text("utf-8")))
    document["holidays"]["extra"] = list(days)
    return parse_spec(document)


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("SITZ26", date(2026, 12, 16)),
        ("SITF27", date(2027, 1, 20)),
        ("SITH27", date(2027, 3, 17)),
        ("SITF26", date(2026, 1, 21)),
        ("SITG28", date(2028, 2, 16)),  # leap-year February
        ("SITJ26", date(2026, 4, 15)),  # month starting on a Wednesday: 1, 8, 15
        ("SITX26", date(2026, 11, 18)),
    ],
)
def test_last_trading_day_is_third_wednesday(symbol: str, expected: date) -> None:
    assert last_trading_day(SIT, parse_symbol(symbol)) == expected


def test_holiday_on_third_wednesday_moves_ltd_to_preceding_business_day() -> None:
    spec = spec_with_extra_holidays("2026-12-16", "2026-12-15")
    assert last_trading_day(spec, parse_symbol("SITZ26")) == date(2026, 12, 14)
    assert not is_business_day(spec, date(2026, 12, 16))


def test_fixed_holidays_and_weekends_are_not_business_days() -> None:
    assert not is_business_day(SIT, date(2026, 12, 25))  # Friday, Christmas
    assert not is_business_day(SIT, date(2027, 1, 1))  # Friday, New Year
    assert not is_business_day(SIT, date(2026, 11, 28))  # Saturday
    assert is_business_day(SIT, date(2026, 11, 27))
    assert next_business_day(SIT, date(2026, 12, 24)) == date(2026, 12, 28)


def test_listing_on_a_known_date() -> None:
    listed = names(listed_contracts(SIT, date(2026, 11, 23)))
    monthly = ["SITZ26", "SITF27", "SITG27", "SITH27", "SITJ27", "SITK27"]
    assert listed == [*monthly, "SITM27", "SITU27", "SITZ27", "SITH28"]


def test_quarterly_inside_the_monthlies_is_listed_once() -> None:
    listed = names(listed_contracts(SIT, date(2026, 11, 23)))
    assert listed.count("SITH27") == 1
    assert len(set(listed)) == 10


def test_expiry_day_and_the_day_after() -> None:
    on_expiry = names(listed_contracts(SIT, date(2026, 12, 16)))
    after = names(listed_contracts(SIT, date(2026, 12, 17)))
    assert "SITZ26" in on_expiry
    assert "SITZ26" not in after
    assert after[0] == "SITF27"  # year rollover of the front month
    assert after[-1] == "SITM28"  # the new quarterly replacing H27's quarterly slot
    assert "SITM28" not in on_expiry
    assert listing_date(SIT, parse_symbol("SITM28")) == date(2026, 12, 17)


def test_weekend_lists_but_does_not_trade() -> None:
    saturday = date(2026, 11, 28)
    assert len(listed_contracts(SIT, saturday)) == 10
    assert trading_contracts(SIT, saturday) == []


def test_leap_day_listing() -> None:
    listed = names(listed_contracts(SIT, date(2028, 2, 29)))
    assert listed[0] == "SITH28"
    assert listed[:6] == ["SITH28", "SITJ28", "SITK28", "SITM28", "SITN28", "SITQ28"]
    assert listed[6:] == ["SITU28", "SITZ28", "SITH29", "SITM29"]


def test_listing_dates_of_a_monthly_and_a_quarterly() -> None:
    # F27 enters as the 6th monthly once Jul-26 expires (LTD 15 Jul 2026).
    assert listing_date(SIT, parse_symbol("SITF27")) == date(2026, 7, 16)
    # Z26 enters as the 4th quarterly once Jun-25 expires (LTD 18 Jun 2025).
    assert listing_date(SIT, parse_symbol("SITZ26")) == date(2025, 6, 19)


def test_listing_after_a_friday_expiry_trades_on_the_next_business_day() -> None:
    # Close Mon 14 to Wed 16 June 2027 so M27 expires on Friday 11 June.
    spec = spec_with_extra_holidays("2027-06-16", "2027-06-15", "2027-06-14")
    assert last_trading_day(spec, parse_symbol("SITM27")) == date(2027, 6, 11)  # Friday
    # Front moves to N27, Z27 turns monthly, and Z28 becomes the 4th quarterly.
    newcomer = parse_symbol("SITZ28")
    assert newcomer not in listed_contracts(spec, date(2027, 6, 11))
    assert listing_date(spec, newcomer) == date(2027, 6, 12)  # Saturday
    assert first_trading_day(spec, newcomer) == date(2027, 6, 17)  # Thursday after the closures


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 11, 22, 21, 59, tzinfo=UTC), None),  # Sunday before the open
        (datetime(2026, 11, 22, 22, 0, tzinfo=UTC), date(2026, 11, 23)),  # Monday's session
        (datetime(2026, 11, 23, 20, 59, tzinfo=UTC), date(2026, 11, 23)),
        (datetime(2026, 11, 23, 21, 30, tzinfo=UTC), None),  # the daily break
        (datetime(2026, 11, 23, 22, 0, tzinfo=UTC), date(2026, 11, 24)),
        (datetime(2026, 11, 27, 21, 0, tzinfo=UTC), None),  # Friday close until Sunday
        (datetime(2026, 12, 24, 23, 0, tzinfo=UTC), None),  # Christmas Day's session
        (datetime(2026, 12, 25, 22, 0, tzinfo=UTC), None),  # Friday evening -> Saturday
    ],
)
def test_trading_day_of_an_instant(instant: datetime, expected: date | None) -> None:
    assert trading_day_of(SIT, instant) == expected


def test_trading_day_of_needs_an_aware_instant() -> None:
    with pytest.raises(InvalidParameterError, match="instant"):
        trading_day_of(SIT, datetime(2026, 11, 23, 12, 0))


def test_wrong_product_names_the_symbol() -> None:
    with pytest.raises(InvalidParameterError, match="symbol"):
        last_trading_day(SIT, parse_symbol("SCUZ26"))


def check_listing_invariants(day: date) -> None:
    listed = listed_contracts(SIT, day)
    months = [s.delivery for s in listed]
    assert len(listed) == 10
    assert len(set(listed)) == 10
    assert months == sorted(months)
    monthly, quarterly = months[:6], months[6:]
    assert [m.index for m in monthly] == list(range(monthly[0].index, monthly[0].index + 6))
    assert all(m.month in QUARTER_MONTHS for m in quarterly)
    gaps = [b.index - a.index for a, b in zip([monthly[-1], *quarterly], quarterly, strict=False)]
    assert gaps[0] <= 3
    assert gaps[1:] == [3, 3, 3]
    for symbol in listed:
        ltd = last_trading_day(SIT, symbol)
        assert ltd.weekday() == 2
        assert 15 <= ltd.day <= 21
        assert listing_date(SIT, symbol) <= first_trading_day(SIT, symbol) <= day <= ltd
        assert is_listed(SIT, symbol, day)
        assert symbol not in listed_contracts(SIT, next_business_day(SIT, ltd))
        assert symbol in listed_contracts(SIT, ltd)
    front_ltd = last_trading_day(SIT, listed[0])
    assert day <= front_ltd
    previous = ContractSymbol("SIT", months[0].shifted(-1))
    assert last_trading_day(SIT, previous) < day


def test_every_trading_day_of_four_years_lists_ten_contracts() -> None:
    day = date(2026, 1, 1)
    checked = 0
    while day < date(2030, 1, 1):
        if is_business_day(SIT, day):
            check_listing_invariants(day)
            checked += 1
        day += timedelta(days=1)
    assert checked > 1000


@settings(deadline=None, max_examples=150)
@given(
    day=st.dates(min_value=date(2003, 1, 1), max_value=date(2095, 12, 31))
)  # symbols end in 2099
def test_listing_invariants_hold_on_any_trading_day(day: date) -> None:
    if is_business_day(SIT, day):
        check_listing_invariants(day)
    else:
        assert trading_contracts(SIT, day) == []


@settings(deadline=None, max_examples=100)
@given(year=st.integers(2003, 2096), month=st.integers(1, 12))
def test_a_contract_is_listed_exactly_from_its_listing_date_to_its_ltd(
    year: int, month: int
) -> None:
    symbol = ContractSymbol("SIT", DeliveryMonth(year, month))
    listed_on = listing_date(SIT, symbol)
    ltd = last_trading_day(SIT, symbol)
    assert symbol in listed_contracts(SIT, listed_on)
    assert symbol not in listed_contracts(SIT, listed_on - timedelta(days=1))
    assert symbol in listed_contracts(SIT, ltd)
    assert symbol not in listed_contracts(SIT, ltd + timedelta(days=1))
    # A quarterly month lists about 15-18 months ahead, any other about 6.
    lead_months = (ltd.year - listed_on.year) * 12 + ltd.month - listed_on.month
    assert lead_months in ((14, 15, 16, 17, 18) if month in QUARTER_MONTHS else (5, 6))
