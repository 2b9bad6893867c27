"""Properties of tpi-2.0 on generated markets: the cap bounds contributions, platforms are one
provider, a new listing moves nothing, and every move is explained exactly."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.index import FixStatus, daily_history
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.methodology import methodology_named
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.sit_gate import RouteGrade

D0 = date(2025, 1, 1)
PROVIDERS = ("a", "b", "c", "d", "e", "huggingface_x", "huggingface_y", "huggingface_z")


def _grade(model: str, quality: float) -> RouteGrade:
    return RouteGrade(
        model, True, quality, "eci", "test", Decimal(str(quality)), Decimal(126), False
    )


@st.composite
def markets(
    draw: st.DrawFn,
) -> tuple[list[PriceObservation], CapabilityBook, tuple[tuple[str, Decimal], ...]]:
    observations: list[PriceObservation] = []
    grades: dict[tuple[str, str], RouteGrade] = {}
    for provider in PROVIDERS:
        for m in range(draw(st.integers(1, 3))):
            model = f"{provider}-m{m}"
            grades[(provider, model)] = _grade(model, draw(st.floats(124, 140)))
            start = draw(st.integers(0, 20)) if provider.startswith("huggingface") else 0
            for step in range(draw(st.integers(1, 3))):
                price = Decimal(str(round(draw(st.floats(0.2, 20)), 4)))
                observations.append(
                    PriceObservation(
                        D0 + timedelta(days=start + 7 * step),
                        provider,
                        model,
                        price,
                        price * 4,
                        None,
                        "test",
                    )
                )
    shares = tuple(
        (p, Decimal(draw(st.integers(1, 100)))) for p in ("a", "b", "c", "d", "e", "huggingface")
    )
    book = CapabilityBook((), sit_grades=grades)
    return observations, book, shares


@settings(max_examples=25, deadline=None)
@given(markets(), st.booleans())
def test_no_provider_contributes_more_than_the_cap(
    market: tuple[list[PriceObservation], CapabilityBook, tuple[tuple[str, Decimal], ...]],
    declared: bool,
) -> None:
    observations, book, shares = market
    overrides = {"weighting": "shares", "shares": shares} if declared else {}
    m = methodology_named("tpi-2.0", settle_days=0, **overrides)  # type: ignore[arg-type]
    fixes = daily_history(observations, m, D0, D0 + timedelta(days=30), book)
    fixed = [f for f in fixes if f.status is FixStatus.FIXED]
    assert fixed
    for fix in fixed:
        weights = {p.provider: p.weight for p in fix.audit.providers}
        assert sum(weights.values()) == 1
        assert max(weights.values()) <= Fraction(3, 10)
        assert not any(p.startswith("huggingface_") for p in weights)
        a = fix.audit.attribution
        if a is not None:
            parts = a.matched + a.entries_exits + a.reweighting
            assert abs(float(parts - a.log_change)) < 1e-8


@settings(max_examples=25, deadline=None)
@given(markets(), st.sampled_from([0, 3, 21]))
def test_a_new_platform_listing_moves_the_index_by_nothing(
    market: tuple[list[PriceObservation], CapabilityBook, tuple[tuple[str, Decimal], ...]],
    settle: int,
) -> None:
    observations, book, _ = market
    late = D0 + timedelta(days=25)
    extra = [
        PriceObservation(
            late, "huggingface_new", f"new-{i}", Decimal(i + 1), Decimal(4 * i + 4), None, "test"
        )
        for i in range(3)
    ]
    grades = {
        **book.sit_grades,
        **{("huggingface_new", o.model): _grade(o.model, 135.0) for o in extra},
    }
    m = methodology_named("tpi-2.0", settle_days=settle)
    span = (late - timedelta(days=1), late + timedelta(days=30))
    without = daily_history(observations, m, *span, book)
    with_new = daily_history(
        [*observations, *extra], m, *span, CapabilityBook((), sit_grades=grades)
    )
    counted = [
        i
        for i, f in enumerate(with_new)
        if any(c.provider == "huggingface_new" for c in f.audit.constituents)
    ]
    arrival = counted[0] if counted else len(with_new) - 1
    assert arrival >= min(settle, len(with_new) - 1)  # not counted while it settles in
    for day in range(1, arrival + 1):  # later, it is one more route like the others
        if without[day].level is None or without[day - 1].level is None:
            continue
        base = math.log(without[day].level / without[day - 1].level)  # type: ignore[operator]
        moved = math.log(with_new[day].level / with_new[day - 1].level)  # type: ignore[operator]
        assert abs(moved - base) < 2e-6


def test_a_day_before_any_price_is_withheld_not_an_error() -> None:
    grades = {("a", "m"): _grade("m", 130.0)}
    prices = [PriceObservation(D0, "a", "m", Decimal(1), Decimal(4), None, "test")]
    fixes = daily_history(
        prices,
        methodology_named("tpi-2.0"),
        D0 - timedelta(days=3),
        D0 - timedelta(days=1),
        CapabilityBook((), sit_grades=grades),
    )
    assert [f.status for f in fixes] == [FixStatus.WITHHELD] * 3
    assert all(f.level is None for f in fixes)
