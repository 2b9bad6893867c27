"""Market-data and private streams: gap-free sequence numbers, a snapshot on subscribe, deltas.

The public stream numbers its messages 1, 2, 3... for its whole life; a subscriber first
gets a ``snapshot`` message (every contract's book at the current stream seq) and then
every later message, so a gap in ``seq`` means a lost message. Book deltas are level
changes of the top ``DEPTH`` levels (quantity 0 removes a level). Each account's private
stream has its own sequence. Callbacks run on the writer's thread, under its lock: they
must be quick and must not call back into the venue (queue the message and return).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any

from tokenfutures.exchange import (
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    OrderReplaced,
    PhaseChanged,
    Side,
    Trade,
)
from tokenfutures.exchange.state import ContractState
from tokenfutures.venue.views import StreamMessage, jsonable

DEPTH = 10
Callback = Callable[[StreamMessage], None]
Levels = dict[tuple[int, int], int]


def top_levels(cs: ContractState, depth: int = DEPTH) -> list[tuple[int, int, int, int]]:
    """``(side, price_ticks, visible lots, orders)`` of the best ``depth`` levels per side."""
    rows: list[tuple[int, int, int, int]] = []
    for side in (Side.BUY, Side.SELL):
        levels: dict[int, list[int]] = {}
        for order in cs.book.in_priority(side):
            level = levels.get(order.price)
            if level is None:
                if len(levels) == depth:
                    break
                level = levels[order.price] = [0, 0]
            level[0] += order.visible
            level[1] += 1
        rows.extend((int(side), p, q, n) for p, (q, n) in islice(levels.items(), depth))
    return rows


def _levels(cs: ContractState) -> Levels:
    return {(side, price): qty for side, price, qty, _ in top_levels(cs)}


class MarketDataHub:
    """Subscribers of the public stream and of each account's private stream."""

    def __init__(self) -> None:
        self.public: dict[int, Callback] = {}
        self.private: dict[str, dict[int, Callback]] = {}
        self.public_seq = 0
        self.private_seq: dict[str, int] = {}
        self._next_id = 0
        self._shown: dict[str, Levels] = {}

    def active(self) -> bool:
        """True when anyone listens (the sequencer skips message building otherwise)."""
        return bool(self.public) or bool(self.private)

    def subscribe(self, callback: Callback, contracts: dict[str, ContractState]) -> int:
        """Add a public subscriber and send it the snapshot; returns its id."""
        if not self.public:
            self._shown = {s: _levels(cs) for s, cs in contracts.items()}
        books = {
            symbol: {
                "phase": cs.phase.name,
                "last_price_ticks": cs.last_price,
                "levels": [
                    {"side": "buy" if s > 0 else "sell", "price_ticks": p, "quantity": q}
                    for (s, p), q in self._shown.get(symbol, {}).items()
                ],
            }
            for symbol, cs in sorted(contracts.items())
        }
        self._next_id += 1
        self.public[self._next_id] = callback
        callback(StreamMessage("market", self.public_seq, "snapshot", {"books": books}))
        return self._next_id

    def subscribe_private(self, account: str, callback: Callback) -> int:
        """Add a subscriber to ``account``'s order and fill events; returns its id."""
        self._next_id += 1
        self.private.setdefault(account, {})[self._next_id] = callback
        return self._next_id

    def unsubscribe(self, subscriber: int) -> None:
        """Remove a subscriber (public or private); unknown ids are ignored."""
        self.public.pop(subscriber, None)
        for callbacks in self.private.values():
            callbacks.pop(subscriber, None)

    def publish(self, events: list[Any], contracts: dict[str, ContractState]) -> None:
        """Turn one batch's engine events into stream messages and deliver them."""
        if self.public:
            self._publish_public(events, contracts)
        if self.private:
            for event in events:
                for account, kind, data in _private(event):
                    self.publish_private(account, kind, data)

    def publish_private(self, account: str, kind: str, data: dict[str, Any]) -> None:
        """Deliver one message to ``account``'s private subscribers (next private seq)."""
        callbacks = self.private.get(account)
        if callbacks:
            seq = self.private_seq.get(account, 0) + 1
            self.private_seq[account] = seq
            message = StreamMessage(f"private:{account}", seq, kind, data)
            for callback in list(callbacks.values()):
                callback(message)

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        self.public_seq += 1
        message = StreamMessage("market", self.public_seq, kind, data)
        for callback in list(self.public.values()):
            callback(message)

    def _publish_public(self, events: list[Any], contracts: dict[str, ContractState]) -> None:
        touched: list[str] = []
        for event in events:
            kind = type(event)
            contract = getattr(event, "contract", None)
            if contract is not None and contract not in touched:
                touched.append(contract)
            if kind is Trade:
                self._emit("trade", _trade(event))
            elif kind is PhaseChanged:
                self._emit(
                    "phase", {"contract": event.contract, "phase": event.phase.name, "ts": event.ts}
                )
        for symbol in touched:
            cs = contracts.get(symbol)
            if cs is None:
                continue
            before = self._shown.get(symbol, {})
            after = _levels(cs)
            for key in sorted(set(before) | set(after)):
                if before.get(key) != after.get(key):
                    side, price = key
                    self._emit(
                        "book",
                        {
                            "contract": symbol,
                            "side": "buy" if side > 0 else "sell",
                            "price_ticks": price,
                            "quantity": after.get(key, 0),
                        },
                    )
            self._shown[symbol] = after


def _trade(event: Trade) -> dict[str, Any]:
    side = None if event.aggressor_side is None else event.aggressor_side.name.lower()
    return {
        "contract": event.contract,
        "trade_id": event.trade_id,
        "price_ticks": event.price_ticks,
        "quantity": event.quantity,
        "aggressor_side": side,
        "ts": event.ts.isoformat(),
    }


def _private(event: Any) -> list[tuple[str, str, dict[str, Any]]]:
    kind = type(event)
    if kind is Trade:
        data = _trade(event)
        return [
            (event.buyer, "fill", data | {"order_id": event.buy_order_id, "side": "buy"}),
            (event.seller, "fill", data | {"order_id": event.sell_order_id, "side": "sell"}),
        ]
    if kind in (OrderAccepted, OrderCancelled, OrderReplaced, OrderRejected):
        account = event.account
        if account is None:
            return []
        name = {
            OrderAccepted: "accepted",
            OrderCancelled: "cancelled",
            OrderReplaced: "replaced",
            OrderRejected: "rejected",
        }[kind]
        data = jsonable(event._asdict())
        return [(account, name, data)]
    return []
