"""A live order inside the engine (mutable, owned by the state) and the book interface."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from tokenfutures.exchange.types import Side, StpMode, TimeInForce


class Order:
    """A resting or pending order; ``quantity`` is open lots, ``visible`` the shown part.

    ``prev``/``next`` link the order into its price level's FIFO (intrusive list of the fast
    book); ``priority`` is the arrival stamp that orders the queue (lower is earlier).
    """

    __slots__ = (
        "account",
        "client_order_id",
        "display",
        "expire_at",
        "live",
        "next",
        "order_id",
        "post_only",
        "prev",
        "price",
        "priority",
        "quantity",
        "side",
        "stop_price",
        "stp_group",
        "stp_mode",
        "tif",
        "visible",
    )

    def __init__(
        self,
        order_id: int,
        account: str,
        client_order_id: str,
        side: Side,
        price: int,
        quantity: int,
        tif: TimeInForce,
        priority: int,
        display: int = 0,
        expire_at: datetime | None = None,
        stp_group: str | None = None,
        stp_mode: StpMode = StpMode.CANCEL_RESTING,
        post_only: bool = False,
        stop_price: int | None = None,
    ) -> None:
        self.order_id = order_id
        self.account = account
        self.client_order_id = client_order_id
        self.side = side
        self.price = price
        self.quantity = quantity
        self.visible = quantity if not display else min(display, quantity)
        self.display = display
        self.tif = tif
        self.priority = priority
        self.expire_at = expire_at
        self.stp_group = stp_group
        self.stp_mode = stp_mode
        self.post_only = post_only
        self.stop_price = stop_price
        self.live = True
        # ``prev``/``next`` are set by the fast book when the order rests (never read before).
        self.prev: Order | None
        self.next: Order | None

    def canonical(self) -> tuple[object, ...]:
        """A stable tuple of every field that matters for the state hash."""
        expire = None if self.expire_at is None else self.expire_at.isoformat()
        return (
            self.order_id,
            self.account,
            self.client_order_id,
            int(self.side),
            self.price,
            self.quantity,
            self.visible,
            self.display,
            int(self.tif),
            self.priority,
            expire,
            self.stp_group,
            int(self.stp_mode),
            self.post_only,
            self.stop_price,
        )


class Book(Protocol):
    """The price-time priority store that the engine matches against (fast and reference)."""

    def add(self, order: Order) -> None:
        """Rest ``order`` at the back of its price level."""
        ...

    def remove(self, order: Order) -> None:
        """Take a resting order out of the book."""
        ...

    def requeue(self, order: Order) -> None:
        """Move a resting order to the back of its level (its ``priority`` was re-stamped)."""
        ...

    def best_bid(self) -> int | None:
        """Highest bid price, or None."""
        ...

    def best_ask(self) -> int | None:
        """Lowest ask price, or None."""
        ...

    def head(self, side: Side, price: int) -> Order:
        """First order in the FIFO of ``side`` at ``price`` (the level must exist)."""
        ...

    def get(self, order_id: int) -> Order | None:
        """The resting order with this id, or None."""
        ...

    def in_priority(self, side: Side) -> Iterator[Order]:
        """Resting orders of ``side``, best price first, FIFO within a price."""
        ...

    def __len__(self) -> int:
        """Number of resting orders."""
        ...
