"""The venue's index corridor: published fixes in, revisions kept as known at, the final
settlement's audit journalled (it survives a restart) and served over HTTP."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tokenfutures.api.app import create_app
from tokenfutures.api.server import serve_in_thread
from tokenfutures.core.clock import ManualClock
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.storage import open_store
from tokenfutures.venue.index_feed import INPUTS_CHANGED, scheduled_fixer
from tokenfutures.venue.schedule import FIX_INDEX
from tokenfutures.venue.service import Venue

LTD = date(2026, 6, 17)  # SITM26's last trading day
EVENING = datetime(2026, 6, 17, 20, 0, tzinfo=UTC)


def test_new_inputs_add_revisions_and_never_overwrite(
    shared_data: Path, truncated_prices: Callable[[date], Path]
) -> None:
    clock = ManualClock(EVENING)
    venue = Venue.open(open_store("memory://"), clock)
    stale = open_index_service(truncated_prices(date(2026, 4, 16)))
    sent = venue.index.publish_fixes(stale.history(None, LTD, clock.now()))
    assert sent == (LTD - stale.first_day).days + 1
    assert venue.index.index_fixings(LTD, LTD)[0].level is None  # stale: withheld
    first_known = clock.now()
    clock.advance(timedelta(hours=1))
    real = open_index_service(shared_data / "llm_price_history.csv")
    history = real.history(None, LTD, clock.now())
    revised = venue.index.publish_fixes(history)
    again = [f for f in history if f.day >= stale.first_day]
    assert revised > 0  # new days before the cut's first price, and revised stale days
    revisions = venue.index.fixing_revisions(LTD)
    assert [r.revision for r in revisions] == [0, 1]
    assert revisions[0].level is None
    assert revisions[1].level == history[-1].level
    assert revisions[1].reason == INPUTS_CHANGED
    assert revisions[1].recorded_at == clock.now()
    assert revisions[0].published_at == datetime(2026, 6, 17, 16, 0, tzinfo=UTC)
    assert venue.index.index_fixings(LTD, LTD, known_at=first_known)[0].level is None
    assert venue.index.index_fixings(LTD, LTD)[0].level == history[-1].level
    assert venue.index.publish_fixes(again) == 0  # nothing new: nothing journalled


def test_new_inputs_never_revise_a_fix_past_its_correction_window(
    shared_data: Path, truncated_prices: Callable[[date], Path], caplog: pytest.LogCaptureFixture
) -> None:
    """Re-publication follows the administrator's 5-day window (ADR 0241, 0244): an older
    published fix is final, whatever the inputs now give."""
    clock = ManualClock(EVENING)
    venue = Venue.open(open_store("memory://"), clock)
    stale = open_index_service(truncated_prices(date(2026, 4, 16)))
    venue.index.publish_fixes(stale.history(None, LTD, clock.now()))
    published = {f.day: (f.level, f.status) for f in venue.index.index_fixings(None, LTD)}
    clock.advance(timedelta(hours=1))
    real = open_index_service(shared_data / "llm_price_history.csv")
    history = real.history(None, LTD, clock.now())
    changed = [
        f.day for f in history if f.day in published and published[f.day] != (f.level, f.status)
    ]
    open_from = LTD - timedelta(days=4)  # published at 16:00 on D, final at 16:00 on D + 5
    final = [d for d in changed if d < open_from]
    revisable = [d for d in changed if d >= open_from]
    assert final  # the cut changes days on both sides of the window
    assert revisable
    with caplog.at_level(logging.WARNING, logger="tokenfutures.venue.services.index"):
        venue.index.publish_fixes(history)
    for day in final:
        assert [r.revision for r in venue.index.fixing_revisions(day)] == [0]
    for day in revisable:
        assert [r.revision for r in venue.index.fixing_revisions(day)] == [0, 1]
    assert f"another value for {len(final)} published day(s)" in caplog.text
    assert f"({min(final).isoformat()} to {max(final).isoformat()})" in caplog.text
    venue.close()


def test_the_final_settlement_audit_is_journalled_and_served(
    tmp_path: Path, truncated_prices: Callable[[date], Path]
) -> None:
    database = f"sqlite:///{tmp_path / 'venue.db'}"
    clock = ManualClock(EVENING)
    venue = Venue.open(open_store(database), clock)
    service = open_index_service(truncated_prices(date(2026, 4, 16)))
    history = service.history(None, LTD, clock.now())
    withheld = [f.day for f in history if f.level is None and f.day >= date(2026, 6, 1)]
    assert withheld  # the cut leaves stale days in the window
    venue.index.publish_fixes(history)
    venue.settlement.list_contracts(LTD)
    report = venue.settlement.end_of_day(LTD)
    assert [s.contract for s in report.final_settlements] == ["SITM26"]
    audit = report.final_audits["SITM26"]
    business = [d.isoformat() for d in withheld if d.weekday() < 5]
    assert [w["day"] for w in audit["withheld_days"]] == business
    assert audit["clean"] is False
    state_hash = venue.state_hash()
    venue.close()
    reopened = Venue.open(open_store(database), ManualClock(EVENING))
    try:
        assert reopened.state_hash() == state_hash
        assert reopened.settlement.final_settlement_audit("SITM26") == audit
        server = serve_in_thread(create_app(reopened), port=0)
        try:
            url = server.base_url
            served = httpx.get(f"{url}/v1/contracts/SITM26/final-settlement", timeout=10).json()
            revisions = httpx.get(f"{url}/v1/index/fixings/{LTD}/revisions", timeout=10).json()
            missing = httpx.get(f"{url}/v1/index/fixings/2001-01-01/revisions", timeout=10)
        finally:
            server.stop()
    finally:
        reopened.close()
    assert served["settled"] is True
    assert served["audit"]["final_settlement_price"] == audit["final_settlement_price"]
    assert [w["day"] for w in served["audit"]["withheld_days"]] == business
    assert revisions[0]["status"] == "withheld"
    assert revisions[0]["published_at"].startswith("2026-06-17T16:00:00")
    assert missing.status_code == 404


def test_the_scheduler_ingests_the_index_services_fix(shared_data: Path) -> None:
    service = open_index_service(shared_data / "llm_price_history.csv")
    clock = ManualClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    venue = Venue.open(open_store("memory://"), clock)
    venue.index.publish_fixes(service.history(None, date(2026, 11, 22), clock.now()))
    venue.settlement.run_schedule(clock.now())
    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    done = venue.settlement.run_schedule(clock.now(), fixer=scheduled_fixer(service, clock))
    assert any(FIX_INDEX in step for step in done)
    (fix,) = venue.index.index_fixings(date(2026, 11, 24), date(2026, 11, 24))
    assert fix.level == service.fix(date(2026, 11, 24), clock.now()).level
    assert fix.audit["publication"]["published_at"] == "2026-11-24T16:00:00+00:00"
    assert fix.audit["methodology_version"] == service.version
