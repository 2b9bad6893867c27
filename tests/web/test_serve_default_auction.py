"""``serve --speed``: a member defaults, its book is auctioned, another member bids and wins.

demo-alice buys from mm-reference nearly all the lots her margin allows; the day's last trade
is 6 % lower and the day settles at it: her loss and her default-fund share (half of a Cover-2
of about 42 % of the book's value, ADR 0412) leave her collateral under maintenance, she is
called and does not pay: the next end of day she defaults. (Her counterparty must afford its
own share of the fund: mm-reference's 50M can, demo-bob's 1M could not.) The CCP
takes her book and opens an auction (a 20 h window on a clock running 3 h a second);
demo-bob bids over HTTP and wins; the scheduler closes the window. Only the invited
members (demo-bob, mm-reference) see the auction, each its own view (ADR 0621). A fresh replay of the
journal rebuilds the same auction, and the money identity holds.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

import httpx

from tokenfutures.storage import open_store
from tokenfutures.venue.auctions import auction_view, member_view
from tokenfutures.venue.queries import money_identity
from tokenfutures.venue.recovery import replay_journal

SCRIPT = Path(sys.executable).parent / "tokenfutures"
SPEED = "10800"  # three hours a second
WINDOW = "72000"  # 20 h of the venue's clock: 6.7 s to bid
BID = "-250.00"  # bob asks to be paid 250 USD for taking the book


def _post(url: str, key: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{url}{path}", json=body, headers={"X-API-Key": key}, timeout=10)


def _get(url: str, key: str, path: str, **params: str) -> Any:
    reply = httpx.get(f"{url}{path}", params=params, headers={"X-API-Key": key}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _trade(url: str, keys: dict[str, str], trade: tuple[str, str, str, int, str]) -> None:
    """``buyer`` buys ``lots`` of ``contract`` from ``seller`` at ``price``."""
    buyer, seller, contract, lots, price = trade
    for account, side in ((seller, "sell"), (buyer, "buy")):
        body = {
            "contract": contract,
            "side": side,
            "quantity": lots,
            "price": price,
            "client_order_id": f"{side}-{buyer}-{lots}",
        }
        reply = _post(url, keys[account], "/v1/orders", body)
        assert reply.status_code == 201, reply.text
        assert reply.json()["status"] == "accepted", reply.text


def _overtrade(url: str, keys: dict[str, str]) -> str:
    """alice buys from mm-reference at the prior settlement as many lots as her margin allows;
    the day's last trade (mm-reference buys one lot from bob) is 6 % lower, so the day settles
    there."""
    front = _get(url, keys["demo-alice"], "/v1/contracts")[0]
    symbol, prior = front["symbol"], Decimal(front["prior_settlement"])
    lower = str((prior * Decimal("0.94")).quantize(Decimal(front["tick_size"]), ROUND_DOWN))
    _trade(url, keys, ("demo-alice", "mm-reference", symbol, 10, str(prior)))
    margin = _get(url, keys["demo-alice"], "/v1/account/margin")
    lots = int(Decimal(margin["excess"]) * Decimal("0.95") / (Decimal(margin["initial"]) / 10))
    _trade(url, keys, ("demo-alice", "mm-reference", symbol, lots, str(prior)))
    _trade(url, keys, ("mm-reference", "demo-bob", symbol, 1, lower))
    return str(symbol)


def _wait_for(url: str, key: str, status: str, deadline_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        found = _get(url, key, "/v1/clearing/auctions", status=status)
        if found:
            return dict(found[0])
        time.sleep(0.05)
    raise AssertionError(f"no {status} default auction within {deadline_s} s")


def test_serve_auctions_a_defaulters_book_to_the_member_who_bids(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'venue.db'}"
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--database", database, "--port", "0", "--no-market-maker",
         "--json", "--speed", SPEED, "--auction-window", WINDOW],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        url, keys = summary["url"], summary["accounts"]
        contract = _overtrade(url, keys)
        opened = _wait_for(url, keys["demo-bob"], "open", 120)
        taken = _post(
            url, keys["demo-bob"], f"/v1/clearing/auctions/{opened['auction_id']}/bids",
            {"amount": BID},
        )  # fmt: skip
        assert taken.status_code == 201, taken.text
        awarded = _wait_for(url, keys["demo-bob"], "awarded", 60)
        bob = _get(url, keys["demo-bob"], "/v1/account/positions")
        hidden = _get(url, keys["demo-alice"], "/v1/clearing/auctions")  # the defaulter's
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=60)
    assert process.returncode == 0, err

    assert hidden == []  # only invited members see an auction (ADR 0621)
    assert "demo-alice" not in json.dumps(opened)
    assert (awarded["won"], awarded["payment"], awarded["bid"]) == (True, BID, BID)
    (lot,) = awarded["portfolio"]
    assert lot["contract"] == contract
    assert lot["quantity"] > 0  # alice's long book
    assert awarded["allocation"] == {contract: lot["quantity"]}
    # bob sold one lot to mm-reference and took alice's book
    assert [(p["contract"], p["quantity"]) for p in bob] == [(contract, lot["quantity"] - 1)]

    store = open_store(database)
    try:
        state = replay_journal(store)
    finally:
        store.close()
    auction = state.auctions[awarded["auction_id"]]
    replayed = member_view(auction, "demo-bob")
    assert replayed is not None
    assert json.loads(json.dumps(replayed.to_dict(), default=str)) == awarded
    record = auction_view(auction)  # the CCP's own record, rebuilt by the replay
    assert record.defaulter == "demo-alice"
    assert record.invited == ("demo-bob", "mm-reference")
    assert (record.winner, record.amount) == ("demo-bob", Decimal(BID))
    # mm-reference did not bid: it owes 10 % of its default-fund contribution, if it has one
    assert set(record.penalties) <= {"mm-reference"}
    assert record.waterfall is not None
    assert record.waterfall.closeout_loss == Decimal(250)
    assert record.waterfall.uncovered == 0
    (default_day,) = [r for r in state.eod_reports if r.defaults]
    assert default_day.defaults == ("demo-alice",)
    assert [a.status for a in default_day.auctions] == ["open"]
    inside, outside = money_identity(state)
    assert inside == outside == (50_000_000 + 1_000_000 + 1_000_000) * 1_000_000
    assert state.house.book.position("demo-alice", contract) == 0
