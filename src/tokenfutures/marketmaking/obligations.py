"""Designated market-maker obligations (paper §5.4) as data, and the spread limit in ticks.

The paper asks for two-sided quotes at least 80 % of trading hours, spreads within 2 % (front
month) to 5 % (back months) of the mid, at least 50 lots a side and $50M net capital. It leaves
open how presence is measured and how fast a hit quote must be restored; ADRs 0701-0702 decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal

from tokenfutures.core.errors import InvalidParameterError


@dataclass(frozen=True, slots=True)
class Obligations:
    """The quoting duties of a designated market maker in one product.

    Attributes
    ----------
    front_max_spread, back_max_spread : Decimal
        Largest bid-ask spread as a fraction of the mid (front month / later months).
    min_size_lots : int
        Smallest quantity on each side for a quote to count.
    min_presence : Decimal
        Share of eligible session time with a qualifying quote (0..1).
    max_response : timedelta
        Longest time a qualifying quote may be missing once it has been lost (a hit side).
    min_net_capital : Decimal
        Minimum net capital in USD (checked at admission, not by the quote measurement).
    """

    front_max_spread: Decimal = Decimal("0.02")
    back_max_spread: Decimal = Decimal("0.05")
    min_size_lots: int = 50
    min_presence: Decimal = Decimal("0.80")
    max_response: timedelta = timedelta(seconds=60)
    min_net_capital: Decimal = Decimal("50000000")

    def __post_init__(self) -> None:
        for name in ("front_max_spread", "back_max_spread", "min_presence"):
            value = getattr(self, name)
            if not Decimal(0) < value <= Decimal(1):
                raise InvalidParameterError(name, value, "in (0, 1]")
        if self.min_size_lots < 1:
            raise InvalidParameterError("min_size_lots", self.min_size_lots, ">= 1")
        if self.max_response <= timedelta(0):
            raise InvalidParameterError("max_response", self.max_response, "> 0")

    def max_spread_fraction(self, is_front: bool) -> Decimal:
        """The spread limit as a fraction of the mid for the front month or a later month."""
        return self.front_max_spread if is_front else self.back_max_spread


#: The paper's §5.4 regime with the house's measurement choices (ADRs 0701-0702).
PAPER_OBLIGATIONS = Obligations()


def max_spread_ticks(obligations: Obligations, mid_ticks: Decimal, is_front: bool) -> int:
    """Widest allowed spread in whole ticks: the fraction of the mid, never less than one tick.

    At low index levels the percentage limit is narrower than the tick (2 % of $0.29 is
    $0.0058 < $0.01); a one-tick market is then the tightest two-sided quote possible and
    counts as compliant (ADR 0701).
    """
    if mid_ticks <= 0:
        raise InvalidParameterError("mid_ticks", mid_ticks, "> 0")
    limit = (obligations.max_spread_fraction(is_front) * mid_ticks).to_integral_value(ROUND_FLOOR)
    return max(1, int(limit))
