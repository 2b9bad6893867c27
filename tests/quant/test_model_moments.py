"""Closed-form moments, E[P_T] and the forward curve against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from tokenfutures.quant.models import GBMParams
from tokenfutures.quant.moments import (
    expected_price,
    forward_a,
    forward_curve,
    jump_cumulant,
    log_moments,
    model_vol_term_structure,
)
from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.process import theta_integral

P = PAPER_TABLE3


def test_theta_integral_matches_numerical_quadrature() -> None:
    for a, b in [(0.0, 0.25), (0.3, 1.7), (2.0, 2.01)]:
        direct, _ = integrate.quad(
            lambda s, b=b: P.kappa * math.exp(-P.kappa * (b - s)) * P.theta(s), a, b
        )
        assert theta_integral(P, np.array([a]), np.array([b]))[0] == pytest.approx(
            direct, rel=1e-10
        )


def test_jump_cumulant_matches_the_power_series_for_fixed_jump_sizes() -> None:
    # sigma_J = 0: lambda * sum_n m^n (1 - e^{-n kappa tau}) / (n kappa n!)
    p = P.with_changes(jump_std=0.0, jump_mean=0.3, jump_intensity=4.0)
    for tau in (0.1, 1.0, 5.0):
        series = sum(
            0.3**n * (1 - math.exp(-n * p.kappa * tau)) / (n * p.kappa * math.factorial(n))
            for n in range(1, 30)
        )
        assert jump_cumulant(p, [tau])[0] == pytest.approx(4.0 * series, rel=1e-10)


def test_jump_cumulant_is_evaluated_in_any_order_of_horizons() -> None:
    taus = np.array([3.0, 0.5, 1.0, 0.5, 0.0])
    one_by_one = np.array([jump_cumulant(P, [t])[0] for t in taus])
    np.testing.assert_allclose(jump_cumulant(P, taus), one_by_one, rtol=1e-11, atol=1e-15)


def test_no_jumps_gives_the_gaussian_ou_moments() -> None:
    p = P.without_jumps().with_changes(beta=0.0, season_amplitude=0.0, theta0=0.0, x0=1.0)
    mean, var = log_moments(p, [0.7])
    assert mean[0] == pytest.approx(math.exp(-p.kappa * 0.7))
    assert var[0] == pytest.approx(p.sigma**2 * (1 - math.exp(-2 * p.kappa * 0.7)) / (2 * p.kappa))
    assert expected_price(p, [0.7])[0] == pytest.approx(math.exp(mean[0] + var[0] / 2))


def test_long_run_variance_includes_the_jump_second_moment() -> None:
    _, var = log_moments(P, [50.0])
    expected = (P.sigma**2 + P.jump_intensity * (P.jump_mean**2 + P.jump_std**2)) / (2 * P.kappa)
    assert var[0] == pytest.approx(expected, rel=1e-12)


def test_moments_at_the_conditioning_time_are_degenerate() -> None:
    mean, var = log_moments(P, [1.0], t=1.0, x_t=0.2)
    assert (mean[0], var[0]) == (pytest.approx(0.2), 0.0)
    assert forward_curve(P, [1.0], t=1.0, x_t=0.2)[0] == pytest.approx(math.exp(0.2))


def test_forward_is_exp_of_decayed_state_plus_a_independent_of_the_state() -> None:
    T = np.array([1.25, 2.0, 4.0])
    for x_t in (-0.5, 0.0, 1.3):
        log_f = np.log(forward_curve(P, T, t=1.0, x_t=x_t))
        np.testing.assert_allclose(
            log_f, np.exp(-P.kappa * (T - 1.0)) * x_t + forward_a(P, T, t=1.0)
        )


def test_forward_equals_physical_expectation_without_risk_premium_and_falls_with_one() -> None:
    T = np.linspace(0.1, 3.0, 7)
    np.testing.assert_allclose(forward_curve(P, T), expected_price(P, T, measure="P"))
    priced = P.with_changes(market_price_of_risk=0.3)
    assert np.all(forward_curve(priced, T) < expected_price(priced, T, measure="P"))
    # the Q drift shift is -lambda_r sigma: ln F moves by -lambda_r sigma (1 - e^{-kappa tau}) / kappa
    shift = np.log(forward_curve(priced, T) / forward_curve(P, T))
    np.testing.assert_allclose(shift, -0.3 * P.sigma * -np.expm1(-P.kappa * T) / P.kappa)


def test_mean_satisfies_the_tower_property() -> None:
    # E[X_T] = E[E[X_T | X_s]] and the conditional mean is affine in X_s with slope e^{-kappa(T-s)}
    s, T = 0.4, 1.5
    mean_s, _ = log_moments(P, [s])
    mean_t, var_t = log_moments(P, [T])
    via_s, var_s_to_t = log_moments(P, [T], t=s, x_t=float(mean_s[0]))
    assert mean_t[0] == pytest.approx(via_s[0], rel=1e-12)
    _, var_s = log_moments(P, [s])
    total = math.exp(-2 * P.kappa * (T - s)) * var_s[0] + var_s_to_t[0]
    assert var_t[0] == pytest.approx(total, rel=1e-12)


def test_gbm_moments() -> None:
    g = GBMParams(mu=-0.3, sigma=0.5, x0=math.log(2.0))
    mean, var = log_moments(g, [2.0])
    assert mean[0] == pytest.approx(math.log(2.0) + (-0.3 - 0.125) * 2.0)
    assert var[0] == pytest.approx(0.5)
    assert expected_price(g, [2.0])[0] == pytest.approx(2.0 * math.exp(-0.6))
    np.testing.assert_allclose(model_vol_term_structure(g, [0.25, 1.0, 3.0]), 0.5)


def test_model_vol_term_structure_falls_with_mean_reversion() -> None:
    vols = model_vol_term_structure(P, [1 / 12, 0.25, 0.5, 1.0, 2.0, 3.0])
    assert np.all(np.diff(vols) < 0)
    sd_small = math.sqrt(P.sigma**2 + P.jump_intensity * (P.jump_mean**2 + P.jump_std**2))
    assert model_vol_term_structure(P, [1e-6])[0] == pytest.approx(sd_small, rel=1e-4)
