"""A real TPI fix (exact Fraction weights in its audit) ingests and round-trips as JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from fractions import Fraction

from tokenfutures.core.clock import ManualClock
from tokenfutures.index.fixing import compute_fixing
from tokenfutures.index.grades import book_from_grades, packaged_grade_table
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.sources.genai_prices_pkg import read_genai_prices
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import jsonable


def test_fractions_become_exact_strings() -> None:
    assert jsonable({"w": Fraction(1, 3), "ws": (Fraction(2, 5),)}) == {"w": "1/3", "ws": ["2/5"]}


def test_real_fixing_ingests_with_its_audit() -> None:
    day = date(2026, 11, 20)
    report = read_genai_prices()
    fix = compute_fixing(
        report.observations, Methodology(), day, book_from_grades(packaged_grade_table())
    )
    venue = Venue.open(open_store("memory://"), ManualClock(datetime(2026, 11, 20, tzinfo=UTC)))
    view = venue.index.ingest_fixing(fix)
    document = json.loads(json.dumps(view.to_dict()))
    assert document["level"] == str(fix.level)
    assert [f.level for f in venue.index.index_fixings(day, day)] == [fix.level]
