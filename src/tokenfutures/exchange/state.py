"""Mutable engine state: contracts with their books, counters, client-id registry and timers.

The caller owns the state: ``apply`` mutates it in place and returns it (for speed). Replay
plus the state hash (``replay.state_hash``) make that safe: the same log rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tokenfutures.exchange.book import FastBook
from tokenfutures.exchange.limits import PriceBand
from tokenfutures.exchange.order import Book, Order
from tokenfutures.exchange.rules import InstrumentRules
from tokenfutures.exchange.types import Phase

BookFactory = Callable[[], Book]

#: Timer kinds, in the order they fire at the same instant.
TIMER_HALT_END = 0
TIMER_GTD_EXPIRY = 1


def price_band(rules: InstrumentRules) -> PriceBand | None:
    """The dynamic band of ``rules`` (ticks win over a fraction); None when there is no band."""
    if rules.band_ticks is not None:
        return PriceBand(ticks=rules.band_ticks)
    if rules.band_fraction is not None:
        return PriceBand(fraction=rules.band_fraction)
    return None


class ContractState:
    """One contract: rules, book, phase, pending stops, last price, limits and bands."""

    __slots__ = (
        "band",
        "band_hi",
        "band_lo",
        "band_widths",
        "book",
        "halt_until",
        "last_price",
        "limit_hi",
        "limit_lo",
        "limit_stage",
        "phase",
        "prior_settlement",
        "rules",
        "session_hi",
        "session_lo",
        "session_trades",
        "settlement_price",
        "step",
        "stops",
        "symbol",
    )

    def __init__(self, rules: InstrumentRules, book: Book) -> None:
        self.rules = rules
        self.symbol = rules.symbol
        self.step = rules.price_step_ticks
        self.book = book
        self.phase = Phase.CLOSED
        self.stops: dict[int, Order] = {}
        self.last_price: int | None = None
        self.prior_settlement = rules.prior_settlement_ticks
        self.settlement_price: int | None = None
        self.halt_until: datetime | None = None
        self.limit_stage = 0
        self.limit_lo = 0
        self.limit_hi = 0
        self.session_lo = 0
        self.session_hi = 0
        self.band_lo = 0
        self.band_hi = 0
        self.band = price_band(rules)
        self.band_widths: dict[int, int] = {}
        self.session_trades: list[tuple[datetime, int, int]] = []


class ExchangeState:
    """Everything the engine knows; built empty and grown only by ``apply``."""

    __slots__ = (
        "book_factory",
        "client_ids",
        "contracts",
        "last_ts",
        "next_order_id",
        "next_priority",
        "next_trade_id",
        "seq",
        "timer_seq",
        "timers",
    )

    def __init__(self, book_factory: BookFactory = FastBook) -> None:
        self.book_factory = book_factory
        self.contracts: dict[str, ContractState] = {}
        self.client_ids: set[tuple[str, str]] = set()
        self.next_order_id = 1
        self.next_trade_id = 1
        self.next_priority = 1
        self.seq = 0
        self.timer_seq = 0
        self.timers: list[tuple[datetime, int, int, str, int]] = []
        self.last_ts: datetime | None = None
