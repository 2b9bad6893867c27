"""The index service on the real price history: publication time, future refusal, staleness,
revisions and chain-linking (issue 11 item 5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.fixing import FixStatus
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.index.registry import DailyFixingMethod, resolve_methodology
from tokenfutures.index.service import ChainLink, IndexService
from tokenfutures.index.sources.inputs import load_inputs, open_index_service

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
TPI1 = "tpi-1.0"  # the pinned values below are the tpi-1.0 measurements
DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def service(shared_data: Path) -> IndexService:
    return open_index_service(shared_data / "llm_price_history.csv", methodology=TPI1)


def test_the_fix_of_a_day_is_the_history_value_of_that_day(service: IndexService) -> None:
    history = service.history(None, DAY, NOW)
    assert history[0].day == date(2024, 10, 17)  # the full history, from the first price
    assert history[-1].day == DAY
    assert service.fix(DAY, NOW) == history[-1]
    assert history[-1].level == Decimal("0.324902")  # `index history --csv` on this file


def test_publication_time_is_stated_and_future_days_are_refused(service: IndexService) -> None:
    fix = service.fix(DAY, NOW)
    assert fix.published_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert fix.publication()["published_at"] == "2026-11-20T16:00:00+00:00"
    with pytest.raises(InvalidParameterError, match="latest is 2026-12-05"):
        service.fix(date(2030, 1, 1), NOW)
    before_fixing_time = datetime(2026, 12, 6, 15, 59, tzinfo=UTC)
    with pytest.raises(InvalidParameterError, match="published at 16:00 UTC"):
        service.fix(date(2026, 12, 6), before_fixing_time)
    assert service.fix(date(2026, 12, 6), before_fixing_time + timedelta(minutes=1)).day == date(
        2026, 12, 6
    )


def test_stale_inputs_withhold_the_fix_with_the_reason(
    truncated_prices: Callable[[date], Path],
) -> None:
    prices = truncated_prices(date(2025, 6, 30))
    stale = open_index_service(prices)
    newest = max(o.effective for o in stale.inputs.observations)
    fresh_day = newest + timedelta(days=60)
    assert stale.fix(fresh_day, NOW).level is not None  # 60 days: within the tolerance
    withheld = stale.fix(fresh_day + timedelta(days=1), NOW)
    assert withheld.level is None
    assert withheld.status is FixStatus.WITHHELD
    assert withheld.withheld_reason is not None
    assert f"newest price observation ({newest.isoformat()}) is 61 days" in withheld.withheld_reason
    assert withheld.newest_observation == newest


def test_the_tolerance_is_declared_by_the_policy(truncated_prices: Callable[[date], Path]) -> None:
    prices = truncated_prices(date(2025, 6, 30))
    lenient = open_index_service(prices, policy=PublicationPolicy(stale_after_days=400))
    assert lenient.fix(date(2026, 6, 17), NOW).level is not None
    assert open_index_service(prices).fix(date(2026, 6, 17), NOW).level is None


def test_a_correction_is_a_new_revision_with_its_own_time_and_reason(
    service: IndexService,
) -> None:
    original = service.fix(DAY, NOW)
    corrected = original.correction(original.fixing, NOW, "price file corrected")
    assert (corrected.revision, corrected.reason, corrected.published_at) == (
        1,
        "price file corrected",
        NOW,
    )
    assert original.revision == 0
    assert original.reason == "original"
    with pytest.raises(InvalidParameterError):
        original.correction(original.fixing, original.published_at, "same time")
    with pytest.raises(InvalidParameterError):
        original.correction(original.fixing, NOW, " ")


def test_chain_linking_joins_a_new_methodology_without_a_jump(shared_data: Path) -> None:
    tpi1 = resolve_methodology(TPI1)
    inputs = load_inputs(shared_data / "llm_price_history.csv", methodology=tpi1.methodology)
    link = date(2026, 1, 1)
    hedonic = DailyFixingMethod(Methodology(version="tpi-1.0-hedonic", adjustment="hedonic"))
    linked = IndexService(inputs, tpi1, links=[ChainLink(link, hedonic)])
    plain_old = IndexService(inputs, tpi1).history(None, DAY, NOW)
    plain_new = IndexService(inputs, hedonic).history(None, DAY, NOW)
    joined = linked.history(None, DAY, NOW)
    by_day = {f.day: f for f in joined}
    old = {f.day: f.level for f in plain_old}
    new = {f.day: f.level for f in plain_new}
    eve = link - timedelta(days=1)
    assert by_day[eve].level == old[eve]
    assert by_day[eve].link_factor == 1
    factor = by_day[link].link_factor
    assert old[eve] is not None
    assert new[eve] is not None
    assert abs(factor - old[eve] / new[eve]) < Decimal("1e-20")
    # after the link: the new methodology's moves, on the old level
    assert new[DAY] is not None
    assert by_day[DAY].level is not None
    assert abs(by_day[DAY].level - new[DAY] * factor) <= Decimal("0.000001")
    assert by_day[DAY].methodology_version == "tpi-1.0-hedonic"
    assert linked.version == "tpi-1.0-hedonic"


def test_an_unknown_methodology_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="methodology"):
        resolve_methodology("tpi-9")
