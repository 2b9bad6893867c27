"""Adapter from the engine's book to the pure session functions (auction, limits, settlement).

The engine keeps orders; ``auction.py``, ``limits.py`` and ``settlement_price.py`` are pure
functions of plain numbers. This module turns one into the other and nothing more.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from tokenfutures.exchange.order import Book
from tokenfutures.exchange.rules import InstrumentRules
from tokenfutures.exchange.state import ContractState
from tokenfutures.exchange.types import Side


def aggregated(book: Book, side: Side) -> list[tuple[int, int]]:
    """(price, total open quantity) per level of ``side``, best first."""
    levels: dict[int, int] = {}
    for order in book.in_priority(side):
        levels[order.price] = levels.get(order.price, 0) + order.quantity
    return list(levels.items())


def uncross_price(book: Book) -> int | None:
    """The opening/re-opening auction price, or None when the book does not cross."""
    bid = book.best_bid()
    ask = book.best_ask()
    if bid is None or ask is None or bid < ask:
        return None
    from tokenfutures.exchange import auction  # type: ignore[attr-defined]

    result = auction.uncross(aggregated(book, Side.BUY), aggregated(book, Side.SELL))
    return None if result is None else int(result.price_ticks)


def limit_ticks(rules: InstrumentRules, prior: int) -> tuple[int, int, int, int]:
    """(halt low, halt high, session low, session high) trade-price limits in ticks."""
    base = Decimal(prior)

    def lo(fraction: Decimal) -> int:
        return int((base * (1 - fraction)).to_integral_value(ROUND_CEILING))

    def hi(fraction: Decimal) -> int:
        return int((base * (1 + fraction)).to_integral_value(ROUND_FLOOR))

    halt, session = rules.limit_halt_fraction, rules.limit_session_fraction
    return lo(halt), hi(halt), lo(session), hi(session)


def settlement(cs: ContractState, ts: datetime) -> tuple[int, str] | None:
    """Daily settlement price and the tier that set it, or None when nothing can set it."""
    from tokenfutures.exchange import settlement_price  # type: ignore[attr-defined]

    result = settlement_price.settle(cs, ts)
    return None if result is None else (int(result.price_ticks), str(result.tier))
