"""Shared fixtures of the exchange tests: every engine test runs on the fast and the naive book."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from exchange_helpers import Market

from tokenfutures.exchange import FastBook, ReferenceBook
from tokenfutures.exchange.state import BookFactory


@pytest.fixture(params=[FastBook, ReferenceBook], ids=["fast", "reference"])
def book_factory(request: pytest.FixtureRequest) -> BookFactory:
    """Both book implementations, so every test is a test of each."""
    factory: BookFactory = request.param
    return factory


@pytest.fixture
def market(book_factory: BookFactory) -> Market:
    """A listed contract in continuous trading with an empty book."""
    m = Market(book_factory)
    m.open()
    return m


@pytest.fixture
def make_market(book_factory: BookFactory) -> Callable[..., Market]:
    """Build a listed (closed) market with overridden rules."""

    def build(**overrides: Any) -> Market:
        return Market(book_factory, **overrides)

    return build
