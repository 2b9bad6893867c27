"""Client-side parsing of API JSON into typed dataclasses, and the stream sequence checker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tokenfutures.client import Book, ClientError, Contract, SequenceChecker, SequenceGapError
from tokenfutures.client.errors import RateLimitError, error_for
from tokenfutures.client.models import parse
from tokenfutures.client.stream import ws_url


def test_parse_book_converts_decimals_and_nested_levels() -> None:
    book = parse(
        Book,
        {
            "contract": "SIT-2026M07",
            "bids": [{"price": "1.2345", "price_ticks": 12345, "quantity": 3, "orders": 1}],
            "asks": [],
            "last_price": None,
            "phase": "CONTINUOUS",
            "seq": 7,
        },
    )
    assert book.bids[0].price == Decimal("1.2345")
    assert book.bids[0].quantity == 3
    assert book.asks == ()
    assert book.last_price is None


def test_parse_contract_dates() -> None:
    contract = parse(
        Contract,
        {
            "symbol": "SIT-2026M07",
            "product": "SIT",
            "tick_size": "0.0001",
            "last_trading_day": "2026-07-31",
            "expiry": "2026-07-31T16:00:00+00:00",
            "phase": "CLOSED",
            "prior_settlement": "1.5",
        },
    )
    assert contract.last_trading_day == date(2026, 7, 31)
    assert contract.expiry == datetime(2026, 7, 31, 16, tzinfo=UTC)
    assert contract.tick_size == Decimal("0.0001")


def test_parse_refuses_non_objects() -> None:
    with pytest.raises(TypeError, match="JSON object"):
        parse(Book, [1, 2])


def test_sequence_checker_detects_a_gap() -> None:
    checker = SequenceChecker()
    checker.check({"seq": 1})
    checker.check({"seq": 2})
    with pytest.raises(SequenceGapError) as info:
        checker.check({"seq": 4})
    assert (info.value.expected, info.value.received) == (3, 4)
    with pytest.raises(ClientError, match="seq"):
        checker.check({"type": "delta"})


def test_error_for_maps_status_and_retry_after() -> None:
    error = error_for(429, {"title": "Too many requests"}, "3")
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3.0


def test_ws_url_keeps_path_and_switches_scheme() -> None:
    assert ws_url("https://h:1/base/", "/v1/ws/market", {"contract": "X"}) == (
        "wss://h:1/base/v1/ws/market?contract=X"
    )
