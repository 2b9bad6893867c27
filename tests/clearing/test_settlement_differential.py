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
from tokenfutures.clearing.marking import mark_columns
from tokenfutures.clearing.positions import PositionBook
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


@pytest.mark.parametrize("seed", [5, 6, 7])
@pytest.mark.parametrize("case", ["all marked", "one unmarked", "beyond int64"])
def test_column_marking_matches_the_plain_loop(seed: int, case: str) -> None:
    rng = np.random.default_rng(seed)
    accounts = [f"a{i}" for i in range(40)]
    books = (PositionBook(), PositionBook())
    big = 10**15 if case == "beyond int64" else 1  # prices whose products leave int64
    for i in range(300):
        buyer, seller = rng.choice(len(accounts), 2, replace=False)
        fill = Fill(
            i,
            CONTRACTS[int(rng.integers(0, 4))],
            int(rng.integers(1, 500)) * big,
            int(rng.integers(1, 50)),
            accounts[buyer],
            accounts[seller],
        )
        for book in books:
            book.apply_fills([fill])
    marked = CONTRACTS[:3] if case == "one unmarked" else CONTRACTS
    for day in range(3):
        marks = {c: (int(rng.integers(1, 500)) * big, 0 if day == 0 else 250 * big) for c in marked}
        weights = {c: 10_000 * (j + 1) for j, c in enumerate(marked)}
        probe = copy.deepcopy(books[0])
        applies = mark_columns(probe._position, probe._settled, probe._cost, marks, weights)
        assert (applies is not None) == (case == "all marked")
        fast = books[0].mark_all(marks, weights)
        plain = books[1].mark_all(marks, weights, columns=False)
        assert fast == plain
        assert fast[0]  # positions moved
        assert all(v == 0 for v in fast[1].values())
        for account in accounts:
            for contract in CONTRACTS:
                # the bases were reset alike: the next mark of each position agrees
                assert books[0].mark(account, contract, 300, 250) == books[1].mark(
                    account, contract, 300, 250
                )


def test_positions_matrix_matches_a_plain_loop() -> None:
    rng = np.random.default_rng(11)
    book = PositionBook()
    names = [f"a{i}" for i in range(30)]
    for i in range(200):
        buyer, seller = rng.choice(len(names), 2, replace=False)
        contract = (*CONTRACTS, "K")[int(rng.integers(0, 5))]
        book.apply_fills(
            [Fill(i, contract, 100, int(rng.integers(1, 9)), names[buyer], names[seller])]
        )
    accounts = [*names[5:], "nobody"]  # some held accounts left out, one never seen
    contracts = ["G", "F", "J", "X"]  # another order, one never traded, K left out
    expected = np.array([[book.position(a, c) for c in contracts] for a in accounts], float)
    assert np.array_equal(book.matrix(accounts, contracts), expected)
    assert book.matrix([], contracts).shape == (0, 4)
    assert PositionBook().matrix(accounts, contracts).sum() == 0
