"""The house rounding policy and the float/Decimal crossings."""

from decimal import Decimal

import pytest

from tokenfutures.core.money import (
    from_micros,
    price_to_ticks,
    round_up,
    ticks_to_price,
    to_micros,
    usd_from_float,
)


def test_micros_round_trip() -> None:
    amount = Decimal("12.345678")
    assert from_micros(to_micros(amount)) == amount


def test_to_micros_refuses_sub_micro_amounts() -> None:
    with pytest.raises(ValueError, match="finer than one micro-USD"):
        to_micros(Decimal("0.0000001"))


def test_float_crossing_is_half_even_at_micro() -> None:
    assert usd_from_float(0.1 + 0.2) == Decimal("0.300000")
    with pytest.raises(ValueError, match="non-finite"):
        usd_from_float(float("nan"))


def test_round_up_never_favours_the_member() -> None:
    assert round_up(Decimal("1.001")) == Decimal("1.01")
    assert round_up(Decimal("-1.009")) == Decimal("-1.00")


def test_ticks_exact() -> None:
    tick = Decimal("0.01")
    assert price_to_ticks(Decimal("2.35"), tick) == 235
    assert ticks_to_price(235, tick) == Decimal("2.35")
    with pytest.raises(ValueError, match="not a multiple"):
        price_to_ticks(Decimal("2.355"), tick)
