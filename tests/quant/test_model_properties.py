"""Properties of the closed forms over random valid parameters (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.quant.moments import expected_price, forward_curve, jump_cumulant, log_moments
from tokenfutures.quant.params import JumpDiffusionParams

params_strategy = st.builds(
    JumpDiffusionParams,
    kappa=st.floats(0.05, 10.0),
    theta0=st.floats(-3.0, 3.0),
    beta=st.floats(-1.0, 1.0),
    sigma=st.floats(0.0, 1.5),
    jump_intensity=st.floats(0.0, 20.0),
    jump_mean=st.floats(-0.5, 0.5),
    jump_std=st.floats(0.0, 0.6),
    season_amplitude=st.floats(-0.3, 0.3),
    season_period=st.floats(0.1, 3.0),
    x0=st.floats(-3.0, 3.0),
    market_price_of_risk=st.floats(-1.0, 1.0),
)
horizons = st.lists(st.floats(0.0, 5.0), min_size=1, max_size=5)


@settings(deadline=None, max_examples=60)
@given(params_strategy, horizons)
def test_jensen_bounds_hold(params: JumpDiffusionParams, taus: list[float]) -> None:
    mean, var = log_moments(params, taus)
    price = expected_price(params, taus)
    assert np.all(var >= 0)
    # E[e^X] >= e^{E X}, with equality only without randomness
    assert np.all(np.log(price) >= mean - 1e-9)
    # jumps alone: ln E[e^S] >= E[S]
    jump_mean = (
        params.jump_intensity
        * params.jump_mean
        * -np.expm1(-params.kappa * np.array(taus))
        / params.kappa
    )
    assert np.all(jump_cumulant(params, taus) >= jump_mean - 1e-9)


@settings(deadline=None, max_examples=60)
@given(params_strategy, horizons)
def test_without_jumps_the_price_is_lognormal(
    params: JumpDiffusionParams, taus: list[float]
) -> None:
    p = params.without_jumps()
    mean, var = log_moments(p, taus)
    np.testing.assert_allclose(expected_price(p, taus), np.exp(mean + var / 2), rtol=1e-12)


@settings(deadline=None, max_examples=40)
@given(params_strategy, st.floats(0.0, 2.0), st.floats(0.0, 3.0), st.floats(-2.0, 2.0))
def test_forward_starts_at_spot_and_is_log_affine_in_the_state(
    params: JumpDiffusionParams, t: float, tau: float, x_t: float
) -> None:
    spot = forward_curve(params, [t], t=t, x_t=x_t)[0]
    assert math.isclose(spot, math.exp(x_t), rel_tol=1e-12)
    f1 = forward_curve(params, [t + tau], t=t, x_t=x_t)[0]
    f2 = forward_curve(params, [t + tau], t=t, x_t=x_t + 0.5)[0]
    assert math.isclose(
        math.log(f2 / f1), 0.5 * math.exp(-params.kappa * tau), rel_tol=1e-9, abs_tol=1e-12
    )
