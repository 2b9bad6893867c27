"""The index administrator's corrections (ADR 0241): next revisions inside the correction
window, named and reasoned, read by settlement, never replaced by re-publication."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tokenfutures.core.clock import ManualClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

LTD = date(2026, 6, 17)  # SITM26's last trading day
EVENING = datetime(2026, 6, 17, 20, 0, tzinfo=UTC)
POLICY = PublicationPolicy()


def test_a_judgement_level_is_the_next_revision_and_settles(shared_data: Path) -> None:
    clock = ManualClock(EVENING)
    venue = Venue.open(open_store("memory://"), clock)
    service = open_index_service(shared_data / "llm_price_history.csv")
    history = service.history(None, LTD, clock.now())
    venue.index.publish_fixes(history)
    day = LTD - timedelta(days=1)
    original = venue.index.index_fixings(day, day)[0]
    before = clock.now()
    clock.advance(timedelta(minutes=5))
    corrected = venue.index.correct_fix(
        day, reason="a row was misread", by="alice", policy=POLICY, level=Decimal("0.7")
    )
    assert (corrected.revision, corrected.level, corrected.status) == (1, Decimal("0.7"), "fixed")
    publication = corrected.audit["publication"]
    assert publication["corrected_by"] == "alice"
    assert publication["corrects"] == {
        "revision": 0,
        "level": str(original.level),
        "status": "fixed",
    }
    assert corrected.reason == "correction: a row was misread"
    assert corrected.published_at == clock.now()
    assert venue.index.index_fixings(day, day, known_at=before)[0].level == original.level
    # re-publishing the methodology's history leaves the administrator's value standing
    assert venue.index.publish_fixes(history) == 0
    venue.settlement.list_contracts(LTD)
    report = venue.settlement.end_of_day(LTD)
    window = {f["day"]: f["level"] for f in report.final_audits["SITM26"]["fixes"]}
    assert window[day.isoformat()] == "0.7"
    venue.close()


def test_corrected_inputs_recompute_the_fix_with_its_audit(
    shared_data: Path, truncated_prices: Callable[[date], Path]
) -> None:
    clock = ManualClock(EVENING)
    venue = Venue.open(open_store("memory://"), clock)
    stale = open_index_service(truncated_prices(date(2026, 4, 1)))
    venue.index.publish_fixes(stale.history(None, LTD, clock.now()))
    assert venue.index.index_fixings(LTD, LTD)[0].level is None  # stale inputs: withheld
    real = open_index_service(shared_data / "llm_price_history.csv")
    fix = real.fix(LTD, clock.now())
    clock.advance(timedelta(hours=1))
    corrected = venue.index.correct_fix(
        LTD, reason="the price file was cut short", by="bob", policy=POLICY, recomputed=fix
    )
    assert corrected.level == fix.level
    assert corrected.revision == 1
    assert corrected.audit["publication"]["kind"] == "recomputed from corrected inputs"
    assert corrected.audit["audit"]["attribution"]["log_change"]  # the full audit travels
    assert corrected.audit["publication"]["published_at"] == clock.now().isoformat()
    venue.close()


@pytest.mark.parametrize(
    ("days_after", "level", "reason", "by", "message"),
    [
        (6, "0.7", "late", "alice", "correction window"),
        (1, "0", "zero", "alice", "level must be > 0"),
        (1, "0.7", " ", "alice", "non-empty reason"),
        (1, "0.7", "who?", "", "name of the administrator"),
    ],
)
def test_corrections_outside_the_policy_are_refused(
    shared_data: Path, days_after: int, level: str, reason: str, by: str, message: str
) -> None:
    day = date(2026, 6, 10)
    clock = ManualClock(POLICY.published_at(day) + timedelta(hours=1))
    venue = Venue.open(open_store("memory://"), clock)
    service = open_index_service(shared_data / "llm_price_history.csv")
    venue.index.publish_fixes(service.history(None, day, clock.now()))
    clock.current = POLICY.published_at(day) + timedelta(days=days_after)
    with pytest.raises(InvalidParameterError, match=message):
        venue.index.correct_fix(day, reason=reason, by=by, policy=POLICY, level=Decimal(level))
    assert len(venue.index.fixing_revisions(day)) == 1  # nothing journalled
    venue.close()
