"""Which contracts trade on a day, and the first prior settlement of a newly listed one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from tokenfutures.contracts import parse_symbol, product_spec, trading_contracts
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_money
from tokenfutures.venue.state import VenueState


def symbols_trading(products: Sequence[str], day: date) -> list[str]:
    """Symbols of ``products`` open for trading on ``day`` (contracts' listing calendar)."""
    symbols: list[str] = []
    for product in products:
        symbols.extend(str(s) for s in trading_contracts(product_spec(product), day))
    return symbols


def _ticks(price: Decimal, tick: Decimal) -> int:
    ticks = int(round_money(price, quantum=tick) / tick)
    if ticks <= 0:
        raise InvalidParameterError("reference_price", price, "at least one tick")
    return ticks


def first_prior_ticks(state: VenueState, symbol: str, reference_price: Decimal | None) -> int:
    """The nearest listed neighbour's mark, else the latest TPI fix, else ``reference_price``."""
    parsed = parse_symbol(symbol)
    spec = product_spec(parsed.product)
    neighbours = []
    for listed, product in state.products.items():
        if product != parsed.product or listed in state.house.expired:
            continue
        distance = abs(parse_symbol(listed).delivery.index - parsed.delivery.index)
        price = state.house.marks.get(listed, state.exchange.contracts[listed].prior_settlement)
        neighbours.append((distance, listed, price))
    if neighbours:
        return min(neighbours)[2]
    if parsed.product == "SIT":
        levels = [f.level for _, f in sorted(state.fixes.items()) if f.level is not None]
        if levels:
            return _ticks(levels[-1], spec.tick_size)
    if reference_price is not None:
        return _ticks(reference_price, spec.tick_size)
    raise InvalidParameterError(
        "reference_price", None, f"a price for {symbol}: no TPI fix or listed neighbour yet"
    )
