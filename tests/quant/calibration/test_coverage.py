"""Each estimator recovers known parameters within its reported standard errors.

200 seeded replications per model: simulate from known parameters, fit, and count how often
the nominal 95 % Wald interval (observed information) holds the truth. Accepted: 90 %-99 %.
Designs are chosen where the asymptotics apply (reversion and jumps frequent enough to be seen).
"""

from __future__ import annotations

import numpy as np
import pytest
from simstudy import coverage

from tokenfutures.quant.calibration import MRJD, Model, RegimeTrend, StepJump, TrendGBM

REPS = 200

DESIGNS = {
    "gbm": (TrendGBM(), [-0.5, 0.4], 600),
    "step": (StepJump(), [30.0, -0.03, 0.1], 600),
    "regime": (RegimeTrend(), [-2.0, 1.0, 0.2, 0.6, 0.99, 0.98], 1000),
    "mrjd": (MRJD(), [20.0, 0.0, -0.5, 0.05, 0.3, 40.0, -0.05, 0.1], 1000),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(DESIGNS))
def test_wald_intervals_cover_the_truth(name: str) -> None:
    model, truth, n_obs = DESIGNS[name]
    assert isinstance(model, Model)
    hits, _means = coverage(model, np.array(truth), n_obs, REPS, seed=20261206)
    for param, share in zip(model.param_names, hits, strict=True):
        assert 0.90 <= share <= 0.99, f"{name}.{param}: 95 % intervals cover {share:.3f}"
