"""A real TPI fix (exact Fraction weights in its audit) ingests and round-trips as JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from fractions import Fraction

from tokenfutures.core.clock import ManualClock
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import jsonable


def test_fractions_become_exact_strings() -> None:
    assert jsonable({"w": Fraction(1, 3), "ws": (Fraction(2, 5),)}) == {"w": "1/3", "ws": ["2/5"]}


def test_real_fixing_ingests_with_its_audit() -> None:
    day = date(2026, 11, 20)
    now = datetime(2026, 11, 21, tzinfo=UTC)
    fix = open_index_service().fix(day, now)
    venue = Venue.open(open_store("memory://"), ManualClock(now))
    view = venue.index.ingest_fixing(fix)
    document = json.loads(json.dumps(view.to_dict()))
    assert document["level"] == str(fix.level)
    assert [f.level for f in venue.index.index_fixings(day, day)] == [fix.level]
