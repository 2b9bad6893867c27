"""Default auctions over HTTP: only invited members see them, bids stay sealed, results private.

carol sells 10 lots (25,000 USD each) at 2.50 with 20,500 USD; the day settles at 2.60, her
collateral falls to 10,500 under the 15,600 maintenance and she is called; the next end of
day she defaults and her short book is auctioned to the clearing members alice and bob.
dave clears through alice (a client, not a member): he is not invited, nor is carol (ADR 0621).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tokenfutures.api import RunningServer
from tokenfutures.client import MemberAuction, NotFoundError, TokenFuturesClient

from .auction_scenario import MEMBER_FIELDS, NEXT_DAY, at, call_carol, default_carol
from .helpers import Market


def _caller(server: RunningServer, market: Market) -> Any:
    def call(method: str, path: str, who: str | None, **kw: Any) -> httpx.Response:
        headers = {} if who is None else {"X-API-Key": market.keys[who]}
        return httpx.request(method, f"{server.base_url}{path}", headers=headers, timeout=10, **kw)

    return call


def test_only_invited_members_see_an_auction_and_bids_stay_sealed(
    market: Market, server: RunningServer
) -> None:
    call_carol(market)
    default_carol(market)
    call = _caller(server, market)
    assert call("GET", "/v1/clearing/auctions", None).status_code == 401
    (auction,) = call("GET", "/v1/clearing/auctions", "alice").json()
    assert set(auction) == MEMBER_FIELDS  # no defaulter, invited list or count of bids
    assert auction["status"] == "open"
    assert auction["portfolio"] == [
        {"contract": market.symbol, "quantity": -10, "price": "2.60000", "price_ticks": 260000}
    ]
    assert auction["reserve"] == "-5200.00"  # 2 % of 10 lots x 26,000 USD: the fallback's cost
    assert (auction["bid"], auction["won"], auction["allocation"]) == (None, False, {})
    auction_id = auction["auction_id"]
    one, bids = f"/v1/clearing/auctions/{auction_id}", f"/v1/clearing/auctions/{auction_id}/bids"
    for outsider in ("carol", "dave"):  # the defaulter; a client of an invited member
        assert call("GET", "/v1/clearing/auctions", outsider).json() == []
        hidden = call("GET", one, outsider)
        unknown = call("GET", "/v1/clearing/auctions/99", outsider)
        assert (hidden.status_code, unknown.status_code) == (404, 404)
        assert hidden.json()["detail"] == f"no default auction {auction_id}"  # as if unknown
        assert call("POST", bids, outsider, json={"amount": "1.00"}).status_code == 404

    at(market, NEXT_DAY, 21, 10)
    taken = call("POST", bids, "alice", json={"amount": "-900.00"})
    assert taken.status_code == 201, taken.text
    assert taken.json() == {
        "auction_id": auction_id,
        "member": "alice",
        "amount": "-900.00",
        "submitted": "2026-03-03T21:10:00Z",
    }
    at(market, NEXT_DAY, 21, 20)
    assert call("POST", bids, "bob", json={"amount": "-400.50"}).status_code == 201
    refused = {
        "sub-cent": call("POST", bids, "bob", json={"amount": "1.001"}),
        "number": call("POST", bids, "bob", json={"amount": 5}),
        "unknown": call("POST", "/v1/clearing/auctions/99/bids", "bob", json={"amount": "1"}),
        "anonymous": call("POST", bids, None, json={"amount": "1.00"}),
    }
    assert {k: r.status_code for k, r in refused.items()} == {
        "sub-cent": 422,
        "number": 422,
        "unknown": 404,
        "anonymous": 401,
    }
    alice, bob = call("GET", one, "alice"), call("GET", one, "bob")
    assert (alice.json()["bid"], alice.json()["bid_submitted"]) == (
        "-900.00",
        "2026-03-03T21:10:00Z",
    )
    assert bob.json()["bid"] == "-400.50"
    for text, others in ((alice.text, ("bob", "-400.50")), (bob.text, ("alice", "-900.00"))):
        assert not any(word in text for word in (*others, "carol", "invited", "bids_received"))


def test_after_the_close_each_member_reads_only_its_own_result(
    market: Market, server: RunningServer
) -> None:
    call_carol(market)
    default_carol(market)
    call = _caller(server, market)
    bids = "/v1/clearing/auctions/1/bids"
    at(market, NEXT_DAY, 21, 10)
    assert call("POST", bids, "alice", json={"amount": "-900.00"}).status_code == 201
    assert call("POST", bids, "bob", json={"amount": "-400.50"}).status_code == 201
    at(market, NEXT_DAY, 22)
    assert market.venue.auctions.close_due(market.venue.clock.now()) == [1]  # the scheduler's

    (won,) = call("GET", "/v1/clearing/auctions", "bob", params={"status": "awarded"}).json()
    assert (won["won"], won["payment"], won["penalty"]) == (True, "-400.50", "0")
    assert won["allocation"] == {market.symbol: -10}
    assert won["closed"] == "2026-03-03T22:00:00Z"
    lost = call("GET", "/v1/clearing/auctions/1", "alice")
    assert (lost.json()["status"], lost.json()["won"]) == ("awarded", False)
    assert (lost.json()["allocation"], lost.json()["payment"]) == ({}, "0")
    assert not any(word in lost.text for word in ("bob", "-400.50", "carol", "waterfall"))
    assert call("GET", "/v1/clearing/auctions", "bob", params={"status": "open"}).json() == []
    assert call("GET", "/v1/clearing/auctions/1", "carol").status_code == 404
    assert call("POST", bids, "alice", json={"amount": "-1.00"}).status_code == 422  # closed
    mine = call("GET", "/v1/account/positions", "bob").json()
    assert [(p["contract"], p["quantity"]) for p in mine] == [(market.symbol, -1)]
    # the CCP's own record keeps everything (reports, replay); nothing of it leaves over HTTP
    record = market.venue.auctions.get(1)
    assert (record.defaulter, record.winner, record.amount) == ("carol", "bob", Decimal("-400.50"))
    panel = httpx.get(f"{server.base_url}/dashboard/data/market", timeout=10).json()["clearing"]
    assert [day["auctions"] for day in panel] == [["#1: open"], []]  # as reported; no names


def test_the_client_reads_member_views_and_hides_the_rest(
    market: Market, server: RunningServer
) -> None:
    call_carol(market)
    default_carol(market)
    at(market, NEXT_DAY, 21, 10)
    with TokenFuturesClient(server.base_url, market.keys["bob"]) as bob:
        taken = bob.bid(1, "-400.50")
        (offered,) = bob.auctions(status="open")
        assert isinstance(offered, MemberAuction)
        assert (offered.bid, offered.bid_submitted) == (Decimal("-400.50"), taken.submitted)
        assert bob.auction(1) == offered
    with TokenFuturesClient(server.base_url, market.keys["dave"]) as dave:
        assert dave.auctions() == []
        with pytest.raises(NotFoundError):
            dave.auction(1)
        with pytest.raises(NotFoundError):
            dave.bid(1, "1.00")
