"""The TPI on the real shared data: the decline, the cap, weights, audit re-computation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tokenfutures.index import (
    FixStatus,
    IndexFixing,
    Methodology,
    compute_fixing,
    daily_history,
    level_series,
    recompute_level,
)
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.sources import read_capability_book, read_delistings, read_price_csv

START, END = date(2024, 10, 17), date(2026, 11, 9)


@pytest.fixture(scope="module")
def real(shared_data: Path) -> tuple[tuple[PriceObservation, ...], CapabilityBook]:
    prices = read_price_csv(shared_data / "llm_price_history.csv").observations
    book, _ = read_capability_book(
        shared_data / "model_capability_scores.csv", shared_data / "model_capability_join.csv"
    )
    return prices, book


@pytest.fixture(scope="module")
def delisted(shared_data: Path) -> dict[tuple[str, str, str], date]:
    gone, problems = read_delistings(shared_data / "llm_price_model_presence.csv")
    assert not problems
    return gone


@pytest.fixture(scope="module")
def history(
    real: tuple[tuple[PriceObservation, ...], CapabilityBook],
    delisted: dict[tuple[str, str, str], date],
) -> list[IndexFixing]:
    prices, book = real
    return daily_history(prices, Methodology(), START, END, book, delisted)


def test_quality_adjusted_sit_price_falls_more_than_tenfold(history: list[IndexFixing]) -> None:
    cheapest = [f.cheapest_to_deliver.adjusted_price for f in history if f.cheapest_to_deliver]
    assert cheapest[0] / cheapest[-1] > 10
    series = level_series(history)
    first, last = series[0][1], series[-1][1]
    assert first / last > 3  # the capped multi-provider TPI falls too, from its first fix
    assert max(v for _, v in series[-30:]) < min(v for _, v in series[:30])


def test_cap_holds_and_weights_sum_to_one_on_every_fix(history: list[IndexFixing]) -> None:
    cap = Fraction(Methodology().provider_cap)
    fixed = [f for f in history if f.status is FixStatus.FIXED]
    assert len(fixed) > 500
    for fix in fixed:
        weights = [p.weight for p in fix.audit.providers]
        assert sum(weights) == 1
        assert max(weights) <= cap
        assert not fix.audit.cap_infeasible


def test_declared_shares_make_the_cap_bind_and_it_holds(
    real: tuple[tuple[PriceObservation, ...], CapabilityBook],
) -> None:
    prices, book = real
    shares = (("openai", Decimal(60)), ("google", Decimal(25)), ("anthropic", Decimal(10)))
    others = tuple((p, Decimal(1)) for p in ("xai", "deepseek", "mistral", "aws", "azure"))
    methodology = Methodology(weighting="shares", shares=shares + others)
    fix = compute_fixing(prices, methodology, date(2026, 1, 15), book)
    weights = {p.provider: p.weight for p in fix.audit.providers}
    assert fix.audit.cap_binding
    assert weights["openai"] == Fraction(3, 10)
    assert sum(weights.values()) == 1
    assert max(weights.values()) <= Fraction(3, 10)
    assert weights["openai"] < fix.audit.providers[0].weight_before_cap or any(
        p.weight_before_cap > Fraction(3, 10) for p in fix.audit.providers
    )
    assert any("no declared volume share" in n for n in fix.audit.notes)


@pytest.mark.parametrize("adjustment", ["ratio", "hedonic", "none"])
def test_audit_recomputes_the_fix_exactly(
    real: tuple[tuple[PriceObservation, ...], CapabilityBook], adjustment: str
) -> None:
    prices, book = real
    methodology = Methodology(adjustment=adjustment)  # type: ignore[arg-type]
    for day in (date(2025, 4, 20), date(2025, 9, 1), date(2026, 6, 30)):
        fix = compute_fixing(prices, methodology, day, book)
        assert fix.status is FixStatus.FIXED
        assert recompute_level(fix.audit, methodology) == fix.level
        # the audit is not decorative: make one provider's chosen route cheaper, the level falls
        chosen = fix.audit.providers[0]
        position, record = next(
            (i, c)
            for i, c in enumerate(fix.audit.constituents)
            if (c.provider, c.model, c.source) == (chosen.provider, chosen.model, chosen.source)
        )
        cheaper = replace(record, input=record.input / 10, output=record.output / 10)
        records = list(fix.audit.constituents)
        records[position] = cheaper
        tampered = replace(fix.audit, constituents=tuple(records))
        recomputed = recompute_level(tampered, methodology)
        assert recomputed is not None
        assert fix.level is not None
        assert recomputed < fix.level


def test_history_equals_fixing_each_day_and_accounts_for_every_route(
    real: tuple[tuple[PriceObservation, ...], CapabilityBook],
    delisted: dict[tuple[str, str, str], date],
    history: list[IndexFixing],
) -> None:
    prices, book = real
    assert len(history) == (END - START).days + 1
    sampled = [START + timedelta(days=d) for d in range(0, (END - START).days, 17)]
    for day in (*sampled, date(2025, 6, 22), date(2025, 8, 9), date(2025, 12, 11), END):
        single = compute_fixing(prices, Methodology(), day, book, delisted=delisted)
        assert history[(day - START).days] == single
        gone = {
            (e.source, e.provider, e.model)
            for e in single.audit.exclusions
            if "delisted" in e.reason
        }
        assert gone == {s for s, last in delisted.items() if last < day} & {
            o.series for o in prices if o.effective <= day
        }
        in_force = {o.series for o in prices if o.effective <= day}
        accounted = len(single.audit.constituents) + len(single.audit.exclusions)
        assert accounted == len(in_force)


def test_early_days_with_too_few_providers_are_withheld_not_invented(
    history: list[IndexFixing],
) -> None:
    first = history[0]
    assert first.status is FixStatus.WITHHELD
    assert first.level is None
    assert any("minimum" in note for note in first.audit.notes)
    assert len(first.audit.providers) < Methodology().min_providers


def test_sub_indices_and_cheapest_route_are_consistent(history: list[IndexFixing]) -> None:
    fix = history[-1]
    subs = {s.name: s for s in fix.sub_indices}
    assert subs["frontier"].level is not None
    assert subs["budget"].level is not None
    assert subs["frontier"].level > subs["standard"].level > subs["budget"].level  # type: ignore[operator]
    ctd = fix.cheapest_to_deliver
    assert ctd is not None
    assert fix.level is not None
    assert ctd.adjusted_price == min(c.adjusted for c in fix.audit.constituents)
    assert ctd.adjusted_price <= fix.level
    open_w, closed = subs["open_weight"].providers, subs["proprietary"].providers
    assert open_w > 0
    assert closed > 0
