"""Cover-2 sizing, allocation and adequacy on hand-computed numbers."""

from decimal import Decimal

import numpy as np

from tokenfutures.clearing.default_fund import (
    adequacy,
    size_default_fund,
    standard_stress_scenarios,
)


def test_cover2_is_the_two_largest_uncollateralised_losses() -> None:
    shocks = standard_stress_scenarios(1)  # parallel moves up to ±50 %
    positions = np.array([[10.0], [-4.0], [-6.0]])
    sizing = size_default_fund(
        ["M1", "M2", "M3"], positions, np.array([2.0]), np.array([1.0, 1.0, 1.0]), shocks
    )
    assert sizing.worst_stress_loss == (Decimal("10.00"), Decimal("4.00"), Decimal("6.00"))
    assert sizing.uncollateralised == (Decimal("9.00"), Decimal("3.00"), Decimal("5.00"))
    assert sizing.cover2 == Decimal("14.00")
    assert sizing.contributions == (Decimal("4.67"),) * 3  # 14 / 3 rounded up
    assert sum(sizing.contributions) >= sizing.fund_size


def test_minimum_fund_and_twist_scenarios() -> None:
    shocks = standard_stress_scenarios(3)
    assert shocks.shape == (3, 10)
    np.testing.assert_allclose(shocks[:, -2], [0.2, 0.0, -0.2])
    flat = size_default_fund(
        ["M1"], np.zeros((1, 3)), np.ones(3), np.zeros(1), shocks, minimum_fund=Decimal(5)
    )
    assert flat.cover2 == 0
    assert flat.fund_size == Decimal(5)


def test_adequacy_report() -> None:
    report = adequacy(Decimal(10), Decimal(2), Decimal(16))
    assert not report.adequate
    assert report.coverage_ratio == Decimal("0.7500")
    assert adequacy(Decimal(14), Decimal(2), Decimal(16)).adequate
