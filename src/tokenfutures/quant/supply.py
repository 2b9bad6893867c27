"""The paper's three-factor token supply model (eq. 1-3) and the cost drift it implies.

Q_Token = eta_H * eta_A / C_E * K (eq. 1) and C_marginal = C_E / (eta_H * eta_A) (eq. 3). The model
is multiplicative, so growth rates add in logs: the log-growth of marginal cost is
g_E - g_H - g_A, where g_X = ln(annual growth factor of X).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tokenfutures.core.errors import InvalidParameterError


def _positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise InvalidParameterError(name, value, "> 0")


#: The three factors of eq. 1, as both ``SupplyFactors`` and ``SupplyGrowth`` name them.
_FACTORS = ("energy_cost", "hardware_efficiency", "algorithm_efficiency")


def _all_positive(factors: SupplyFactors | SupplyGrowth, suffix: str = "") -> None:
    """Each factor of ``factors`` > 0 (its name plus ``suffix`` in the error)."""
    for name in _FACTORS:
        _positive(name + suffix, getattr(factors, name))


@dataclass(frozen=True, slots=True)
class SupplyFactors:
    """Levels of the three supply factors at one date.

    Parameters
    ----------
    energy_cost : float
        C_E, unit energy cost in USD per kWh (> 0).
    hardware_efficiency : float
        eta_H, hardware efficiency in FLOPS per USD (> 0).
    algorithm_efficiency : float
        eta_A, algorithm efficiency in tokens per FLOP (> 0).
    """

    energy_cost: float
    hardware_efficiency: float
    algorithm_efficiency: float

    def __post_init__(self) -> None:
        _all_positive(self)


def token_supply(factors: SupplyFactors, investment: float) -> float:
    """Token supply capacity Q = eta_H * eta_A / C_E * K of eq. 1."""
    _positive("investment", investment)
    return (
        factors.hardware_efficiency
        * factors.algorithm_efficiency
        / factors.energy_cost
        * investment
    )


def marginal_cost(factors: SupplyFactors) -> float:
    """Marginal inference cost C_marginal = C_E / (eta_H * eta_A) of eq. 3."""
    return factors.energy_cost / (factors.hardware_efficiency * factors.algorithm_efficiency)


def annual_factor_from_cycle(gain_per_generation: float, cycle_months: float) -> float:
    """Annual growth factor of a quantity that gains ``gain_per_generation``x every ``cycle_months``."""
    _positive("gain_per_generation", gain_per_generation)
    _positive("cycle_months", cycle_months)
    return float(gain_per_generation ** (12.0 / cycle_months))


@dataclass(frozen=True, slots=True)
class SupplyGrowth:
    """Annual growth factors of the three supply factors (1.0 = flat, 2.0 = doubles each year).

    Parameters
    ----------
    energy_cost : float
        Annual factor of C_E (> 0).
    hardware_efficiency : float
        Annual factor of eta_H (> 0); see :func:`annual_factor_from_cycle` for GPU generations.
    algorithm_efficiency : float
        Annual factor of eta_A (> 0), e.g. 1.5 or 3.0 in the paper's sensitivity analysis.
    """

    energy_cost: float
    hardware_efficiency: float
    algorithm_efficiency: float

    def __post_init__(self) -> None:
        _all_positive(self, "_growth")

    @property
    def supply_log_growth(self) -> float:
        """Log-growth per year of supply per unit investment: g_H + g_A - g_E (paper §2.4)."""
        return (
            math.log(self.hardware_efficiency)
            + math.log(self.algorithm_efficiency)
            - math.log(self.energy_cost)
        )

    @property
    def cost_log_drift(self) -> float:
        """Log-drift per year of marginal cost, the negative of :attr:`supply_log_growth`."""
        return -self.supply_log_growth

    def factors_at(self, start: SupplyFactors, years: float) -> SupplyFactors:
        """The factor levels ``years`` after ``start`` under constant growth."""
        return SupplyFactors(
            energy_cost=start.energy_cost * self.energy_cost**years,
            hardware_efficiency=start.hardware_efficiency * self.hardware_efficiency**years,
            algorithm_efficiency=start.algorithm_efficiency * self.algorithm_efficiency**years,
        )
