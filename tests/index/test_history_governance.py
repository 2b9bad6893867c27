"""Fallback ladder, corrections "as known at", chain-linking, level series (synthetic)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index import (
    FixingLedger,
    FixStatus,
    Methodology,
    chain_link,
    compute_fixing,
    daily_history,
    level_series,
)

from .helpers import book, obs

D0 = date(2025, 1, 1)


def _four_then_three() -> tuple[list, object]:
    capabilities = book([(D0, {"m": "1050"})], ["m"])
    prices = [obs(p, "m", "1", "4", D0) for p in ("a", "b", "c")]
    # provider d lists the model for ten days only: then its route is excluded as an outlier
    prices.append(obs("d", "m", "1", "4", D0))
    prices.append(obs("d", "m", "1000", "4000", D0 + timedelta(days=10)))
    return prices, capabilities


def test_fallback_ladder_carries_then_withholds() -> None:
    prices, capabilities = _four_then_three()
    fixes = daily_history(prices, Methodology(), D0, D0 + timedelta(days=20), capabilities)  # type: ignore[arg-type]
    statuses = [f.status for f in fixes]
    assert statuses[:10] == [FixStatus.FIXED] * 10
    assert statuses[10:15] == [FixStatus.FALLBACK] * 5  # last good fix, flagged, up to 5 days
    assert fixes[12].fallback_from == D0 + timedelta(days=9)
    assert fixes[12].level == fixes[9].level
    assert statuses[15:] == [FixStatus.WITHHELD] * 6
    assert all(f.level is None for f in fixes[15:])
    assert any("outlier" in e.reason for e in fixes[12].audit.exclusions)
    assert len(level_series(fixes)) == 15


def test_fix_level_is_the_capped_weighted_sum() -> None:
    capabilities = book([(D0, {"m": "1000", "n": "1000"})], ["m", "n"])
    prices = [
        obs("a", "m", "1", "1"),
        obs("b", "m", "2", "2"),
        obs("c", "n", "3", "3"),
        obs("d", "n", "6", "6"),
    ]
    fix = compute_fixing(prices, Methodology(), D0, capabilities)  # type: ignore[arg-type]
    assert fix.level == Decimal("3.000000")  # (1 + 2 + 3 + 6) / 4, quality factor 1 at the anchor


def test_corrections_are_appended_and_queryable_as_known_at() -> None:
    capabilities = book([(D0, {"m": "1000"})], ["m"])
    prices = [obs(p, "m", "1", "1") for p in "abcd"]
    fix = compute_fixing(prices, Methodology(), D0, capabilities)  # type: ignore[arg-type]
    ledger = FixingLedger().publish(fix, D0)
    ledger = ledger.correct(
        D0, Decimal("1.5"), D0 + timedelta(days=3), "late price revision", "tpi-1.0"
    )
    original = ledger.as_known_at(D0, D0 + timedelta(days=2))
    corrected = ledger.as_known_at(D0, D0 + timedelta(days=3))
    assert original is not None
    assert original.level == Decimal("1.000000")
    assert corrected is not None
    assert corrected.level == Decimal("1.5")
    assert corrected.reason == "late price revision"
    assert ledger.as_known_at(D0, D0 - timedelta(days=1)) is None
    assert len(ledger.entries) == 2
    with pytest.raises(InvalidParameterError, match="reason"):
        ledger.correct(D0, Decimal(2), D0, " ", "tpi-1.0")


def test_chain_link_is_continuous_at_the_link_date() -> None:
    days = [D0 + timedelta(days=i) for i in range(4)]
    old = list(zip(days, [Decimal(10), Decimal(9), Decimal(8), Decimal(7)], strict=True))
    new = list(zip(days, [Decimal(5), Decimal(4), Decimal(4), Decimal(2)], strict=True))
    joined = chain_link(old, new, days[1])
    assert [v for _, v in joined] == [Decimal(10), Decimal(9), Decimal(9), Decimal("4.5")]
    with pytest.raises(InvalidParameterError, match="link_date"):
        chain_link(old, new, D0 - timedelta(days=1))


def test_empty_observations_are_a_clear_error() -> None:
    capabilities = book([(D0, {"m": "1000"})], ["m"])
    with pytest.raises(InvalidParameterError, match="observations"):
        compute_fixing([], Methodology(), D0, capabilities)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="end"):
        daily_history(
            [obs("a", "m", "1", "1")], Methodology(), D0, D0 - timedelta(days=1), capabilities
        )  # type: ignore[arg-type]
