"""SIT gate hysteresis, quality factors and the capped weights (synthetic inputs)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.index import Methodology, daily_history
from tokenfutures.index.capability import gate_timeline, hedonic_slope, ratio_factor
from tokenfutures.index.weights import apply_cap

from .helpers import ANCHOR, book, obs

OSCILLATING = ["1005", "995", "1003", "992", "1001", "990", "1004", "996"]


def _oscillating_book() -> tuple[list[date], object]:
    days = [date(2025, 1, 1) + timedelta(days=7 * i) for i in range(len(OSCILLATING))]
    snaps = [(d, {"wobbly": s, "solid": "1100"}) for d, s in zip(days, OSCILLATING, strict=True)]
    return days, book(snaps, ["wobbly", "solid"])


def test_hysteresis_keeps_an_oscillating_model_in() -> None:
    _, capabilities = _oscillating_book()
    with_band = gate_timeline(
        capabilities, Methodology(gate_enter=Decimal(0), gate_exit=Decimal(-20))
    )  # type: ignore[arg-type]
    assert all("wobbly" in s.eligible for s in with_band)
    without = gate_timeline(capabilities, Methodology(gate_enter=Decimal(0), gate_exit=Decimal(0)))  # type: ignore[arg-type]
    flips = sum(
        ("wobbly" in a.eligible) != ("wobbly" in b.eligible) for a, b in itertools.pairwise(without)
    )
    assert flips == len(OSCILLATING) - 1  # without a band it flickers at every snapshot


def test_hysteresis_exit_needs_a_real_drop() -> None:
    days = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    capabilities = book(
        [(days[0], {"m": "1010"}), (days[1], {"m": "985"}), (days[2], {"m": "975"})], ["m"]
    )
    states = gate_timeline(capabilities, Methodology())  # type: ignore[arg-type]
    assert ["m" in s.eligible for s in states] == [True, True, False]
    never = book([(days[0], {"m": "990"}), (days[1], {"m": "999"})], ["m"])
    assert not any("m" in s.eligible for s in gate_timeline(never, Methodology()))  # type: ignore[arg-type]


def test_constituents_do_not_flicker_in_the_daily_history() -> None:
    days, capabilities = _oscillating_book()
    prices = [obs(p, "wobbly", "1", "4", days[0]) for p in ("a", "b", "c", "d")]
    prices += [obs(p, "solid", "2", "8", days[0]) for p in ("a", "b", "c", "d")]
    fixes = daily_history(
        prices, Methodology(), days[0], days[-1] + timedelta(days=6), capabilities
    )  # type: ignore[arg-type]
    members = [frozenset(c.model for c in f.audit.constituents) for f in fixes]
    assert set(members) == {frozenset({"wobbly", "solid"})}


def test_ratio_factor_is_the_bradley_terry_strength_ratio() -> None:
    m = Methodology()
    assert ratio_factor(Decimal(0), m) == 1
    assert ratio_factor(Decimal(400), m) == Decimal("0.1")
    assert ratio_factor(Decimal(-400), m) == 10
    assert abs(ratio_factor(Decimal(100), m) - Decimal("0.5623413251903490803949510398")) < Decimal(
        "1e-20"
    )


def test_hedonic_slope_recovers_a_log_linear_premium() -> None:
    points = [(Decimal(x), Decimal("0.01") * x + Decimal("0.5")) for x in (0, 50, 100, 150)]
    assert hedonic_slope(points) == Decimal("0.01")
    assert hedonic_slope(points[:2]) is None
    falling = [(x, -y) for x, y in points]
    assert hedonic_slope(falling) == 0


def test_cap_redistributes_iteratively() -> None:
    raw = {
        "a": Fraction(6, 10),
        "b": Fraction(2, 10),
        "c": Fraction(1, 10),
        "d": Fraction(5, 100),
        "e": Fraction(5, 100),
    }
    result = apply_cap(raw, Decimal("0.30"))
    assert result.capped["a"] == Fraction(3, 10)
    assert result.capped["b"] == Fraction(3, 10)  # pushed over by a's excess, capped in round 2
    assert sum(result.capped.values()) == 1
    assert result.capped["c"] == 2 * result.capped["d"]  # the rest keep their proportions
    assert result.binding
    assert not result.infeasible


def test_cap_infeasible_with_too_few_providers_is_said() -> None:
    result = apply_cap({"a": Fraction(9, 10), "b": Fraction(1, 10)}, Decimal("0.30"))
    assert result.infeasible
    assert result.capped == {"a": Fraction(1, 2), "b": Fraction(1, 2)}


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=4, max_size=30))
def test_cap_property(volumes: list[int]) -> None:
    total = sum(volumes)
    raw = {str(i): Fraction(v, total) for i, v in enumerate(volumes)}
    result = apply_cap(raw, Decimal("0.30"))
    assert sum(result.capped.values()) == 1
    assert max(result.capped.values()) <= Fraction(3, 10)
    order = sorted(raw, key=lambda k: raw[k])
    capped = [result.capped[k] for k in order]
    assert capped == sorted(capped)  # the cap never reverses the order of weights


def test_anchor_constant_is_gpt4_turbo_jan_2024() -> None:
    assert Methodology().anchor_model == ANCHOR
