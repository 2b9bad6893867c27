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


def test_entries_is_a_live_read_only_view_of_the_journal() -> None:
    ledger = Ledger()
    view = ledger.entries
    assert len(view) == 0
    assert list(view) == []
    ledger.post(transfer(external("A"), collateral("A"), Decimal("100"), "deposit"))
    ledger.post(transfer(collateral("A"), FEES_ACCOUNT, Decimal("0.25"), "fee"))
    ledger.post(transfer(collateral("A"), external("A"), Decimal("10"), "withdrawal"))
    assert len(view) == 3  # live: the view taken before the posts sees them
    assert [e.memo for e in view] == ["deposit", "fee", "withdrawal"]
    assert view[-1].memo == "withdrawal"
    assert view[0] is ledger.journal[0]
    assert [e.memo for e in view[1:]] == ["fee", "withdrawal"]  # only the entries from 1 on
    assert isinstance(view[1:], tuple)
    assert view[3:] == ()
    assert tuple(view) == ledger.journal
    with pytest.raises(IndexError):
        view[3]
    for mutate in ("append", "extend", "pop", "insert", "clear"):
        assert not hasattr(view, mutate)
    with pytest.raises(TypeError):
        view[0] = view[1]  # type: ignore[index]
    with pytest.raises(AttributeError):
        view.x = 1  # type: ignore[attr-defined]
    assert ledger.total() == 0
    assert ledger.balance(collateral("A")) == Decimal("89.75")
