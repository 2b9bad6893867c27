"""Pre-trade margin check: a pure predicate the venue calls before the matching engine.

An order is refused with ``INSUFFICIENT_MARGIN`` when, if it filled in full, the account's
initial requirement would exceed its collateral and be higher than it is now (orders that
reduce risk always pass).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import numpy as np

from tokenfutures.clearing.margin.base import MarginMethod, money_up
from tokenfutures.core.errors import InvalidParameterError


class MarginRejectReason(Enum):
    """Why clearing refuses an order (the venue maps it onto its closed reason codes)."""

    INSUFFICIENT_MARGIN = "INSUFFICIENT_MARGIN"


@dataclass(frozen=True, slots=True)
class PreTradeDecision:
    """Outcome of the check: accepted, or refused with a reason; the requirements compared."""

    accepted: bool
    reason: MarginRejectReason | None
    requirement_before: Decimal
    requirement_after: Decimal
    collateral: Decimal


def check_order(
    method: MarginMethod,
    positions: Mapping[str, int],
    contract: str,
    signed_quantity: int,
    collateral: Decimal,
) -> PreTradeDecision:
    """Would an order of ``signed_quantity`` lots (buy > 0) leave the account under-margined?"""
    if contract not in method.contracts:
        raise InvalidParameterError("contract", contract, f"one of {method.contracts}")
    if signed_quantity == 0:
        raise InvalidParameterError("signed_quantity", signed_quantity, "non-zero lots")
    before = np.array([[float(positions.get(c, 0)) for c in method.contracts]])
    after = before.copy()
    after[0, method.contracts.index(contract)] += signed_quantity
    result = method.requirements(np.vstack([before, after]))
    req_before = money_up(result.initial[0])
    req_after = money_up(result.initial[1])
    refused = req_after > collateral and req_after > req_before
    return PreTradeDecision(
        accepted=not refused,
        reason=MarginRejectReason.INSUFFICIENT_MARGIN if refused else None,
        requirement_before=req_before,
        requirement_after=req_after,
        collateral=collateral,
    )
