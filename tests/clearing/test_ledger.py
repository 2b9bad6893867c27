"""The ledger refuses unbalanced entries and keeps integer micro-USD balances."""

from decimal import Decimal

import pytest

from tokenfutures.clearing.ledger import (
    FEES_ACCOUNT,
    JournalEntry,
    Ledger,
    Posting,
    collateral,
    entry_from_legs,
    external,
    transfer,
)
from tokenfutures.core.errors import InvalidParameterError


def test_unbalanced_entry_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="balanced"):
        JournalEntry(
            "bad",
            (Posting(collateral("A"), Decimal("1.00")), Posting(collateral("B"), Decimal("-0.99"))),
        )


def test_single_leg_and_sub_micro_amounts_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="two legs"):
        JournalEntry("one", (Posting(collateral("A"), Decimal(0)),))
    with pytest.raises(ValueError, match="micro"):
        transfer(collateral("A"), collateral("B"), Decimal("0.0000001"), "dust")


def test_transfers_move_money_and_total_stays_zero() -> None:
    ledger = Ledger()
    ledger.post(transfer(external("A"), collateral("A"), Decimal("100"), "deposit"))
    ledger.post(transfer(collateral("A"), FEES_ACCOUNT, Decimal("0.25"), "fee"))
    assert ledger.balance(collateral("A")) == Decimal("99.75")
    assert ledger.balance(FEES_ACCOUNT) == Decimal("0.25")
    assert ledger.balance(external("A")) == Decimal(-100)
    assert ledger.total() == 0
    assert ledger.balances_micros()[collateral("A")] == 99_750_000
    assert [e.memo for e in ledger.journal] == ["deposit", "fee"]


def test_multi_leg_entry_drops_zero_legs() -> None:
    entry = entry_from_legs(
        "vm",
        {
            collateral("A"): Decimal("1.5"),
            collateral("B"): Decimal("-1.5"),
            collateral("C"): Decimal(0),
        },
    )
    assert len(entry.postings) == 2
