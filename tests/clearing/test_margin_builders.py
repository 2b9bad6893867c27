"""Margin methods built from cleared contracts, settlement prices and history."""

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.margin import fhs_for, paper_for, span_for

from .helpers import sit

WIDE = ClearedContract(
    "G",
    Decimal("0.01"),
    Decimal(1),
    date(2027, 6, 30),
    im_floor_fraction=Decimal("0.10"),
    im_cap_fraction=Decimal("0.12"),
)


def history(days: int = 251) -> np.ndarray:
    """Two contracts whose daily log returns alternate ±1 % (σ20 = 0.01·√(20/19)·√252)."""
    steps = np.tile([0.01, -0.01], days // 2 + 1)[: days - 1]
    path = np.exp(np.r_[0.0, np.cumsum(steps)])
    return np.column_stack([2.0 * path, 1.9 * path])


def test_paper_for_uses_each_contracts_band() -> None:
    method = paper_for([sit("F"), WIDE], {"F": 200, "G": 190}, history())
    sigma = 0.01 * math.sqrt(20 / 19) * math.sqrt(252)
    raw = 3 * sigma * math.sqrt(2 / 252)  # 0.0389 of notional: below both floors
    assert raw < 0.08
    np.testing.assert_allclose(method.per_lot(), [0.08 * 2.00, 0.10 * 1.90])


def test_span_and_fhs_for_shapes() -> None:
    span = span_for([sit("F"), WIDE], {"F": 200, "G": 190}, history())
    assert span.scan_ranges.shape == (2,)
    assert span.maintenance_ratio == 0.75
    fhs = fhs_for([sit("F"), WIDE], {"F": 200, "G": 190}, history(), history(60))
    assert fhs.scenario_returns.shape == (2, 249)  # 250 daily returns → 249 two-day sums
    assert fhs.stress_returns.shape == (2, 58)
    result = fhs.requirements(np.array([[1.0, -1.0], [3.0, 0.0]]))
    assert result.initial[1] > 0


def test_missing_settlement_price_is_named() -> None:
    with pytest.raises(ValueError, match="price_ticks"):
        paper_for([sit("F")], {"G": 1}, history()[:, :1])
