"""Per-contract economics clearing needs, passed in as data (built from the contract specs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError

#: The paper's initial-margin band (§5.3): 8 %–12 % of contract value.
PAPER_IM_FLOOR = Decimal("0.08")
PAPER_IM_CAP = Decimal("0.12")
#: Maintenance margin is 75 % of initial (§5.3).
PAPER_MAINTENANCE_RATIO = Decimal("0.75")


@dataclass(frozen=True, slots=True)
class ClearedContract:
    """A cleared futures contract: tick size, lot multiplier, last trading day and margin band.

    Parameters
    ----------
    symbol : str
        Contract symbol, as on the fills.
    tick_size : Decimal
        USD per million SIT per tick (0.01 in the paper's spec).
    lot_multiplier : Decimal
        Millions of SIT per lot (1: contract value = price × 1).
    last_trading_day : date
        Last day the contract trades; final settlement follows.
    im_floor_fraction, im_cap_fraction : Decimal
        The band initial margin is kept within, as fractions of notional.
    maintenance_ratio : Decimal
        Maintenance margin as a fraction of initial margin.
    """

    symbol: str
    tick_size: Decimal
    lot_multiplier: Decimal
    last_trading_day: date
    im_floor_fraction: Decimal = PAPER_IM_FLOOR
    im_cap_fraction: Decimal = PAPER_IM_CAP
    maintenance_ratio: Decimal = PAPER_MAINTENANCE_RATIO

    def __post_init__(self) -> None:
        if not self.symbol:
            raise InvalidParameterError("symbol", self.symbol, "non-empty")
        if self.tick_size <= 0:
            raise InvalidParameterError("tick_size", self.tick_size, "> 0")
        if self.lot_multiplier <= 0:
            raise InvalidParameterError("lot_multiplier", self.lot_multiplier, "> 0")
        if not 0 < self.im_floor_fraction <= self.im_cap_fraction < 1:
            raise InvalidParameterError(
                "im_floor_fraction",
                (self.im_floor_fraction, self.im_cap_fraction),
                "0 < floor <= cap < 1",
            )
        if not 0 < self.maintenance_ratio <= 1:
            raise InvalidParameterError("maintenance_ratio", self.maintenance_ratio, "in (0, 1]")

    @property
    def tick_value(self) -> Decimal:
        """USD value of one tick on one lot."""
        return self.tick_size * self.lot_multiplier

    def lot_value(self, price_ticks: int) -> Decimal:
        """Notional USD of one lot at ``price_ticks``."""
        return self.tick_value * price_ticks
