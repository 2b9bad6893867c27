"""The naive reference book: one list of orders, priority found by sorting. Obviously correct.

It implements the same ``Book`` interface as ``book.FastBook``; the shared test suite runs the
engine on both and demands identical event streams (a differential test of the fast book).
"""

from __future__ import annotations

from collections.abc import Iterator

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.types import Side


class ReferenceBook:
    """All resting orders in one list; every query scans it. Slow on purpose, simple by design."""

    def __init__(self) -> None:
        self._orders: list[Order] = []

    def add(self, order: Order) -> None:
        """Rest ``order``; its ``priority`` stamp places it at the back of its level."""
        if any(o.order_id == order.order_id for o in self._orders):
            raise InvariantError(f"order {order.order_id} is already resting")
        self._orders.append(order)

    def remove(self, order: Order) -> None:
        """Take the order out of the list."""
        self._orders = [o for o in self._orders if o.order_id != order.order_id]

    def requeue(self, order: Order) -> None:
        """Nothing to do: priority comes from the re-stamped ``priority`` field."""

    def best_bid(self) -> int | None:
        """Highest bid price, or None."""
        prices = [o.price for o in self._orders if o.side is Side.BUY]
        return max(prices) if prices else None

    def best_ask(self) -> int | None:
        """Lowest ask price, or None."""
        prices = [o.price for o in self._orders if o.side is Side.SELL]
        return min(prices) if prices else None

    def head(self, side: Side, price: int) -> Order:
        """Earliest-stamped order of ``side`` at ``price``."""
        return min(
            (o for o in self._orders if o.side is side and o.price == price),
            key=lambda o: o.priority,
        )

    def get(self, order_id: int) -> Order | None:
        """The resting order with this id, or None."""
        for order in self._orders:
            if order.order_id == order_id:
                return order
        return None

    def in_priority(self, side: Side) -> Iterator[Order]:
        """Resting orders of ``side``, best price first, earliest stamp first within a price."""
        sign = -1 if side is Side.BUY else 1
        same_side = [o for o in self._orders if o.side is side]
        return iter(sorted(same_side, key=lambda o: (sign * o.price, o.priority)))

    def __len__(self) -> int:
        """Number of resting orders."""
        return len(self._orders)
