"""Cover-2 sizing, allocation and adequacy on hand-computed numbers."""

from decimal import Decimal

import numpy as np
import pytest

from tokenfutures.clearing.default_fund import (
    adequacy,
    size_default_fund,
    standard_stress_scenarios,
)
from tokenfutures.clearing.margin import PaperMargin
from tokenfutures.clearing.stress import daily_stress_report, member_positions

from .helpers import Fill, house_with


def test_cover2_is_the_two_largest_uncollateralised_losses() -> None:
    shocks = standard_stress_scenarios(1)  # parallel moves up to ±50 %
    positions = np.array([[10.0], [-4.0], [-6.0]])
    sizing = size_default_fund(
        ["M1", "M2", "M3"], positions, np.array([2.0]), np.array([1.0, 1.0, 1.0]), shocks
    )
    assert sizing.worst_stress_loss == (Decimal("10.00"), Decimal("4.00"), Decimal("6.00"))
    assert sizing.uncollateralised == (Decimal("9.00"), Decimal("3.00"), Decimal("5.00"))
    # the two largest in one scenario: -50 % costs M1 9; +50 % costs M2 3 and M3 5 (= 8)
    assert sizing.cover2 == Decimal("9.00")
    assert sizing.contributions == (Decimal("3.00"),) * 3  # 9 / 3, equal initial margins
    assert sum(sizing.contributions) >= sizing.fund_size


def test_cover2_never_adds_both_sides_of_one_trade() -> None:
    """Two members, long and short the same 10 lots: one of them loses, never both."""
    shocks = standard_stress_scenarios(1)
    positions = np.array([[10.0], [-10.0]])
    sizing = size_default_fund(["L", "S"], positions, np.array([2.0]), np.array([1.0, 1.0]), shocks)
    assert sizing.uncollateralised == (Decimal("9.00"), Decimal("9.00"))
    assert sizing.cover2 == Decimal("9.00")  # not 18: a 50 % move is up or down
    lone = size_default_fund(["L"], positions[:1], np.array([2.0]), np.array([1.0]), shocks)
    assert lone.cover2 == Decimal("9.00")


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


def test_daily_stress_report_on_the_house() -> None:
    house = house_with("F")
    house.fund_ccp(Decimal(10), Decimal(1))
    for member in ("M1", "M2", "M3"):
        house.contribute_default_fund(member, Decimal(2))
    house.apply_fills([Fill(1, "F", 200, 10, "M1", "M2"), Fill(2, "F", 200, 6, "M3", "M2")])
    method = PaperMargin(("F",), np.array([2.0]), np.array([0.4]))
    report = daily_stress_report(house, ["M1", "M2", "M3"], method, np.array([2.0]))
    # worst moves ±50 % of 2.00: M1 (long 10) loses 10, M2 (short 16) 16, M3 (long 6) 6
    np.testing.assert_allclose(report.losses.max(axis=1), [10.0, 16.0, 6.0])
    im = method.per_lot()[0]
    # +50 %: M2 alone loses; -50 %: M1 and M3 lose 10 and 6 lots' worth together
    expected = max(16 - 16 * im, (10 - 10 * im) + (6 - 6 * im))
    assert float(report.sizing.cover2) == pytest.approx(expected, abs=0.02)
    assert report.adequacy.fund_on_hand == Decimal(6)
    assert report.adequacy.skin_in_the_game == Decimal(1)
    assert not report.adequacy.adequate


def test_clients_count_towards_their_clearing_member() -> None:
    house = house_with("F")
    house.admit_member("M1")
    house.admit_member("M2")
    house.admit_client("C1", "M1")
    house.apply_fills([Fill(1, "F", 200, 5, "M1", "M2"), Fill(2, "F", 200, 5, "C1", "M2")])
    np.testing.assert_allclose(member_positions(house, ["M1", "M2"], ("F",)), [[10.0], [-10.0]])
    assert house.member_of("C1") == "M1"
    assert house.member_of("M2") == "M2"
    with pytest.raises(ValueError, match="member"):
        house.admit_client("C2", "nobody")
    with pytest.raises(ValueError, match="client"):
        house.admit_client("M2", "M1")
