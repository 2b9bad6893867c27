"""h* and E against their closed forms (bivariate normal), and the procurement program's hedges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.quant.hedging import (
    effectiveness_from_correlation,
    hedge_effectiveness,
    hedge_ratio,
    hedge_ratio_from_moments,
    optimal_hedge,
    std_reduction_from_variance_reduction,
)


def bivariate_normal(
    rho: float, sigma_s: float, sigma_f: float, n: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    cov = [[sigma_s**2, rho * sigma_s * sigma_f], [rho * sigma_s * sigma_f, sigma_f**2]]
    draws = np.random.default_rng(seed).multivariate_normal([0.0, 0.0], cov, size=n)
    return draws[:, 0], draws[:, 1]


@settings(deadline=None, max_examples=20)
@given(
    rho=st.floats(-0.95, 0.95),
    sigma_s=st.floats(0.1, 5.0),
    sigma_f=st.floats(0.1, 5.0),
    seed=st.integers(0, 2**31),
)
def test_sample_ratio_and_effectiveness_match_closed_forms(
    rho: float, sigma_s: float, sigma_f: float, seed: int
) -> None:
    n = 40_000
    spot, fut = bivariate_normal(rho, sigma_s, sigma_f, n, seed)
    h_true = rho * sigma_s / sigma_f
    # sampling sd of the regression slope: sigma_s sqrt(1 - rho^2) / (sigma_f sqrt(n))
    slope_se = sigma_s * math.sqrt(1 - rho**2) / (sigma_f * math.sqrt(n))
    assert abs(hedge_ratio(spot, fut) - h_true) < 5 * slope_se
    # sampling sd of rho^2 is about 2 |rho| (1 - rho^2) / sqrt(n); near rho = 0 it is chi^2_1 / n
    tolerance = 5 * 2 * abs(rho) * (1 - rho**2) / math.sqrt(n) + 25 / n
    result = optimal_hedge(spot, fut)
    assert abs(result.variance_reduction - rho**2) < tolerance
    assert result.std_reduction == pytest.approx(1 - math.sqrt(1 - result.variance_reduction))


def test_closed_forms() -> None:
    assert hedge_ratio_from_moments(0.85, 2.0, 1.0) == pytest.approx(1.7)
    assert effectiveness_from_correlation(0.85) == pytest.approx(0.7225)
    # the paper's $1.80 -> $0.65: 64 % cut in sd is an 87 % cut in variance
    assert std_reduction_from_variance_reduction(1 - (0.65 / 1.80) ** 2) == pytest.approx(
        1 - 0.65 / 1.80
    )


def test_min_variance_ratio_beats_every_ratio_on_a_grid() -> None:
    spot, fut = bivariate_normal(0.7, 1.5, 1.0, 5_000, 3)
    best = optimal_hedge(spot, fut)
    for h in np.linspace(-1.0, 3.0, 81):
        assert best.sd_hedged <= hedge_effectiveness(spot, fut, float(h)).sd_hedged + 1e-12


def test_zero_ratio_changes_nothing() -> None:
    spot, fut = bivariate_normal(0.5, 1.0, 1.0, 1_000, 4)
    none = hedge_effectiveness(spot, fut, 0.0)
    assert none.variance_reduction == 0.0
    assert none.std_reduction == 0.0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: hedge_ratio_from_moments(1.5, 1.0, 1.0), "rho"),
        (lambda: hedge_ratio_from_moments(0.5, 1.0, 0.0), "sigma_futures"),
        (lambda: hedge_ratio([1.0, 2.0], [1.0, 2.0, 3.0]), "futures"),
        (lambda: hedge_ratio([1.0, 2.0], [1.0, 1.0]), "futures"),
        (lambda: hedge_ratio([1.0], [1.0]), "spot"),
        (lambda: hedge_effectiveness([1.0, 2.0], [1.0, 3.0], math.nan), "ratio"),
    ],
)
def test_bad_input_names_the_parameter(call: object, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()  # type: ignore[operator]
