"""Calibrated presets: records, lookup of the latest, the packaged file, calendar anchoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from simstudy import simulated

from tokenfutures.quant.calibration import MRJD, FitResult, Model, TrendGBM
from tokenfutures.quant.calibration.presets import (
    latest_preset,
    merge_presets,
    packaged_presets,
    preset_from_fit,
    presets_from_text,
    presets_text,
)


def fitted(model: Model, truth: list[float], n: int) -> FitResult:
    return model.fit(simulated(model, truth, n, 1))


def test_a_preset_round_trips_and_keeps_its_window_and_fit() -> None:
    fit = fitted(MRJD(), [10.0, 0.0, -0.5, 0.0, 0.3, 30.0, -0.05, 0.1], 300)
    preset = preset_from_fit(fit, "tpi-1.0-ratio", date(2026, 12, 6))
    (back,) = presets_from_text(presets_text([preset]))
    assert back == preset
    assert back.name == "tpi-1.0-ratio-mrjd-2025-10-27"
    assert back.origin == date(2025, 1, 1)
    assert back.fit["std_errors"]["kappa"] > 0
    params = back.params()
    assert params.kappa == pytest.approx(back.estimates["kappa"])
    assert back.year_of(date(2026, 1, 1)) == pytest.approx(1.0)


def test_latest_preset_is_the_newest_window_of_the_series_and_model() -> None:
    fit = fitted(MRJD(), [10.0, 0.0, -0.5, 0.0, 0.3, 30.0, -0.05, 0.1], 200)
    old = preset_from_fit(fit, "tpi-1.0-ratio", date(2026, 1, 1))
    new = replace(old, name="newer", window_to=date(2026, 11, 9))
    other = replace(old, name="gpu", series="gpu-h100", window_to=date(2027, 1, 1))
    pool = merge_presets(merge_presets([old, other], new), new)
    assert len(pool) == 3
    assert latest_preset("tpi", "mrjd", pool).name == "newer"
    with pytest.raises(ValueError, match="calibrated preset"):
        latest_preset("tpi", "regime", pool)


def test_only_mrjd_presets_give_the_papers_parameters() -> None:
    fit = fitted(TrendGBM(), [-0.5, 0.4], 100)
    preset = preset_from_fit(fit, "tpi", date(2026, 12, 6))
    with pytest.raises(ValueError, match="MRJD"):
        preset.params()


def test_the_package_ships_a_calibrated_tpi_preset() -> None:
    preset = latest_preset()
    assert preset in packaged_presets()
    assert preset.series.startswith("tpi")
    assert preset.window_to >= date(2026, 11, 1)
    assert preset.fit["nobs"] >= 500
    assert preset.params().jump_intensity > 0


def test_the_settlement_preset_follows_the_index_default_and_tpi1_stays_selectable() -> None:
    from tokenfutures.index.methodology import DEFAULT_METHODOLOGY
    from tokenfutures.quant.params import preset

    assert DEFAULT_METHODOLOGY == "tpi-2.0"
    settling = latest_preset()
    assert settling.series == DEFAULT_METHODOLOGY
    assert settling.name == "tpi-2.0-mrjd-2026-11-09"
    assert preset("calibrated") == settling.params()
    assert latest_preset("tpi-1.0").name == "tpi-1.0-ratio-mrjd-2026-11-09"
