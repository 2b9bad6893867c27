"""``serve --margin-method`` and ``TOKENFUTURES_VENUE__MARGIN_METHOD``: journalled (ADR 0431)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tokenfutures.bootstrap import load_settings, open_venue
from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.commands import decode
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.state import VenueState

CLI = str(Path(sys.executable).with_name("tokenfutures"))
CLOCK = ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))


def _replayed(url: str) -> tuple[VenueState, list[str]]:
    store = open_store(url)
    try:
        state, kinds = VenueState(), []
        for record in store.journal.read():
            kinds.append(record.kind)
            evolve(state, record.seq, decode(record.kind, record.ts, record.payload))
        return state, kinds
    finally:
        store.close()


def test_serve_margins_with_the_named_method_and_a_replay_does_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'venue.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOKENFUTURES_")}
    command = [CLI, "serve", "--port", "0", "--database", url, "--no-market-maker", "--json"]
    run = functools.partial(subprocess.run, capture_output=True, text=True, timeout=120)
    done = run([*command, "--margin-method", "span", "--run-for", "1"], env=env)
    assert done.returncode == 0, done.stderr
    state, kinds = _replayed(url)
    assert state.margin_method == "span-scan"
    assert kinds.count("margin_method") == 1
    # restarted without the flag: the journal's method stays; the environment changes it
    again = run(
        [*command, "--run-for", "1"], env={**env, "TOKENFUTURES_VENUE__MARGIN_METHOD": "hs-es"}
    )
    assert again.returncode == 0, again.stderr
    state, kinds = _replayed(url)
    assert state.margin_method == "hs-es"
    assert kinds.count("margin_method") == 2


def test_a_bad_method_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [CLI, "serve", "--port", "0", "--database", "memory://", "--margin-method", "var"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "margin_method" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_settings_accept_names_and_aliases_and_open_venue_applies_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOKENFUTURES_VENUE__MARGIN_METHOD", "fhs")
    settings = load_settings(store={"url": "memory://"})
    assert settings.venue.margin_method == "fhs-var"
    venue = open_venue(settings, CLOCK)
    try:
        assert venue.settlement.margin_method() == "fhs-var"
        assert venue.settlement.set_margin_method("eq7") == "paper-eq7"
        with pytest.raises(ValueError, match="margin_method"):
            venue.settlement.set_margin_method("gross")
        assert venue.settlement.margin_method() == "paper-eq7"
    finally:
        venue.close()
    monkeypatch.setenv("TOKENFUTURES_VENUE__MARGIN_METHOD", "nope")
    with pytest.raises(ValueError, match="margin_method"):
        load_settings()
    monkeypatch.delenv("TOKENFUTURES_VENUE__MARGIN_METHOD")
    assert load_settings().venue.margin_method is None


def test_the_end_of_day_report_names_the_method_in_force() -> None:
    from tokenfutures.venue.service import Venue

    venue = Venue.open(open_store("memory://"), CLOCK)
    try:
        venue.settlement.set_margin_method("span")
        report = venue.settlement.end_of_day(datetime(2026, 11, 24).date())
        assert report.margin_method == "span-scan"
        assert json.loads(json.dumps(report.to_dict(), default=str))["margin_method"] == (
            "span-scan"
        )
    finally:
        venue.close()
