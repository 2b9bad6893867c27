"""A second real series: a daily H100 rental-price index from the shared GPU price history.

The index (median over providers of each provider's cheapest H100 SXM on-demand offer in
force) is built here, outside quant; the calibration code sees only dates and levels.
"""

from __future__ import annotations

import csv
import statistics
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from tokenfutures.quant.calibration import MRJD, StepJump, TrendGBM, daily_series
from tokenfutures.quant.calibration.selection import information_table

START, END = date(2024, 1, 1), date(2026, 8, 30)


def h100_index(path: Path) -> tuple[list[date], list[float]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["gpu_model"] == "H100-SXM-80GB" and r["pricing"] == "on-demand"
        ]
    events = sorted(
        (
            date.fromisoformat(r["date"]),
            r["provider_canonical"],
            r["offering"],
            float(r["usd_per_gpu_hour"]),
        )
        for r in rows
    )
    in_force: dict[tuple[str, str], float] = {}
    days, levels, i, day = [], [], 0, events[0][0]
    while day <= END:
        while i < len(events) and events[i][0] <= day:
            _, provider, offering, price = events[i]
            in_force[(provider, offering)] = price
            i += 1
        if day >= START:
            cheapest: dict[str, float] = {}
            for (provider, _), price in in_force.items():
                cheapest[provider] = min(price, cheapest.get(provider, price))
            days.append(day)
            levels.append(round(statistics.median(cheapest.values()), 3))
        day += timedelta(days=1)
    return days, levels


@pytest.fixture(scope="module")
def gpu(shared_data: Path) -> object:
    days, levels = h100_index(shared_data / "gpu_price_history.csv")
    return daily_series(days, levels, resolution=0.005, name="H100 SXM on-demand")


def test_gpu_index_is_a_step_series_without_reversion(gpu: object) -> None:
    y = gpu.increments  # type: ignore[attr-defined]
    moves = int(np.count_nonzero(np.abs(y) > 0.01))  # repricings; smaller moves are rounding
    step = StepJump().fit(gpu)
    mrjd = MRJD().fit(gpu)
    gbm = TrendGBM().fit(gpu)
    span = gpu.span_years  # type: ignore[attr-defined]
    # the step model's intensity is the observed rate of repricings, within two SEs
    assert abs(step.params["jump_intensity"] - moves / span) < 2 * step.std_error("jump_intensity")
    assert step.converged
    assert mrjd.converged
    assert "theta0" in mrjd.unidentified
    assert mrjd.loglik == pytest.approx(step.loglik, abs=0.5)  # MRJD collapses onto the step model
    best = information_table([step, mrjd, gbm])[0]
    assert best["model"] == "step"
