"""A futures contract specification as frozen data, with the accessors other areas need.

The spec is loaded and validated at the edge (``contracts.spec_schema``); inside the library it
is this immutable value. The exchange reads the tick, the price-limit tiers and the session
times from it; the clearing house reads the lot multiplier and the margin fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum

from tokenfutures.core.errors import InvalidParameterError


class HaltKind(Enum):
    """How long a price-limit breach stops trading."""

    MINUTES = "minutes"
    UNTIL_NEXT_SESSION = "until_next_session"


class FixDays(Enum):
    """Which days of the averaging window must have an index fix."""

    BUSINESS = "business"
    CALENDAR = "calendar"


@dataclass(frozen=True, slots=True)
class PriceLimitTier:
    """One daily price-limit tier: a move beyond ``fraction`` of the prior settlement halts trading."""

    fraction: Decimal
    halt: HaltKind
    halt_minutes: int | None

    def halt_duration(self) -> timedelta | None:
        """The length of the halt, or ``None`` when trading stops until the next session."""
        return None if self.halt_minutes is None else timedelta(minutes=self.halt_minutes)


@dataclass(frozen=True, slots=True)
class MarginParams:
    """Margin parameters of paper §5.3 (eq. 7) for the clearing area."""

    initial_fraction_min: Decimal
    initial_fraction_max: Decimal
    maintenance_ratio: Decimal
    coverage_alpha: Decimal
    volatility_window_days: int


@dataclass(frozen=True, slots=True)
class ListingRule:
    """Which delivery months are listed: N consecutive months plus M quarterly months beyond them."""

    consecutive_months: int
    quarterly_months: int
    quarter_cycle: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Session:
    """The daily trading session in UTC; a session that opens after it closes starts the evening before."""

    trading_weekdays: frozenset[int]
    open_time: time
    close_time: time
    settlement_window: timedelta

    def opens_previous_day(self) -> bool:
        """True when trading day D opens on the calendar day before D (e.g. 22:00 → 21:00)."""
        return self.open_time >= self.close_time

    def bounds(self, trading_day: date) -> tuple[datetime, datetime]:
        """The ``[open, close)`` instants (UTC) of the session belonging to ``trading_day``."""
        open_day = trading_day - timedelta(days=1) if self.opens_previous_day() else trading_day
        opens = datetime.combine(open_day, self.open_time, tzinfo=UTC)
        closes = datetime.combine(trading_day, self.close_time, tzinfo=UTC)
        return opens, closes

    def settlement_instant(self, trading_day: date) -> datetime:
        """The daily settlement time (UTC) of ``trading_day``: the end of the closing window."""
        return self.bounds(trading_day)[1]


@dataclass(frozen=True, slots=True)
class HolidayRule:
    """Exchange holidays: fixed month-day holidays every year plus explicit extra dates."""

    fixed_month_days: frozenset[tuple[int, int]]
    extra_dates: frozenset[date]

    def is_holiday(self, day: date) -> bool:
        """True when ``day`` is an exchange holiday (weekend or not)."""
        return (day.month, day.day) in self.fixed_month_days or day in self.extra_dates


@dataclass(frozen=True, slots=True)
class LastTradingDayRule:
    """The ``nth`` given weekday of the delivery month, moved to the preceding business day on a holiday."""

    weekday: int
    nth: int


@dataclass(frozen=True, slots=True)
class FinalSettlementRule:
    """Final settlement: the mean of daily index fixes from the first day of the delivery month to the LTD."""

    fix_days: FixDays
    min_observed_fraction: Decimal
    max_carry_forward_days: int


@dataclass(frozen=True, slots=True)
class ContractSpec:
    """A versioned futures product specification (one product, e.g. SIT or SCU)."""

    product: str
    version: str
    name: str
    underlying: str
    lot_size: int
    lot_unit: str
    quote_unit_size: int
    quote_unit: str
    currency: str
    tick_size: Decimal
    listing: ListingRule
    session: Session
    holidays: HolidayRule
    last_trading_day_rule: LastTradingDayRule
    final_settlement: FinalSettlementRule
    price_limit_tiers: tuple[PriceLimitTier, ...]
    margin: MarginParams

    @property
    def lot_multiplier(self) -> int:
        """Quote units per lot: the cash value of one lot is ``price × lot_multiplier``."""
        return self.lot_size // self.quote_unit_size

    @property
    def tick_value(self) -> Decimal:
        """Cash value of one tick on one lot, in ``currency``."""
        return self.tick_size * self.lot_multiplier

    def price_limit_fractions(self) -> tuple[Decimal, ...]:
        """The daily price-limit fractions, ascending (e.g. 0.15 and 0.25)."""
        return tuple(tier.fraction for tier in self.price_limit_tiers)

    def price_limit_band(self, prior_settlement_ticks: int, tier: int) -> tuple[int, int]:
        """The ``(low, high)`` limit prices in ticks of ``tier`` around a prior settlement.

        The allowed move is ``fraction × prior`` rounded down to a whole tick (CME's rule), so
        the band never grows beyond the stated percentage.
        """
        if prior_settlement_ticks <= 0:
            raise InvalidParameterError("prior_settlement_ticks", prior_settlement_ticks, "> 0")
        if not 0 <= tier < len(self.price_limit_tiers):
            raise InvalidParameterError("tier", tier, f"in [0, {len(self.price_limit_tiers) - 1}]")
        move = int(self.price_limit_tiers[tier].fraction * prior_settlement_ticks)
        return prior_settlement_ticks - move, prior_settlement_ticks + move

    def initial_margin_fraction_range(self) -> tuple[Decimal, Decimal]:
        """The paper's initial-margin corridor as fractions of notional (8 %–12 % for SIT)."""
        return self.margin.initial_fraction_min, self.margin.initial_fraction_max

    def maintenance_fraction_of_initial(self) -> Decimal:
        """Maintenance margin as a fraction of initial margin (0.75 in the paper)."""
        return self.margin.maintenance_ratio

    def notional(self, price_ticks: int, lots: int) -> Decimal:
        """Contract value of ``lots`` lots at ``price_ticks``, in ``currency``."""
        return self.tick_size * price_ticks * self.lot_multiplier * lots

    def daily_settlement_time(self) -> time:
        """The time of day (UTC) at which the daily settlement price is struck."""
        return self.session.close_time
