"""One number everywhere, through the installed console script and over HTTP: ``serve`` and
``index history`` agree; future days and stale windows fail loudly (issue 11 item 5)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tokenfutures.contracts import parse_symbol, settlement_window, spec_for_symbol
from tokenfutures.index.methodology import DEFAULT_METHODOLOGY

CLI = str(Path(sys.executable).parent / "tokenfutures")
DAY = "2026-11-20"


def tokenfutures(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args], capture_output=True, text=True, timeout=300, cwd=cwd, check=False
    )


def all_pages(url: str) -> list[dict[str, Any]]:
    """Every item of a paginated list route (following ``X-Next-Cursor``)."""
    items: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"limit": 1000}
    while True:
        page = httpx.get(url, params=params, timeout=60)
        items += page.json()
        cursor = page.headers.get("X-Next-Cursor")
        if not cursor:
            return items
        params = {"limit": 1000, "after": cursor}


def test_a_future_date_is_refused_with_one_clear_line() -> None:
    done = tokenfutures("index", "explain", "--date", "2030-01-01")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    message = " ".join(done.stderr.split())
    assert "error: date must be a day already fixed" in message
    assert "2030-01-01" in message
    assert "snapshot date" not in done.stdout


def test_a_window_not_yet_fixed_is_refused(shared_data: Path) -> None:
    prices = str(shared_data / "llm_price_history.csv")
    done = tokenfutures("contracts", "final-settlement", "SITZ30", "--csv", prices)
    assert done.returncode == 2
    assert "settlement window (2030-12-02 .. " in " ".join(done.stderr.split())


def test_serve_fixes_the_same_value_as_index_history(shared_data: Path, tmp_path: Path) -> None:
    prices = str(shared_data / "llm_price_history.csv")
    history = tokenfutures("index", "history", "--csv", prices, "--json")
    assert history.returncode == 0, history.stderr
    full_history = {f["date"]: f["level"] for f in json.loads(history.stdout)}
    one_day = ["index", "history", "--csv", prices, "--from", DAY, "--to", DAY, "--json"]
    (from_history,) = json.loads(tokenfutures(*one_day).stdout)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    serve = [CLI, "serve", "--port", "0", "--database", "memory://", "--no-market-maker"]
    process = subprocess.Popen(
        [*serve, "--prices", prices, "--json"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = json.loads(process.stdout.readline())["url"]
        served = httpx.get(
            f"{url}/v1/index/fixings", params={"start": DAY, "end": DAY}, timeout=30
        ).json()
        everything = all_pages(f"{url}/v1/index/fixings")
        dashboard = httpx.get(f"{url}/dashboard/data/market", timeout=60).json()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    assert [f["level"] for f in served] == [from_history["level"]]
    assert served[0]["audit"]["methodology_version"] == from_history["methodology_version"]
    assert from_history["methodology_version"] == DEFAULT_METHODOLOGY
    assert served[0]["published_at"].startswith(f"{DAY}T16:00:00")
    charted = {p["day"]: p["level"] for p in dashboard["tpi_history"]}
    assert charted[DAY] == from_history["level"]
    # the venue holds the full history from the first price, not a flat tail
    assert everything[0]["day"] == "2024-10-17"
    venue_history = {f["day"]: f["level"] for f in everything}
    assert full_history == venue_history  # every day, not only one: one number everywhere
    assert full_history[DAY] == from_history["level"]


def test_a_final_settlement_over_stale_inputs_is_not_made(
    truncated_prices: Callable[[date], Path],
) -> None:
    prices = truncated_prices(date(2025, 6, 30))
    done = tokenfutures("contracts", "final-settlement", "SITM26", "--csv", str(prices), "--json")
    assert done.returncode == 4, done.stdout
    message = " ".join(done.stdout.split())
    assert "not settled" in message
    assert "stale inputs" in message
    assert "tolerance 60 days" in message


def test_withheld_days_are_in_the_audit_and_the_exit_code(
    truncated_prices: Callable[[date], Path],
) -> None:
    symbol = parse_symbol("SITM26")
    window = settlement_window(spec_for_symbol(symbol), symbol)
    prices = truncated_prices(date(2026, 4, 16))
    with prices.open(newline="", encoding="utf-8") as handle:
        newest = max(date.fromisoformat(r["date"]) for r in csv.DictReader(handle))
    stale = [d for d in window if (d - newest).days > 60]
    assert 0 < len(stale) <= 5, "the cut must leave a settleable window with stale days"
    done = tokenfutures("contracts", "final-settlement", "SITM26", "--csv", str(prices), "--json")
    assert done.returncode == 3, done.stderr
    audit = json.loads(done.stdout)
    assert [w["day"] for w in audit["withheld_days"]] == [d.isoformat() for d in stale]
    assert all("stale inputs" in w["reason"] for w in audit["withheld_days"])
    assert audit["missing_days"] == [d.isoformat() for d in stale]
    assert audit["observed"] == len(window) - len(stale)
    assert audit["clean"] is False


def test_a_clean_window_settles_with_exit_zero(shared_data: Path) -> None:
    prices = str(shared_data / "llm_price_history.csv")
    done = tokenfutures("contracts", "final-settlement", "SITM26", "--csv", prices, "--json")
    assert done.returncode == 0, done.stderr
    audit = json.loads(done.stdout)
    assert audit["clean"] is True
    assert audit["withheld_days"] == []


@pytest.mark.parametrize("command", ["fix", "explain"])
def test_index_commands_state_the_publication(command: str, shared_data: Path) -> None:
    prices = str(shared_data / "llm_price_history.csv")
    done = tokenfutures(
        "index", command, "--csv", prices, "--date", DAY, "--methodology", "tpi-1.0", "--json"
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["level"] == "0.324902"  # the issue's `index history --csv` value (tpi-1.0)
    assert document["publication"]["published_at"] == f"{DAY}T16:00:00+00:00"
    assert document["publication"]["newest_observation"] == "2026-11-09"
