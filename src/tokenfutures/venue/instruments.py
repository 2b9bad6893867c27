"""Map a contract spec and symbol onto what the engine and clearing need.

The contracts area owns the spec (versioned data); the exchange sees ``InstrumentRules`` and
clearing a ``ClearedContract``. These two functions are the only place that translates.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.contracts import ContractSpec, ContractSymbol, last_trading_day, parse_symbol
from tokenfutures.contracts.spec import HaltKind
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import InstrumentRules


def _symbol(symbol: ContractSymbol | str) -> ContractSymbol:
    return parse_symbol(symbol) if isinstance(symbol, str) else symbol


def expiry_instant(spec: ContractSpec, symbol: ContractSymbol | str) -> datetime:
    """The close of the contract's last trading day (UTC): the engine expires it there."""
    ltd = last_trading_day(spec, _symbol(symbol))
    closes = spec.session.bounds(ltd)[1]
    return closes.astimezone(UTC)


def instrument_rules(
    spec: ContractSpec, symbol: ContractSymbol | str, prior_settlement_ticks: int
) -> InstrumentRules:
    """The engine's rules for ``symbol``: tick, limit tiers, halt minutes, window, expiry.

    Parameters
    ----------
    spec : ContractSpec
        The product's spec (tick size, price-limit tiers, settlement window).
    symbol : ContractSymbol or str
        The contract, e.g. ``"SITZ26"``.
    prior_settlement_ticks : int
        The prior daily settlement price in ticks (reference of limits and bands).
    """
    parsed = _symbol(symbol)
    if parsed.product != spec.product:
        raise InvalidParameterError("symbol", str(parsed), f"a {spec.product} contract")
    tiers = spec.price_limit_tiers
    if not tiers:
        raise InvalidParameterError("spec", spec.product, "at least one price-limit tier")
    halt_tier = tiers[0]
    session_tier = tiers[-1]
    halt_minutes = halt_tier.halt_minutes if halt_tier.halt is HaltKind.MINUTES else None
    window_minutes = max(1, int(spec.session.settlement_window.total_seconds() // 60))
    return InstrumentRules(
        symbol=str(parsed),
        tick_size=spec.tick_size,
        prior_settlement_ticks=prior_settlement_ticks,
        expiry=expiry_instant(spec, parsed),
        limit_halt_fraction=halt_tier.fraction,
        limit_session_fraction=session_tier.fraction,
        halt_minutes=halt_minutes or 10,
        settlement_window_minutes=window_minutes,
    )


def cleared_contract(spec: ContractSpec, symbol: ContractSymbol | str) -> ClearedContract:
    """Clearing's view of ``symbol``: tick, lot multiplier, last trading day and margin band."""
    parsed = _symbol(symbol)
    low, high = spec.initial_margin_fraction_range()
    return ClearedContract(
        symbol=str(parsed),
        tick_size=spec.tick_size,
        lot_multiplier=Decimal(spec.lot_multiplier),
        last_trading_day=last_trading_day(spec, parsed),
        im_floor_fraction=low,
        im_cap_fraction=high,
        maintenance_ratio=spec.maintenance_fraction_of_initial(),
    )
