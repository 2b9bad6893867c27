"""Per-instrument trading rules as the engine sees them (the lead maps contract specs onto them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError


@dataclass(frozen=True, slots=True)
class InstrumentRules:
    """Frozen trading rules of one contract, in integer ticks where prices are concerned.

    Parameters
    ----------
    symbol : str
        Contract symbol, e.g. ``"SITZ26"``.
    tick_size : Decimal
        Value of one price tick in quote currency (``Decimal("0.01")``).
    prior_settlement_ticks : int
        Prior daily settlement price; reference of the static price limits and bands.
    expiry : datetime
        Close of the last trading day; a close at or after it expires the contract.
    price_step_ticks : int
        Minimum price increment in ticks (prices must be multiples of it).
    limit_halt_fraction, limit_session_fraction : Decimal
        Static price limits around the prior settlement (±15 % halt, ±25 % halt to next session).
    halt_minutes : int
        Length of the short halt before the re-opening auction.
    band_ticks : int | None
        Dynamic band half-width in ticks around the reference (last trade, else prior settlement).
    band_fraction : Decimal | None
        Dynamic band half-width as a fraction of the reference (used when ``band_ticks`` is None).
    market_protection_ticks : int
        Protection band of market orders, in ticks from the best opposite price at arrival.
    """

    symbol: str
    tick_size: Decimal
    prior_settlement_ticks: int
    expiry: datetime
    price_step_ticks: int = 1
    limit_halt_fraction: Decimal = Decimal("0.15")
    limit_session_fraction: Decimal = Decimal("0.25")
    halt_minutes: int = 10
    band_ticks: int | None = None
    band_fraction: Decimal | None = Decimal("0.10")
    market_protection_ticks: int = 50
    settlement_window_minutes: int = 2

    def __post_init__(self) -> None:
        if not self.symbol:
            raise InvalidParameterError("symbol", self.symbol, "a non-empty string")
        if self.tick_size <= 0:
            raise InvalidParameterError("tick_size", self.tick_size, "positive")
        if self.prior_settlement_ticks <= 0:
            raise InvalidParameterError(
                "prior_settlement_ticks", self.prior_settlement_ticks, "a positive tick count"
            )
        if self.price_step_ticks <= 0:
            raise InvalidParameterError("price_step_ticks", self.price_step_ticks, "positive")
        if not 0 < self.limit_halt_fraction <= self.limit_session_fraction:
            raise InvalidParameterError(
                "limit_halt_fraction",
                self.limit_halt_fraction,
                "in (0, limit_session_fraction]",
            )
        if self.halt_minutes <= 0:
            raise InvalidParameterError("halt_minutes", self.halt_minutes, "positive")
        if self.band_ticks is not None and self.band_ticks <= 0:
            raise InvalidParameterError("band_ticks", self.band_ticks, "positive or None")
        if self.band_fraction is not None and self.band_fraction <= 0:
            raise InvalidParameterError("band_fraction", self.band_fraction, "positive or None")
        if self.market_protection_ticks < 0:
            raise InvalidParameterError(
                "market_protection_ticks", self.market_protection_ticks, "non-negative"
            )
        if self.expiry.tzinfo is None:
            raise InvalidParameterError("expiry", self.expiry, "timezone-aware")
