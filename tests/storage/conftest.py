"""Store fixtures: the contract suite runs on memory://, a SQLite file and PostgreSQL.

PostgreSQL runs when ``TOKENFUTURES_TEST_PG_URL`` is set (``eval "$(.ci/postgres.sh)"``);
each test gets its own schema, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from storage_helpers import libpq_url

from tokenfutures.storage import open_store
from tokenfutures.venue.ports import Store

PG_ENV = "TOKENFUTURES_TEST_PG_URL"
PG_SKIP = f'{PG_ENV} is not set: run `eval "$(.ci/postgres.sh)"` to test PostgreSQL'


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL whose search_path is a fresh schema (skipped without PostgreSQL)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(base), autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        scoped = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq_url(base), autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _url_for(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "memory":
        return "memory://"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty store of each adapter."""
    return _url_for(request.param, tmp_path, request)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty store of each durable (SQL) adapter."""
    return _url_for(request.param, tmp_path, request)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, empty store of each adapter, closed after the test."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
