"""Filtered historical-simulation VaR and expected shortfall (99 %, 2-day MPOR) with a stress floor.

Initial margin = max(ES at the confidence level over the filtered scenarios, VaR at the same
level over a stress-period scenario set) — the SPAN 2 / Prisma shape. ADR 0405.
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
from tokenfutures.clearing.margin.kernels import tail_losses
from tokenfutures.clearing.margin.volatility import price_moves
from tokenfutures.core.errors import InvalidParameterError


def tail_size(scenarios: int, confidence: float) -> int:
    """Number of scenarios in the tail beyond the ``confidence`` quantile (at least one)."""
    if not 0.5 <= confidence < 1.0:
        raise InvalidParameterError("confidence", confidence, "in [0.5, 1)")
    return max(1, math.ceil(round(scenarios * (1.0 - confidence), 9)))


def fractional_es(tail: FloatArray, scenarios: int, confidence: float) -> FloatArray:
    """ES of the ``tail`` rows (largest loss first) as the mean of the worst n·(1 − c) of n.

    The last whole scenario counts by the fraction of it inside the tail (Acerbi and Tasche
    2002), so the level moves the figure continuously rather than one scenario at a time.
    """
    k = tail_size(scenarios, confidence)
    mass = min(float(k), max(round(scenarios * (1.0 - confidence), 9), 1e-12))
    result: FloatArray = (tail[:, :k].sum(axis=1) - (k - mass) * tail[:, k - 1]) / mass
    return result


@dataclass(frozen=True, slots=True)
class HistoricalVarMargin:
    """FHS VaR/ES over scenario returns, floored by stress-period VaR.

    Parameters
    ----------
    contracts : tuple of str
        Column order of the positions matrix.
    prices : array
        Per-lot USD prices today.
    scenario_returns : array (contracts × scenarios)
        Filtered MPOR log returns (see ``volatility.filtered_scenarios``).
    stress_returns : array (contracts × stress scenarios)
        MPOR log returns of the stress period (unfiltered).
    """

    contracts: tuple[str, ...]
    prices: FloatArray
    scenario_returns: FloatArray
    stress_returns: FloatArray
    confidence: float = 0.99
    maintenance_ratio: float = 0.75
    name: str = "fhs-var"  # "hs-es" when the scenarios are unfiltered (ADR 0407)
    #: ES over n·(1 − confidence) scenarios, the last weighted by its fraction (ADR 0434);
    #: otherwise the mean of the ⌈n·(1 − confidence)⌉ worst.
    fractional_tail: bool = False

    def __post_init__(self) -> None:
        check_prices(self.prices, self.contracts)
        for label, arr in (
            ("scenario_returns", self.scenario_returns),
            ("stress_returns", self.stress_returns),
        ):
            if arr.ndim != 2 or arr.shape[0] != len(self.contracts) or arr.shape[1] < 1:
                raise InvalidParameterError(label, arr.shape, "(contracts × scenarios)")
        tail_size(self.scenario_returns.shape[1], self.confidence)

    def requirements(self, positions: FloatArray) -> MarginResult:
        """VaR, ES and stress VaR per account; initial = max(ES, stress VaR, 0)."""
        pos = check_positions(positions, self.contracts)
        k = tail_size(self.scenario_returns.shape[1], self.confidence)
        tail = tail_losses(pos, price_moves(self.prices, self.scenario_returns), k)
        ks = tail_size(self.stress_returns.shape[1], self.confidence)
        stress = tail_losses(pos, price_moves(self.prices, self.stress_returns), ks)
        var = np.maximum(tail[:, k - 1], 0.0)
        mean = fractional_es(tail, self.scenario_returns.shape[1], self.confidence)
        es = np.maximum(mean if self.fractional_tail else tail.mean(axis=1), 0.0)
        stress_var = np.maximum(stress[:, ks - 1], 0.0)
        initial = np.maximum(es, stress_var)
        return MarginResult(
            method=self.name,
            initial=initial,
            maintenance=initial * self.maintenance_ratio,
            breakdown={"var": var, "es": es, "stress_var": stress_var},
        )
