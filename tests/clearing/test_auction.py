"""Default auction rules: the hedge, sealed bids in a window, tie-breaks, penalties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenfutures.clearing.auction import SealedBid, hedge_lots, hedged_book, run_auction
from tokenfutures.core.errors import InvalidParameterError

OPEN = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
VALUES = {"SITZ26": Decimal("3000"), "SITF27": Decimal("2950"), "SITG27": Decimal("2900")}
FUND = {"m1": Decimal("1000"), "m2": Decimal("2000"), "m3": Decimal("555.55")}


def _bid(member: str, amount: str, minutes: int) -> SealedBid:
    return SealedBid(member, Decimal(amount), OPEN + timedelta(minutes=minutes))


def test_hedge_turns_a_long_book_into_a_spread() -> None:
    book = {"SITF27": 10, "SITG27": 5}  # 29,500 + 14,500 = 44,000 USD long
    assert hedge_lots(book, VALUES, "SITZ26") == -14  # 44,000 / 3,000 = 14.67 -> 14
    assert hedged_book(book, VALUES, "SITZ26") == {"SITF27": 10, "SITG27": 5, "SITZ26": -14}
    assert hedged_book({"SITZ26": 3}, VALUES, "SITZ26") == {}
    with pytest.raises(InvalidParameterError):
        hedge_lots(book, VALUES, "SITH27")


@given(st.dictionaries(st.sampled_from(sorted(VALUES)), st.integers(-500, 500)))
def test_hedge_never_overshoots(book: dict[str, int]) -> None:
    before = sum(q * VALUES[c] for c, q in book.items())
    after = sum(q * VALUES[c] for c, q in hedged_book(book, VALUES, "SITZ26").items())
    assert abs(after) < VALUES["SITZ26"]
    assert after == 0 or (after > 0) == (before > 0)


def test_highest_bid_wins_and_non_bidders_pay() -> None:
    bids = [_bid("m1", "-500", 5), _bid("m2", "-200", 10), _bid("m2", "-800", 20)]
    result = run_auction(bids, ["m1", "m2", "m3"], OPEN, FUND)
    # m2 replaced its bid: its last one (-800) counts, so m1's -500 is best
    assert (result.winner, result.amount) == ("m1", Decimal("-500"))
    assert result.bids_counted == 2
    assert result.penalties == {"m3": Decimal("55.55")}  # 10 % of 555.55, rounded down
    assert not result.failed


def test_ties_go_to_the_earlier_bid_and_late_or_uninvited_bids_are_refused() -> None:
    bids = [
        _bid("m2", "100", 30),
        _bid("m1", "100", 40),
        _bid("m3", "900", 60),  # the window is [09:00, 10:00): too late
        _bid("outsider", "5000", 1),
        _bid("m3", "50", -1),  # before the auction opened
    ]
    result = run_auction(bids, ["m1", "m2", "m3"], OPEN, FUND)
    assert result.winner == "m2"
    assert result.bids_refused == 3
    assert result.penalties == {"m3": Decimal("55.55")}


def test_no_bid_is_a_failed_auction_and_everyone_pays() -> None:
    result = run_auction([], ["m1", "m2"], OPEN, FUND)
    assert result.failed
    assert result.amount is None
    assert result.penalties == {"m1": Decimal("100.00"), "m2": Decimal("200.00")}
    with pytest.raises(InvalidParameterError):
        run_auction([], ["m1"], OPEN, FUND, window=timedelta(0))
