"""Likelihood-ratio tests, information criteria and rolling-origin forecasts."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from simstudy import grid_series, simulated

from tokenfutures.quant.calibration import DailySeries, StepJump, TrendGBM
from tokenfutures.quant.calibration.compare import compare_models, ranked, table3_comparison
from tokenfutures.quant.calibration.selection import (
    break_test,
    information_table,
    lr_test,
    origins,
    rolling_forecasts,
)


def test_lr_statistic_and_chi_square_p_value() -> None:
    s = simulated(TrendGBM(), [-0.4, 0.5], 200, 1)
    full = TrendGBM().fit(s)
    small = replace(full, loglik=full.loglik - 1.92, n_free=1)
    test = lr_test("mu", small, full)
    assert test.statistic == pytest.approx(3.84)
    assert test.df == 1
    assert test.p_value == pytest.approx(0.05, abs=1e-3)  # chi2(1) 95 % point is 3.84
    on_edge = lr_test("edge", small, full, boundary=True)
    assert on_edge.p_value == pytest.approx(0.025, abs=1e-3)
    with pytest.raises(ValueError, match="more parameters"):
        lr_test("wrong way", full, small)


def test_information_table_orders_by_aic_and_weights_sum_to_one() -> None:
    s = simulated(TrendGBM(), [-0.4, 0.5], 300, 2)
    fits = [TrendGBM().fit(s), StepJump().fit(s)]
    table = information_table(fits)
    assert table[0]["model"] == "gbm"  # the data are a GBM
    assert table[0]["delta_aic"] == 0.0
    assert math.fsum(float(r["akaike_weight"]) for r in table) == pytest.approx(1.0)


def test_ten_origins_split_the_tail_into_equal_blocks() -> None:
    splits = origins(603, 10, 301)
    assert len(splits) == 10
    assert splits[-1][1] == 603
    assert {b - a for a, b in splits} == {30}
    with pytest.raises(ValueError, match="forecast origins"):
        origins(40, 10, 35)


def test_out_of_sample_prefers_the_model_that_made_the_data() -> None:
    s = simulated(StepJump(), [30.0, -0.03, 0.1], 500, 3)
    scores = ranked(rolling_forecasts([TrendGBM(), StepJump()], s, n_origins=10))
    assert [f.model for f in scores] == ["step", "gbm"]
    assert scores[0].n_forecasts == 10 * ((500 - 250) // 10)
    assert scores[0].crps < scores[1].crps


def test_pit_of_the_true_model_is_calibrated() -> None:
    s = simulated(TrendGBM(), [0.0, 0.5], 800, 4)
    (score,) = rolling_forecasts([TrendGBM()], s, n_origins=10)
    assert 0.40 <= score.coverage_50 <= 0.60
    assert 0.84 <= score.coverage_90 <= 0.96


def test_compare_runs_every_model_and_the_table3_tests() -> None:
    s = simulated(StepJump(), [30.0, -0.03, 0.1], 400, 5)
    comparison = compare_models(s, n_origins=10)
    assert set(comparison.fits) == {"mrjd", "step", "gbm", "regime"}
    names = [t.name for t in comparison.tests]
    assert "paper Table 3 dynamics (theta0 free)" in names
    table3 = next(t for t in comparison.tests if t.name.startswith("paper Table 3"))
    assert table3.df == 7
    assert table3.p_value < 1e-6  # the data have no diffusion and no reversion
    rows = {r["parameter"]: r for r in table3_comparison(comparison.fits["mrjd"])}
    assert rows["kappa"]["table3_assumed"] == 2.5
    assert len(comparison.forecasts) == 4
    assert comparison.to_dict()["forecast_ranking"][-1] == "gbm"


def test_break_test_finds_a_change_in_the_jump_rate_and_not_a_constant_one() -> None:
    quiet = simulated(StepJump(), [8.0, -0.01, 0.03], 400, 6)
    busy = simulated(StepJump(), [60.0, -0.05, 0.1], 401, 7)
    joined = DailySeries(
        grid_series(800).dates,
        np.r_[quiet.levels, quiet.levels[-1] * busy.levels[1:] / busy.levels[0]],
        1e-6,
        "joined",
    )
    at = joined.dates[400]
    broken = break_test(StepJump(), joined, at)
    assert broken.df == 3
    assert broken.p_value < 1e-3
    steady = break_test(StepJump(), simulated(StepJump(), [30.0, -0.03, 0.1], 800, 8), at)
    assert steady.p_value > 0.01
    with pytest.raises(ValueError, match="inside the series"):
        break_test(StepJump(), joined, joined.dates[0])
