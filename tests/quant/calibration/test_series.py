"""Data validation: what a daily series must be, and one clear error when it is not."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.calibration import TrendGBM, daily_series

START = date(2025, 3, 1)


def days(n: int) -> list[date]:
    return [START + timedelta(days=i) for i in range(n)]


def test_a_pandas_series_with_a_datetime_index_is_accepted() -> None:
    index = pd.date_range("2025-03-01", periods=40, freq="D")
    s = daily_series(pd.Series(np.linspace(1.0, 2.0, 40), index=index), name="x")
    assert s.origin == START
    assert s.increments.size == 39
    assert s.times[1] == pytest.approx(1 / 365)


def test_fit_accepts_dates_and_levels_directly() -> None:
    levels = np.exp(np.cumsum(np.r_[0.0, np.full(59, 0.001)]))
    result = TrendGBM().fit(days(60), levels)
    assert result.nobs == 59
    assert result.start == START


@pytest.mark.parametrize(
    ("dates", "levels", "says"),
    [
        (days(10), np.ones(10), "at least 30 daily observations"),
        (days(40), np.r_[np.ones(39), 0.0], "positive"),
        (days(40), np.r_[np.ones(20), -1.0, np.ones(19)], "positive"),
        (days(40), np.r_[np.ones(20), np.nan, np.ones(19)], "positive"),
        ([*days(20), *[d + timedelta(days=25) for d in days(20)]], np.ones(40), "gap"),
        (days(40), np.ones(39), "one level per date"),
        (["2025-03-01", "soon", *days(38)], np.ones(40), "dates"),
    ],
)
def test_bad_input_is_one_clear_error(dates: list[object], levels: object, says: str) -> None:
    with pytest.raises(InvalidParameterError, match=says):
        daily_series(dates, levels)


def test_the_gap_error_names_where_it_is() -> None:
    dates = [*days(20), *[START + timedelta(days=22 + i) for i in range(20)]]
    with pytest.raises(InvalidParameterError, match="2025-03-20 to 2025-03-23"):
        daily_series(dates, np.ones(40))


def test_thinning_keeps_every_kth_level_and_scales_time() -> None:
    s = daily_series(days(70), np.arange(1.0, 71.0)).thin(7)
    assert s.levels.tolist() == [1.0, 8.0, 15.0, 22.0, 29.0, 36.0, 43.0, 50.0, 57.0, 64.0]
    assert s.step_years == pytest.approx(7 / 365)
    assert s.dates[1] == START + timedelta(days=7)
