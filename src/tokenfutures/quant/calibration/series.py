"""A validated daily price series: the data every calibration model is fitted to.

Accepts a pandas Series with a DatetimeIndex (duck-typed: quant does not import pandas) or
a sequence of dates with a sequence of levels. Time is ACT/365 in years from the first date
(the series' origin), the unit of the paper's parameters.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core.errors import InvalidParameterError

FloatArray = NDArray[np.float64]
DAYS_PER_YEAR = 365.0
MIN_OBSERVATIONS = 30
#: Default precision of a published level (the TPI has six decimals).
DEFAULT_RESOLUTION = 1e-6


@dataclass(frozen=True, slots=True, eq=False)
class DailySeries:
    """Daily levels without gaps, as log levels on a year grid from the first date.

    Parameters
    ----------
    dates : tuple of date
        One strictly consecutive calendar day per level.
    levels : array of float
        Positive levels (e.g. USD per million SIT).
    resolution : float
        Absolute precision of the published levels; rounding noise of ``resolution**2 / 12``
        per level keeps likelihoods bounded when a sticky series repeats itself (ADR 0111).
    name : str
        Label for reports.
    """

    dates: tuple[date, ...]
    levels: FloatArray
    resolution: float = DEFAULT_RESOLUTION
    name: str = "series"
    step_days: int = 1

    @property
    def origin(self) -> date:
        """First date: t = 0 of the fitted model."""
        return self.dates[0]

    @property
    def log_levels(self) -> FloatArray:
        """X = ln(level)."""
        return np.log(self.levels)

    @property
    def times(self) -> FloatArray:
        """Years since the origin (ACT/365) of each observation."""
        return np.arange(self.levels.size, dtype=np.float64) * self.step_years

    @property
    def step_years(self) -> float:
        """Years between two observations (one day unless thinned)."""
        return self.step_days / DAYS_PER_YEAR

    @property
    def increments(self) -> FloatArray:
        """Daily log changes X_i - X_{i-1}."""
        return np.diff(self.log_levels)

    @property
    def rounding_var(self) -> FloatArray:
        """Variance of the rounding error of each increment (in log units)."""
        rel = (self.resolution / self.levels) ** 2 / 12.0
        return np.asarray(rel[1:] + rel[:-1], dtype=np.float64)

    @property
    def span_years(self) -> float:
        """Length of the sample in years."""
        return (self.levels.size - 1) * self.step_years

    def window(self, start: int, stop: int) -> DailySeries:
        """The observations ``start:stop`` as a new series (its own origin)."""
        return DailySeries(
            self.dates[start:stop],
            self.levels[start:stop],
            self.resolution,
            self.name,
            self.step_days,
        )

    def thin(self, every: int) -> DailySeries:
        """Every ``every``-th observation from the first (weekly: 7), for coarser sampling."""
        if every < 1:
            raise InvalidParameterError("every", every, ">= 1 day")
        return DailySeries(
            self.dates[::every],
            self.levels[::every],
            self.resolution,
            self.name,
            self.step_days * every,
        )

    def between(self, first: date | None, last: date | None) -> DailySeries:
        """The observations dated within ``[first, last]`` (either end open when None)."""
        lo = 0 if first is None else (first - self.origin).days
        hi = len(self.dates) if last is None else (last - self.origin).days + 1
        return daily_series(
            self.dates[max(lo, 0) : max(hi, 0)],
            self.levels[max(lo, 0) : max(hi, 0)],
            self.resolution,
            self.name,
        )


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return date.fromisoformat(str(value.astype("datetime64[D]")))
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        day = value.date()
        if isinstance(day, date):
            return day
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidParameterError("dates", value, "dates (date, datetime64, Timestamp or ISO text)")


def _first_gap(days: Sequence[date]) -> tuple[date, date] | None:
    one = timedelta(days=1)
    for before, after in itertools.pairwise(days):
        if after - before != one:
            return before, after
    return None


def daily_series(
    dates: Any,
    levels: Any = None,
    resolution: float = DEFAULT_RESOLUTION,
    name: str = "series",
) -> DailySeries:
    """Validate a daily series; raises ``InvalidParameterError`` naming what is wrong.

    Parameters
    ----------
    dates : pandas Series with a DatetimeIndex, or a sequence of dates
        With a Series, its index gives the dates and its values the levels.
    levels : sequence of float, optional
        The levels when ``dates`` is a plain sequence.
    resolution : float
        Absolute precision of the levels (default 1e-6: six decimals).
    name : str
        Label for reports.
    """
    if levels is None:
        if not (hasattr(dates, "index") and hasattr(dates, "to_numpy")):
            raise InvalidParameterError("levels", None, "given unless data is a pandas Series")
        levels = dates.to_numpy(dtype=np.float64)
        dates = list(dates.index)
    days = tuple(_as_date(d) for d in dates)
    values = np.asarray(levels, dtype=np.float64).copy()
    if values.ndim != 1 or values.size != len(days):
        raise InvalidParameterError("levels", values.shape, f"one level per date ({len(days)})")
    if len(days) < MIN_OBSERVATIONS:
        raise InvalidParameterError(
            "data", f"{len(days)} observations", f"at least {MIN_OBSERVATIONS} daily observations"
        )
    bad = np.flatnonzero(~(np.isfinite(values) & (values > 0)))
    if bad.size:
        i = int(bad[0])
        raise InvalidParameterError(
            "levels", f"{values[i]} on {days[i]}", "positive and finite (prices are > 0)"
        )
    gap = _first_gap(days)
    if gap is not None:
        raise InvalidParameterError(
            "dates", f"gap from {gap[0]} to {gap[1]}", "consecutive calendar days without gaps"
        )
    if not (math.isfinite(resolution) and resolution > 0):
        raise InvalidParameterError("resolution", resolution, "> 0")
    values.setflags(write=False)
    return DailySeries(days, values, float(resolution), name)
