"""The live margin method by name, its warm-up floor, its backtest, and the default's coverage."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tokenfutures.clearing.backtest import (
    KupiecResult,
    count_breaches,
    coverage_backtest,
    hs_es_im_series,
    kupiec_pof,
)
from tokenfutures.clearing.live_backtest import live_backtest, live_im_series
from tokenfutures.clearing.margin.live import (
    DEFAULT_LIVE_METHOD,
    HS_ES,
    LIVE_METHODS,
    HsEsConfig,
    live_method,
    per_lot_bound,
)
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.quant.calibration.presets import latest_preset
from tokenfutures.quant.process import simulate_log_paths, uniform_grid

from .helpers import sit

CLI = str(Path(sys.executable).with_name("tokenfutures"))
CONTRACTS = [sit("SITZ26"), sit("SITF27")]


def _walk(days: int, seed: int, start: int = 300) -> list[int]:
    rng = np.random.default_rng(seed)
    return (
        np.maximum(np.rint(start * np.exp(np.cumsum(rng.normal(0, 0.03, days)))), 1)
        .astype(int)
        .tolist()
    )


@pytest.mark.parametrize(
    ("confidence", "mass"),
    [(HS_ES.confidence, 249 * (1 - HS_ES.confidence)), (1 - 3 / 249, 3.0), (0.99, 2.49)],
)
def test_hs_es_of_one_long_lot_is_the_mean_of_the_worst_fractional_tail(
    confidence: float, mass: float
) -> None:
    ticks = _walk(300, 1)
    history = {"SITZ26": ticks, "SITF27": _walk(300, 2)}
    marks = {"SITZ26": ticks[-1], "SITF27": history["SITF27"][-1]}
    method = live_method("hs-es", CONTRACTS, marks, history, HsEsConfig(confidence))
    assert method.name == "hs-es"
    window = np.array(ticks[-251:], dtype=float) / 100  # USD per lot (1M SIT × $/M)
    moves = np.sort(window[2:] / window[:-2] - 1.0)  # 249 two-day moves, worst first
    whole = math.floor(mass + 1e-9)  # the worst `whole` count fully, the next by the rest
    tail = moves[:whole].sum() + (mass - whole) * moves[whole]
    expected = -tail / mass * ticks[-1] / 100
    got = method.requirements(np.array([[1.0, 0.0]])).initial[0]
    assert got == pytest.approx(expected, rel=1e-9)
    long_im, _short = hs_es_im_series(window[None, :], confidence=confidence)
    assert long_im[0, -1] == pytest.approx(expected, rel=1e-9)


def test_warm_up_is_floored_by_eq7_and_short_history_is_eq7() -> None:
    marks = {"SITZ26": 300, "SITF27": 300}
    assert live_method("hs-es", CONTRACTS, marks, {}).name == "paper-eq7"
    history = {"SITZ26": [300, 300, 300, 300, 300, 301], "SITF27": [300] * 6}
    quiet = live_method("hs-es", CONTRACTS, marks, history)
    # almost no moves: ES is tiny, the eq. 7 floor (8 % of $3.00) holds
    assert quiet.requirements(np.array([[1.0, 0.0]])).initial[0] == pytest.approx(0.24)
    with pytest.raises(InvalidParameterError):
        live_method("var-99", CONTRACTS, marks, history)


@pytest.mark.parametrize("name", LIVE_METHODS)
def test_single_lot_bound_covers_random_portfolios(name: str) -> None:
    history = {"SITZ26": _walk(300, 3), "SITF27": _walk(260, 4, 310)}
    marks = {s: h[-1] for s, h in history.items()}
    method = live_method(name, CONTRACTS, marks, history)
    bound = per_lot_bound(method)
    rng = np.random.default_rng(9)
    portfolios = rng.integers(-40, 41, size=(200, 2)).astype(float)
    required = method.requirements(portfolios).initial
    if name == "span-scan":  # the spread charge is no single-lot figure: no bound claimed
        return
    assert np.all(required <= np.abs(portfolios) @ bound + 1e-9)


def test_live_series_equals_the_backtest_series_after_the_warm_up() -> None:
    prices = np.array(_walk(400, 6), dtype=float) / 100
    long_live, short_live = live_im_series("hs-es", prices)
    long_bt, short_bt = hs_es_im_series(prices[None, :], confidence=HS_ES.confidence)
    assert np.allclose(long_live[0, 250:], long_bt[0, 250:])
    assert np.allclose(short_live[0, 250:], short_bt[0, 250:])
    assert np.all(long_live[0, :250] >= 0.08 * prices[:250] - 1e-12)
    result = live_backtest("hs-es", prices)
    assert result is not None
    assert result.observations == 2 * (400 - 2)
    assert live_backtest("hs-es", prices[:2]) is None


def test_default_passes_kupiec_on_the_calibrated_model_where_eq7_fails() -> None:
    # ADR 0407's figures are on the tpi-1.0 preset (the settlement series' preset is tpi-2.0's)
    tpi1 = latest_preset("tpi-1.0").params()
    logs = simulate_log_paths(tpi1, uniform_grid(2.0, 504), 200, np.random.default_rng(0))
    prices = np.maximum(np.rint(np.exp(logs) / 1e-5), 1.0) * 1e-5
    results = coverage_backtest(prices)
    assert DEFAULT_LIVE_METHOD == "hs-es"
    assert not results["hs-es"].rejected
    assert abs(results["hs-es"].breach_rate - 0.01) < 0.001
    # the 8-12 % band cannot hold jumps of ~10 % twice a month
    assert results["paper-eq7"].rejected
    assert results["paper-eq7"].breach_rate > 0.02


def test_index_history_backtest_through_the_cli(shared_data: Path) -> None:
    out = subprocess.run(
        [
            CLI,
            "clearing",
            "backtest",
            "--json",
            "--index-history",
            str(shared_data / "llm_price_history.csv"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    assert doc["paths"] == 1
    assert doc["live_default"] == "hs-es"
    assert doc["hs_es_confidence"] == HS_ES.confidence
    hs = doc["methods"]["hs-es"]
    assert hs["observations"] > 300
    assert not hs["rejected_at_5pct"]
    assert not hs["undercovered_at_5pct"]
    assert 0 < hs["p_value"] <= 1
    assert math.isfinite(hs["kupiec_lr"])
    bad = subprocess.run(
        [CLI, "clearing", "backtest", "--tick", "0"], capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def _tpi2_paths(seed: int, paths: int = 200) -> np.ndarray:
    tpi2 = latest_preset("tpi-2.0").params()
    logs = simulate_log_paths(tpi2, uniform_grid(2.0, 504), paths, np.random.default_rng(seed))
    return np.maximum(np.rint(np.exp(logs) / 1e-5), 1.0) * 1e-5


def test_whole_tail_es_on_the_tpi2_calibrated_preset_over_covers() -> None:
    # ADR 0431: the mean of the 3 worst of 249 moves (ES 98.8 %) breaches 0.90 % of 101,200
    # 2-day windows on seed 0: the two-sided pooled Kupiec rejects it for *over*-coverage
    # (p = 0.0013); eq. 7 and FHS over-cover far more, SPAN under-covers.
    results = coverage_backtest(_tpi2_paths(0), es_confidence=1 - 3 / 249)
    hs = results["hs-es"]
    assert hs.breaches == 912
    assert hs.observations == 101_200
    assert hs.rejected
    assert hs.breach_rate < 0.01
    assert not hs.undercovered
    for name in ("paper-eq7", "fhs-var"):
        assert results[name].breach_rate < 0.005
        assert not results[name].undercovered
    assert results["span-scan"].undercovered  # σ-scaled SPAN cannot see the jumps


def _hs_es_kupiec(prices: np.ndarray, confidence: float) -> KupiecResult:
    long_im, short_im = hs_es_im_series(prices, confidence=confidence)
    long_im[:, :250] = np.nan  # judged on full 250-day windows, as the benchmark does
    short_im[:, :250] = np.nan
    return kupiec_pof(*count_breaches(prices, long_im, 2, short_im))


def test_default_level_passes_kupiec_on_a_held_out_tpi2_seed() -> None:
    # ADR 0434: the ES level was chosen on seeds 100-104; seed 3 was held out until then.
    prices = _tpi2_paths(3)
    result = _hs_es_kupiec(prices, HS_ES.confidence)
    assert result.observations == 101_200
    assert not result.rejected
    assert not result.undercovered
    assert 0.0095 < result.breach_rate <= 0.0100
    # the same test on the same paths does reject a level a step either side of the band
    assert _hs_es_kupiec(prices, 0.98).undercovered
    over = _hs_es_kupiec(prices, 0.99)
    assert over.rejected
    assert not over.undercovered
