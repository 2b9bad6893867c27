"""Value types of the daily settlement price: inputs, rules, tiers, the result and its audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction
from typing import NamedTuple

from tokenfutures.core.errors import InvalidParameterError


class SettlementTier(IntEnum):
    """Which rule set the daily settlement price, in the order they are tried."""

    CLOSING_VWAP = 1
    BBO_MID = 2
    LAST_TRADE_CLAMPED = 3
    NEIGHBOUR_CHANGE = 4
    FAIR_VALUE = 5
    PRIOR_SETTLEMENT = 6


class SkipReason(IntEnum):
    """Why a tier could not set the price (closed vocabulary for the audit)."""

    NO_TRADES_IN_WINDOW = 1
    WINDOW_QUANTITY_TOO_SMALL = 2
    NO_TWO_SIDED_BBO = 3
    SPREAD_TOO_WIDE = 4
    NO_LAST_TRADE = 5
    NO_PRIOR_SETTLEMENT = 6
    NO_NEIGHBOUR_CHANGE = 7
    NO_FAIR_VALUE = 8


class SettlementTrade(NamedTuple):
    """One outright trade of the session; a plain ``(ts, price_ticks, quantity)`` tuple works too."""

    ts: datetime
    price_ticks: int
    quantity: int


@dataclass(frozen=True, slots=True)
class BestBidOffer:
    """Best bid and offer at the settlement time; either side may be missing."""

    bid_ticks: int | None
    ask_ticks: int | None

    def __post_init__(self) -> None:
        for name, value in (("bid_ticks", self.bid_ticks), ("ask_ticks", self.ask_ticks)):
            if value is not None:
                check_ticks(name, value)
        spread = self.spread_ticks
        if spread is not None and spread < 0:
            raise InvalidParameterError(
                "bbo", (self.bid_ticks, self.ask_ticks), "uncrossed (bid <= ask)"
            )

    @property
    def spread_ticks(self) -> int | None:
        """Offer minus bid in ticks, or None when a side is missing."""
        if self.bid_ticks is None or self.ask_ticks is None:
            return None
        return self.ask_ticks - self.bid_ticks

    def clamp(self, price_ticks: int) -> int:
        """Move a price into ``[bid, ask]`` (one-sided when a side is missing)."""
        if self.bid_ticks is not None and price_ticks < self.bid_ticks:
            return self.bid_ticks
        if self.ask_ticks is not None and price_ticks > self.ask_ticks:
            return self.ask_ticks
        return price_ticks


@dataclass(frozen=True, slots=True)
class SettlementRules:
    """Parameters of the settlement procedure.

    Parameters
    ----------
    window : timedelta
        Length of the closing window ending at the settlement time (default 2 minutes).
    min_window_quantity : int
        Lots that must trade in the window for the VWAP tier to apply.
    max_spread_ticks : int | None
        Widest bid/offer spread, in ticks, for the mid tier (None: no tick bound).
    max_spread_fraction : Decimal | None
        Widest spread as a fraction of the mid (None: no relative bound).
    """

    window: timedelta = timedelta(minutes=2)
    min_window_quantity: int = 1
    max_spread_ticks: int | None = None
    max_spread_fraction: Decimal | None = Decimal("0.02")

    def __post_init__(self) -> None:
        if not isinstance(self.window, timedelta) or self.window <= timedelta(0):
            raise InvalidParameterError("window", self.window, "a positive timedelta")
        if isinstance(self.min_window_quantity, bool) or self.min_window_quantity < 1:
            raise InvalidParameterError(
                "min_window_quantity", self.min_window_quantity, "a positive integer"
            )
        if self.max_spread_ticks is not None and (
            isinstance(self.max_spread_ticks, bool) or self.max_spread_ticks < 0
        ):
            raise InvalidParameterError(
                "max_spread_ticks", self.max_spread_ticks, "a non-negative integer or None"
            )
        fraction = self.max_spread_fraction
        if fraction is not None and (
            not isinstance(fraction, Decimal) or not fraction.is_finite() or fraction < 0
        ):
            raise InvalidParameterError(
                "max_spread_fraction", fraction, "a non-negative Decimal or None"
            )


@dataclass(frozen=True, slots=True)
class SettlementAudit:
    """The inputs the procedure used and why each higher tier was skipped."""

    settlement_time: datetime
    window_start: datetime
    window_trade_count: int
    window_quantity: int
    window_vwap_ticks: Fraction | None
    bbo: BestBidOffer | None
    spread_ticks: int | None
    last_trade: SettlementTrade | None
    prior_settlement_ticks: int | None
    neighbour_change_ticks: int | None
    fair_value_ticks: int | None
    unclamped_ticks: Fraction | None
    clamped: bool
    skipped: tuple[tuple[SettlementTier, SkipReason], ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """JSON-ready view (fractions as ``"n/d"`` strings, times in ISO 8601)."""
        last = self.last_trade
        return {
            "settlement_time": self.settlement_time.isoformat(),
            "window_start": self.window_start.isoformat(),
            "window_trade_count": self.window_trade_count,
            "window_quantity": self.window_quantity,
            "window_vwap_ticks": _fraction_text(self.window_vwap_ticks),
            "bid_ticks": None if self.bbo is None else self.bbo.bid_ticks,
            "ask_ticks": None if self.bbo is None else self.bbo.ask_ticks,
            "spread_ticks": self.spread_ticks,
            "last_trade": None
            if last is None
            else {
                "ts": last.ts.isoformat(),
                "price_ticks": last.price_ticks,
                "quantity": last.quantity,
            },
            "prior_settlement_ticks": self.prior_settlement_ticks,
            "neighbour_change_ticks": self.neighbour_change_ticks,
            "fair_value_ticks": self.fair_value_ticks,
            "unclamped_ticks": _fraction_text(self.unclamped_ticks),
            "clamped": self.clamped,
            "skipped": [[tier.name, reason.name] for tier, reason in self.skipped],
        }


@dataclass(frozen=True, slots=True)
class SettlementPrice:
    """The daily settlement price in ticks, the tier that set it and its audit record."""

    price_ticks: int
    tier: SettlementTier
    audit: SettlementAudit

    def to_dict(self) -> dict[str, object]:
        """JSON-ready view of the price, tier and audit."""
        return {"price_ticks": self.price_ticks, "tier": self.tier.name, **self.audit.to_dict()}


def _fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def check_ticks(name: str, value: int) -> None:
    """Raise naming ``name`` unless ``value`` is a positive integer number of ticks."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidParameterError(name, value, "a positive integer number of ticks")
