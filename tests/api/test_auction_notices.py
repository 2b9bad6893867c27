"""Auction notices over a real WebSocket: invited members hear of the opening and the close.

The scenario of ``test_auctions``: carol defaults at the second end of day; alice and bob,
the clearing members, are invited; carol (the defaulter) and dave (alice's client) are not
and hear nothing (ADR 0622).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from tokenfutures.api import RunningServer
from tokenfutures.client import auction_notices, private_events
from tokenfutures.venue.views import OrderRequest

from .auction_scenario import MEMBER_FIELDS, NEXT_DAY, at, call_carol, default_carol
from .helpers import Market


async def _until(stream: AsyncIterator[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """Messages of ``stream`` up to and including the first of type ``kind``."""
    seen = []
    async for message in stream:
        seen.append(message)
        if message["type"] == kind:
            return seen
    raise AssertionError(f"the stream ended before a {kind!r} message: {seen}")


def _sentinel(market: Market, account: str) -> None:
    """An order of ``account``: its private stream then carries an ack (accepted or rejected)."""
    request = OrderRequest(market.symbol, "buy", 1, f"{account}-sentinel", Decimal("1.00"))
    market.venue.trading.submit_order(account, request)


def test_invited_members_are_told_when_an_auction_opens_and_closes(
    market: Market, server: RunningServer
) -> None:
    call_carol(market)
    url, keys = server.base_url, market.keys

    async def scenario() -> dict[str, list[dict[str, Any]]]:
        streams = {who: private_events(url, keys[who]) for who in ("alice", "carol", "dave")}
        for stream in streams.values():
            assert (await anext(stream))["data"]["auctions"] == []  # subscribed: nothing yet
        await asyncio.to_thread(default_carol, market)
        opened = await asyncio.wait_for(_until(streams["alice"], "auction_opened"), 10)
        bob = auction_notices(url, keys["bob"])  # joins late: the open auction is in its snapshot
        late = await asyncio.wait_for(anext(bob), 10)
        at(market, NEXT_DAY, 22)
        await asyncio.to_thread(market.venue.auctions.close_due, market.venue.clock.now())
        closed = await asyncio.wait_for(_until(streams["alice"], "auction_closed"), 10)
        bob_closed = await asyncio.wait_for(anext(bob), 10)
        for who in ("carol", "dave"):
            await asyncio.to_thread(_sentinel, market, who)
        outsiders = {
            who: await asyncio.wait_for(_next_ack(streams[who]), 10) for who in ("carol", "dave")
        }
        for stream in (*streams.values(), bob):
            await stream.aclose()
        return {
            "opened": opened,
            "closed": closed,
            "bob": [
                {"type": late[0], "auction": late[1]},
                {"type": bob_closed[0], "auction": bob_closed[1]},
            ],
            **outsiders,
        }

    seen = asyncio.run(scenario())
    opened, closed = seen["opened"][-1], seen["closed"][-1]
    assert [m["seq"] for m in seen["opened"] + seen["closed"]] == list(
        range(2, 2 + len(seen["opened"]) + len(seen["closed"]))
    )  # the connection's frames stay gap-free (ADR 0652)
    assert opened["stream"] == "private:alice"
    assert set(opened["data"]) == MEMBER_FIELDS  # her own view: no defaulter, no one else
    assert (opened["data"]["auction_id"], opened["data"]["status"]) == (1, "open")
    assert opened["data"]["portfolio"][0]["quantity"] == -10
    assert "carol" not in str(opened)
    assert "bob" not in str(opened)
    assert (closed["data"]["status"], closed["data"]["won"]) == ("allocated", False)
    # nobody bid: the book is allocated pro rata; alice takes part of it at a 2 % concession
    assert closed["data"]["allocation"][market.symbol] < 0
    assert Decimal(closed["data"]["penalty"]) >= 0
    (late, bob_closed) = seen["bob"]
    assert (late["type"], late["auction"].auction_id, late["auction"].status) == ("open", 1, "open")
    assert (bob_closed["type"], bob_closed["auction"].status) == ("auction_closed", "allocated")
    alice_lots = closed["data"]["allocation"][market.symbol]
    bob_lots = bob_closed["auction"].allocation[market.symbol]
    assert alice_lots + bob_lots == -10  # between them, the whole book; each saw only its own
    for who in ("carol", "dave"):
        assert not any(m["type"].startswith("auction") for m in seen[who]), seen[who]


async def _next_ack(stream: AsyncIterator[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages up to the sentinel order's ack (accepted or rejected)."""
    seen = []
    async for message in stream:
        seen.append(message)
        if message["type"] in ("accepted", "rejected"):
            return seen
    raise AssertionError(f"the stream ended before an ack: {seen}")


def test_a_later_announce_repeats_nothing_and_a_new_stream_gets_the_open_auction(
    market: Market, server: RunningServer
) -> None:
    """``announce`` tells only what changed since its last call; the open auction reaches a
    stream that joins later in its ``subscribed`` snapshot."""
    call_carol(market)
    default_carol(market)
    market.venue.auctions.announce()  # nothing new since the end of day announced it

    async def scenario() -> list[dict[str, Any]]:
        stream = private_events(server.base_url, market.keys["alice"])
        first = await anext(stream)
        await asyncio.to_thread(market.venue.auctions.announce)
        await asyncio.to_thread(_sentinel, market, "alice")
        rest = await asyncio.wait_for(_next_ack(stream), 10)
        await stream.aclose()
        return [first, *rest]

    first, *rest = asyncio.run(scenario())
    assert [a["auction_id"] for a in first["data"]["auctions"]] == [1]
    assert [m["type"] for m in rest] in (["accepted"], ["rejected"])
