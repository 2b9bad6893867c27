"""Daily settlement's one-pass VM (ADR 0430) against the per-contract reference, on random books.

The reference marks each contract with ``post_variation_margin`` (one entry per contract, as
final settlement and close-outs still do) and turns every account's requirement into money;
the fast path must leave the same balances, VM, calls and marks.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest

from tokenfutures.clearing.house import ClearingHouse, MarginCall
from tokenfutures.clearing.ledger import AccountKind, collateral
from tokenfutures.clearing.margin import span_from_volatility
from tokenfutures.clearing.settlement import post_variation_margin, settle_day

from .helpers import Fill, house_with

DEADLINE = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
CONTRACTS = ("F", "G", "H", "J")


def reference_day(
    house: ClearingHouse, prices: dict[str, int], method: object
) -> tuple[dict[str, Decimal], list[MarginCall]]:
    """Per-contract VM entries, then every requirement as money and the calls it implies."""
    vm: dict[str, Decimal] = {}
    for contract, price in sorted(prices.items()):
        for account, amount in post_variation_margin(house, contract, price, "VM").items():
            vm[account] = vm.get(account, Decimal(0)) + amount
        house.marks[contract] = price
    accounts = [a for a in house.book.accounts() if a not in house.defaulted]
    result = method.requirements(house.book.matrix(accounts, method.contracts))  # type: ignore[attr-defined]
    calls = []
    for i, account in enumerate(accounts):
        req = result.requirement(i)
        equity = house.equity(account)
        if equity < req.maintenance:
            calls.append(MarginCall(account, req.initial - equity, req.initial, DEADLINE))
    return vm, calls


def collateral_balances(house: ClearingHouse) -> dict[str, Decimal]:
    return {a.owner: house.ledger.balance(a) for a in house.ledger.accounts(AccountKind.COLLATERAL)}


@pytest.mark.parametrize("seed", [1, 2, 3, 20261206])
def test_one_pass_settlement_matches_per_contract_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    accounts = [f"a{i:03d}" for i in range(int(rng.integers(5, 60)))]
    fast = house_with(*CONTRACTS)
    for account in accounts:
        fast.deposit(account, Decimal(int(rng.integers(1, 400))))
    reference = copy.deepcopy(fast)
    prices = dict.fromkeys(CONTRACTS, 200)
    trade_id = 0
    for _ in range(5):  # five trading days
        fills = []
        for _ in range(int(rng.integers(0, 80))):
            buyer, seller = rng.choice(len(accounts), 2, replace=False)
            contract = CONTRACTS[int(rng.integers(0, len(CONTRACTS)))]
            trade_id += 1
            price = prices[contract] + int(rng.integers(-20, 21))
            fills.append(
                Fill(
                    trade_id,
                    contract,
                    price,
                    int(rng.integers(1, 30)),
                    accounts[buyer],
                    accounts[seller],
                )
            )
        fast.apply_fills(fills)
        reference.apply_fills(fills)
        # some contracts are not settled every day (a halt, no price): they keep their basis
        settled = [c for c in CONTRACTS if rng.random() < 0.8]
        prices |= {c: max(prices[c] + int(rng.integers(-15, 16)), 1) for c in settled}
        today = {c: prices[c] for c in settled}
        method = span_from_volatility(
            CONTRACTS, np.array([prices[c] for c in CONTRACTS]) / 100, np.full(4, 0.5)
        )
        report = settle_day(fast, today, method, DEADLINE)
        vm, calls = reference_day(reference, today, method)
        assert report.variation_margin == vm
        assert [str(v) for v in report.variation_margin.values()] == [
            str(vm[a]) for a in report.variation_margin
        ]
        assert list(report.calls) == calls
        assert collateral_balances(fast) == collateral_balances(reference)
        assert fast.marks == reference.marks
        assert fast.ledger.total() == 0
        for account in report.requirements:
            assert fast.equity(account) >= report.requirements[account].maintenance or (
                account in fast.calls
            )
    for account in accounts:
        assert fast.ledger.balance(collateral(account)) == reference.ledger.balance(
            collateral(account)
        )
