"""Facts of ADR 0242 on the real data: how often the frontier sub-index is withheld, and why."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tokenfutures.index.sources.inputs import open_index_service

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_frontier_is_withheld_on_a_third_of_published_days_for_lack_of_groups(
    shared_data: Path,
) -> None:
    service = open_index_service(shared_data / "llm_price_history.csv")
    published = [
        f for f in service.history(None, service.latest_day(NOW), NOW) if f.level is not None
    ]
    frontier = [s for f in published for s in f.fixing.sub_indices if s.name == "frontier"]
    withheld = [s for s in frontier if s.level is None]
    assert len(published) == 645
    assert len(withheld) == 210  # 32.6 %
    assert {s.providers for s in withheld} == {1, 2, 3}  # always fewer than 4 groups
    assert all(s.providers >= 4 for s in frontier if s.level is not None)
