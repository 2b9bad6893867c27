"""A SPAN-style scan: 16 risk scenarios plus an intra-commodity calendar-spread charge.

Scenarios (CME SPAN): price moves 0, ±⅓, ±⅔, ±1 × the price scan range, each paired with a
volatility move up and down (no effect on futures, kept for the standard array), and two
extreme moves of ±3 × range counted at 35 %. All delivery months of the one commodity (SIT)
move together in the scan; the spread charge adds back the calendar risk that parallel
moves net away. Parameters: ADR 0404.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tokenfutures.clearing.margin.base import (
    FloatArray,
    MarginResult,
    check_positions,
    check_prices,
)
from tokenfutures.clearing.margin.volatility import TRADING_DAYS_PER_YEAR
from tokenfutures.core.errors import InvalidParameterError

EXTREME_MULTIPLE = 3.0
EXTREME_FRACTION = 0.35


def span_scenarios(
    extreme_multiple: float = EXTREME_MULTIPLE, extreme_fraction: float = EXTREME_FRACTION
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The 16 scenarios: (price move × range, volatility move ±1/0, weight counted)."""
    price: list[float] = []
    vol: list[float] = []
    for move in (0.0, 1 / 3, -1 / 3, 2 / 3, -2 / 3, 1.0, -1.0):
        for v in (1.0, -1.0):
            price.append(move)
            vol.append(v)
    price += [extreme_multiple, -extreme_multiple]
    vol += [0.0, 0.0]
    weight = [1.0] * 14 + [extreme_fraction] * 2
    return np.array(price), np.array(vol), np.array(weight)


@dataclass(frozen=True, slots=True)
class SpanMargin:
    """Scan risk over the 16 scenarios + calendar-spread charge; maintenance = ratio × initial.

    Parameters
    ----------
    contracts : tuple of str
        Column order of the positions matrix (all months of one commodity).
    scan_ranges : array
        Price scan range per contract, USD per lot.
    spread_charge : float
        USD charged per calendar spread (one long lot against one short lot).
    """

    contracts: tuple[str, ...]
    scan_ranges: FloatArray
    spread_charge: float
    maintenance_ratio: float = 0.75
    extreme_multiple: float = EXTREME_MULTIPLE
    extreme_fraction: float = EXTREME_FRACTION

    name = "span-scan"

    def __post_init__(self) -> None:
        check_prices(self.scan_ranges, self.contracts)
        if not math.isfinite(self.spread_charge) or self.spread_charge < 0:
            raise InvalidParameterError("spread_charge", self.spread_charge, "finite >= 0")

    def risk_array(self) -> FloatArray:
        """Weighted P&L of one long lot per contract in each scenario (contracts × 16)."""
        price, _vol, weight = span_scenarios(self.extreme_multiple, self.extreme_fraction)
        result: FloatArray = np.outer(self.scan_ranges, price * weight)
        return result

    def requirements(self, positions: FloatArray) -> MarginResult:
        """Scan risk (worst weighted scenario loss) plus the spread charge, per account."""
        pos = check_positions(positions, self.contracts)
        pnl = pos @ self.risk_array()
        scan = np.maximum(-pnl.min(axis=1), 0.0)
        longs = np.maximum(pos, 0.0).sum(axis=1)
        shorts = np.maximum(-pos, 0.0).sum(axis=1)
        spread = np.minimum(longs, shorts) * self.spread_charge
        initial = scan + spread
        return MarginResult(
            method=self.name,
            initial=initial,
            maintenance=initial * self.maintenance_ratio,
            breakdown={"scan_risk": scan, "spread_charge": spread},
        )


def span_from_volatility(
    contracts: tuple[str, ...],
    prices: FloatArray,
    sigma: FloatArray,
    alpha: float = 3.0,
    horizon_days: int = 2,
    spread_fraction: float = 0.3,
) -> SpanMargin:
    """SPAN parameters from volatility: range = α·σ·√(h/252)·price; spread = fraction × mean range."""
    p = check_prices(prices, contracts)
    ranges = (
        alpha
        * np.asarray(sigma, dtype=np.float64)
        * math.sqrt(horizon_days / TRADING_DAYS_PER_YEAR)
        * p
    )
    return SpanMargin(contracts, ranges, float(spread_fraction * ranges.mean()))
