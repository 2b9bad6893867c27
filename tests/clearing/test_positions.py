"""Positions fold from fills; variation margin at a mark is exact integer arithmetic."""

import pytest

from tokenfutures.clearing.positions import PositionBook
from tokenfutures.core.errors import InvalidParameterError, InvariantError

from .helpers import Fill


def test_positions_open_interest_and_net_zero() -> None:
    book = PositionBook()
    book.apply_fills(
        [
            Fill(1, "F", 200, 5, "A", "B"),
            Fill(2, "F", 201, 2, "B", "C"),
            Fill(3, "G", 190, 1, "C", "A"),
        ]
    )
    assert book.position("A", "F") == 5
    assert book.position("B", "F") == -3
    assert book.position("C", "F") == -2
    assert book.positions_of("A") == {"F": 5, "G": -1}
    assert book.open_interest("F") == 5
    assert book.net("F") == 0
    book.check_balanced()
    assert book.traded_lots("B") == 7


def test_variation_margin_at_marks() -> None:
    book = PositionBook()
    book.apply_fills([Fill(1, "F", 200, 5, "A", "B")])
    # first mark at 210: A gains 5 × 10 ticks
    assert book.mark("A", "F", 210, 0) == 50
    assert book.mark("B", "F", 210, 0) == -50
    # A sells 2 at 215, mark at 205: 3 held lots lose 5 ticks each, 2 sold lots gained 5 each
    book.apply_fills([Fill(2, "F", 215, 2, "B", "A")])
    assert book.mark("A", "F", 205, 210) == 3 * (205 - 210) + 2 * (215 - 210)


def test_bad_fill_quantity_or_price_is_refused() -> None:
    book = PositionBook()
    with pytest.raises(InvalidParameterError, match="quantity"):
        book.apply_fills([Fill(1, "F", 200, 2, "A", "B"), Fill(2, "F", 200, 0, "A", "B")])
    assert book.fills_applied == 1
    assert book.position("A", "F") == 2
    with pytest.raises(InvalidParameterError, match="price_ticks"):
        book.apply_fills([Fill(3, "F", 0, 1, "A", "B")])


def test_close_contract_with_unsettled_cost_is_a_bug() -> None:
    book = PositionBook()
    book.apply_fills([Fill(1, "F", 200, 1, "A", "B")])
    with pytest.raises(InvariantError):
        book.close_contract("F", 100)
