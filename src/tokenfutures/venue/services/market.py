"""Market data: books, trades and the public and private streams (snapshot, then deltas)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tokenfutures.venue import queries
from tokenfutures.venue.marketdata import Callback
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.services.auctions import AuctionService
from tokenfutures.venue.services.base import Service
from tokenfutures.venue.services.trading import TradingService
from tokenfutures.venue.views import BookView, OrderView, TradeView
from tokenfutures.wire import MemberAuction


class PrivateSnapshot(NamedTuple):
    """An account's state as its private stream starts: open orders, the open default auctions
    it is invited to (ADR 0622), and the function that ends the subscription."""

    orders: list[OrderView]
    auctions: list[MemberAuction]
    unsubscribe: Callable[[], None]


class MarketDataService(Service):
    """Books and trades; subscriptions to the public feed and to an account's own events."""

    def __init__(
        self, sequencer: Sequencer, trading: TradingService, auctions: AuctionService | None = None
    ) -> None:
        super().__init__(sequencer)
        self._hub = sequencer.hub
        self._trading = trading
        self._auctions = auctions or AuctionService(sequencer)

    def book(self, contract: str, depth: int = 10) -> BookView:
        """Best ``depth`` price levels each side, last trade, phase and venue seq."""
        with self._lock:
            return queries.book_view(self._state, contract, depth)

    def trades(self, contract: str, limit: int = 100) -> list[TradeView]:
        """Recent trades of ``contract``, newest first."""
        with self._lock:
            return queries.trade_views(self._state, contract, limit)

    def subscribe_market_data(self, callback: Callback) -> Callable[[], None]:
        """Snapshot now, then every delta with a gap-free seq; returns the unsubscribe function."""
        with self._lock:
            sub = self._hub.subscribe(callback, self._state.exchange.contracts)
        return lambda: self._unsubscribe(sub)

    def subscribe_private(self, account: str, callback: Callback) -> Callable[[], None]:
        """The account's order and fill events (own seq); returns the unsubscribe function."""
        with self._lock:
            sub = self._hub.subscribe_private(account, callback)
        return lambda: self._unsubscribe(sub)

    def subscribe_private_snapshot(self, account: str, callback: Callback) -> PrivateSnapshot:
        """The account's open orders and open auctions, and a subscription to its events
        (orders, fills, auction notices) from exactly that point.

        All are taken under the writer lock, so no event falls between the snapshot and the
        first message (a client can rebuild its open orders and auctions without a race).
        """
        with self._lock:
            orders = self._trading.orders(account, open_only=True)
            offered = self._auctions.offered(account, status="open")
            return PrivateSnapshot(orders, offered, self.subscribe_private(account, callback))

    def _unsubscribe(self, subscriber: int) -> None:
        with self._lock:
            self._hub.unsubscribe(subscriber)
