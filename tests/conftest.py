"""Shared fixtures: where the real reference data lives."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and machine (reproducible failures).
settings.register_profile("reproducible", derandomize=True, print_blob=True)
settings.load_profile("reproducible")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the checkout (real price history and capability scores)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(
            f"reference data not found at {SHARED_DATA}; the checkout needs ../shared beside it"
        )
    return SHARED_DATA


@pytest.fixture
def truncated_prices(shared_data: Path, tmp_path: Path) -> Callable[[date], Path]:
    """A maker of stale inputs: the real price history cut after a day, in ``tmp_path``.

    The real capability scores and crosswalk are linked beside the copy, so only the prices
    differ from the real inputs.
    """

    def make(last: date) -> Path:
        source = shared_data / "llm_price_history.csv"
        with source.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        kept = [rows[0]] + [r for r in rows[1:] if date.fromisoformat(r[0]) <= last]
        target = tmp_path / "llm_price_history.csv"
        with target.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(kept)
        for name in ("model_capability_scores.csv", "model_capability_join.csv"):
            if not (tmp_path / name).exists():
                (tmp_path / name).symlink_to(shared_data / name)
        return target

    return make
