"""Daily settlement: variation margin, fees, the default fund, margin calls, unmet calls.

Variation margin is one journal entry per contract and day whose legs are the accounts'
gains and losses: it balances exactly (positions and trade costs net to zero), so the
entry itself proves that settlement created no money.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tokenfutures.clearing.default_fund import DefaultFundSizing
from tokenfutures.clearing.fund_collection import FundInputs, LivePositions, collect_default_fund
from tokenfutures.clearing.house import ClearingHouse, MarginCall
from tokenfutures.clearing.ledger import FEES_ACCOUNT, collateral, entry_from_legs, transfer
from tokenfutures.clearing.margin.base import MarginMethod, MarginRequirement
from tokenfutures.core.errors import InvalidParameterError, InvariantError


@dataclass(frozen=True, slots=True)
class SettlementReport:
    """What one daily settlement did: VM per account, requirements, calls issued."""

    variation_margin: Mapping[str, Decimal]
    requirements: Mapping[str, MarginRequirement]
    calls: tuple[MarginCall, ...]
    default_fund: DefaultFundSizing | None = None


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
    fund: FundInputs | None = None,
) -> SettlementReport:
    """VM at each contract's settlement price, fees, margin, the default fund resized to Cover-2
    from member collateral (with ``fund``, ADR 0412), then calls on accounts below maintenance."""
    vm: dict[str, Decimal] = {}
    for contract, price in sorted(settlement_prices.items()):
        for account, amount in post_variation_margin(house, contract, price, "VM").items():
            vm[account] = vm.get(account, Decimal(0)) + amount
        house.marks[contract] = price
    bill_fees(house, fee_per_lot)
    live = live_positions(house, method)
    requirements = margin_accounts(house, method, live)
    sizing = None
    if fund is not None:
        sizing = collect_default_fund(house, method.contracts, requirements, fund, live)
    calls = []
    for account, req in requirements.items():
        equity = house.equity(account)
        if equity < req.maintenance:
            call = MarginCall(account, req.initial - equity, req.initial, call_deadline)
            house.calls[account] = call
            calls.append(call)
        else:
            house.calls.pop(account, None)
    return SettlementReport(vm, requirements, tuple(calls), sizing)


def live_positions(house: ClearingHouse, method: MarginMethod) -> LivePositions:
    """Live (non-defaulted) accounts with positions and their matrix in ``method``'s contracts."""
    uncovered = [
        c
        for c in house.book.contracts()
        if c not in method.contracts and house.book.open_interest(c) > 0
    ]
    if uncovered:
        raise InvalidParameterError("method", method.name, f"covering open contracts {uncovered}")
    accounts = [a for a in house.book.accounts() if a not in house.defaulted]
    return accounts, house.book.matrix(accounts, method.contracts)


def margin_accounts(
    house: ClearingHouse, method: MarginMethod, live: LivePositions | None = None
) -> dict[str, MarginRequirement]:
    """Requirement of every live (non-defaulted) account holding positions in ``method``'s contracts.

    ``live``: the accounts and matrix ``live_positions`` gave, when the caller has them.
    """
    accounts, matrix = live_positions(house, method) if live is None else live
    if not accounts:
        return {}
    result = method.requirements(matrix)
    return {a: result.requirement(i) for i, a in enumerate(accounts)}


def unmet_calls(house: ClearingHouse, now: datetime) -> list[str]:
    """Release calls that are met; return accounts whose call is past due and unmet (to default)."""
    due: list[str] = []
    for account, call in sorted(house.calls.items()):
        if house.equity(account) >= call.target:
            del house.calls[account]
        elif now >= call.deadline:
            due.append(account)
    return due
