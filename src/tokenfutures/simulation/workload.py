"""Seeded order-flow workload for the matching engine (issue 4's benchmark stream).

Moved out of the exchange package (ADR 0369): it is a simulation input, not a market rule.

One contract around a fixed mid: passive limits at mid ∓ 1–50 ticks (sizes 1–100), cancels of
a live resting order, marketable IOCs at the best opposite price + 0–4 ticks (sizes 1–200).
The random generator is a parameter (house rule: no unseeded randomness).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange.book import FastBook
from tokenfutures.exchange.commands import (
    CancelOrder,
    ListContract,
    NewOrder,
    OpenMarket,
    StartSession,
)
from tokenfutures.exchange.engine import apply_many
from tokenfutures.exchange.events import Trade
from tokenfutures.exchange.rules import InstrumentRules
from tokenfutures.exchange.state import BookFactory, ExchangeState
from tokenfutures.exchange.types import Side, TimeInForce

MID = 10_000
SYMBOL = "SITZ26"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

# A message: ("L", side, price, qty) passive limit, ("C", order_id) cancel, ("I", side, price, qty) IOC.
Message = tuple[Any, ...]
# An expected fill: (aggressor id, resting id, price, qty).
Fill = tuple[int, int, int, int]


def generate(
    rng: random.Random, n: int, cancel_share: float = 0.30
) -> tuple[list[Message], list[Fill], int]:
    """A stream of ``n`` messages, the fills a FIFO book must produce, and the resting count.

    Passive limits make ``0.9 - cancel_share`` of the stream, cancels ``cancel_share`` (of a
    live resting order), marketable IOCs the last 10 %. The generator is itself a small book
    model, independent of the engine, so its fills are an oracle for any implementation.
    """
    if not 0 <= cancel_share < 0.9:
        raise InvalidParameterError("cancel_share", cancel_share, "in [0, 0.9)")
    if n < 0:
        raise InvalidParameterError("n", n, "non-negative")
    levels: dict[int, deque[list[int]]] = {}  # price -> FIFO of [order id, open qty]
    where: dict[int, tuple[int, list[int]]] = {}  # live order id -> (price, entry)
    live_ids: list[int] = []
    slot: dict[int, int] = {}
    messages: list[Message] = []
    fills: list[Fill] = []
    next_id = 1
    passive_share = 0.9 - cancel_share

    def drop(oid: int) -> None:
        i = slot.pop(oid)
        last = live_ids.pop()
        if last != oid:
            live_ids[i] = last
            slot[last] = i
        del where[oid]

    def best(buying_side_of_book: bool) -> int | None:
        prices = range(MID - 1, MID - 51, -1) if buying_side_of_book else range(MID + 1, MID + 51)
        for price in prices:
            if levels.get(price):
                return price
        return None

    for _ in range(n):
        roll = rng.random()
        if passive_share <= roll < 0.9 and not live_ids:
            roll = 0.0
        if roll < passive_share:
            side = 1 if rng.random() < 0.5 else -1
            price = MID - side * rng.randint(1, 50)
            qty = rng.randint(1, 100)
            entry = [next_id, qty]
            levels.setdefault(price, deque()).append(entry)
            where[next_id] = (price, entry)
            slot[next_id] = len(live_ids)
            live_ids.append(next_id)
            messages.append(("L", side, price, qty))
            next_id += 1
        elif roll < 0.9:
            oid = live_ids[rng.randrange(len(live_ids))]
            price, entry = where[oid]
            levels[price].remove(entry)
            drop(oid)
            messages.append(("C", oid))
        else:
            side = 1 if rng.random() < 0.5 else -1
            opposite = best(buying_side_of_book=side < 0)
            base = opposite if opposite is not None else MID + side
            limit = base + side * rng.randint(0, 4)
            qty = rng.randint(1, 200)
            messages.append(("I", side, limit, qty))
            aggressor = next_id
            next_id += 1
            step = 1 if side > 0 else -1
            price = MID + step
            while (
                qty and (price <= limit if side > 0 else price >= limit) and abs(price - MID) <= 50
            ):
                queue = levels.get(price)
                while qty and queue:
                    entry = queue[0]
                    q = min(qty, entry[1])
                    fills.append((aggressor, entry[0], price, q))
                    qty -= q
                    entry[1] -= q
                    if not entry[1]:
                        queue.popleft()
                        drop(entry[0])
                price += step
    return messages, fills, len(live_ids)


def workload_rules() -> InstrumentRules:
    """Rules wide enough that the workload never meets a band or a limit."""
    return InstrumentRules(
        symbol=SYMBOL,
        tick_size=Decimal("0.01"),
        prior_settlement_ticks=MID,
        expiry=T0 + timedelta(days=30),
        band_ticks=1_000,
    )


def to_commands(messages: list[Message]) -> list[Any]:
    """The engine's commands for the stream, one microsecond apart."""
    commands: list[Any] = []
    ts = T0
    step = timedelta(microseconds=1)
    buy, sell = Side.BUY, Side.SELL
    gtc, ioc = TimeInForce.GTC, TimeInForce.IOC
    for n, message in enumerate(messages):
        ts += step
        kind = message[0]
        if kind == "C":
            commands.append(CancelOrder(ts, SYMBOL, "acct", message[1]))
        else:
            side = buy if message[1] > 0 else sell
            tif = gtc if kind == "L" else ioc
            commands.append(
                NewOrder(ts, SYMBOL, "acct", str(n), side, message[3], message[2], tif=tif)
            )
    return commands


def opened_state(book_factory: BookFactory = FastBook) -> ExchangeState:
    """A state with the workload's contract listed and trading continuously (empty book)."""
    state = ExchangeState(book_factory)
    apply_many(
        state,
        [ListContract(T0, workload_rules()), StartSession(T0, SYMBOL), OpenMarket(T0, SYMBOL)],
    )
    return state


def fills_of(events: Iterable[Any]) -> list[Fill]:
    """The engine's continuous-trading fills as ``(aggressor id, resting id, price, qty)``."""
    fills: list[Fill] = []
    for e in events:
        if isinstance(e, Trade):
            if e.aggressor_side is Side.BUY:
                fills.append((e.buy_order_id, e.sell_order_id, e.price_ticks, e.quantity))
            else:
                fills.append((e.sell_order_id, e.buy_order_id, e.price_ticks, e.quantity))
    return fills
