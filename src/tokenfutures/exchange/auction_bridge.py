"""Adapter from the engine's book to the pure session functions (auction, limits, settlement).

The engine keeps orders; ``auction.py``, ``limits.py`` and ``settlement_price.py`` are pure
functions of plain numbers. This module turns one into the other and nothing more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tokenfutures.exchange import auction, limits, settlement_price
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
    """(halt low, halt high, session low, session high) trade-price limits, via ``limits``."""
    tiers = limits.limit_prices(
        prior,
        limits.LimitRules(
            rules.limit_halt_fraction, rules.limit_session_fraction, rules.halt_minutes
        ),
    )
    return tiers.halt_low, tiers.halt_high, tiers.session_low, tiers.session_high


def settlement(
    cs: ContractState,
    ts: datetime,
    neighbour_change_ticks: int | None = None,
    fair_value_ticks: int | None = None,
) -> settlement_price.SettlementPrice | None:
    """Daily settlement price of ``cs`` at ``ts`` from its session trades and best bid/offer."""
    bid, ask = cs.book.best_bid(), cs.book.best_ask()
    crossed = bid is not None and ask is not None and bid > ask
    bbo = None if crossed else settlement_price.BestBidOffer(bid, ask)
    return settlement_price.daily_settlement_price(
        settlement_time=ts,
        trades=cs.session_trades,
        bbo=bbo,
        prior_settlement_ticks=cs.prior_settlement,
        neighbour_change_ticks=neighbour_change_ticks,
        fair_value_ticks=fair_value_ticks,
        rules=settlement_price.SettlementRules(
            window=timedelta(minutes=cs.rules.settlement_window_minutes)
        ),
    )
