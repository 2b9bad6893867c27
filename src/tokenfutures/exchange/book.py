"""The fast book: price → level dicts, lazy heaps of prices, an intrusive FIFO per level.

Cancel is O(1) (unlink from the level's doubly linked list, drop the level when empty);
best price is O(1) amortised (heap entries of dead levels are discarded lazily).
"""

from __future__ import annotations

from collections.abc import Iterator
from heapq import heappop, heappush

from tokenfutures.exchange.order import Order
from tokenfutures.exchange.types import Side


class Level:
    """One price level: the head and tail of its intrusive FIFO and its order count."""

    __slots__ = ("count", "first", "last")

    def __init__(self, order: Order) -> None:
        self.first: Order | None = order
        self.last: Order | None = order
        self.count = 1


class FastBook:
    """Price-time priority book tuned for CPython: dicts, lazy heaps and linked FIFOs."""

    __slots__ = ("_ask_heap", "_asks", "_bid_heap", "_bids", "_orders")

    def __init__(self) -> None:
        self._bids: dict[int, Level] = {}
        self._asks: dict[int, Level] = {}
        self._bid_heap: list[int] = []  # negated prices
        self._ask_heap: list[int] = []
        self._orders: dict[int, Order] = {}

    def add(self, order: Order) -> None:
        """Rest ``order`` at the back of its price level."""
        price = order.price
        if order.side > 0:
            levels = self._bids
            level = levels.get(price)
            if level is None:
                levels[price] = Level(order)
                heappush(self._bid_heap, -price)
                order.prev = order.next = None
                self._orders[order.order_id] = order
                return
        else:
            levels = self._asks
            level = levels.get(price)
            if level is None:
                levels[price] = Level(order)
                heappush(self._ask_heap, price)
                order.prev = order.next = None
                self._orders[order.order_id] = order
                return
        tail = level.last
        order.prev = tail
        order.next = None
        tail.next = order  # type: ignore[union-attr]
        level.last = order
        level.count += 1
        self._orders[order.order_id] = order

    def remove(self, order: Order) -> None:
        """Unlink a resting order in O(1); the level goes when its last order does."""
        del self._orders[order.order_id]
        levels = self._bids if order.side > 0 else self._asks
        level = levels[order.price]
        prev = order.prev
        nxt = order.next
        if prev is None:
            level.first = nxt
        else:
            prev.next = nxt
        if nxt is None:
            level.last = prev
        else:
            nxt.prev = prev
        order.prev = order.next = None
        level.count -= 1
        if not level.count:
            del levels[order.price]

    def requeue(self, order: Order) -> None:
        """Move a resting order to the back of its level (unlink, then append)."""
        self.remove(order)
        self.add(order)

    def best_bid(self) -> int | None:
        """Highest bid price, or None (drops heap entries of vanished levels)."""
        heap = self._bid_heap
        levels = self._bids
        while heap:
            price = -heap[0]
            if price in levels:
                return price
            heappop(heap)
        return None

    def best_ask(self) -> int | None:
        """Lowest ask price, or None (drops heap entries of vanished levels)."""
        heap = self._ask_heap
        levels = self._asks
        while heap:
            price = heap[0]
            if price in levels:
                return price
            heappop(heap)
        return None

    def head(self, side: Side, price: int) -> Order:
        """First order in the FIFO of ``side`` at ``price``."""
        level = (self._bids if side > 0 else self._asks)[price]
        return level.first  # type: ignore[return-value]

    def get(self, order_id: int) -> Order | None:
        """The resting order with this id, or None."""
        return self._orders.get(order_id)

    def in_priority(self, side: Side) -> Iterator[Order]:
        """Resting orders of ``side``, best price first, FIFO within a price."""
        levels = self._bids if side > 0 else self._asks
        for price in sorted(levels, reverse=side > 0):
            order = levels[price].first
            while order is not None:
                yield order
                order = order.next

    def level_prices(self, side: Side) -> list[int]:
        """The prices with resting orders on ``side`` (unordered)."""
        return list(self._bids if side > 0 else self._asks)

    def __len__(self) -> int:
        """Number of resting orders."""
        return len(self._orders)
