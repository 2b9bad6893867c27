"""Property tests: money is conserved, positions net to zero, settled accounts are margined or called."""

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tokenfutures.clearing.defaults import manage_default
from tokenfutures.clearing.final import final_settlement
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import AccountKind
from tokenfutures.clearing.margin import span_from_volatility
from tokenfutures.clearing.settlement import settle_day, unmet_calls

from .helpers import Fill, house_with

ACCOUNTS = ["A", "B", "C", "D"]
CONTRACTS = ("F", "G")
DEADLINE = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)

fill = st.tuples(
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 1),
    st.integers(150, 250),
    st.integers(1, 30),
)
day = st.tuples(
    st.lists(fill, max_size=12), st.tuples(st.integers(100, 300), st.integers(100, 300))
)


def money_inside(house: ClearingHouse) -> Decimal:
    """Everything the CCP holds: all accounts except the parties' outside money."""
    return -sum(
        (house.ledger.balance(a) for a in house.ledger.accounts(AccountKind.EXTERNAL)), Decimal(0)
    )


def check_invariants(house: ClearingHouse, deposited: Decimal) -> None:
    assert house.ledger.total() == 0
    inside = sum(
        (
            house.ledger.balance(a)
            for k in AccountKind
            if k is not AccountKind.EXTERNAL
            for a in house.ledger.accounts(k)
        ),
        Decimal(0),
    )
    assert inside == money_inside(house) == deposited
    house.book.check_balanced()


@settings(max_examples=40, deadline=None)
@given(
    deposits=st.lists(st.integers(1, 60), min_size=4, max_size=4),
    days=st.lists(day, min_size=1, max_size=4),
    final_prices=st.tuples(st.integers(50, 400), st.integers(50, 400)),
    haircut=st.sampled_from([Decimal(0), Decimal("0.02"), Decimal("0.1")]),
)
def test_conservation_netting_and_margin_status(
    deposits: list[int],
    days: list[tuple[list[tuple[int, int, int, int, int]], tuple[int, int]]],
    final_prices: tuple[int, int],
    haircut: Decimal,
) -> None:
    house = house_with(*CONTRACTS)
    house.fund_ccp(Decimal(50), Decimal(5))
    deposited = Decimal(50)
    for account, cash in zip(ACCOUNTS, deposits, strict=True):
        house.deposit(account, Decimal(cash))
        house.contribute_default_fund(account, Decimal(cash) / 10)
        deposited += Decimal(cash) + Decimal(cash) / 10
    trade_id = 0
    defaults_seen: list[str] = []
    for fills, (pf, pg) in days:
        for b, s, c, price, qty in fills:
            if b != s:
                trade_id += 1
                house.apply_fills(
                    [Fill(trade_id, CONTRACTS[c], price, qty, ACCOUNTS[b], ACCOUNTS[s])]
                )
        method = span_from_volatility(CONTRACTS, np.array([pf, pg]) / 100, np.array([0.5, 0.4]))
        report = settle_day(house, {"F": pf, "G": pg}, method, DEADLINE)
        check_invariants(house, deposited)
        for account, req in report.requirements.items():
            assert house.equity(account) >= req.maintenance or account in house.calls
        # an unmet call past its deadline puts the account into default management
        for defaulter in unmet_calls(house, DEADLINE):
            live = [a for a in ACCOUNTS if a not in house.defaulted and a != defaulter]
            if not live:
                break
            bystanders = {a: house.equity(a) for a in live[1:]}
            result = manage_default(
                house, defaulter, live[0], {"F": pf, "G": pg}, haircut, ACCOUNTS
            )
            # non-defaulters' margin is never used (the winner's changes by its close-out gain)
            assert {a: house.equity(a) for a in live[1:]} == bystanders
            defaults_seen.append(defaulter)
            deposited += sum(result.assessments.values(), Decimal(0))  # new money, called in
            assert house.book.positions_of(defaulter) == {}
            check_invariants(house, deposited)
    for contract, price in zip(CONTRACTS, final_prices, strict=True):
        final_settlement(house, contract, price, house.contract(contract).last_trading_day)
    check_invariants(house, deposited)
    assert all(house.book.positions_of(a) == {} for a in ACCOUNTS)
    event(f"defaults handled: {len(defaults_seen)}")
