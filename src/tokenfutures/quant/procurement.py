"""A 12-month token procurement program hedged with monthly SIT futures (the paper gives no construction).

Conventions (ADR 0150):
- Time in years, 12 months of ``days_per_month`` daily TPI fixes each; the fixes of month m are
  the grid points in (m/12, (m+1)/12].
- Every SIT future settles on S_m, the arithmetic mean of the daily TPI over the month's first
  ``settlement_fixes`` fixes: the listed contract's window (1st of the month to the third
  Wednesday, ADR 0130), passed in as data because quant does not know the contract calendar.
  A_m, the mean over the whole month, is what the buyer's consumption follows.
- The enterprise buys Q M SIT each month from its own provider at the daily price
  P_t exp(b_t), averaged over the whole month; b is the provider's log-basis to the TPI, an
  OU process with mean 0. With zero basis volatility and a whole-month window the exposure is
  exactly the settlement measure; with the contract's window a window basis A_m - S_m remains.
- Forward of a window average = mean of F(t, t_d) over the window's fixing times t_d.
- Strip hedge: at t = 0 buy h lots of each of the 12 monthly futures at F_0m. Rolling hedge:
  at the start of month m buy h lots of month m's future at its then-forward F_{t_m, m}.
- Interest rates are zero; cost is reported per M SIT, so Q cancels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.hedging import HedgeEffectiveness, hedge_effectiveness, optimal_hedge
from tokenfutures.quant.moments import forward_curve
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.quant.process import simulate_log_paths

FloatArray = NDArray[np.float64]


class ForwardFunction(Protocol):
    """F(t, T | X_t = x) for many maturities and states: returns shape (len(x_t), len(maturities))."""

    def __call__(self, t: float, maturities: FloatArray, x_t: FloatArray) -> FloatArray: ...


def model_forward(params: JumpDiffusionParams) -> ForwardFunction:
    """The model's own F(t, T | X_t) (eq. 13) as a :class:`ForwardFunction`.

    ln F(t, T) = e^{-kappa (T - t)} X_t + A(t, T) is affine in X_t, so one call of
    :func:`~tokenfutures.quant.moments.forward_curve` at X_t = 0 (which is exp A) serves every path.
    """

    def forward(t: float, maturities: FloatArray, x_t: FloatArray) -> FloatArray:
        exp_a = forward_curve(params, maturities, t, x_t=0.0)
        decay = np.exp(-params.kappa * (np.asarray(maturities) - t))
        return np.asarray(np.exp(np.outer(x_t, decay)) * exp_a[None, :], dtype=np.float64)

    return forward


@dataclass(frozen=True, slots=True)
class ProcurementProgram:
    """The procurement program and the enterprise's basis to the TPI.

    Parameters
    ----------
    months : int
        Length of the program in months (> 0).
    days_per_month : int
        Daily TPI fixes per month (> 0); 21 trading days gives 252 a year.
    basis_sigma : float
        Volatility (>= 0, annualised) of the provider's log-basis to the TPI.
    basis_kappa : float
        Mean-reversion speed (> 0, per year) of the log-basis.
    settlement_fixes : int
        How many of each month's fixes, from the first, the futures settle on (1 to
        ``days_per_month``); the caller derives it from the contract's window (ADR 0130).
    """

    settlement_fixes: int = field(kw_only=True)
    months: int = 12
    days_per_month: int = 21
    basis_sigma: float = 0.25
    basis_kappa: float = 4.0

    def __post_init__(self) -> None:
        if self.months <= 0:
            raise InvalidParameterError("months", self.months, "> 0")
        if self.days_per_month <= 0:
            raise InvalidParameterError("days_per_month", self.days_per_month, "> 0")
        if not (math.isfinite(self.basis_sigma) and self.basis_sigma >= 0):
            raise InvalidParameterError("basis_sigma", self.basis_sigma, ">= 0")
        if not (math.isfinite(self.basis_kappa) and self.basis_kappa > 0):
            raise InvalidParameterError("basis_kappa", self.basis_kappa, "> 0")
        if not 1 <= self.settlement_fixes <= self.days_per_month:
            raise InvalidParameterError(
                "settlement_fixes", self.settlement_fixes, f"in [1, {self.days_per_month}]"
            )

    def grid(self) -> FloatArray:
        """Daily fixing times 0, 1/(12 d), ..., months/12."""
        steps = self.months * self.days_per_month
        return np.arange(steps + 1, dtype=np.float64) / (12.0 * self.days_per_month)

    def month_fixings(self, month: int) -> slice:
        """Grid indices of month ``month``'s daily fixes (0-based month)."""
        d = self.days_per_month
        return slice(month * d + 1, (month + 1) * d + 1)

    def settlement_fixings(self, month: int) -> slice:
        """Grid indices of the fixes month ``month``'s future settles on (its window)."""
        start = month * self.days_per_month + 1
        return slice(start, start + self.settlement_fixes)

    def basis_params(self) -> JumpDiffusionParams:
        """The log-basis as a jump-free OU around 0, simulated by the same exact simulator."""
        return JumpDiffusionParams(
            kappa=self.basis_kappa,
            theta0=0.0,
            beta=0.0,
            sigma=self.basis_sigma,
            jump_intensity=0.0,
            jump_mean=0.0,
            jump_std=0.0,
            season_amplitude=0.0,
            season_period=1.0,
            x0=0.0,
        )


@dataclass(frozen=True, slots=True)
class ProcurementOutcome:
    """Per-path results of the program (arrays of length n_paths unless said otherwise).

    ``cost`` is the unhedged average cost per M SIT; ``strip_payoff`` and ``rolling_payoff`` are
    the average futures payoffs per lot-month (S_m minus the price paid), so the hedged cost with
    ratio h is ``cost - h * payoff``. ``strip_prices`` (months,) are the t = 0 forwards;
    ``roll_prices`` (n_paths, months) the front-month forwards at each roll. ``monthly_index``
    is A_m (whole month), ``settlement_index`` S_m (the contract's window).
    """

    cost: FloatArray
    strip_payoff: FloatArray
    rolling_payoff: FloatArray
    strip_prices: FloatArray
    roll_prices: FloatArray
    monthly_index: FloatArray
    settlement_index: FloatArray

    def strip(self, ratio: float | None = None) -> HedgeEffectiveness:
        """Effectiveness of the strip hedge at ``ratio`` (None: the sample h*)."""
        if ratio is None:
            return optimal_hedge(self.cost, self.strip_payoff)
        return hedge_effectiveness(self.cost, self.strip_payoff, ratio)

    def rolling(self, ratio: float | None = None) -> HedgeEffectiveness:
        """Effectiveness of the rolling front-month hedge at ``ratio`` (None: the sample h*)."""
        if ratio is None:
            return optimal_hedge(self.cost, self.rolling_payoff)
        return hedge_effectiveness(self.cost, self.rolling_payoff, ratio)

    def roll_effect(self) -> FloatArray:
        """Per month, the mean of F_{t_m, m} - F_{0, m}: what waiting to hedge costs on average."""
        return np.asarray(np.mean(self.roll_prices - self.strip_prices, axis=0), dtype=np.float64)


def _monthly_means(
    values: FloatArray, program: ProcurementProgram, window: bool = False
) -> FloatArray:
    pick = program.settlement_fixings if window else program.month_fixings
    return np.stack([values[:, pick(m)].mean(axis=1) for m in range(program.months)], axis=1)


def simulate_procurement(
    params: JumpDiffusionParams,
    program: ProcurementProgram,
    forward: ForwardFunction,
    n_paths: int,
    rng: np.random.Generator,
) -> ProcurementOutcome:
    """Simulate the program on ``n_paths`` exact daily TPI paths and price its two hedges.

    Parameters
    ----------
    params : JumpDiffusionParams
        The TPI model.
    program : ProcurementProgram
        Length, fixing frequency and basis of the program.
    forward : ForwardFunction
        F(t, T | X_t) of the same model (the forward curve prices the futures).
    n_paths : int
        Number of simulated paths (> 0).
    rng : numpy.random.Generator
        Source of randomness (TPI paths first, then the basis).
    """
    times = program.grid()
    log_tpi = simulate_log_paths(params, times, n_paths, rng)
    tpi = np.exp(log_tpi)
    paid = tpi
    if program.basis_sigma > 0.0:
        paid = tpi * np.exp(simulate_log_paths(program.basis_params(), times, n_paths, rng))
    monthly_index = _monthly_means(tpi, program)
    settlement_index = _monthly_means(tpi, program, window=True)
    cost = _monthly_means(paid, program).mean(axis=1)
    d = program.days_per_month
    strip_prices = np.empty(program.months)
    roll_prices = np.empty((n_paths, program.months))
    for m in range(program.months):
        fixing_times = times[program.settlement_fixings(m)]
        strip_prices[m] = forward(0.0, fixing_times, np.array([params.x0]))[0].mean()
        roll_prices[:, m] = forward(float(times[m * d]), fixing_times, log_tpi[:, m * d]).mean(
            axis=1
        )
    return ProcurementOutcome(
        cost=cost,
        strip_payoff=(settlement_index - strip_prices).mean(axis=1),
        rolling_payoff=(settlement_index - roll_prices).mean(axis=1),
        strip_prices=strip_prices,
        roll_prices=roll_prices,
        monthly_index=monthly_index,
        settlement_index=settlement_index,
    )
