"""End-of-day charges of the venue: the day's fees billed, the default fund's inputs.

Fees accrue per trade in ``VenueState.fees`` (lots as maker and as taker); end of day prices
them at the schedule in force on that trading day for each contract's product and spec
version and posts them (ADR 0411, 0617). The default fund is resized inside ``settle_day``
from the clearing members (every account that is no member's client) at the day's marks
(ADR 0412).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol

import numpy as np

from tokenfutures.clearing.fees import FeeBook, FeeCharge, bill_fees_by_rates
from tokenfutures.clearing.fund_collection import FundInputs
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import collateral, default_fund
from tokenfutures.clearing.margin.base import MarginMethod
from tokenfutures.contracts import ContractSpec
from tokenfutures.contracts.fee_schedule import FeeRates, fee_rates
from tokenfutures.venue.views import AccountFeesView

#: Memo prefix of the entry that bills a day's fees (``fees <day>``).
FEE_MEMO = "fees "


class ChargedBook(Protocol):
    """What the charges read: the house, the accounts, the fee accrual, each contract's spec."""

    house: ClearingHouse
    accounts: dict[str, str | None]
    fees: FeeBook

    def spec_of(self, contract: str) -> ContractSpec:
        """The spec of a listed contract."""
        ...


def day_rates(state: ChargedBook, contracts: set[str], day: date) -> dict[str, FeeRates]:
    """Each contract's fee rates on trading ``day`` (its product and spec version)."""
    out = {}
    for contract in sorted(contracts):
        spec = state.spec_of(contract)
        out[contract] = fee_rates(spec.product, spec.version, day)
    return out


def bill_day_fees(state: ChargedBook, day: date) -> dict[str, FeeCharge]:
    """Post the fees accrued since the last end of day, priced at ``day``'s schedule."""
    rates = day_rates(state, state.fees.contracts(), day)
    return bill_fees_by_rates(state.house, state.fees, rates, day.isoformat())


def clearing_members(state: ChargedBook) -> tuple[str, ...]:
    """Accounts that clear themselves and the members named by clients, sorted."""
    return tuple(sorted({member or account for account, member in state.accounts.items()}))


def fund_inputs(
    state: ChargedBook, method: MarginMethod, marks: Mapping[str, int], day: date
) -> FundInputs:
    """The default fund's sizing inputs at the day's marks (USD per lot, the method's order)."""
    house = state.house
    prices = np.array(
        [float(house.contracts[c].lot_value(marks[c])) for c in method.contracts],
        dtype=np.float64,
    )
    return FundInputs(clearing_members(state), prices, day.isoformat())


def account_fees(state: ChargedBook, account: str, day: date) -> AccountFeesView:
    """``account``'s accrued lots and fees (priced at ``day``), fees billed, fund on hand."""
    mine = {c: lots for (a, c), lots in state.fees.lots().items() if a == account}
    rates = day_rates(state, set(mine), day)
    made = sum(m for m, _ in mine.values())
    took = sum(t for _, t in mine.values())
    trading = sum(
        (m * rates[c].maker + t * rates[c].taker for c, (m, t) in mine.items()), Decimal(0)
    )
    clearing = sum(((m + t) * rates[c].clearing for c, (m, t) in mine.items()), Decimal(0))
    target = collateral(account)
    billed = Decimal(0)
    for entry in state.house.ledger.entries:
        if entry.memo.startswith(FEE_MEMO):
            billed -= sum((p.amount for p in entry.postings if p.account == target), Decimal(0))
    return AccountFeesView(
        account=account,
        maker_lots=made,
        taker_lots=took,
        trading_fees_accrued=trading,
        clearing_fees_accrued=clearing,
        fees_billed=billed,
        default_fund=state.house.ledger.balance(default_fund(account)),
    )
