"""Final settlement price: the mean of the daily index fixes over the delivery month to the LTD.

A pure function of ``(date, level)`` pairs, in the power-futures pattern (PJM, EEX, ICE Endex
settle monthly contracts on the average of a daily index over the delivery period). Every
choice it makes is recorded in the returned audit: which fixes were used, which days were
missing and carried forward, which inputs were ignored, the raw mean and the rounding.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from tokenfutures.contracts.calendar import business_days, last_trading_day
from tokenfutures.contracts.spec import ContractSpec, FixDays
from tokenfutures.contracts.symbols import ContractSymbol, format_symbol
from tokenfutures.core.errors import InvalidParameterError, TokenFuturesError
from tokenfutures.core.money import price_to_ticks, round_money

MEAN_PRECISION = 50
ROUNDING_RULE = "half-even to the tick"


class InsufficientFixesError(TokenFuturesError, ValueError):
    """Too few index fixes to set a final settlement price; the administrator must step in."""


class FixSource(Enum):
    """Where the level used for a window day came from."""

    OBSERVED = "observed"
    CARRIED_FORWARD = "carried_forward"


@dataclass(frozen=True, slots=True)
class WindowFix:
    """The level used for one day of the averaging window and where it came from."""

    day: date
    level: Decimal
    source: FixSource
    fixed_on: date


@dataclass(frozen=True, slots=True)
class FinalSettlement:
    """A final settlement price with its audit trail."""

    symbol: str
    window_start: date
    last_trading_day: date
    fix_days: FixDays
    window: tuple[WindowFix, ...]
    ignored_days: tuple[date, ...]
    raw_mean: Decimal
    rounding: str
    price: Decimal
    price_ticks: int
    withheld: tuple[tuple[date, str], ...] = ()

    @property
    def clean(self) -> bool:
        """Every window day had its own published fix (nothing carried, nothing withheld)."""
        return self.observed_count == len(self.window) and not self.withheld

    @property
    def observed_count(self) -> int:
        """Window days with a fix of their own."""
        return sum(fix.source is FixSource.OBSERVED for fix in self.window)

    @property
    def missing_days(self) -> tuple[date, ...]:
        """Window days without a fix of their own (their level was carried forward)."""
        return tuple(fix.day for fix in self.window if fix.source is FixSource.CARRIED_FORWARD)

    def to_dict(self) -> dict[str, Any]:
        """The settlement and its audit as JSON-ready values (Decimals as strings)."""
        return {
            "symbol": self.symbol,
            "final_settlement_price": str(self.price),
            "price_ticks": self.price_ticks,
            "raw_mean": str(self.raw_mean),
            "rounding": self.rounding,
            "window": [self.window_start.isoformat(), self.last_trading_day.isoformat()],
            "fix_days": self.fix_days.value,
            "observed": self.observed_count,
            "expected": len(self.window),
            "clean": self.clean,
            "missing_days": [day.isoformat() for day in self.missing_days],
            "withheld_days": [{"day": d.isoformat(), "reason": r} for d, r in self.withheld],
            "ignored_days": [day.isoformat() for day in self.ignored_days],
            "fixes": [
                {
                    "day": fix.day.isoformat(),
                    "level": str(fix.level),
                    "source": fix.source.value,
                    "fixed_on": fix.fixed_on.isoformat(),
                }
                for fix in self.window
            ],
        }


def settlement_window(spec: ContractSpec, symbol: ContractSymbol) -> list[date]:
    """The days whose fixes are averaged: the delivery month's first day through the LTD."""
    end = last_trading_day(spec, symbol)
    start = date(symbol.delivery.year, symbol.delivery.month, 1)
    if spec.final_settlement.fix_days is FixDays.BUSINESS:
        return business_days(spec, start, end)
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def final_settlement_price(
    spec: ContractSpec,
    symbol: ContractSymbol,
    fixes: Iterable[tuple[date, Decimal]],
    withheld: Mapping[date, str] | None = None,
) -> FinalSettlement:
    """The final settlement price of ``symbol`` from daily index fixes, with its audit.

    Parameters
    ----------
    spec : ContractSpec
        The product spec (window, minimum observed fraction, carry-forward limit, tick).
    symbol : ContractSymbol
        The expiring contract.
    fixes : Iterable[tuple[date, Decimal]]
        ``(date, level)`` index fixes in the quote unit, one per date, in any order; fixes
        before the window feed the carry-forward rule, fixes after the LTD are ignored.
    withheld : Mapping[date, str], optional
        Days whose fix the index administrator withheld, with the reason; window days among
        them are stated in the audit (and in the error when too few fixes remain).
    """
    by_day = _fix_map(fixes)
    window_days = settlement_window(spec, symbol)
    in_window = set(window_days)
    stated = tuple(sorted((d, r) for d, r in (withheld or {}).items() if d in in_window))
    try:
        window = tuple(_window_fix(spec, by_day, day) for day in window_days)
        _require_enough_observed(spec, symbol, window)
    except InsufficientFixesError as short:
        raise InsufficientFixesError(f"{short}{_withheld_text(stated)}") from None
    start, end = window_days[0], window_days[-1]
    expected = set(window_days)
    ignored = tuple(sorted(day for day in by_day if start <= day and day not in expected))
    raw_mean = _mean([fix.level for fix in window])
    price = round_money(raw_mean, quantum=spec.tick_size)
    return FinalSettlement(
        symbol=format_symbol(symbol),
        window_start=date(symbol.delivery.year, symbol.delivery.month, 1),
        last_trading_day=end,
        fix_days=spec.final_settlement.fix_days,
        window=window,
        ignored_days=ignored,
        raw_mean=raw_mean,
        rounding=ROUNDING_RULE,
        price=price,
        price_ticks=price_to_ticks(price, spec.tick_size),
        withheld=stated,
    )


def _withheld_text(stated: tuple[tuple[date, str], ...]) -> str:
    if not stated:
        return ""
    day, reason = stated[-1]
    return f"; {len(stated)} window days withheld by the index (last {day.isoformat()}: {reason})"


def _fix_map(fixes: Iterable[tuple[date, Decimal]]) -> dict[date, Decimal]:
    by_day: dict[date, Decimal] = {}
    for day, level in fixes:
        if day in by_day:
            raise InvalidParameterError("fixes", day.isoformat(), "one fix per date")
        if not isinstance(level, Decimal) or not level.is_finite() or level <= 0:
            raise InvalidParameterError(
                f"fix level on {day.isoformat()}", level, "a finite Decimal > 0"
            )
        by_day[day] = level
    return by_day


def _window_fix(spec: ContractSpec, by_day: dict[date, Decimal], day: date) -> WindowFix:
    if day in by_day:
        return WindowFix(day, by_day[day], FixSource.OBSERVED, day)
    limit = spec.final_settlement.max_carry_forward_days
    for back in range(1, limit + 1):
        earlier = day - timedelta(days=back)
        if earlier in by_day:
            return WindowFix(day, by_day[earlier], FixSource.CARRIED_FORWARD, earlier)
    raise InsufficientFixesError(
        f"no index fix on {day.isoformat()} nor in the {limit} days before it to carry forward"
    )


def _require_enough_observed(
    spec: ContractSpec, symbol: ContractSymbol, window: tuple[WindowFix, ...]
) -> None:
    observed = sum(fix.source is FixSource.OBSERVED for fix in window)
    needed = spec.final_settlement.min_observed_fraction * len(window)
    if observed < needed:
        raise InsufficientFixesError(
            f"{format_symbol(symbol)}: only {observed} of {len(window)} window days have an index "
            f"fix; at least {spec.final_settlement.min_observed_fraction:%} are required"
        )


def _mean(levels: list[Decimal]) -> Decimal:
    with decimal.localcontext() as context:
        context.prec = MEAN_PRECISION
        return sum(levels, Decimal(0)) / len(levels)
