"""The dashboard's TPI history with every move explained (ADR 0240), where users meet it.

A venue fixed from the real price history is served over HTTP; its compact history route is
checked against the API's fixes and audits and against ``index history`` (the installed console
script) for every day, and the chart in headless Chromium against the API and ``index explain``.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tokenfutures.api.server import RunningServer
from tokenfutures.bootstrap import load_settings, open_venue
from tokenfutures.cli.serve_cmds import publish_index
from tokenfutures.core.clock import ManualClock
from tokenfutures.index.sources.inputs import open_index_service

from .conftest import NOW, serve_dashboard

CLI = str(Path(sys.executable).parent / "tokenfutures")
PARTS = ("matched", "entries_exits", "reweighting")
LAST_DAY = "2026-11-22"  # the newest fix published at NOW


@dataclass
class Served:
    url: str
    prices: Path


@pytest.fixture(scope="module")
def served(shared_data: Path) -> Iterator[Served]:
    """The real price history fixed by the index service and ingested by a served venue."""
    prices = shared_data / "llm_price_history.csv"
    clock = ManualClock(NOW)
    venue = open_venue(load_settings(store={"url": "memory://"}), clock)
    publish_index(venue, open_index_service(prices), NOW)
    server: RunningServer = serve_dashboard(venue, clock)
    try:
        yield Served(server.base_url, prices)
    finally:
        server.stop()
        venue.close()


@pytest.fixture(scope="module")
def history(served: Served) -> dict[str, Any]:
    answer = httpx.get(f"{served.url}/dashboard/data/tpi-history", timeout=60)
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


@pytest.fixture(scope="module")
def fixings(served: Served) -> list[dict[str, Any]]:
    """Every fix the API serves (``/v1/index/fixings``, all pages)."""
    items: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"limit": 1000}
    while True:
        page = httpx.get(f"{served.url}/v1/index/fixings", params=params, timeout=60)
        items += page.json()
        cursor = page.headers.get("X-Next-Cursor")
        if not cursor:
            return items
        params = {"limit": 1000, "after": cursor}


def cli_json(*args: str) -> Any:
    done = subprocess.run([CLI, *args, "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def api_move(fix: dict[str, Any]) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (fix["audit"].get("audit") or {}).get("attribution")
    return found


def biggest_entry_day(fixings: list[dict[str, Any]]) -> str:
    """The published day whose entries/exits moved the index most (read from the API)."""
    moved = [f for f in fixings if f["level"] is not None and api_move(f)]
    best = max(moved, key=lambda f: abs(Decimal(api_move(f)["entries_exits"])))  # type: ignore[index]
    return str(best["day"])


def test_every_day_has_the_api_level_status_and_move(
    history: dict[str, Any], fixings: list[dict[str, Any]]
) -> None:
    assert [r["day"] for r in history["days"]] == [f["day"] for f in fixings]
    assert len(fixings) > 700  # 2024-10-17 .. 2026-11-22
    for row, fix in zip(history["days"], fixings, strict=True):
        assert (row["level"], row["status"], row["revision"]) == (
            fix["level"],
            fix["status"],
            fix["revision"],
        )
        move = api_move(fix)
        if move is None:
            assert row["move"] is None
            continue
        for key in ("log_change", *PARTS):
            assert Decimal(row["move"][key]) == Decimal(move[key]), (row["day"], key)
        assert row["move"]["routes"] == [
            [r["part"], f"{r['provider']}/{r['model']}", r["log_effect"]] for r in move["routes"]
        ]
    withheld = [r for r in history["days"] if r["level"] is None]
    assert withheld
    assert all(r["note"] for r in withheld)  # every gap says why


def test_the_running_sums_add_the_parts_and_explain_the_level(
    history: dict[str, Any], fixings: list[dict[str, Any]]
) -> None:
    sums = dict.fromkeys(PARTS, Decimal(0))
    for fix in fixings:
        move = api_move(fix)
        for part in PARTS:
            sums[part] += Decimal(move[part]) if move else Decimal(0)
    assert {p: Decimal(v) for p, v in history["cumulative"].items()} == sums
    levels = [Decimal(f["level"]) for f in fixings if f["level"] is not None]
    explained = float(sum(sums.values()))
    assert explained == pytest.approx(math.log(levels[-1] / levels[0]), abs=2e-3)
    assert explained < -0.1  # the real history fell, and the chart shows by how much


def test_every_level_is_the_one_index_history_publishes(
    served: Served, history: dict[str, Any]
) -> None:
    published = cli_json("index", "history", "--csv", str(served.prices), "--to", LAST_DAY)
    assert [(p["date"], p["level"]) for p in published] == [
        (r["day"], r["level"]) for r in history["days"]
    ]


def test_the_chart_shows_the_history_and_a_clicked_day_names_its_routes(
    served: Served, history: dict[str, Any], fixings: list[dict[str, Any]], page: Page
) -> None:
    page.goto(f"{served.url}/dashboard")
    chart = page.locator("#tpi-history-chart")
    expect(chart.locator("path.level-line")).to_have_count(1)
    expect(chart.locator("path.cum-line")).to_have_count(3)
    expect(chart.locator("rect.hit")).to_have_count(len(fixings))
    withheld = [f["day"] for f in fixings if f["level"] is None]
    expect(chart.locator("rect.mark.withheld")).to_have_count(len(withheld))
    assert chart.locator(f"rect.mark.withheld[data-day='{withheld[0]}']").count() == 1
    assert chart.locator("rect.bar.part-entries_exits").count() > 10
    for part in PARTS:
        legend = page.locator(f"#tpi-cumulative [data-part='{part}']")
        expect(legend).to_have_attribute("data-value", history["cumulative"][part])
    expect(page.locator("#tpi-move")).to_have_attribute("data-day", LAST_DAY)

    day = biggest_entry_day(fixings)
    chart.locator(f"rect.hit[data-day='{day}']").click()
    move = page.locator("#tpi-move")
    expect(move).to_have_attribute("data-day", day)
    explained = cli_json("index", "explain", "--csv", str(served.prices), "--date", day)
    attribution = explained["audit"]["attribution"]
    assert explained["level"] == next(r["level"] for r in history["days"] if r["day"] == day)
    for key in ("log_change", *PARTS):
        cell = move.locator(f"#tpi-move-table tr[data-key='{key}'] td")
        expect(cell).to_have_attribute("data-value", attribution[key])
        expect(cell).to_contain_text(f"{Decimal(attribution[key]):.9f}")
    rows = move.locator("#tpi-move-routes tbody tr")
    expect(rows).to_have_count(len(attribution["routes"]))
    for n, route in enumerate(attribution["routes"]):
        expect(rows.nth(n).locator("td").nth(1)).to_have_text(
            f"{route['provider']}/{route['model']}"
        )
        effect = rows.nth(n).locator("td").nth(2)
        expect(effect).to_have_attribute("data-value", route["log_effect"])
        expect(effect).to_have_text(f"{Decimal(route['log_effect']):.9f}")

    page.fill("#tpi-move-day", withheld[-1])
    page.locator("#tpi-move-day").dispatch_event("change")
    expect(move).to_have_attribute("data-day", withheld[-1])
    expect(page.locator("#tpi-move-head")).to_contain_text("no level")
