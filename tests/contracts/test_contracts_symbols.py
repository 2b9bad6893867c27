"""Contract symbols: month codes, parse and format."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.contracts import ContractSymbol, DeliveryMonth, format_symbol, parse_symbol
from tokenfutures.core.errors import InvalidParameterError


@pytest.mark.parametrize(
    ("text", "product", "year", "month"),
    [
        ("SITZ26", "SIT", 2026, 12),
        ("SITF27", "SIT", 2027, 1),
        ("SITH28", "SIT", 2028, 3),
        ("sitq30", "SIT", 2030, 8),
        (" SCUV26 ", "SCU", 2026, 10),
        ("SCUF00", "SCU", 2000, 1),
    ],
)
def test_parse_known_symbols(text: str, product: str, year: int, month: int) -> None:
    assert parse_symbol(text) == ContractSymbol(product, DeliveryMonth(year, month))


def test_every_month_code_in_order() -> None:
    codes = [format_symbol(ContractSymbol("SIT", DeliveryMonth(2026, m)))[3] for m in range(1, 13)]
    assert codes == list("FGHJKMNQUVXZ")


@pytest.mark.parametrize("text", ["SITA26", "SIT26", "SITZ2026", "Z26", "SITZ", "S1TZ26", ""])
def test_bad_symbols_name_the_parameter(text: str) -> None:
    with pytest.raises(InvalidParameterError, match="symbol"):
        parse_symbol(text)


def test_delivery_month_arithmetic_crosses_years() -> None:
    assert DeliveryMonth(2026, 12).shifted(1) == DeliveryMonth(2027, 1)
    assert DeliveryMonth(2027, 1).shifted(-1) == DeliveryMonth(2026, 12)
    assert DeliveryMonth(2026, 11).shifted(15) == DeliveryMonth(2028, 2)
    with pytest.raises(InvalidParameterError, match="month"):
        DeliveryMonth(2026, 13)


@settings(deadline=None, max_examples=200)
@given(
    product=st.sampled_from(["SIT", "SCU", "AB", "ABCDE"]),
    year=st.integers(2000, 2099),
    month=st.integers(1, 12),
)
def test_format_then_parse_round_trips(product: str, year: int, month: int) -> None:
    symbol = ContractSymbol(product, DeliveryMonth(year, month))
    assert parse_symbol(format_symbol(symbol)) == symbol
    assert str(symbol) == format_symbol(symbol)
