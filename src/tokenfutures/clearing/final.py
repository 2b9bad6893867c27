"""Final settlement at expiry: cash against the final settlement price, then positions closed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.settlement import post_variation_margin
from tokenfutures.core.errors import InvalidParameterError


def expiring(house: ClearingHouse, on: date) -> list[str]:
    """Contracts not yet finally settled whose last trading day is ``on`` or earlier."""
    return sorted(
        s for s, c in house.contracts.items() if c.last_trading_day <= on and s not in house.expired
    )


def final_settlement(
    house: ClearingHouse, contract: str, final_price_ticks: int, on: date
) -> Mapping[str, Decimal]:
    """Settle ``contract`` at its final settlement price (ledger entries) and close every position.

    ``on`` is the settlement day; it may not precede the contract's last trading day.
    Returns the final cash flow per account (gain > 0) since the last daily settlement.
    """
    if contract in house.expired:
        raise InvalidParameterError("contract", contract, "not yet expired")
    last_day = house.contract(contract).last_trading_day
    if on < last_day:
        raise InvalidParameterError("on", on, f"on or after the last trading day {last_day}")
    flows = post_variation_margin(house, contract, final_price_ticks, "final settlement")
    house.book.close_contract(contract, final_price_ticks)
    house.marks[contract] = final_price_ticks
    house.expired.add(contract)
    return flows
