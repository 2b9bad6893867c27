"""Which contracts trade on a day, and the first prior settlement of a newly listed one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from tokenfutures.contracts import listed_version, parse_symbol, product_spec, trading_contracts
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_money
from tokenfutures.exchange import CloseMarket, OpenMarket, Phase, StartSession
from tokenfutures.venue.commands import ListInstrument, VenueCommand
from tokenfutures.venue.state import VenueState

#: Placeholder time of a command built here; the sequencer stamps the real one.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


def version_of(product: str, versions: Mapping[str, str] | None) -> str:
    """The spec version to list ``product`` under: ``versions``' choice, else the listed one."""
    chosen = (versions or {}).get(product.upper())
    return chosen if chosen is not None else listed_version(product)


def first_prior_ticks(
    state: VenueState, symbol: str, reference_price: Decimal | None, version: str | None = None
) -> int:
    """The nearest listed neighbour's mark, else the latest TPI fix, else ``reference_price``.

    A neighbour listed under another spec version is converted through its price, so a
    re-based tick (ADR 0306) never inherits the old contract's tick count.
    """
    parsed = parse_symbol(symbol)
    spec = product_spec(parsed.product, version)
    neighbours = []
    for listed, product in state.products.items():
        if product != parsed.product or listed in state.house.expired:
            continue
        distance = abs(parse_symbol(listed).delivery.index - parsed.delivery.index)
        price = state.house.marks.get(listed, state.exchange.contracts[listed].prior_settlement)
        neighbours.append((distance, listed, price * state.spec_of(listed).tick_size))
    if neighbours:
        return _ticks(min(neighbours)[2], spec.tick_size)
    if parsed.product == "SIT":
        levels = [f.level for _, f in sorted(state.fixes.items()) if f.level is not None]
        if levels:
            return _ticks(levels[-1], spec.tick_size)
    if reference_price is not None:
        return _ticks(reference_price, spec.tick_size)
    raise InvalidParameterError(
        "reference_price", None, f"a price for {symbol}: no TPI fix or listed neighbour yet"
    )


def listing_commands(
    state: VenueState,
    symbols: Sequence[str],
    reference_price: Decimal | None,
    versions: Mapping[str, str] | None = None,
) -> list[VenueCommand]:
    """``ListInstrument`` for each of ``symbols`` the venue has not listed yet.

    Each is listed under ``versions``' spec version of its product, else the listed one.
    """
    commands: list[VenueCommand] = []
    for s in symbols:
        if s in state.exchange.contracts:
            continue
        version = version_of(parse_symbol(s).product, versions)
        prior = first_prior_ticks(state, s, reference_price, version)
        commands.append(ListInstrument(EPOCH, s, prior, version))
    return commands


def opening_commands(
    state: VenueState, symbols: Sequence[str], _reference_price: Decimal | None = None
) -> list[VenueCommand]:
    """``StartSession`` (prior settlement: the last one) and ``OpenMarket`` where still closed."""
    commands: list[VenueCommand] = []
    for symbol in symbols:
        phase = state.exchange.contracts[symbol].phase
        if phase == Phase.CLOSED:
            commands.append(StartSession(EPOCH, symbol))
        if phase in (Phase.CLOSED, Phase.PRE_OPEN):
            commands.append(OpenMarket(EPOCH, symbol))
    return commands


def closing_commands(state: VenueState) -> list[VenueCommand]:
    """``CloseMarket`` for every contract in pre-open, continuous trading or a halt."""
    return [
        CloseMarket(EPOCH, s)
        for s, cs in sorted(state.exchange.contracts.items())
        if cs.phase in (Phase.PRE_OPEN, Phase.CONTINUOUS, Phase.HALTED)
    ]
