"""The listed contract's settlement window, handed to quant as data (ADR 0130).

Quant cannot import the contract calendar, so the reports translate the contract's own
``settlement_window`` (business days from the 1st of the delivery month to the last trading
day) into the stylised month of the simulated study: the share of a month's business days
the window covers, averaged over a year of contracts, times the study's fixes per month.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from tokenfutures.contracts import (
    ContractSpec,
    ContractSymbol,
    DeliveryMonth,
    business_days,
    product_spec,
    settlement_window,
)
from tokenfutures.quant.procurement import ProcurementProgram

#: The year whose twelve contracts set the stylised window (the study's first hedged year).
WINDOW_YEAR = 2027


def _month_business_days(spec: ContractSpec, year: int, month: int) -> int:
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return len(business_days(spec, first, last))


def window_share(spec: ContractSpec, year: int = WINDOW_YEAR) -> float:
    """Mean share of the delivery month's business days inside the settlement window."""
    shares = []
    for month in range(1, 13):
        symbol = ContractSymbol(spec.product, DeliveryMonth(year, month))
        window = settlement_window(spec, symbol)
        shares.append(len(window) / _month_business_days(spec, year, month))
    return sum(shares) / len(shares)


def contract_settlement_fixes(
    days_per_month: int, spec: ContractSpec | None = None, year: int = WINDOW_YEAR
) -> int:
    """Fixes of a ``days_per_month`` stylised month the listed contract settles on (≥ 1)."""
    share = window_share(spec or product_spec("SIT"), year)
    return max(1, min(days_per_month, round(share * days_per_month)))


def study_program(**changes: Any) -> ProcurementProgram:
    """The study's procurement program with the listed contract's settlement window."""
    base = ProcurementProgram(settlement_fixes=1)
    program = replace(base, **changes) if changes else base
    return replace(program, settlement_fixes=contract_settlement_fixes(program.days_per_month))
