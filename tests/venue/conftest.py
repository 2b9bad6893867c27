"""Venue fixtures: a manual clock, an in-memory venue, and one with a trading day open."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy

sys.path.insert(0, str(Path(__file__).resolve().parent))  # venue_helpers, any import mode

from venue_helpers import PAPER, TPI, TRADING_DAY, Market

from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))


@pytest.fixture
def venue(clock: ManualClock) -> Iterator[Venue]:
    venue = Venue.open(open_store("memory://"), clock)
    yield venue
    venue.close()


@pytest.fixture
def market(venue: Venue, clock: ManualClock) -> Market:
    venue.index.fix_index(date(2026, 11, 23), TPI)
    venue.settlement.list_contracts(TRADING_DAY, versions=PAPER)
    alice = venue.accounts.create_account("alice", deposit=Decimal(10_000))
    bob = venue.accounts.create_account("bob", deposit=Decimal(10_000))
    return Market(venue, clock, alice, bob)


@pytest.fixture(params=["sqlite", "postgresql"])
def durable_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty SQLite file, or a fresh PostgreSQL schema when TOKENFUTURES_TEST_PG_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'venue.db'}"
        return
    base = os.environ.get("TOKENFUTURES_TEST_PG_URL")
    if not base:
        pytest.skip('TOKENFUTURES_TEST_PG_URL is not set (eval "$(.ci/postgres.sh)")')
    schema = f"venue_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        url = sqlalchemy.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    finally:
        admin.dispose()
