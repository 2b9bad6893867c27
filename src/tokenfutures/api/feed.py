"""Bridge from the venue's synchronous stream callbacks to one WebSocket's asyncio queue.

The venue calls subscribers on its writer thread, under its lock; ``Feed.push`` only filters
and hands the message to the connection's event loop. The queue is bounded: a consumer too
slow to keep up is marked overflowed and disconnected, never silently skipped, so every frame
a client receives carries the next per-connection ``seq``. Frames are JSON text; the body of
one venue message is encoded once and shared by every connection (``FrameEncoder``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tokenfutures.venue.views import StreamMessage
from tokenfutures.wire import encode, jsonable

Select = Callable[[StreamMessage], StreamMessage | None]
TickOf = Callable[[str], Decimal | None]
_CACHE_LIMIT = 4096


class FrameEncoder:
    """Encodes stream messages to JSON once (cached by identity) and adds decimal prices."""

    def __init__(self, tick_of: TickOf) -> None:
        self._tick_of = tick_of
        self._cache: dict[int, tuple[StreamMessage, str]] = {}

    def body(self, message: StreamMessage) -> str:
        """``{"venue_seq":…,"stream":…,"type":…,"data":…}`` for ``message`` (memoised)."""
        hit = self._cache.get(id(message))
        if hit is not None and hit[0] is message:
            return hit[1]
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        data = jsonable(self._with_prices(dict(message.data)))
        frame = {"venue_seq": message.seq, "stream": message.stream, "type": message.type}
        text = encode(frame | {"data": data}).decode()
        self._cache[id(message)] = (message, text)
        return text

    def _with_prices(self, data: dict[str, Any]) -> dict[str, Any]:
        contract = data.get("contract")
        tick = self._tick_of(contract) if isinstance(contract, str) else None
        if tick is None:
            return data
        if isinstance(data.get("price_ticks"), int):
            data["price"] = tick * data["price_ticks"]
        if isinstance(data.get("last_price_ticks"), int):
            data["last_price"] = tick * data["last_price_ticks"]
        if isinstance(data.get("levels"), list):
            data["levels"] = [
                {**level, "price": tick * level["price_ticks"]} for level in data["levels"]
            ]
        return data


class Feed:
    """A bounded, thread-safe inbox of one WebSocket connection, re-sequenced from 1."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        maxsize: int,
        encoder: FrameEncoder,
        select: Select = lambda message: message,
    ) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[StreamMessage | None] = asyncio.Queue(maxsize)
        self._encoder = encoder
        self._select = select
        self._next_seq = 1
        self.overflowed = False
        self.closed = False

    def push(self, message: StreamMessage) -> None:
        """Offer ``message`` from any thread (a venue callback); ignored once closed."""
        if self.closed:
            return
        try:
            self._loop.call_soon_threadsafe(self.offer, message)
        except RuntimeError:  # the loop is gone with its connection
            self.closed = True

    def offer(self, message: StreamMessage) -> None:
        """Queue ``message`` if the connection selects it (call on the connection's loop)."""
        selected = self._select(message)
        if selected is not None:
            self._put(selected)

    def close(self) -> None:
        """End the stream: ``next_frame()`` returns None from now on."""
        self.closed = True
        self._loop.call_soon(self._put_end)

    def _put_end(self) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    def _put(self, message: StreamMessage) -> None:
        if self.overflowed or self.closed:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            self._queue.get_nowait()
            self._queue.put_nowait(None)

    async def next_frame(self) -> str | None:
        """The next JSON frame with its per-connection ``seq``; None once closed or overflowed."""
        message = await self._queue.get()
        if message is None or self.overflowed or self.closed:
            return None
        body = self._encoder.body(message)
        frame = f'{{"seq":{self._next_seq},{body[1:]}'
        self._next_seq += 1
        return frame
