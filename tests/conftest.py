"""Shared fixtures: where the real reference data lives."""

from __future__ import annotations

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
