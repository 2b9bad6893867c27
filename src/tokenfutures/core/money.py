"""Money and price arithmetic: one rounding policy, named crossings between floats and Decimals.

Money is ``Decimal`` in USD; it is stored as integer micro-USD. Book prices are integer ticks.
Floats appear only inside ``quant``; they cross into money through the functions here.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

MICROS_PER_USD = 1_000_000
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")


def usd(value: str | int | Decimal) -> Decimal:
    """Parse a USD amount exactly; floats are refused so binary noise never enters money."""
    if isinstance(value, float):  # pragma: no cover - guarded by the type checker too
        raise TypeError("money must not be built from a float; use usd_from_float()")
    return Decimal(value)


def usd_from_float(value: float, quantum: Decimal = MICRO) -> Decimal:
    """Cross a float (from ``quant``) into money, rounded half-even to ``quantum``."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"cannot turn non-finite float {value!r} into money")
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)


def round_money(amount: Decimal, quantum: Decimal = MICRO) -> Decimal:
    """The house rounding policy for money: half-even to ``quantum`` (default one micro-USD)."""
    return amount.quantize(quantum, rounding=ROUND_HALF_EVEN)


def round_up(amount: Decimal, quantum: Decimal = CENT) -> Decimal:
    """Round towards +infinity (margin requirements are never rounded in the member's favour)."""
    return amount.quantize(quantum, rounding=ROUND_CEILING)


def round_down(amount: Decimal, quantum: Decimal = CENT) -> Decimal:
    """Round towards -infinity."""
    return amount.quantize(quantum, rounding=ROUND_FLOOR)


def to_micros(amount: Decimal) -> int:
    """Integer micro-USD for storage; refuses amounts finer than one micro-USD."""
    scaled = amount * MICROS_PER_USD
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} USD is finer than one micro-USD; round it first")
    return int(scaled)


def from_micros(micros: int) -> Decimal:
    """Decimal USD from integer micro-USD."""
    return Decimal(micros) / MICROS_PER_USD


def price_to_ticks(price: Decimal, tick: Decimal) -> int:
    """Integer ticks for a price that lies exactly on the tick grid; raises otherwise."""
    ticks = price / tick
    if ticks != ticks.to_integral_value():
        raise ValueError(f"price {price} is not a multiple of the tick {tick}")
    return int(ticks)


def ticks_to_price(ticks: int, tick: Decimal) -> Decimal:
    """Decimal price of an integer number of ticks."""
    return tick * ticks
