"""Async WebSocket subscriber that checks per-stream sequence numbers (gap → error or resync).

Every message the API sends on a stream carries ``seq``: 1 for the snapshot sent on subscribe,
then +1 per message. A skipped number means a lost message; the subscriber raises
``SequenceGapError`` so the caller rebuilds its state from a fresh snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import websockets

from tokenfutures.client.errors import ClientError, SequenceGapError
from tokenfutures.client.models import MemberAuction, parse
from tokenfutures.wire import decode, encode

#: Private-stream notices of a default auction offered to the account (ADR 0622).
AUCTION_NOTICES = ("auction_opened", "auction_closed")


def ws_url(base_url: str, path: str, params: dict[str, str] | None = None) -> str:
    """``ws://`` (or ``wss://``) URL of ``path`` on the server at HTTP ``base_url``."""
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    query = urlencode(params or {})
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + path, query, ""))


@dataclass
class SequenceChecker:
    """Tracks the next expected ``seq`` of one stream; ``check`` raises on a gap."""

    expected: int = 1
    received: int = field(default=0)

    def check(self, message: dict[str, Any]) -> None:
        """Accept ``message`` if its ``seq`` is the next one, else raise ``SequenceGapError``."""
        seq = message.get("seq")
        if not isinstance(seq, int):
            raise ClientError(f"message without an integer seq: {message!r}")
        if seq != self.expected:
            raise SequenceGapError(self.expected, seq)
        self.expected = seq + 1
        self.received += 1


async def subscribe(
    base_url: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    first_message: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """Yield the messages of one WebSocket stream, checking that no sequence number is skipped.

    Raises
    ------
    SequenceGapError
        When a message's ``seq`` is not the previous one plus one.
    """
    checker = SequenceChecker()
    async with websockets.connect(
        ws_url(base_url, path, params), additional_headers=headers, max_size=2**24
    ) as socket:
        if first_message is not None:
            await socket.send(encode(first_message).decode())
        async for raw in socket:
            message = decode(raw, dict[str, Any])
            if message.get("type") == "error":
                raise ClientError(f"stream refused: {message.get('detail')}")
            checker.check(message)
            yield message


def market_data(base_url: str, contract: str) -> AsyncIterator[dict[str, Any]]:
    """Public market data of ``contract``: a ``snapshot`` then ``book``/``trade``/``phase`` deltas."""
    return subscribe(base_url, "/v1/ws/market", params={"contract": contract})


def private_events(base_url: str, api_key: str) -> AsyncIterator[dict[str, Any]]:
    """The account's own order and fill events (authenticated by the first message)."""
    return subscribe(base_url, "/v1/ws/private", first_message={"api_key": api_key})


async def auction_notices(base_url: str, api_key: str) -> AsyncIterator[tuple[str, MemberAuction]]:
    """The default auctions offered to the account, from its private stream: ``("open", a)``
    for each one open when it subscribes, then each ``auction_opened``/``auction_closed``."""
    async for message in private_events(base_url, api_key):
        kind, data = message.get("type"), message.get("data") or {}
        if kind == "subscribed":
            for offered in data.get("auctions", []):
                yield "open", parse(MemberAuction, offered)
        elif kind in AUCTION_NOTICES:
            yield str(kind), parse(MemberAuction, data)
