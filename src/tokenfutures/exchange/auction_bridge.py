"""Adapter from the engine's book to the pure session functions (auction, limits, settlement).

The engine keeps orders; ``auction.py``, ``limits.py`` and ``settlement_price.py`` are pure
functions of plain numbers. This module turns one into the other and nothing more.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from tokenfutures.exchange import auction
from tokenfutures.exchange.order import Book, Order
from tokenfutures.exchange.rules import InstrumentRules
from tokenfutures.exchange.state import ContractState
from tokenfutures.exchange.types import Side


def run_auction(book: Book, reference: int) -> tuple[int, list[tuple[Order, Order, int]]] | None:
    """Uncross ``book`` with ``auction.uncross``: the price and (buy, sell, lots) pairings.

    None when the book does not cross. Every open lot takes part (iceberg reserves too).
    """
    bid = book.best_bid()
    ask = book.best_ask()
    if bid is None or ask is None or bid < ask:
        return None
    buys = list(book.in_priority(Side.BUY))
    sells = list(book.in_priority(Side.SELL))
    result = auction.uncross(
        [(o.price, o.quantity, o.priority) for o in buys],
        [(o.price, o.quantity, o.priority) for o in sells],
        reference,
    )
    if result is None:
        return None
    pairs = [(buys[m.bid_index], sells[m.ask_index], m.quantity) for m in result.matches()]
    return result.price_ticks, pairs


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
