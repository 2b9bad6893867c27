"""WebSocket streams: public market data per contract and the caller's private order/fill events.

Every message carries ``seq``, gap-free per connection from 1 (the snapshot), and the venue's
own stream number as ``venue_seq``. A consumer that falls ``ws_queue_size`` messages behind is
closed with code 1013 rather than skipped, so a received gap always means a bug (ADR 0652).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from tokenfutures.api.auth import authenticate_key
from tokenfutures.api.context import get_context
from tokenfutures.api.feed import Feed
from tokenfutures.api.problems import ProblemError
from tokenfutures.venue.views import StreamMessage
from tokenfutures.wire import encode

router = APIRouter(prefix="/v1/ws", tags=["streams"])

CLOSE_POLICY = 1008
CLOSE_TRY_AGAIN = 1013
_AUTH_TIMEOUT_S = 5.0
_AUTH_MESSAGE_CHARS = 4_096


@router.websocket("/market")
async def market_stream(websocket: WebSocket, contract: str = "") -> None:
    """Book snapshot on subscribe, then book-level, trade and phase deltas (one contract or all)."""
    ctx = get_context(websocket)
    await websocket.accept()
    if contract and ctx.ticks.tick_of(contract) is None:
        await _refuse(websocket, f"no listed contract {contract!r}")
        return
    feed = Feed(
        asyncio.get_running_loop(),
        ctx.settings.ws_queue_size,
        ctx.encoder,
        _select_contract(contract) if contract else _all,
    )
    detach = ctx.fanout.attach(feed)
    await _pump(websocket, feed, detach)


@router.websocket("/private")
async def private_stream(websocket: WebSocket, api_key: str = "") -> None:
    """The caller's open orders and open default auctions it is invited to (in
    ``subscribed``), then its order and fill events and its auction notices
    (``auction_opened``, ``auction_closed``: its own view, ADR 0622).

    The key comes in the query, a header or the first message.
    """
    ctx = get_context(websocket)
    await websocket.accept()
    key = api_key or _header_key(websocket) or await _first_message_key(websocket)
    client = websocket.client.host if websocket.client is not None else "unknown"
    try:
        account = authenticate_key(ctx, key or "", client)
    except ProblemError as problem:
        await _refuse(websocket, problem.detail, status=problem.status)
        return
    feed = Feed(asyncio.get_running_loop(), ctx.settings.ws_queue_size, ctx.encoder)
    start = ctx.venue.market.subscribe_private_snapshot(account, feed.push)
    subscribed = {
        "account": account,
        "open_orders": [o.to_dict() for o in start.orders],
        "auctions": [a.to_dict() for a in start.auctions],
    }
    feed.offer(StreamMessage(f"private:{account}", 0, "subscribed", subscribed))  # before pushes
    await _pump(websocket, feed, start.unsubscribe)


def _all(message: StreamMessage) -> StreamMessage:
    return message


def _select_contract(contract: str) -> Callable[[StreamMessage], StreamMessage | None]:
    def select(message: StreamMessage) -> StreamMessage | None:
        if message.type == "snapshot":
            book = message.data.get("books", {}).get(contract, {})
            return StreamMessage(
                message.stream, message.seq, "snapshot", {"contract": contract, **book}
            )
        return message if message.data.get("contract") == contract else None

    return select


def _header_key(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("x-api-key")
    if header:
        return header
    scheme, _, credentials = websocket.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def _first_message_key(websocket: WebSocket) -> str | None:
    """The ``api_key`` of the first message, None for anything else (ADR 0656).

    A message longer than ``_AUTH_MESSAGE_CHARS`` is not parsed at all; a deeply nested one
    that defeats the parser's recursion is just not a key.
    """
    try:
        text = await asyncio.wait_for(websocket.receive_text(), _AUTH_TIMEOUT_S)
        if len(text) > _AUTH_MESSAGE_CHARS:
            return None
        body = json.loads(text)
    except (TimeoutError, ValueError, WebSocketDisconnect, KeyError, RecursionError):
        return None
    key = body.get("api_key") if isinstance(body, dict) else None
    return key if isinstance(key, str) else None


async def _refuse(websocket: WebSocket, detail: str, *, status: int = 404) -> None:
    error = {"type": "error", "status": status, "detail": detail}
    await websocket.send_text(encode(error).decode())
    await websocket.close(CLOSE_POLICY)


async def _pump(websocket: WebSocket, feed: Feed, unsubscribe: Callable[[], Any]) -> None:
    """Send the feed until the client leaves or falls too far behind."""
    watcher = asyncio.create_task(_watch_disconnect(websocket, feed))
    try:
        while (frame := await feed.next_frame()) is not None:
            await websocket.send_text(frame)
        if feed.overflowed:
            await websocket.close(CLOSE_TRY_AGAIN, "slow consumer: resubscribe")
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        feed.closed = True
        unsubscribe()
        watcher.cancel()


async def _watch_disconnect(websocket: WebSocket, feed: Feed) -> None:
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    except (WebSocketDisconnect, RuntimeError):
        pass
    feed.close()
