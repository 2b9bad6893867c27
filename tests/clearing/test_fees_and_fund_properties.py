"""Properties: fees and the default fund move money, never make it (ADR 0411, 0412).

Over random trades (maker, taker or auction prints), random fee schedules (rebates included)
and end-of-day runs: the fee accounts hold exactly the fees re-priced here from the trades,
the default fund holds each member's Cover-2 share, and Σ member cash + fees collected +
default fund = the deposits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.clearing.fees import FeeBook, bill_fees_by_rates
from tokenfutures.clearing.fund_collection import FundInputs
from tokenfutures.clearing.ledger import (
    FEES_ACCOUNT,
    TRADING_FEES_ACCOUNT,
    AccountKind,
    collateral,
    default_fund,
)
from tokenfutures.clearing.margin import span_from_volatility
from tokenfutures.clearing.margin.base import money_up, money_up_many
from tokenfutures.clearing.settlement import settle_day
from tokenfutures.contracts.fee_schedule import FeeRates
from tokenfutures.exchange import Side, Trade

from .helpers import house_with

ACCOUNTS = ("A", "B", "C", "D")
CONTRACTS = ("F", "G")
DEADLINE = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
MICRO = Decimal("0.000001")


rates = st.integers(0, 80).flatmap(
    lambda taker: st.builds(
        lambda maker, clearing: FeeRates(maker * MICRO, taker * MICRO, clearing * MICRO),
        st.integers(-taker, 50),  # a rebate never beyond the taker fee
        st.integers(0, 30),
    )
)
trade = st.tuples(
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 1),
    st.integers(150, 250),
    st.integers(1, 30),
    st.sampled_from([Side.BUY, Side.SELL, None]),
)
day = st.tuples(
    st.lists(trade, max_size=12), st.tuples(st.integers(100, 300), st.integers(100, 300))
)


def reference_fees(prints: list[Trade], schedule: dict[str, FeeRates]) -> dict[str, Decimal]:
    """Each account's fees, trade by trade: taker and maker rates by role, clearing both sides."""
    owed = dict.fromkeys(ACCOUNTS, Decimal(0))
    for p in prints:
        r = schedule[p.contract]
        buyer_rate = r.maker if p.aggressor_side is Side.SELL else r.taker
        seller_rate = r.maker if p.aggressor_side is Side.BUY else r.taker
        owed[p.buyer] += p.quantity * (buyer_rate + r.clearing)
        owed[p.seller] += p.quantity * (seller_rate + r.clearing)
    return owed


@settings(max_examples=60, deadline=None)
@given(
    deposits=st.lists(st.integers(50, 5_000), min_size=4, max_size=4),
    days=st.lists(day, min_size=1, max_size=4),
    schedule=st.tuples(rates, rates),
)
def test_fees_and_default_fund_conserve_money(
    deposits: list[int],
    days: list[tuple[list[tuple[int, int, int, int, int, Side | None]], tuple[int, int]]],
    schedule: tuple[FeeRates, FeeRates],
) -> None:
    house = house_with(*CONTRACTS)
    for account, cash in zip(ACCOUNTS, deposits, strict=True):
        house.deposit(account, Decimal(cash))
    deposited = Decimal(sum(deposits))
    by_contract = dict(zip(CONTRACTS, schedule, strict=True))
    book, prints = FeeBook(), list[Trade]()
    for n, (trades, (pf, pg)) in enumerate(days):
        today = [  # the exchange's own trade events (order ids and seq do not matter here)
            Trade(k, CONTRACTS[c], price, qty, ACCOUNTS[b], ACCOUNTS[s], 0, 0, side, k, DEADLINE)
            for k, (b, s, c, price, qty, side) in enumerate(trades, start=len(prints))
        ]
        house.apply_fills(today)
        book.accrue(today)
        prints += today
        charged = bill_fees_by_rates(house, book, by_contract, f"day {n}")
        owed_today = reference_fees(today, by_contract)
        traded = {p.buyer for p in today} | {p.seller for p in today}
        assert {a: c.total for a, c in charged.items()} == {a: owed_today[a] for a in traded}
        prices = np.array([pf, pg]) / 100  # USD a lot: 0.01 a tick, one lot
        method = span_from_volatility(CONTRACTS, prices, np.array([0.5, 0.4]))
        report = settle_day(
            house, {"F": pf, "G": pg}, method, DEADLINE, fund=FundInputs(ACCOUNTS, prices, "d")
        )
        sizing = report.default_fund
        assert sizing is not None
        fund = {a: house.ledger.balance(default_fund(a)) for a in ACCOUNTS}
        assert fund == dict(zip(sizing.members, sizing.contributions, strict=True))
        assert sum(fund.values()) >= sizing.cover2 >= max(sizing.uncollateralised, default=0)
        owed = reference_fees(prints, by_contract)
        collected = house.ledger.balance(TRADING_FEES_ACCOUNT) + house.ledger.balance(FEES_ACCOUNT)
        assert collected == sum(owed.values())
        cash = sum((house.ledger.balance(collateral(a)) for a in ACCOUNTS), Decimal(0))
        assert cash + collected + sum(fund.values()) == deposited
        named = (AccountKind.EXTERNAL, AccountKind.COLLATERAL, AccountKind.FEES)
        others = [
            house.ledger.balance(a)
            for k in AccountKind
            if k not in (*named, AccountKind.DEFAULT_FUND)
            for a in house.ledger.accounts(k)
        ]
        assert not any(others)  # no other house account holds money in this market


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.floats(-1e3, 1e9, allow_nan=False), max_size=20))
def test_money_up_many_rounds_like_money_up(values: list[float]) -> None:
    assert money_up_many(np.array(values)) == [money_up(v) for v in values]
