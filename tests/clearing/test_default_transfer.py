"""The defaulter's book through the CCP: take-over, award, penalties and the waterfall.

Hand-computed on tick 0.01 USD x 1 lot: 100 lots at 200 ticks are worth 200.00 USD.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenfutures.clearing.auction import forced_allocation
from tokenfutures.clearing.default_transfer import (
    CCP_HOUSE,
    PENALTY_ACCOUNT,
    allocation_payments,
    award,
    take_over,
)
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import SKIN_ACCOUNT, default_fund
from tokenfutures.core.errors import InvalidParameterError

from .helpers import funded_house

MEMBERS = ["B", "C", "D"]


def _house() -> ClearingHouse:
    """A long 100 F from B at 200, marked at 200; funds: A 3, B 4, C 4, D 2; skin 2."""
    house = funded_house()
    house.marks["F"] = 200
    return house


def _total(house: ClearingHouse) -> Decimal:
    balances = house.ledger.balances_micros()
    return Decimal(sum(balances.values()))


def test_take_over_moves_the_book_to_the_ccp_at_the_mark_without_pnl() -> None:
    house = _house()
    assert take_over(house, "A") == {"F": 100}
    assert house.book.position("A", "F") == 0
    assert house.book.position(CCP_HOUSE, "F") == 100
    assert house.equity("A") == Decimal(10)
    assert "A" in house.defaulted
    house.book.check_balanced()


def test_take_over_needs_a_mark_for_every_position() -> None:
    house = _house()
    del house.marks["F"]
    with pytest.raises(InvalidParameterError, match="last mark"):
        take_over(house, "A")
    assert "A" not in house.defaulted


def test_a_winning_bid_below_zero_is_a_loss_covered_layer_by_layer() -> None:
    house = _house()
    take_over(house, "A")
    # C asks to be paid 25.00 for the book; D did not bid and owes 10 % of its 2.00 fund
    result = award(
        house, "A", {"C": {"F": 100}}, {"C": Decimal(-25)}, {"D": Decimal("0.20")}, MEMBERS
    )
    assert house.book.position("C", "F") == 100
    assert house.book.position(CCP_HOUSE, "F") == 0
    assert house.equity("C") == Decimal(125)
    # 25.00 lost: A's margin 10, A's fund 3, skin 2, D's penalty 0.20, then B, C, D's funds
    assert result.closeout_loss == Decimal(25)
    assert result.defaulter_margin == Decimal(10)
    assert result.defaulter_fund == Decimal(3)
    assert result.skin_in_the_game == Decimal(2)
    assert result.penalties == Decimal("0.20")
    assert result.mutualised_fund == {"B": Decimal(4), "C": Decimal(4), "D": Decimal("1.80")}
    assert result.assessments == {}
    assert result.uncovered == 0
    assert house.equity("A") == 0
    assert house.ledger.balance(SKIN_ACCOUNT) == 0
    assert house.ledger.balance(default_fund("D")) == 0
    assert house.ledger.balance(PENALTY_ACCOUNT) == 0
    assert _total(house) == 0  # double entry: nothing created, nothing lost


def test_a_positive_bid_pays_the_defaulter_and_penalties_stay_with_the_ccp() -> None:
    house = _house()
    take_over(house, "A")
    result = award(
        house, "A", {"B": {"F": 100}}, {"B": Decimal(5)}, {"C": Decimal("0.40")}, MEMBERS
    )
    assert house.book.position("B", "F") == 0  # B was short 100: now flat
    assert house.equity("A") == Decimal(15)
    assert house.equity("B") == Decimal(95)
    assert result.closeout_loss == 0
    assert result.uncovered == 0
    assert result.penalties == 0  # no loss reached them
    assert house.ledger.balance(PENALTY_ACCOUNT) == Decimal("0.40")
    assert house.ledger.balance(default_fund("C")) == Decimal("3.60")


def test_a_forced_allocation_is_paid_the_haircut_by_the_defaulter() -> None:
    house = _house()
    take_over(house, "A")
    allocation = forced_allocation({"F": 100}, {"B": Decimal(1), "C": Decimal(3)})
    assert allocation == {"B": {"F": 25}, "C": {"F": 75}}
    payments = allocation_payments(house, allocation, Decimal("0.02"))
    assert payments == {"B": Decimal("-1.00"), "C": Decimal("-3.00")}  # 2 % of 50.00, 150.00
    award(house, "A", allocation, payments, {}, MEMBERS)
    assert house.equity("A") == Decimal(6)


@given(
    st.dictionaries(st.sampled_from(["F", "G", "H"]), st.integers(-1000, 1000)),
    st.dictionaries(st.sampled_from(["m1", "m2", "m3", "m4"]), st.integers(0, 10**6).map(Decimal)),
)
def test_a_forced_allocation_hands_out_every_lot_on_the_defaulter_side(
    book: dict[str, int], weights: dict[str, Decimal]
) -> None:
    allocation = forced_allocation(book, weights)
    if not any(w > 0 for w in weights.values()):
        assert allocation == {}
        return
    for contract, qty in book.items():
        given = [lots.get(contract, 0) for lots in allocation.values()]
        assert sum(given) == qty
        assert all(g * qty >= 0 for g in given)
    assert all(weights[m] > 0 for m in allocation)


@given(
    st.sampled_from(["B", "C", "D"]),
    st.integers(-20_000, 2_000).map(lambda c: Decimal(c) / 100),
    st.dictionaries(st.sampled_from(["B", "C", "D"]), st.integers(0, 300).map(Decimal)),
)
def test_an_award_touches_no_other_members_collateral_and_reports_what_is_left(
    winner: str, amount: Decimal, penalty_cents: dict[str, Decimal]
) -> None:
    house = _house()
    take_over(house, "A")
    before = {m: house.equity(m) for m in MEMBERS}
    penalties = {m: c / 100 for m, c in penalty_cents.items() if m != winner}
    result = award(house, "A", {winner: {"F": 100}}, {winner: amount}, penalties, MEMBERS)
    for member in MEMBERS:  # margin of non-defaulters is never used (EMIR Art. 45)
        expected = before[member] - (amount if member == winner else 0)
        assert house.equity(member) == expected
    funds = [house.ledger.balance(default_fund(m)) for m in ["A", *MEMBERS]]
    if result.uncovered > 0:  # a loss is left uncovered only once every layer is spent
        assert house.ledger.balance(SKIN_ACCOUNT) == 0
        assert funds == [0, 0, 0, 0]
        assert house.ledger.balance(PENALTY_ACCOUNT) == 0
    else:
        assert house.equity("A") >= 0
    assert result.penalties <= sum(penalties.values())
    assert _total(house) == 0
    house.book.check_balanced()
