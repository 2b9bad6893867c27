"""Model fair values of futures contracts: the mean of the model's forward curve over each window.

A SIT contract settles on the mean of the daily TPI fixes of its window (the delivery month's
first day to the last trading day), so its fair value is the mean of F(t, T_d) over the window
days d, with the fixes already known standing in for past days. The model (eq. 13) is anchored
at today's fix: t = 0 today, X_0 = theta_0 = ln(TPI today) (ADR 0700).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from tokenfutures.contracts import parse_symbol, settlement_window, spec_for_symbol
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import usd_from_float
from tokenfutures.quant.moments import forward_curve
from tokenfutures.quant.params import JumpDiffusionParams

DAYS_PER_YEAR = 365.0


def anchored_params(params: JumpDiffusionParams, level: Decimal) -> JumpDiffusionParams:
    """The model re-anchored at today's TPI level: X_0 = theta_0 = ln(level), t = 0 today."""
    if level <= 0:
        raise InvalidParameterError("level", level, "> 0")
    x = math.log(float(level))
    return params.with_changes(theta0=x, x0=x)


def year_fraction(today: date, day: date) -> float:
    """ACT/365 year fraction from ``today`` to ``day`` (the model's time unit)."""
    return (day - today).days / DAYS_PER_YEAR


def window_fair_value(
    params: JumpDiffusionParams,
    today: date,
    level: Decimal,
    window: Sequence[date],
    known_fixes: Mapping[date, Decimal] | None = None,
) -> Decimal:
    """Mean over ``window`` of the expected fix: known fixes (or today's level) for past days,
    the anchored model forward F(0, T_d) for days after today; in quote units, to one micro."""
    if not window:
        raise InvalidParameterError("window", window, "at least one day")
    known = known_fixes or {}
    past = [float(known.get(day, level)) for day in window if day <= today]
    future = [year_fraction(today, day) for day in window if day > today]
    total = sum(past)
    if future:
        anchored = anchored_params(params, level)
        total += float(forward_curve(anchored, future, 0.0, anchored.x0).sum())
    return usd_from_float(total / len(window))


def contract_fair_values(
    params: JumpDiffusionParams,
    today: date,
    level: Decimal,
    symbols: Sequence[str],
    known_fixes: Mapping[date, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Fair value per contract symbol (quote units, e.g. USD per million SIT)."""
    values: dict[str, Decimal] = {}
    for text in symbols:
        symbol = parse_symbol(text)
        window = settlement_window(spec_for_symbol(symbol), symbol)
        values[text] = window_fair_value(params, today, level, window, known_fixes)
    return values


def model_curve(
    params: JumpDiffusionParams, today: date, level: Decimal, days: Sequence[date]
) -> list[tuple[date, Decimal]]:
    """The anchored model forward F(0, T) at each day (for the dashboard's curve chart)."""
    anchored = anchored_params(params, level)
    taus = [max(0.0, year_fraction(today, day)) for day in days]
    forwards = forward_curve(anchored, taus, 0.0, anchored.x0)
    return [(day, usd_from_float(float(f))) for day, f in zip(days, forwards, strict=True)]
