"""Pure diff between the quote the market maker wants and the orders it has working.

An order that still rests at the wanted price with the wanted open size is kept (it keeps its
time priority); anything else on that contract is cancelled and the missing sides are sent.
A partly filled side is refreshed to the full size, which is how a hit quote is restored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tokenfutures.marketmaking.quoting import Quote


@dataclass(frozen=True, slots=True)
class WorkingOrder:
    """One of the market maker's open orders in a contract."""

    order_id: int
    side: str
    price_ticks: int
    open_lots: int


@dataclass(frozen=True, slots=True)
class NewQuoteOrder:
    """An order to send: side, price in ticks and size in lots."""

    side: str
    price_ticks: int
    lots: int


@dataclass(frozen=True, slots=True)
class QuoteActions:
    """Orders to cancel (by id) and orders to send for one contract."""

    cancel: tuple[int, ...]
    send: tuple[NewQuoteOrder, ...]

    @property
    def empty(self) -> bool:
        """True when the working orders already are the wanted quote."""
        return not self.cancel and not self.send


def reconcile(wanted: Quote | None, working: Sequence[WorkingOrder]) -> QuoteActions:
    """Actions that turn ``working`` into ``wanted`` (``None``: pull every order)."""
    targets: list[NewQuoteOrder] = []
    if wanted is not None:
        if wanted.bid_lots > 0:
            targets.append(NewQuoteOrder("buy", wanted.bid_ticks, wanted.bid_lots))
        if wanted.ask_lots > 0:
            targets.append(NewQuoteOrder("sell", wanted.ask_ticks, wanted.ask_lots))
    keep: set[int] = set()
    send: list[NewQuoteOrder] = []
    for target in targets:
        match = next(
            (
                o
                for o in working
                if o.order_id not in keep
                and o.side == target.side
                and o.price_ticks == target.price_ticks
                and o.open_lots == target.lots
            ),
            None,
        )
        if match is None:
            send.append(target)
        else:
            keep.add(match.order_id)
    cancel = tuple(o.order_id for o in working if o.order_id not in keep)
    return QuoteActions(cancel=cancel, send=tuple(send))
