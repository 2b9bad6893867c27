"""Final settlement at expiry: cash against the final settlement price, then positions closed."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.settlement import post_variation_margin
from tokenfutures.core.errors import InvalidParameterError


def final_settlement(
    house: ClearingHouse, contract: str, final_price_ticks: int
) -> Mapping[str, Decimal]:
    """Settle ``contract`` at its final settlement price (ledger entries) and close every position.

    Returns the final cash flow per account (gain > 0) since the last daily settlement.
    """
    if contract in house.expired:
        raise InvalidParameterError("contract", contract, "not yet expired")
    house.contract(contract)
    flows = post_variation_margin(house, contract, final_price_ticks, "final settlement")
    house.book.close_contract(contract)
    house.marks[contract] = final_price_ticks
    house.expired.add(contract)
    return flows
