"""Daily settlement: variation margin at settlement prices, fees, margin calls, defaults on unmet calls.

Daily variation margin is one journal entry per day whose legs are the accounts' gains and
losses summed over the contracts settled, in integer micro-USD (ADR 0430); each contract's
VM is checked to net to zero in ticks·lots first, so the entry proves that settlement
created no money. Final settlement and close-outs mark one contract at a time
(``post_variation_margin``), one entry per contract.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import numpy as np

from tokenfutures.clearing.house import ClearingHouse, MarginCall
from tokenfutures.clearing.ledger import (
    FEES_ACCOUNT,
    JournalEntry,
    Posting,
    collateral,
    entry_from_legs,
    transfer,
)
from tokenfutures.clearing.margin.base import (
    MarginMethod,
    MarginRequirement,
    MarginResult,
    money_up,
)
from tokenfutures.core.errors import InvalidParameterError, InvariantError
from tokenfutures.core.money import from_micros, to_micros


@dataclass(frozen=True, slots=True)
class SettlementReport:
    """What one daily settlement did: VM per account, requirements, calls issued."""

    variation_margin: Mapping[str, Decimal]
    requirements: Mapping[str, MarginRequirement]
    calls: tuple[MarginCall, ...]


def post_variation_margin(
    house: ClearingHouse,
    contract: str,
    mark_ticks: int,
    memo: str,
    accounts: set[str] | None = None,
) -> dict[str, Decimal]:
    """Mark positions in ``contract`` at ``mark_ticks`` and post the VM entry; returns VM by account.

    ``accounts`` limits the marking (default: everyone); the subset's VM must still balance.
    """
    spec = house.contract(contract)
    if mark_ticks <= 0:
        raise InvalidParameterError("mark_ticks", mark_ticks, "> 0")
    last = house.marks.get(contract, 0)
    vm: dict[str, Decimal] = {}
    for account, _ in house.book.keys_in(contract):
        if accounts is not None and account not in accounts:
            continue
        ticks = house.book.mark(account, contract, mark_ticks, last)
        if ticks:
            vm[account] = ticks * spec.tick_value
    if sum(vm.values()) != 0:
        raise InvariantError(f"variation margin in {contract} sums to {sum(vm.values())}")
    if vm:
        legs = {collateral(a): amount for a, amount in vm.items()}
        house.ledger.post(entry_from_legs(f"{memo} {contract} @ {mark_ticks}", legs))
    return vm


def post_daily_variation_margin(
    house: ClearingHouse, settlement_prices: Mapping[str, int]
) -> dict[str, Decimal]:
    """Mark every position at the day's settlement prices and post one VM entry for the day.

    Returns each account's VM summed over contracts (gain > 0); the same amounts, with the
    same Decimal exponent, that per-contract entries summed would give (ADR 0430).
    """
    marks, weights = {}, {}
    for contract, price in sorted(settlement_prices.items()):
        if price <= 0:
            raise InvalidParameterError("mark_ticks", price, "> 0")
        marks[contract] = (price, house.marks.get(contract, 0))
        weights[contract] = to_micros(house.contract(contract).tick_value)
    by_account, net = house.book.mark_all(marks, weights)
    broken = {c: n for c, n in net.items() if n}
    if broken:
        raise InvariantError(f"variation margin sums to {broken} ticks·lots")
    house.marks.update(settlement_prices)
    if not by_account:
        return {}
    exponent = min(
        (int(house.contract(c).tick_value.as_tuple().exponent) for c in marks), default=0
    )
    quantum = Decimal(1).scaleb(min(exponent, 0))
    vm = {a: from_micros(by_account[a]).quantize(quantum) for a in sorted(by_account)}
    legs = tuple(Posting(collateral(a), amount) for a, amount in vm.items() if amount)
    if legs:
        memo = "VM " + ", ".join(f"{c} @ {marks[c][0]}" for c in sorted(net))
        house.ledger.post(JournalEntry(memo, legs))
    return vm


def bill_fees(house: ClearingHouse, fee_per_lot: Decimal) -> None:
    """Charge ``fee_per_lot`` on every lot traded since the last bill."""
    for account, lots in sorted(house.book.take_traded_lots().items()):
        if fee_per_lot > 0 and lots:
            house.ledger.post(
                transfer(collateral(account), FEES_ACCOUNT, fee_per_lot * lots, "clearing fee")
            )


def settle_day(
    house: ClearingHouse,
    settlement_prices: Mapping[str, int],
    method: MarginMethod,
    call_deadline: datetime,
    fee_per_lot: Decimal = Decimal(0),
) -> SettlementReport:
    """VM at each contract's settlement price, fees, then margin: call accounts below maintenance."""
    vm = post_daily_variation_margin(house, settlement_prices)
    bill_fees(house, fee_per_lot)
    requirements = margin_accounts(house, method)
    calls = []
    for account, row in requirements.rows():
        equity = house.equity(account)
        if equity < money_up(requirements.result.maintenance[row]):
            initial = money_up(requirements.result.initial[row])
            call = MarginCall(account, initial - equity, initial, call_deadline)
            house.calls[account] = call
            calls.append(call)
        else:
            house.calls.pop(account, None)
    return SettlementReport(vm, requirements, tuple(calls))


class Requirements(Mapping[str, MarginRequirement]):
    """Every account's requirement, turned into money when asked for (10,000 rows are cheap)."""

    def __init__(self, accounts: list[str], result: MarginResult) -> None:
        self._row = {a: i for i, a in enumerate(accounts)}
        self.result = result

    def __getitem__(self, account: str) -> MarginRequirement:
        return self.result.requirement(self._row[account])

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)

    def rows(self) -> Iterator[tuple[str, int]]:
        """(account, row of ``result``) pairs in account order."""
        return iter(self._row.items())


def margin_accounts(house: ClearingHouse, method: MarginMethod) -> Requirements:
    """Requirement of every live (non-defaulted) account holding positions in ``method``'s contracts."""
    uncovered = [
        c
        for c in house.book.contracts()
        if c not in method.contracts and house.book.open_interest(c) > 0
    ]
    if uncovered:
        raise InvalidParameterError("method", method.name, f"covering open contracts {uncovered}")
    accounts = [a for a in house.book.accounts() if a not in house.defaulted]
    if not accounts:
        return Requirements([], MarginResult(method.name, _EMPTY, _EMPTY, {}))
    return Requirements(
        accounts, method.requirements(house.book.matrix(accounts, method.contracts))
    )


_EMPTY = np.zeros(0)


def unmet_calls(house: ClearingHouse, now: datetime) -> list[str]:
    """Release calls that are met; return accounts whose call is past due and unmet (to default)."""
    due: list[str] = []
    for account, call in sorted(house.calls.items()):
        if house.equity(account) >= call.target:
            del house.calls[account]
        elif now >= call.deadline:
            due.append(account)
    return due
