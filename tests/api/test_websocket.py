"""WebSocket streams through a real uvicorn server: snapshot, then deltas numbered without gaps."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import websockets

from tokenfutures.api import RunningServer
from tokenfutures.client import (
    ClientError,
    LocalBook,
    TokenFuturesClient,
    market_data,
    private_events,
)
from tokenfutures.client.stream import ws_url

from .helpers import Market


async def _take(stream: AsyncIterator[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    messages = []
    async for message in stream:
        messages.append(message)
        if len(messages) == count:
            break
    return messages


def _bid(server: RunningServer, market: Market, coid: str, quantity: int, offset: int) -> None:
    with TokenFuturesClient(server.base_url, market.keys["alice"]) as client:
        price = market.price - offset * market.tick
        ack = client.submit_order(market.symbol, "buy", quantity, coid, price=price)
        assert ack.status == "accepted"


def test_market_stream_snapshot_then_sequenced_book_deltas(
    server: RunningServer, market: Market
) -> None:
    _bid(server, market, "before", 4, offset=1)  # in the snapshot

    async def scenario() -> list[dict[str, Any]]:
        stream = market_data(server.base_url, market.symbol)
        snapshot = await anext(stream)
        for i, offset in enumerate((2, 1, 3)):
            await asyncio.to_thread(_bid, server, market, f"live-{i}", 1 + i, offset)
        deltas = await asyncio.wait_for(_take(stream, 3), 10)
        await stream.aclose()
        return [snapshot, *deltas]

    messages = asyncio.run(scenario())
    local = LocalBook(market.symbol)
    for message in messages:
        local.apply(message)
    with TokenFuturesClient(server.base_url) as public:
        rest = public.book(market.symbol)
    assert local.bids() == [(level.price, level.quantity) for level in rest.bids]
    assert local.best_bid() == market.price - market.tick
    assert local.best_ask() is None
    assert [m["seq"] for m in messages] == [1, 2, 3, 4]
    snapshot, *deltas = messages
    assert snapshot["type"] == "snapshot"
    level_price = str(market.price - market.tick)
    assert [(lv["side"], lv["price"], lv["quantity"]) for lv in snapshot["data"]["levels"]] == [
        ("buy", level_price, 4)
    ]
    assert [(d["type"], d["data"]["price"], d["data"]["quantity"]) for d in deltas] == [
        ("book", str(market.price - 2 * market.tick), 1),
        ("book", level_price, 4 + 2),
        ("book", str(market.price - 3 * market.tick), 3),
    ]
    venue_seqs = [m["venue_seq"] for m in messages]
    assert venue_seqs == sorted(venue_seqs)


def test_private_stream_authenticates_by_first_message_and_sees_own_fills(
    server: RunningServer, market: Market
) -> None:
    async def scenario() -> list[dict[str, Any]]:
        stream = private_events(server.base_url, market.keys["alice"])
        first = await anext(stream)
        await asyncio.to_thread(_bid, server, market, "p-1", 2, 0)
        with TokenFuturesClient(server.base_url, market.keys["bob"]) as bob:
            await asyncio.to_thread(
                bob.submit_order, market.symbol, "sell", 2, "hit", price=market.price
            )
        rest = await asyncio.wait_for(_take(stream, 2), 10)
        await stream.aclose()
        return [first, *rest]

    messages = asyncio.run(scenario())
    assert [m["seq"] for m in messages] == [1, 2, 3]
    assert [m["type"] for m in messages] == ["subscribed", "accepted", "fill"]
    assert messages[0]["data"] == {"account": "alice", "open_orders": [], "auctions": []}
    fill = messages[2]["data"]
    assert (fill["side"], fill["quantity"], fill["price"]) == ("buy", 2, str(market.price))


def test_private_stream_opens_with_the_accounts_open_orders(
    server: RunningServer, market: Market
) -> None:
    _bid(server, market, "resting-1", 3, offset=2)
    _bid(server, market, "resting-2", 1, offset=4)
    with TokenFuturesClient(server.base_url, market.keys["alice"]) as alice:
        gone = alice.submit_order(market.symbol, "buy", 1, "gone", price=market.price)
        alice.cancel_order(gone.order_id or 0)
    _bid_as_bob = TokenFuturesClient(server.base_url, market.keys["bob"])
    with _bid_as_bob as bob:  # another account's order never shows
        bob.submit_order(market.symbol, "sell", 1, "bob-1", price=market.price + market.tick)

    async def scenario() -> dict[str, Any]:
        stream = private_events(server.base_url, market.keys["alice"])
        first = await anext(stream)
        await stream.aclose()
        return first

    first = asyncio.run(scenario())
    assert first["type"] == "subscribed"
    orders = first["data"]["open_orders"]
    assert [(o["client_order_id"], o["open_quantity"], o["price"]) for o in orders] == [
        ("resting-1", 3, str(market.price - 2 * market.tick)),
        ("resting-2", 1, str(market.price - 4 * market.tick)),
    ]


@pytest.mark.parametrize("query", ["", "?api_key=wrong"])
def test_private_stream_refuses_a_bad_key(server: RunningServer, query: str) -> None:
    async def scenario() -> tuple[dict[str, Any], int | None]:
        url = ws_url(server.base_url, "/v1/ws/private") + query
        async with websockets.connect(url) as socket:
            if not query:
                await socket.send(json.dumps({"api_key": "nope"}))
            message = json.loads(await socket.recv())
            with pytest.raises(websockets.ConnectionClosed):
                await socket.recv()
            return message, socket.close_code

    message, code = asyncio.run(scenario())
    assert (message["type"], message["status"], code) == ("error", 401, 1008)


def test_market_stream_refuses_an_unknown_contract(server: RunningServer) -> None:
    async def scenario() -> None:
        await anext(market_data(server.base_url, "NOPE"))

    with pytest.raises(ClientError, match="no listed contract"):
        asyncio.run(scenario())


def test_a_late_subscriber_gets_a_snapshot_equal_to_the_rest_book(
    server: RunningServer, market: Market
) -> None:
    async def scenario() -> dict[str, Any]:
        early = market_data(server.base_url, market.symbol)
        await anext(early)
        for i, offset in enumerate((1, 2, 1, 4)):
            await asyncio.to_thread(_bid, server, market, f"early-{i}", 1 + i, offset)
        await asyncio.wait_for(_take(early, 4), 10)
        late = market_data(server.base_url, market.symbol)
        snapshot = await anext(late)
        await late.aclose()
        await early.aclose()
        return snapshot

    snapshot = asyncio.run(scenario())
    with TokenFuturesClient(server.base_url) as public:
        book = public.book(market.symbol)
    assert snapshot["seq"] == 1
    assert [(lv["price"], lv["quantity"]) for lv in snapshot["data"]["levels"]] == [
        (str(level.price), level.quantity) for level in book.bids
    ]
    assert [level.quantity for level in book.bids] == [1 + 3, 2, 4]
