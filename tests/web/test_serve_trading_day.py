"""``serve --speed``: the trading day on an accelerated clock through two expiries, over HTTP.

Every end of day the server published (settlement prices, calls, final settlements, the
caller's variation margin) is checked against a fresh replay of the journal, the replay
against the recovered state (``venue replay``), and the money identity on the replay.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from tokenfutures.clearing.ledger import AccountKind
from tokenfutures.storage import open_store
from tokenfutures.venue.queries import money_by_kind, money_identity
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.views import EndOfDayReport

SCRIPT = Path(sys.executable).parent / "tokenfutures"
SPEED = "172800"  # two days a second
EXPIRING = ("SITZ26", "SITF27")


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _trade(url: str, keys: dict[str, str], contract: str, price: str) -> None:
    """demo-alice buys 20 lots of ``contract`` from demo-bob at ``price``."""
    for account, side, coid in (("demo-bob", "sell", "s"), ("demo-alice", "buy", "b")):
        body = {
            "contract": contract,
            "side": side,
            "quantity": 20,
            "price": price,
            "client_order_id": f"{coid}-{contract}",
        }
        reply = httpx.post(
            f"{url}/v1/orders", json=body, headers={"X-API-Key": keys[account]}, timeout=10
        )
        assert reply.status_code < 300, reply.text


def _until_expired(url: str, deadline_s: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        days = httpx.get(f"{url}/v1/clearing/end-of-day", timeout=10).json()
        finals = {s["contract"] for d in days for s in d["final_settlements"]}
        if set(EXPIRING) <= finals:
            return list(days)
        time.sleep(0.5)
    raise AssertionError(f"no final settlement of {EXPIRING} within {deadline_s} s")


def _public(report: EndOfDayReport) -> dict[str, Any]:
    """What ``/v1/clearing/end-of-day`` says of ``report`` (computed from the replay here)."""

    def views(settlements: Any) -> list[dict[str, Any]]:
        return [
            {**s.to_dict(), "price": str(s.price), "day": s.day.isoformat()} for s in settlements
        ]

    return {
        "day": report.day.isoformat(),
        "seq": report.seq,
        "settlements": views(report.settlements),
        "final_settlements": views(report.final_settlements),
        "variation_margin_paid": sum(
            (-v for v in report.variation_margin.values() if v < 0), Decimal(0)
        ),
        "margin_calls": len(report.margin_calls),
        "margin_called": sum(report.margin_calls.values(), Decimal(0)),
        "defaults": len(report.defaults),
        "margin_method": report.margin_method,
        "margin_backtest": {c: b.to_dict() for c, b in report.margin_backtest.items()},
        "trading_fees": sum(report.trading_fees.values(), Decimal(0)),
        "clearing_fees": sum(report.clearing_fees.values(), Decimal(0)),
        "default_fund": sum(report.default_fund.values(), Decimal(0)),
        "cover2": report.cover2,
    }


def test_serve_runs_the_clearing_cycle_through_two_expiries(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'venue.db'}"
    process = _cli(
        "serve", "--database", database, "--port", "0", "--no-market-maker", "--json",
        "--speed", SPEED,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        url, keys = summary["url"], summary["accounts"]
        for contract in EXPIRING:  # a cent above the TPI: settlements move money
            _trade(url, keys, contract, str(Decimal(summary["tpi"]["level"][:4]) + Decimal("0.01")))
        served = _until_expired(url, 240)
        mine = httpx.get(
            f"{url}/v1/account/end-of-day", headers={"X-API-Key": keys["demo-alice"]}, timeout=10
        ).json()
        page = httpx.get(f"{url}/dashboard", timeout=10).text
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err

    replay = subprocess.run(
        [str(SCRIPT), "venue", "replay", "--database", database, "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout)["match"] is True

    store = open_store(database)
    try:
        state = replay_journal(store)
    finally:
        store.close()
    fresh = {r.day.isoformat(): r for r in state.eod_reports}
    assert len(served) >= 20  # a month and more of business days
    assert any(Decimal(d["variation_margin_paid"]) > 0 for d in served)
    assert {d["margin_method"] for d in served} == {"hs-es"}  # the live default (ADR 0407)
    assert any(d["margin_backtest"] for d in served)
    for day in served:  # every settlement, call and final settlement the server published
        expected = json.loads(json.dumps(_public(fresh[day["day"]]), default=str))
        assert json.loads(json.dumps(day, default=str)) == expected, day["day"]
    for row in mine:  # the caller's own variation margin and calls
        report = fresh[row["day"]]
        assert Decimal(row["variation_margin"]) == report.variation_margin.get(
            "demo-alice", Decimal(0)
        )
        assert (row["margin_call"] is None) == ("demo-alice" not in report.margin_calls)
        assert Decimal(row["trading_fees"]) == report.trading_fees.get("demo-alice", Decimal(0))
        assert Decimal(row["default_fund"]) == report.default_fund.get("demo-alice", Decimal(0))
    finals = {s.contract: s for r in state.eod_reports for s in r.final_settlements}
    assert set(EXPIRING) <= set(finals)
    assert state.house.book.position("demo-alice", "SITZ26") == 0  # expired and settled
    inside, outside = money_identity(state)
    assert inside == outside == (50_000_000 + 1_000_000 + 1_000_000) * 1_000_000
    # each taker paid 0.30 and each maker 0.10 a lot, both 0.10 clearing (SIT v2, ADR 0411):
    # 2 contracts x 20 lots; bob's sells rested (maker), alice's buys took them
    held = money_by_kind(state)
    assert held[AccountKind.FEES] == 2 * 20 * (300_000 + 100_000 + 2 * 100_000)
    assert any(Decimal(d["default_fund"]) > 0 for d in served)  # Cover-2 paid by the members
    last = state.eod_reports[-1]  # returned once the expired positions are gone
    assert held[AccountKind.DEFAULT_FUND] == sum(last.default_fund.values()) * 1_000_000
    assert sum(Decimal(d["trading_fees"]) for d in served) == Decimal(16)
    assert (
        held[AccountKind.COLLATERAL] + held[AccountKind.FEES] + held[AccountKind.DEFAULT_FUND]
        == outside
    )
    assert "Clearing: daily settlement, variation margin, calls and expiries" in page
    assert "<th>fees (USD)</th><th>default fund (USD)</th><th>auctions</th>" in page
    shown = [d for d in served if f"<td>{d['day']}</td>" in page]  # the newest ten days
    assert any(Decimal(d["cover2"]) > 0 and f"<td>{d['cover2']}</td>" in page for d in shown)
    assert f"SITF27 {finals['SITF27'].price}" in page  # the latest expiry, as served
