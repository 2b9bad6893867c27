"""Model fair values of futures contracts: the mean of the model's forward curve over each window.

A SIT contract settles on the mean of the daily TPI fixes of its window (the delivery month's
first day to the last trading day), so its fair value is the mean of F(t, T_d) over the window
days d, with the fixes already known standing in for past days.

The model runs on the calendar (ADR 0700, amended): model time is ACT/365 years since a fixed
origin, so the trend and the seasonal term follow calendar dates, not the quoting date. A fitted
preset carries its own origin and long-term mean (:meth:`CalendarModel.fitted`); a preset
without one (the paper's Table 3) gets the calendar origin ``PAPER_ORIGIN`` and its long-term
mean re-levelled so that theta passes through today's fix (:meth:`CalendarModel.rebased`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tokenfutures.contracts import parse_symbol, settlement_window, spec_for_symbol
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import usd_from_float
from tokenfutures.quant.calibration.presets import latest_preset
from tokenfutures.quant.moments import forward_curve
from tokenfutures.quant.params import PAPER_TABLE3, JumpDiffusionParams

DAYS_PER_YEAR = 365.0
#: Calendar origin of presets that carry none (t = 0 on 1 January 2026: the paper's year).
PAPER_ORIGIN = date(2026, 1, 1)


def year_fraction(start: date, day: date) -> float:
    """ACT/365 year fraction from ``start`` to ``day`` (the model's time unit)."""
    return (day - start).days / DAYS_PER_YEAR


@dataclass(frozen=True, slots=True)
class CalendarModel:
    """A price model whose clock is the calendar: t(day) = ACT/365 years since ``origin``."""

    params: JumpDiffusionParams
    origin: date

    @classmethod
    def fitted(cls, params: JumpDiffusionParams, origin: date) -> CalendarModel:
        """A calibrated model as estimated, its time counted from its data's first day."""
        return cls(params, origin)

    @classmethod
    def rebased(
        cls, params: JumpDiffusionParams, today: date, level: Decimal, origin: date = PAPER_ORIGIN
    ) -> CalendarModel:
        """A preset without its own level: theta_t keeps beta, gamma and the calendar phase of
        ``origin`` but passes through ln(``level``) at ``today`` (kappa, sigma, jumps kept)."""
        x = _log_level(level)
        t = year_fraction(origin, today)
        season = params.season_amplitude * math.sin(2.0 * math.pi * t / params.season_period)
        return cls(params.with_changes(theta0=x - params.beta * t - season, x0=x), origin)

    def time_of(self, day: date) -> float:
        """Model time of a calendar day."""
        return year_fraction(self.origin, day)

    def forwards(self, today: date, level: Decimal, days: Sequence[date]) -> list[float]:
        """F(t_today, t_d | X = ln level) for days on or after ``today`` (today: the level)."""
        if any(day < today for day in days):
            raise InvalidParameterError("days", min(days), f"on or after {today}")
        if not days:
            return []
        t_now = self.time_of(today)
        maturities = [self.time_of(day) for day in days]
        curve = forward_curve(self.params, maturities, t_now, _log_level(level))
        return [float(value) for value in curve]


def latest_calendar_model() -> JumpDiffusionParams | CalendarModel:
    """The latest calibrated TPI preset on its own calendar (issue 12 item 3); the paper's
    Table 3, re-levelled at each quote, when no calibrated preset is packaged."""
    try:
        found = latest_preset()
    except InvalidParameterError:
        return PAPER_TABLE3
    return CalendarModel.fitted(found.params(), found.origin)


def _log_level(level: Decimal) -> float:
    if not level > 0:
        raise InvalidParameterError("level", level, "> 0")
    return math.log(float(level))


def as_calendar_model(
    model: JumpDiffusionParams | CalendarModel, today: date, level: Decimal
) -> CalendarModel:
    """``model`` itself, or a bare preset re-levelled on the calendar at today's fix."""
    if isinstance(model, CalendarModel):
        return model
    return CalendarModel.rebased(model, today, level)


def window_fair_value(
    model: JumpDiffusionParams | CalendarModel,
    today: date,
    level: Decimal,
    window: Sequence[date],
    known_fixes: Mapping[date, Decimal] | None = None,
) -> Decimal:
    """Mean over ``window`` of the expected fix: known fixes (or today's level) for past days,
    the calendar model's forward for days after today; in quote units, to one micro."""
    if not window:
        raise InvalidParameterError("window", window, "at least one day")
    calendar = as_calendar_model(model, today, level)
    known = known_fixes or {}
    past = [float(known.get(day, level)) for day in window if day <= today]
    future = [day for day in window if day > today]
    total = sum(past) + sum(calendar.forwards(today, level, future))
    return usd_from_float(total / len(window))


def contract_fair_values(
    model: JumpDiffusionParams | CalendarModel,
    today: date,
    level: Decimal,
    symbols: Sequence[str],
    known_fixes: Mapping[date, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Fair value per contract symbol (quote units, e.g. USD per million SIT)."""
    calendar = as_calendar_model(model, today, level)
    values: dict[str, Decimal] = {}
    for text in symbols:
        symbol = parse_symbol(text)
        window = settlement_window(spec_for_symbol(symbol), symbol)
        values[text] = window_fair_value(calendar, today, level, window, known_fixes)
    return values


def model_curve(
    model: JumpDiffusionParams | CalendarModel, today: date, level: Decimal, days: Sequence[date]
) -> list[tuple[date, Decimal]]:
    """The calendar model's forward F(today, T) at each day (the dashboard's curve chart);
    days before today show today's level."""
    calendar = as_calendar_model(model, today, level)
    ahead = [max(day, today) for day in days]
    forwards = calendar.forwards(today, level, ahead)
    return [(day, usd_from_float(f)) for day, f in zip(days, forwards, strict=True)]
