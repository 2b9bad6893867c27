"""The two books behind the ``Book`` protocol, directly: FIFO, requeue, empty levels."""

from __future__ import annotations

from tokenfutures.exchange import Side, TimeInForce
from tokenfutures.exchange.order import Order
from tokenfutures.exchange.state import BookFactory


def make(order_id: int, price: int, side: Side = Side.SELL, qty: int = 1) -> Order:
    return Order(order_id, "a", f"c{order_id}", side, price, qty, TimeInForce.GTC, order_id)


def test_fifo_survives_heavy_cancelling_in_the_middle(book_factory: BookFactory) -> None:
    book = book_factory()
    orders = [make(i, 100) for i in range(1, 201)]
    for order in orders:
        book.add(order)
    for order in orders[:-1]:
        if order.order_id % 5:
            book.remove(order)
            order.live = False
    kept = [o.order_id for o in orders if o.order_id % 5 == 0 or o.order_id == 200]
    assert [o.order_id for o in book.in_priority(Side.SELL)] == kept
    assert book.head(Side.SELL, 100).order_id == 5
    assert len(book) == len(kept)
    assert book.best_ask() == 100
    assert book.best_bid() is None


def test_requeue_moves_to_the_back_and_levels_vanish_when_empty(book_factory: BookFactory) -> None:
    book = book_factory()
    first, second = make(1, 100, Side.BUY), make(2, 100, Side.BUY)
    book.add(first)
    book.add(second)
    first.priority = 3
    book.requeue(first)
    assert [o.order_id for o in book.in_priority(Side.BUY)] == [2, 1]
    assert book.head(Side.BUY, 100) is second
    book.remove(second)
    second.live = False
    assert book.head(Side.BUY, 100) is first
    book.remove(first)
    first.live = False
    assert book.best_bid() is None
    assert book.get(1) is None
    better = make(4, 101, Side.BUY)
    book.add(better)
    book.add(make(5, 99, Side.BUY))
    assert book.best_bid() == 101
