"""Pure two-sided quote computation: around the fair value, skewed by inventory, on ticks, in band.

No I/O and no clock: the bot (``bot.py``) feeds fair values, inventory and price bands in and
sends the resulting orders through the client. Quotes use a share of the allowed spread so the
obligation holds after rounding to the tick (ADR 0703).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.marketmaking.obligations import (
    PAPER_OBLIGATIONS,
    Obligations,
    max_spread_ticks,
)


@dataclass(frozen=True, slots=True)
class QuotingPolicy:
    """How the reference market maker quotes.

    Attributes
    ----------
    obligations : Obligations
        The duties the quotes must meet (spread limit, minimum size).
    spread_use : Decimal
        Share of the allowed spread actually quoted (0..1]; at least one tick.
    size_lots : int
        Quantity per side (at least the obligation's minimum size).
    skew_ticks_per_lot : Decimal
        How far the quote centre moves against the inventory, in ticks per lot held.
    max_inventory_lots : int
        Beyond this position the side that would grow it is withdrawn.
    band_fraction : Decimal
        The venue's dynamic price band around the last trade, as a fraction (kept inside).
    """

    obligations: Obligations = field(default=PAPER_OBLIGATIONS)
    spread_use: Decimal = Decimal("0.6")
    size_lots: int = 50
    skew_ticks_per_lot: Decimal = Decimal("0.01")
    max_inventory_lots: int = 500
    band_fraction: Decimal = Decimal("0.10")

    def __post_init__(self) -> None:
        if not Decimal(0) < self.spread_use <= Decimal(1):
            raise InvalidParameterError("spread_use", self.spread_use, "in (0, 1]")
        if self.size_lots < self.obligations.min_size_lots:
            raise InvalidParameterError(
                "size_lots", self.size_lots, f">= {self.obligations.min_size_lots} (obligation)"
            )
        if self.skew_ticks_per_lot < 0:
            raise InvalidParameterError("skew_ticks_per_lot", self.skew_ticks_per_lot, ">= 0")
        if self.max_inventory_lots < 1:
            raise InvalidParameterError("max_inventory_lots", self.max_inventory_lots, ">= 1")


@dataclass(frozen=True, slots=True)
class Quote:
    """One two-sided quote in integer ticks and lots; a side with 0 lots is not sent."""

    contract: str
    bid_ticks: int
    bid_lots: int
    ask_ticks: int
    ask_lots: int

    @property
    def spread_ticks(self) -> int:
        """Ask minus bid in ticks."""
        return self.ask_ticks - self.bid_ticks


def compute_quote(
    contract: str,
    fair_ticks: Decimal,
    inventory_lots: int,
    *,
    is_front: bool,
    band: tuple[int, int] | None = None,
    policy: QuotingPolicy = QuotingPolicy(),
) -> Quote:
    """The quote for one contract.

    Parameters
    ----------
    contract : str
        Contract symbol.
    fair_ticks : Decimal
        Fair value in (fractional) ticks.
    inventory_lots : int
        Current signed position; long inventory moves the quote down (sell more readily).
    is_front : bool
        Front month (tighter spread limit) or a later month.
    band : tuple[int, int] or None
        Lowest and highest price in ticks the venue accepts today (price limits).
    policy : QuotingPolicy
        Spread share, size, skew and inventory limit.
    """
    if fair_ticks <= 0:
        raise InvalidParameterError("fair_ticks", fair_ticks, "> 0")
    allowed = max_spread_ticks(policy.obligations, fair_ticks, is_front)
    spread = max(1, int((policy.spread_use * allowed).to_integral_value(ROUND_HALF_EVEN)))
    centre = fair_ticks - policy.skew_ticks_per_lot * inventory_lots
    bid = int((centre - Decimal(spread) / 2).to_integral_value(ROUND_HALF_EVEN))
    bid, ask = _inside_band(max(1, bid), spread, band)
    bid_lots = policy.size_lots if inventory_lots < policy.max_inventory_lots else 0
    ask_lots = policy.size_lots if inventory_lots > -policy.max_inventory_lots else 0
    return Quote(contract, bid, bid_lots, ask, ask_lots)


def _inside_band(bid: int, spread: int, band: tuple[int, int] | None) -> tuple[int, int]:
    """Shift the (bid, bid + spread) pair into the band; clip it when the band is narrower."""
    ask = bid + spread
    if band is None:
        return bid, ask
    low, high = band
    if high <= low:
        raise InvalidParameterError("band", band, "low < high")
    if bid < low:
        bid, ask = low, low + spread
    if ask > high:
        bid, ask = high - spread, high
    return max(bid, low), min(ask, high)
