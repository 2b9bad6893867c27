"""``tokenfutures index correct`` through the installed console script (ADR 0241): the venue's
database gets the next revision, the API serves it, and bad input is one line with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tokenfutures.api.app import create_app
from tokenfutures.api.server import serve_in_thread
from tokenfutures.core.clock import SystemClock
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

CLI = str(Path(sys.executable).parent / "tokenfutures")


def tokenfutures(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def database(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A venue database holding the published history up to now (the command's clock)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('correct') / 'venue.db'}"
    clock = SystemClock()
    venue = Venue.open(open_store(url), clock)
    service = open_index_service(shared_data / "llm_price_history.csv")
    venue.index.publish_fixes(service.history(None, service.latest_day(clock.now()), clock.now()))
    venue.close()
    return url


def yesterday() -> str:
    return (SystemClock().now().date() - timedelta(days=1)).isoformat()


def test_a_correction_is_recorded_and_served_as_the_next_revision(database: str) -> None:
    day = yesterday()
    done = tokenfutures(
        "index", "correct", "--date", day, "--level", "0.5125", "--reason", "a row was misread",
        "--by", "alice", "--database", database, "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["level"], result["revision"], result["kind"]) == ("0.5125", 1, "judgement")
    assert result["corrected_by"] == "alice"
    venue = Venue.open(open_store(database), SystemClock())
    server = serve_in_thread(create_app(venue), port=0)
    try:
        revisions = httpx.get(f"{server.base_url}/v1/index/fixings/{day}/revisions").json()
        current = httpx.get(
            f"{server.base_url}/v1/index/fixings", params={"start": day, "end": day}
        ).json()
    finally:
        server.stop()
        venue.close()
    assert [r["revision"] for r in revisions] == [0, 1]
    assert revisions[0]["level"] == result["corrects"]["level"] != "0.5125"  # kept, not overwritten
    assert revisions[1]["level"] == "0.5125"
    assert revisions[1]["reason"] == "correction: a row was misread"
    assert revisions[1]["audit"]["publication"]["corrected_by"] == "alice"
    assert current[0]["level"] == "0.5125"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-01-05", "--level", "0.6"], "became final at 2026-01-10 16:00 UTC"),
        (["--date", "yesterday", "--level", "abc"], "level must be a decimal number"),
        (["--date", "yesterday", "--level", "-1"], "level must be a positive decimal"),
        (["--date", "yesterday", "--level", "0.6", "--withhold"], "exactly one of --level"),
        (["--date", "yesterday"], "exactly one of --level"),
        (["--date", "2026-13-01", "--level", "0.6"], "date must be an ISO date"),
    ],
)
def test_bad_corrections_are_one_line_and_exit_2(
    database: str, args: list[str], message: str
) -> None:
    args = [yesterday() if a == "yesterday" else a for a in args]
    done = tokenfutures(
        "index", "correct", *args, "--reason", "r", "--by", "alice", "--database", database
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr


def test_a_correction_needs_a_reason(database: str) -> None:
    done = tokenfutures(
        "index", "correct", "--date", yesterday(), "--withhold", "--by", "a", "--database", database
    )
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "error: reason must be a non-empty reason for the correction (got '')"
    )


def test_a_database_that_does_not_exist_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "no-venue.db"
    done = tokenfutures(
        "index", "correct", "--date", yesterday(), "--withhold", "--reason", "r", "--by", "a",
        "--database", f"sqlite:///{missing}",
    )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no SQLite store" in done.stderr
    assert not missing.exists()
