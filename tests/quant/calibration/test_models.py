"""Likelihoods against independent formulas; estimators against closed forms; diagnostics."""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import integrate, stats
from simstudy import grid_series, simulated

from tokenfutures.quant.calibration import (
    MRJD,
    DailySeries,
    Model,
    RegimeTrend,
    StepJump,
    TrendGBM,
    daily_series,
)
from tokenfutures.quant.calibration.mixture import Mixture

H = 1 / 365


def sim_series(model: Model, truth: list[float], n: int, seed: int) -> DailySeries:
    return simulated(model, truth, n, seed, resolution=1e-12)


def test_gbm_estimates_are_the_closed_form_mle() -> None:
    s = sim_series(TrendGBM(), [-0.4, 0.5], 800, 1)
    y = s.increments
    fit = TrendGBM().fit(s)
    sigma2 = np.var(y) / H  # MLE (ddof 0)
    assert fit.params["sigma"] == pytest.approx(math.sqrt(sigma2), rel=1e-4)
    assert fit.params["mu"] == pytest.approx(np.mean(y) / H + sigma2 / 2, abs=1e-3)
    # observed information of a normal: se(sigma) = sigma / sqrt(2n)
    assert fit.std_error("sigma") == pytest.approx(math.sqrt(sigma2 / (2 * y.size)), rel=1e-2)


def test_mrjd_without_jumps_is_the_exact_ou_transition() -> None:
    kappa, theta0, sigma = 3.0, 0.2, 0.4
    s = sim_series(TrendGBM(), [0.0, 0.5], 200, 2)
    x = s.log_levels
    decay = math.exp(-kappa * H)
    mean = x[:-1] * decay + theta0 * (1 - decay)
    sd = sigma * math.sqrt((1 - decay**2) / (2 * kappa))
    expected = stats.norm.logpdf(x[1:], mean, sd).sum()
    params = np.array([kappa, theta0, 0.0, 0.0, sigma, 1e-9, 0.0, 0.1])
    assert MRJD().loglikelihood(params, s) == pytest.approx(expected, rel=1e-8)


def test_step_model_likelihood_by_hand() -> None:
    levels = np.ones(40)
    levels[20:] = 0.9  # one repricing of ln 0.9
    s = DailySeries(grid_series(40).dates, levels, 1e-6, "x")
    lam, mu, sd = 10.0, -0.1, 0.05
    rv = s.rounding_var

    def density(y: float, v: float) -> float:
        return float(
            sum(
                stats.poisson.pmf(k, lam * H) * stats.norm.pdf(y, k * mu, math.sqrt(v + k * sd**2))
                for k in range(12)
            )
        )

    zero_days = [math.log(density(0.0, v)) for v in np.delete(rv, 19)]
    move = density(math.log(0.9), rv[19])
    expected = sum(zero_days) + math.log(move)
    assert StepJump().loglikelihood(np.array([lam, mu, sd]), s) == pytest.approx(expected, rel=1e-9)


def test_hamilton_filter_matches_brute_force_enumeration() -> None:
    rng = np.random.default_rng(3)
    levels = np.exp(np.cumsum(np.r_[0.0, rng.normal(0, 0.02, 8)]))
    s = DailySeries(tuple(date(2025, 1, 1) + timedelta(days=i) for i in range(9)), levels, 1e-9)
    p = np.array([-3.0, 2.0, 0.2, 0.6, 0.9, 0.7])
    y = s.increments
    pi1 = (1 - p[5]) / (2 - p[4] - p[5])
    trans = np.array([[p[4], 1 - p[4]], [1 - p[5], p[5]]])
    total = 0.0
    for path in itertools.product((0, 1), repeat=y.size):
        prob = (pi1 if path[0] == 0 else 1 - pi1) * np.prod(
            [trans[a, b] for a, b in itertools.pairwise(path)]
        )
        sd = np.sqrt(p[2 + np.array(path)] ** 2 * H + s.rounding_var)
        total += prob * np.prod(stats.norm.pdf(y, p[np.array(path)] * H, sd))
    assert RegimeTrend().loglikelihood(p, s) == pytest.approx(math.log(total), rel=1e-9)


def test_mixture_crps_matches_numerical_integration() -> None:
    mix = Mixture(np.array([[0.7, 0.3]]), np.array([[0.0, -0.2]]), np.array([[0.05, 0.1]]))
    y = 0.03

    def sq(x: float) -> float:
        cdf = 0.7 * stats.norm.cdf(x, 0, 0.05) + 0.3 * stats.norm.cdf(x, -0.2, 0.1)
        return float((cdf - (x >= y)) ** 2)

    numeric = integrate.quad(sq, -2, y, limit=200)[0] + integrate.quad(sq, y, 2, limit=200)[0]
    assert mix.crps(np.array([y]))[0] == pytest.approx(numeric, rel=1e-6)


def test_mrjd_on_a_random_walk_says_theta_is_not_identified() -> None:
    s = sim_series(StepJump(), [25.0, -0.03, 0.1], 600, 4)
    fit = MRJD().fit(s)
    assert {"theta0", "beta", "season_amplitude"} <= set(fit.unidentified)
    assert any("no mean reversion" in note for note in fit.notes)
    assert "not identified" in fit.summary()


def test_mrjd_recovers_a_mean_reverting_series_from_its_own_starts() -> None:
    truth = [15.0, 0.1, -0.5, 0.05, 0.3, 40.0, -0.05, 0.1]
    fit = MRJD().fit(sim_series(MRJD(), truth, 1500, 5))
    assert fit.converged
    assert not fit.unidentified
    z = (fit.estimates - np.array(truth)) / fit.std_errors
    assert np.all(np.abs(z) < 4.0), dict(zip(fit.param_names, z.round(2), strict=True))


def test_parametric_bootstrap_is_seeded_and_agrees_with_the_hessian() -> None:
    s = sim_series(TrendGBM(), [-0.4, 0.5], 600, 6)
    a = TrendGBM().fit(s, bootstrap=60, rng=np.random.default_rng(9))
    b = TrendGBM().fit(s, bootstrap=60, rng=np.random.default_rng(9))
    assert a.bootstrap_std_errors is not None
    assert b.bootstrap_std_errors is not None
    np.testing.assert_array_equal(a.bootstrap_std_errors, b.bootstrap_std_errors)
    ratio = a.bootstrap_std_errors / a.std_errors
    assert np.all((ratio > 0.7) & (ratio < 1.4)), ratio


def test_bootstrap_needs_a_generator() -> None:
    s = sim_series(TrendGBM(), [-0.4, 0.5], 100, 6)
    with pytest.raises(ValueError, match="Generator"):
        TrendGBM().fit(s, bootstrap=5)


def test_fixed_parameters_stay_fixed_and_do_not_count() -> None:
    s = sim_series(MRJD(), [15.0, 0.1, -0.5, 0.05, 0.3, 40.0, -0.05, 0.1], 600, 7)
    fit = MRJD().fit(s, fixed={"kappa": 2.5, "season_amplitude": 0.0})
    assert fit.params["kappa"] == 2.5
    assert fit.n_free == 6
    assert math.isnan(fit.std_error("kappa"))
    with pytest.raises(ValueError, match="names among"):
        MRJD().fit(s, fixed={"speed": 1.0})


def test_summary_and_dict_carry_the_window_and_criteria() -> None:
    s = daily_series(grid_series(50).dates, np.exp(np.linspace(0, -0.1, 50)), name="demo")
    fit = TrendGBM().fit(s)
    record = fit.to_dict()
    assert record["window"] == {"from": "2025-01-01", "to": "2025-02-19"}
    assert record["aic"] == pytest.approx(-2 * fit.loglik + 4)
    assert record["bic"] == pytest.approx(-2 * fit.loglik + 2 * math.log(49))
    assert "demo" in fit.summary()
