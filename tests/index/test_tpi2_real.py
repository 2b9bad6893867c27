"""tpi-2.0 on the real shared data: coverage events, contributions, attribution, no revisions."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from tokenfutures.index import (
    FixStatus,
    IndexFixing,
    compute_fixing,
    daily_history,
    recompute_level,
)
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.methodology import methodology_named
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.sources import read_delistings, read_price_csv
from tokenfutures.index.tpi2 import masks, prepare, run_index

from .helpers import tpi2_book

START, END = date(2024, 10, 17), date(2026, 11, 20)
TPI2 = methodology_named("tpi-2.0")
Delisted = dict[tuple[str, str, str], date]


@pytest.fixture(scope="module")
def inputs(shared_data: Path) -> tuple[tuple[PriceObservation, ...], CapabilityBook, Delisted]:
    prices = read_price_csv(shared_data / "llm_price_history.csv").observations
    book = tpi2_book(shared_data)
    delisted, _ = read_delistings(shared_data / "llm_price_model_presence.csv")
    return prices, book, delisted


@pytest.fixture(scope="module")
def history(
    inputs: tuple[tuple[PriceObservation, ...], CapabilityBook, Delisted],
) -> list[IndexFixing]:
    prices, book, delisted = inputs
    return daily_history(prices, TPI2, START, END, book, delisted)


def _level(history: list[IndexFixing], day: date) -> Decimal:
    fix = history[(day - START).days]
    assert fix.as_of == day
    assert fix.status is FixStatus.FIXED
    assert fix.level is not None
    return fix.level


@pytest.mark.parametrize(
    "event",
    [date(2025, 6, 21), date(2025, 11, 24)],  # a price source starts; router sub-providers enter
)
def test_coverage_events_move_the_headline_by_less_than_two_percent(
    history: list[IndexFixing], event: date
) -> None:
    before, after = _level(history, event - timedelta(days=1)), _level(history, event)
    assert abs(math.log(after / before)) < 0.02
    # the import goes on for days (2025-06-21/22 and corrections): each of them too
    for day in (event + timedelta(days=d) for d in range(1, 7)):
        assert abs(math.log(_level(history, day) / _level(history, day - timedelta(days=1)))) < 0.02
    # the event did bring new routes: the audit names them as settling in, then linked in
    fix = history[(event - START).days]
    waiting = [e for e in fix.audit.exclusions if "settling-in" in e.reason]
    assert len(waiting) >= 9


def test_tpi1_moved_by_more_than_twenty_percent_on_the_same_events(
    inputs: tuple[tuple[PriceObservation, ...], CapabilityBook, Delisted],
) -> None:
    prices, book, delisted = inputs
    for event in (date(2025, 6, 21), date(2025, 11, 24)):
        old = daily_history(
            prices, methodology_named("tpi-1.0"), event - timedelta(days=1), event, book, delisted
        )
        assert old[0].level is not None
        assert old[1].level is not None
        assert abs(math.log(old[1].level / old[0].level)) > 0.2


def test_no_provider_contributes_more_than_thirty_percent_of_any_fix(
    history: list[IndexFixing],
) -> None:
    fixed = [f for f in history if f.status is FixStatus.FIXED]
    assert len(fixed) > 600
    for fix in fixed:
        weights = {p.provider: p.weight for p in fix.audit.providers}
        assert sum(weights.values()) == 1
        assert max(weights.values()) <= Fraction(3, 10)
        assert not any(p.startswith("huggingface_") for p in weights)  # one platform, one provider
    assert any("huggingface" in {p.provider for p in f.audit.providers} for f in fixed)


def test_a_providers_contribution_is_bounded_as_an_elasticity(
    inputs: tuple[tuple[PriceObservation, ...], CapabilityBook, Delisted],
) -> None:
    """Double every price of one provider on a fixing day: the level moves by <= 30 % of it."""
    prices, book, delisted = inputs
    prep = prepare(prices, TPI2, book.sit_grades, END, delisted)
    member = masks(prep)["headline"]
    base = run_index(prep, "headline", member, "time_dummy")
    checked = 0
    for day in (date(2025, 8, 8), date(2026, 4, 30), date(2026, 10, 18)):
        k = prep.panel.state_of(day)
        assert prep.panel.day(prep.panel.starts[k]) == day
        assert base.weights.ok[k]
        for g in np.unique(prep.groups[member[k]]):
            y = prep.panel.log_price.copy()
            y[k, prep.groups == g] += math.log(2)
            shocked = replace(prep, panel=replace(prep.panel, log_price=y))
            moved = run_index(shocked, "headline", member, "time_dummy").move[k] - base.move[k]
            assert abs(moved) <= 0.3 * math.log(2) + 1e-9
            checked += 1
    assert checked > 30


def test_every_move_is_explained_exactly(history: list[IndexFixing]) -> None:
    explained = 0
    for before, fix in pairwise(history):
        a = fix.audit.attribution
        if fix.status is not FixStatus.FIXED or a is None or before.level is None:
            continue
        assert a.matched + a.entries_exits + a.reweighting == pytest.approx(
            a.log_change, abs=Decimal("1e-8")
        )
        assert fix.level is not None
        assert float(a.log_change) == pytest.approx(
            math.log(fix.level / before.level), abs=2e-5 / float(fix.level)
        )
        if a.log_change != 0:
            explained += 1
            assert a.routes, "a move names the routes behind it"
    assert explained > 50


def test_attribution_parts_print_as_plain_decimals(history: list[IndexFixing]) -> None:
    """A zero part is written ``0``, never ``0E-9`` (what JSON readers and people see)."""
    zeros = 0
    for fix in history:
        a = fix.audit.attribution
        if a is None:
            continue
        parts = [a.log_change, a.matched, a.entries_exits, a.reweighting]
        parts += [route.log_effect for route in a.routes]
        assert all("E" not in str(part) for part in parts), fix.day
        zeros += sum(part == 0 for part in parts)
    assert zeros > 0  # the real history has days with a part that did not move


def test_published_values_are_never_revised_by_later_data(
    inputs: tuple[tuple[PriceObservation, ...], CapabilityBook, Delisted],
    history: list[IndexFixing],
) -> None:
    prices, book, delisted = inputs
    cut = date(2025, 9, 30)
    earlier = daily_history(prices, TPI2, START, cut, book, delisted)
    assert [f.level for f in earlier] == [f.level for f in history[: len(earlier)]]


def test_one_fix_equals_the_history_on_that_day(
    inputs: tuple[tuple[PriceObservation, ...], CapabilityBook, Delisted],
    history: list[IndexFixing],
) -> None:
    prices, book, delisted = inputs
    for day in (date(2025, 6, 21), date(2025, 11, 24), date(2026, 7, 1)):
        single = compute_fixing(prices, TPI2, day, book, delisted=delisted)
        assert single.level == history[(day - START).days].level
        assert single.methodology_version == "tpi-2.0"


def test_the_decline_comes_from_quality_adjusted_entries_not_coverage(
    history: list[IndexFixing],
) -> None:
    first, last = _level(history, date(2025, 3, 17)), _level(history, date(2026, 11, 20))
    total = math.log(last / first)
    assert -0.35 < total < -0.05  # a real decline, far smaller than tpi-1.0's -1.32
    window = history[(date(2025, 3, 18) - START).days :]
    parts = [f.audit.attribution for f in window if f.audit.attribution is not None]
    entries = sum(float(a.entries_exits) for a in parts)
    matched = sum(float(a.matched) for a in parts)
    assert abs(matched) < 0.05  # list prices of unchanged routes barely move
    assert entries < -0.1


def test_sub_indices_are_published_on_the_same_method(history: list[IndexFixing]) -> None:
    fix = history[-1]
    subs = {s.name: s.level for s in fix.sub_indices}
    assert set(subs) == {"frontier", "standard", "budget", "open_weight", "proprietary"}
    assert all(level is not None for level in subs.values())
    assert subs["open_weight"] < fix.level < subs["proprietary"]  # type: ignore[operator]
    ctd = fix.cheapest_to_deliver
    assert ctd is not None
    assert fix.level is not None
    assert ctd.adjusted_price < fix.level


def test_the_audit_recomputes_each_chained_fix(history: list[IndexFixing]) -> None:
    checked = 0
    for fix in history:
        a = fix.audit.attribution
        if fix.status is not FixStatus.FIXED or a is None or a.previous_level is None:
            continue
        recomputed = recompute_level(fix.audit, TPI2)
        assert recomputed is not None
        assert fix.level is not None
        assert abs(recomputed - fix.level) <= Decimal("0.000002")
        checked += 1
    assert checked > 600
