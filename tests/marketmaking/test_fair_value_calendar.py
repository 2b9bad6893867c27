"""Fair values on the calendar (ADR 0700 amended): the season follows dates, not quote days."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tokenfutures.marketmaking import PAPER_ORIGIN, CalendarModel, model_curve
from tokenfutures.quant.params import JumpDiffusionParams, preset

LEVEL = Decimal("0.30")


def seasonal(kappa: float = 50.0) -> JumpDiffusionParams:
    """No noise, no jumps, no trend: a fast-reverting price that follows its seasonal mean."""
    x = math.log(0.3)
    quiet = preset("paper").without_jumps()
    return quiet.with_changes(
        kappa=kappa, theta0=x, x0=x, beta=0.0, sigma=0.0, season_amplitude=0.1
    )


def peak_day(today: date) -> date:
    days = [today + timedelta(days=k) for k in range(365)]
    curve = model_curve(seasonal(), today, LEVEL, days)
    return max(curve, key=lambda point: point[1])[0]


@pytest.mark.parametrize("today", [date(2027, 1, 4), date(2027, 2, 15), date(2027, 3, 1)])
def test_the_seasonal_peak_is_a_calendar_date_whatever_the_quote_day(today: date) -> None:
    # sin(2 pi t) peaks a quarter-year after the origin's 1 January: about 2 April,
    # plus the lag of a kappa = 50 reversion (1/50 year, about a week)
    peak = peak_day(today)
    assert date(2027, 4, 2) <= peak <= date(2027, 4, 12)


def test_the_old_clock_would_have_peaked_three_months_after_each_quote() -> None:
    # re-anchoring every quote put the peak at today + 3 months; on the calendar it stays put
    assert peak_day(date(2027, 1, 4)) == peak_day(date(2027, 2, 15))


def test_a_fitted_model_keeps_its_own_origin_and_mean() -> None:
    model = CalendarModel.fitted(
        seasonal(kappa=5.0).with_changes(season_amplitude=0.0), PAPER_ORIGIN
    )
    today = date(2027, 6, 1)
    far = today + timedelta(days=3 * 365)
    # the price reverts to exp(theta0) = 0.30 from a level of 0.60
    value = model.forwards(today, Decimal("0.60"), [far])[0]
    assert value == pytest.approx(0.30, rel=1e-3)


def test_the_paper_curve_no_longer_rises_the_same_in_every_season() -> None:
    rises = []
    for today in (date(2027, 1, 1), date(2027, 6, 1)):
        curve = model_curve(preset("paper"), today, LEVEL, [today, today + timedelta(days=122)])
        assert curve[0][1] == LEVEL  # F(t, t) is today's fix
        rises.append(curve[1][1] / curve[0][1])
    # Table 3's jump drift still lifts both; the season now adds in winter, takes in summer
    assert rises[0] - rises[1] > Decimal("0.05")


def test_days_before_today_are_refused_by_the_model() -> None:
    model = CalendarModel.rebased(preset("paper"), date(2027, 1, 1), LEVEL)
    with pytest.raises(ValueError, match="days"):
        model.forwards(date(2027, 1, 1), LEVEL, [date(2026, 12, 31)])


def test_the_calibrated_preset_quotes_on_its_own_calendar_and_falls() -> None:
    from tokenfutures.marketmaking.fair_value import latest_calendar_model
    from tokenfutures.quant.calibration.presets import latest_preset

    model = latest_calendar_model()
    assert isinstance(model, CalendarModel)
    assert model.origin == latest_preset().origin  # the first day of its data window
    today = date(2026, 12, 7)
    curve = model_curve(model, today, LEVEL, [today, today + timedelta(days=122)])
    assert curve[0][1] == LEVEL
    assert curve[1][1] < LEVEL  # the fitted jumps are downward: the curve falls
