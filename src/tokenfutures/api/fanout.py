"""One venue market-data subscription per app, fanned out to every market WebSocket.

The venue calls its subscribers on the writer thread under its lock, so 500 sockets each
subscribed to the venue would make every order pay 500 callbacks. Instead the API
subscribes once: each venue message crosses to the event loop with one
``call_soon_threadsafe``, updates a mirror of the books (top levels, phase, last price) and
is offered to every connection there. A connection that joins later gets its snapshot from
the mirror, which is exactly the state after the last message dispatched, so snapshot +
deltas stay consistent without touching the venue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from tokenfutures.api.feed import Feed
from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import StreamMessage

Levels = dict[tuple[str, int], int]


class BookMirror:
    """Per-contract phase, last price and visible levels, folded from the market stream."""

    def __init__(self, snapshot: StreamMessage) -> None:
        self.venue_seq = snapshot.seq
        self.books: dict[str, dict[str, Any]] = {}
        for symbol, book in snapshot.data.get("books", {}).items():
            levels = {(lv["side"], lv["price_ticks"]): lv["quantity"] for lv in book["levels"]}
            self.books[symbol] = {
                "phase": book.get("phase"),
                "last_price_ticks": book.get("last_price_ticks"),
                "levels": levels,
            }

    def apply(self, message: StreamMessage) -> None:
        """Fold one delta (``book``, ``trade`` or ``phase``) into the mirror."""
        self.venue_seq = message.seq
        data = message.data
        contract = data.get("contract")
        if not isinstance(contract, str):
            return
        book = self.books.setdefault(
            contract, {"phase": None, "last_price_ticks": None, "levels": {}}
        )
        if message.type == "book":
            key = (data["side"], data["price_ticks"])
            if data["quantity"]:
                book["levels"][key] = data["quantity"]
            else:
                book["levels"].pop(key, None)
        elif message.type == "trade":
            book["last_price_ticks"] = data["price_ticks"]
        elif message.type == "phase":
            book["phase"] = data["phase"]

    def snapshot(self) -> StreamMessage:
        """A venue-style ``snapshot`` message of every book as of ``venue_seq``."""
        books = {
            symbol: {
                "phase": book["phase"],
                "last_price_ticks": book["last_price_ticks"],
                "levels": _ordered(book["levels"]),
            }
            for symbol, book in sorted(self.books.items())
        }
        return StreamMessage("market", self.venue_seq, "snapshot", {"books": books})


def _ordered(levels: Levels) -> list[dict[str, Any]]:
    bids = sorted((p, q) for (s, p), q in levels.items() if s == "buy")[::-1]
    asks = sorted((p, q) for (s, p), q in levels.items() if s == "sell")
    return [
        *({"side": "buy", "price_ticks": p, "quantity": q} for p, q in bids),
        *({"side": "sell", "price_ticks": p, "quantity": q} for p, q in asks),
    ]


class MarketFanout:
    """Holds the app's single venue subscription while at least one market socket is open."""

    def __init__(self, venue: Venue) -> None:
        self._venue = venue
        self._feeds: set[Feed] = set()
        self._mirror: BookMirror | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, feed: Feed) -> Callable[[], None]:
        """Add ``feed`` (on the event loop): it gets a snapshot, then every delta; returns detach."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new server loop: the old sockets are gone with the old one
            self._stop()
            self._feeds.clear()
            self._loop = loop
        self._feeds.add(feed)
        if self._unsubscribe is None:
            self._unsubscribe = self._venue.market.subscribe_market_data(self._from_venue)
        elif self._mirror is not None:
            feed.offer(self._mirror.snapshot())
        return lambda: self._detach(feed)

    def _detach(self, feed: Feed) -> None:
        self._feeds.discard(feed)
        if not self._feeds:
            self._stop()

    def _stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe, self._mirror = None, None

    def _from_venue(self, message: StreamMessage) -> None:
        loop = self._loop
        if loop is not None:
            try:
                loop.call_soon_threadsafe(self._dispatch, message)
            except RuntimeError:  # the loop has closed
                self._loop = None

    def _dispatch(self, message: StreamMessage) -> None:
        if message.type == "snapshot":
            self._mirror = BookMirror(message)
            snapshot = self._mirror.snapshot()
            for feed in list(self._feeds):
                feed.offer(snapshot)
            return
        if self._mirror is None:
            return
        self._mirror.apply(message)
        for feed in list(self._feeds):
            feed.offer(message)
