"""Parameters of the paper's mean-reverting jump-diffusion (eq. 11-12), frozen and validated."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from tokenfutures.core.errors import InvalidParameterError


def _require(name: str, value: float, ok: bool, requirement: str) -> None:
    if not (math.isfinite(value) and ok):
        raise InvalidParameterError(name, value, requirement)


@dataclass(frozen=True, slots=True)
class JumpDiffusionParams:
    """Parameters of dX = kappa(theta_t - X)dt + sigma dW + J dN, theta_t = theta0 + beta t + gamma sin(2 pi t / T).

    Time is in years, X = ln(price in USD per M SIT).

    Parameters
    ----------
    kappa : float
        Mean-reversion speed (> 0), per year.
    theta0 : float
        Initial long-term mean of the log price.
    beta : float
        Trend of the long-term mean, per year (negative: technology-driven decline).
    sigma : float
        Diffusion volatility (>= 0), annualised.
    jump_intensity : float
        Poisson jump rate lambda (>= 0), per year.
    jump_mean : float
        Mean mu_J of the normal log-jump size.
    jump_std : float
        Standard deviation sigma_J (>= 0) of the log-jump size.
    season_amplitude : float
        Seasonal amplitude gamma of the long-term mean.
    season_period : float
        Seasonal period T_season (> 0), years.
    x0 : float
        Initial log price X_0.
    market_price_of_risk : float
        Constant shift of the drift under Q (units of sigma); 0 = physical and risk-neutral coincide.
    """

    kappa: float
    theta0: float
    beta: float
    sigma: float
    jump_intensity: float
    jump_mean: float
    jump_std: float
    season_amplitude: float
    season_period: float
    x0: float
    market_price_of_risk: float = 0.0

    def __post_init__(self) -> None:
        _require("kappa", self.kappa, self.kappa > 0, "> 0")
        _require("sigma", self.sigma, self.sigma >= 0, ">= 0")
        _require("jump_intensity", self.jump_intensity, self.jump_intensity >= 0, ">= 0")
        _require("jump_std", self.jump_std, self.jump_std >= 0, ">= 0")
        _require("season_period", self.season_period, self.season_period > 0, "> 0")
        for name in (
            "theta0",
            "beta",
            "jump_mean",
            "season_amplitude",
            "x0",
            "market_price_of_risk",
        ):
            value = getattr(self, name)
            _require(name, value, True, "a finite number")

    @property
    def half_life_years(self) -> float:
        """Half-life ln 2 / kappa of a deviation from the long-term mean."""
        return math.log(2.0) / self.kappa

    def theta(self, t: float) -> float:
        """The long-term mean theta_t of eq. 12."""
        return (
            self.theta0
            + self.beta * t
            + self.season_amplitude * math.sin(2.0 * math.pi * t / self.season_period)
        )

    def with_changes(self, **changes: Any) -> JumpDiffusionParams:
        """A validated copy with some fields changed."""
        return replace(self, **changes)

    def without_jumps(self) -> JumpDiffusionParams:
        """The mean-reverting model without jumps (for model comparison)."""
        return replace(self, jump_intensity=0.0)

    def risk_neutral(self) -> JumpDiffusionParams:
        """The same process under Q: drift shifted by -lambda_r sigma, i.e. theta0 by -lambda_r sigma / kappa.

        Jump law unchanged (no jump risk premium); ``market_price_of_risk`` of the result is 0.
        """
        shift = self.market_price_of_risk * self.sigma / self.kappa
        return replace(self, theta0=self.theta0 - shift, market_price_of_risk=0.0)

    def to_dict(self) -> dict[str, float]:
        """Plain dict, for results files."""
        return asdict(self)


#: The paper's Table 3 (X_0 = theta_0 = ln 2, the paper's implied starting level of $2.0/M SIT).
PAPER_TABLE3 = JumpDiffusionParams(
    kappa=2.5,
    theta0=math.log(2.0),
    beta=-0.35,
    sigma=0.40,
    jump_intensity=3.0,
    jump_mean=0.10,
    jump_std=0.25,
    season_amplitude=0.08,
    season_period=1.0,
    x0=math.log(2.0),
)

PRESETS: dict[str, JumpDiffusionParams] = {"paper": PAPER_TABLE3}
#: The latest calibrated MRJD preset of the TPI (``quant.calibration.presets``, ADR 0113).
CALIBRATED = "calibrated"


def preset(name: str) -> JumpDiffusionParams:
    """A named parameter preset (``paper``: Table 3; ``calibrated``: the latest TPI fit).

    Raises ``ValueError`` naming the known presets otherwise.
    """
    if name == CALIBRATED:
        from tokenfutures.quant.calibration.presets import latest_preset

        return latest_preset().params()
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(sorted([*PRESETS, CALIBRATED]))
        raise InvalidParameterError("preset", name, f"one of: {known}") from None
