"""The real TPI history read with the paper's Figure 6 statistics (one path, so no shares).

The paper's path statistics are shares over 10,000 simulated paths; the real index is one
path, so the report shows whether that path did the thing (a doubling from the start, a 5x
peak-to-trough swing) and its realised volatility term structure with the simulated
definition: the annualised sd of ln(P_{t+h} / P_t) over overlapping daily windows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from tokenfutures.core.errors import InvalidParameterError

VOL_HORIZON_MONTHS = (1, 3, 6, 12)


@dataclass(frozen=True, slots=True)
class PathStats:
    """Figure 6 statistics of the one real path."""

    first: date
    last: date
    start_level: float
    max_over_start: float
    max_rise: float
    peak_to_trough: float
    vol_by_months: dict[int, float]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "start_level": self.start_level,
            "max_over_start": self.max_over_start,
            "max_rise": self.max_rise,
            "peak_to_trough": self.peak_to_trough,
            "vol_by_months": {str(k): v for k, v in self.vol_by_months.items()},
        }


def _calendar_daily(levels: Sequence[tuple[date, Decimal]]) -> list[float]:
    by_day = dict(levels)
    day, last, out, level = levels[0][0], levels[-1][0], [], float(levels[0][1])
    while day <= last:
        level = float(by_day.get(day, level))
        out.append(level)
        day += timedelta(days=1)
    return out


def path_stats(levels: Sequence[tuple[date, Decimal]]) -> PathStats:
    """Statistics of a daily TPI history (carried over days without a fix)."""
    if len(levels) < 2:
        raise InvalidParameterError("levels", len(levels), "at least two fixes")
    ordered = sorted(levels)
    x = np.log(np.array(_calendar_daily(ordered)))
    running_max = np.maximum.accumulate(x)
    vols = {}
    for months in VOL_HORIZON_MONTHS:
        lag = round(months * 365 / 12)
        if lag < x.size - 1:
            changes = x[lag:] - x[:-lag]
            vols[months] = float(np.std(changes, ddof=1) / math.sqrt(months / 12))
    return PathStats(
        first=ordered[0][0],
        last=ordered[-1][0],
        start_level=float(ordered[0][1]),
        max_over_start=float(math.exp(x.max() - x[0])),
        max_rise=float(math.exp(np.max(x - np.minimum.accumulate(x)))),
        peak_to_trough=float(math.exp(np.max(running_max - x))),
        vol_by_months=vols,
    )
