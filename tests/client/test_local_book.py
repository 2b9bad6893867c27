"""LocalBook folds a contract's market-data frames: snapshot first, then level changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tokenfutures.client import ClientError, LocalBook


def _level(side: str, price: str, qty: int) -> dict[str, object]:
    return {"type": "book", "data": {"side": side, "price": price, "quantity": qty}}


def test_snapshot_then_deltas() -> None:
    book = LocalBook("SITH26")
    book.apply(
        {
            "type": "snapshot",
            "venue_seq": 3,
            "data": {
                "contract": "SITH26",
                "phase": "CONTINUOUS",
                "last_price": None,
                "levels": [{"side": "buy", "price": "2.49", "quantity": 2}],
            },
        }
    )
    book.apply(_level("sell", "2.52", 4))
    book.apply(_level("sell", "2.51", 1))
    book.apply(_level("buy", "2.50", 3))
    book.apply(_level("buy", "2.49", 0))
    book.apply({"type": "trade", "data": {"price": "2.51"}})
    assert book.bids() == [(Decimal("2.50"), 3)]
    assert book.asks() == [(Decimal("2.51"), 1), (Decimal("2.52"), 4)]
    assert (book.best_bid(), book.best_ask(), book.last_price) == (
        Decimal("2.50"),
        Decimal("2.51"),
        Decimal("2.51"),
    )


def test_a_delta_before_the_snapshot_or_a_foreign_snapshot_is_refused() -> None:
    book = LocalBook("SITH26")
    with pytest.raises(ClientError, match="snapshot"):
        book.apply(_level("buy", "2.50", 1))
    with pytest.raises(ClientError, match="expected 'SITH26'"):
        book.apply({"type": "snapshot", "data": {"contract": "SITJ26", "levels": []}})
