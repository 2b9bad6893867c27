"""Margin methods against hand-computed figures and an independent sort-based reference."""

import math
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pytest

from tokenfutures.clearing.margin import HistoricalVarMargin, PaperMargin, SpanMargin, kernels
from tokenfutures.clearing.margin.kernels import tail_losses
from tokenfutures.clearing.margin.span import span_scenarios
from tokenfutures.clearing.margin.volatility import filtered_scenarios, horizon_sums, sigma_n
from tokenfutures.core.errors import InvalidParameterError

C2 = ("F", "G")


def test_eq7_inside_band_floor_and_cap() -> None:
    prices = np.array([2.0, 2.0, 2.0])
    method = PaperMargin(("A", "B", "C"), prices, np.array([0.40, 0.10, 1.00]))
    per_lot = method.per_lot()
    # 3 × 0.40 × sqrt(2/252) × 2 = 0.213809...: 10.7 % of notional, inside 8–12 %
    assert per_lot[0] == pytest.approx(3 * 0.40 * math.sqrt(2 / 252) * 2.0)
    assert per_lot[1] == pytest.approx(0.16)  # floor 8 %
    assert per_lot[2] == pytest.approx(0.24)  # cap 12 %
    result = method.requirements(np.array([[10.0, -10.0, 0.0]]))
    assert result.initial[0] == pytest.approx(10 * per_lot[0] + 10 * 0.16)
    req = result.requirement(0)
    assert req.initial == Decimal("3.74")  # 3.738...: rounded up to the cent
    assert req.maintenance == Decimal("2.81")  # 75 % = 2.8036 → up
    assert req.breakdown["gross_notional"] == Decimal("40.00")


def test_span_scenarios_follow_cme_layout() -> None:
    price, vol, weight = span_scenarios()
    assert len(price) == 16
    assert sorted(set(np.round(price[:14] * 3).tolist())) == [-3, -2, -1, 0, 1, 2, 3]
    assert list(vol[:14]) == [1.0, -1.0] * 7
    assert list(weight[14:]) == [0.35, 0.35]
    assert list(price[14:]) == [3.0, -3.0]


def test_span_outright_and_calendar_spread() -> None:
    method = SpanMargin(C2, np.array([0.20, 0.10]), spread_charge=0.03)
    result = method.requirements(np.array([[1.0, 0.0], [-2.0, 0.0], [1.0, -1.0], [0.0, 0.0]]))
    # outright long: worst of full move (0.20) and 35 % of 3 × 0.20 (0.21)
    assert result.initial[0] == pytest.approx(0.21)
    assert result.initial[1] == pytest.approx(0.42)
    # spread: parallel scan loses 1/3... of (0.20 − 0.10) at worst: 0.105 at the extreme
    assert result.breakdown["scan_risk"][2] == pytest.approx(0.35 * 3 * 0.10)
    assert result.breakdown["spread_charge"][2] == pytest.approx(0.03)
    assert result.initial[3] == 0.0
    assert result.maintenance[0] == pytest.approx(0.75 * 0.21)


def test_tail_losses_match_a_sort() -> None:
    rng = np.random.default_rng(3)
    pos = rng.integers(-20, 21, size=(50, 4)).astype(float)
    moves = rng.normal(0, 0.1, size=(4, 300))
    losses = -(pos @ moves)
    expected = np.sort(losses, axis=1)[:, ::-1][:, :3]
    np.testing.assert_allclose(tail_losses(pos, moves, 3), expected, rtol=1e-12, atol=1e-12)


def test_var_and_es_on_a_hand_scenario_set() -> None:
    # 100 scenarios for one contract: returns −0.99 %, …, +0.0 %: a long lot loses most at −0.99 %
    returns = -np.arange(100)[None, :] / 10_000.0
    method = HistoricalVarMargin(
        ("F",), np.array([2.0]), returns, np.array([[-0.5, 0.5]]), confidence=0.98
    )
    res = method.requirements(np.array([[1.0], [-1.0]]))
    losses = -2.0 * np.expm1(returns[0])
    worst_two = np.sort(losses)[-2:]
    assert res.breakdown["var"][0] == pytest.approx(worst_two[0])
    assert res.breakdown["es"][0] == pytest.approx(worst_two.mean())
    # stress floor: a −0.5 log move costs a long lot 2 × (1 − e^−0.5), which beats ES
    assert res.breakdown["stress_var"][0] == pytest.approx(2.0 * -math.expm1(-0.5))
    assert res.initial[0] == pytest.approx(2.0 * -math.expm1(-0.5))
    # the short lot gains in every filtered scenario but loses on the +0.5 stress move
    assert res.breakdown["es"][1] == 0.0
    assert res.initial[1] == pytest.approx(2.0 * math.expm1(0.5))


def test_sigma20_and_horizon_sums() -> None:
    prices = 2.0 * np.exp(np.cumsum(np.r_[0.0, np.tile([0.01, -0.01], 15)]))
    r = np.tile([0.01, -0.01], 10)
    assert sigma_n(prices)[()] == pytest.approx(np.std(r, ddof=1) * math.sqrt(252))
    daily = np.array([[0.1], [0.2], [0.3]])
    np.testing.assert_allclose(horizon_sums(daily, 2), [[0.3, 0.5]])


def test_filtered_scenarios_rescale_to_current_volatility() -> None:
    rng = np.random.default_rng(5)
    calm = rng.normal(0, 0.01, 200)
    wild = rng.normal(0, 0.05, 60)
    prices = 2.0 * np.exp(np.cumsum(np.r_[0.0, calm, wild]))
    scen = filtered_scenarios(prices[:, None], horizon_days=1)
    # the filter lifts calm-period returns to today's (high) volatility
    assert np.std(scen[0, :150]) > 3 * np.std(calm[:150])


def test_bad_positions_shape_names_the_parameter() -> None:
    method = SpanMargin(C2, np.array([0.2, 0.1]), 0.0)
    with pytest.raises(InvalidParameterError, match="positions"):
        method.requirements(np.zeros((3, 3)))


@pytest.mark.parametrize("twin", [kernels.tail_losses_compiled, kernels.tail_losses_numpy])
@pytest.mark.parametrize("k", [1, 3, 300])
def test_both_tail_loss_twins_match_a_sort(twin: Callable[..., np.ndarray], k: int) -> None:
    # ADR 0371: the numba kernel and its numpy twin, against an independent full sort
    rng = np.random.default_rng(4)
    pos = rng.integers(-20, 21, size=(40, 5)).astype(float)
    moves = rng.normal(0, 0.1, size=(5, 300))
    expected = np.sort(-(pos @ moves), axis=1)[:, ::-1][:, :k]
    np.testing.assert_allclose(twin(pos, moves, k), expected, rtol=1e-12, atol=1e-12)


def test_the_numpy_twin_works_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernels, "BLOCK_CELLS", 700)  # two accounts (300 scenarios) per block
    rng = np.random.default_rng(5)
    pos, moves = rng.normal(size=(7, 2)), rng.normal(size=(2, 300))
    expected = np.sort(-(pos @ moves), axis=1)[:, ::-1][:, :4]
    np.testing.assert_allclose(kernels.tail_losses_numpy(pos, moves, 4), expected, rtol=1e-12)
