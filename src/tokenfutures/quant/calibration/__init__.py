"""Calibration of price models to daily series, in the style of ``arch``: spec -> fit -> result.

>>> from tokenfutures.quant.calibration import MRJD, daily_series
>>> result = MRJD().fit(daily_series(dates, levels))      # doctest: +SKIP
>>> print(result.summary())                                # doctest: +SKIP

Models: :class:`MRJD` (the paper's mean-reverting jump-diffusion, exact transition
likelihood), :class:`StepJump` (pure-jump, sticky list prices), :class:`TrendGBM` and
:class:`RegimeTrend` (two-regime Markov-switching trend, Hamilton filter). Data, RNGs and
time are parameters; nothing here reads files. See ``docs/concepts/calibration.md``.
"""

from tokenfutures.quant.calibration.estimation import fit_model, numerical_hessian
from tokenfutures.quant.calibration.mrjd import MRJD, from_jump_diffusion, to_jump_diffusion
from tokenfutures.quant.calibration.regime import RegimeTrend
from tokenfutures.quant.calibration.result import FitResult
from tokenfutures.quant.calibration.series import DailySeries, daily_series
from tokenfutures.quant.calibration.simple import StepJump, TrendGBM
from tokenfutures.quant.calibration.spec import Model, ParamSpec

__all__ = [
    "MRJD",
    "DailySeries",
    "FitResult",
    "Model",
    "ParamSpec",
    "RegimeTrend",
    "StepJump",
    "TrendGBM",
    "daily_series",
    "fit_model",
    "from_jump_diffusion",
    "numerical_hessian",
    "to_jump_diffusion",
]
