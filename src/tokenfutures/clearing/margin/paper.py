"""The paper's margin rule, eq. 7: M_init = max(α·σ20·√T·V, M_floor), kept within 8–12 % of V.

Per contract and lot; an account's requirement is the gross sum over its positions (eq. 7
has no netting). Maintenance is 75 % of initial (§5.3). Choices of α, T, M_floor: ADR 0403.
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

#: Coverage coefficient (the paper: "typically 3, corresponding to 99.7 % confidence").
PAPER_ALPHA = 3.0
#: Holding period T: the 2-day margin period of risk of listed futures (EMIR RTS Art. 26).
PAPER_HOLDING_DAYS = 2


@dataclass(frozen=True, slots=True)
class PaperMargin:
    """Eq. 7 per lot, clipped to [floor, cap] × notional; maintenance = ratio × initial."""

    contracts: tuple[str, ...]
    prices: FloatArray  # USD per lot
    sigma20: FloatArray  # annualised
    alpha: float = PAPER_ALPHA
    holding_days: int = PAPER_HOLDING_DAYS
    floor_fraction: float | FloatArray = 0.08  # per contract or one for all
    cap_fraction: float | FloatArray = 0.12
    maintenance_ratio: float = 0.75

    name = "paper-eq7"

    def __post_init__(self) -> None:
        check_prices(self.prices, self.contracts)
        sig = np.asarray(self.sigma20, dtype=np.float64)
        if sig.shape != (len(self.contracts),) or np.any(~np.isfinite(sig)) or np.any(sig < 0):
            raise InvalidParameterError("sigma20", self.sigma20, "finite >= 0, one per contract")
        if self.alpha <= 0 or self.holding_days < 1:
            raise InvalidParameterError("alpha", (self.alpha, self.holding_days), "> 0 and >= 1")

    def per_lot(self) -> FloatArray:
        """Initial margin of one lot of each contract (USD)."""
        t_years = self.holding_days / TRADING_DAYS_PER_YEAR
        raw = self.alpha * np.asarray(self.sigma20) * math.sqrt(t_years) * self.prices
        floored = np.maximum(raw, self.floor_fraction * self.prices)
        result: FloatArray = np.minimum(floored, self.cap_fraction * self.prices)
        return result

    def requirements(self, positions: FloatArray) -> MarginResult:
        """Gross eq.-7 requirement per account (no netting across contracts)."""
        pos = np.abs(check_positions(positions, self.contracts))
        initial = pos @ self.per_lot()
        return MarginResult(
            method=self.name,
            initial=initial,
            maintenance=initial * self.maintenance_ratio,
            breakdown={"gross_notional": pos @ self.prices},
        )
