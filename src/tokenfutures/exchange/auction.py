"""Call-auction uncrossing: the equilibrium price of a pre-open book and who trades how much.

The rule (ADR 0380), after the Xetra/Eurex T7 opening algorithm and CME Globex's opening
("indicative opening price") logic, on integer ticks:

1. Candidate prices are the distinct limit prices in both books, plus the reference price
   when one is given (so the reference itself can become the price, as on Xetra).
2. At a candidate ``p`` the cumulative demand is the market bids plus the bids limited at or
   above ``p``; the cumulative supply is the market asks plus the asks limited at or below
   ``p``. Executable volume is ``min(demand, supply)``; the surplus is ``demand - supply``.
3. The price maximises executable volume; ties go to the smallest absolute surplus; then to
   market pressure (every remaining surplus positive: the highest price; every one negative:
   the lowest); otherwise to the price closest to the reference (without a reference, to the
   middle of the remaining range); an exact tie in distance goes to the lower price.
4. Fills are allocated at that one price in price-time priority on each side: market orders
   first, then better limits, then earlier ``priority`` (smaller is earlier).

Orders come in as ``(price_ticks, quantity, priority)``; ``price_ticks=None`` is a market
order. The function is pure: no clock, no state; the engine maps fills back to its orders by
their index in the sequences it passed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import accumulate
from typing import NamedTuple

from tokenfutures.core.errors import InvalidParameterError, InvariantError


class AuctionOrder(NamedTuple):
    """One order taking part in an auction; a plain ``(price, quantity, priority)`` tuple works too.

    ``price_ticks`` is ``None`` for a market order; ``priority`` is the time priority
    (smaller is earlier, e.g. the sequence number of the order's arrival).
    """

    price_ticks: int | None
    quantity: int
    priority: int


class DecidedBy(IntEnum):
    """Which step of the uncrossing rule chose the price (for audit and market data)."""

    VOLUME = 1
    IMBALANCE = 2
    MARKET_PRESSURE = 3
    REFERENCE_PRICE = 4


@dataclass(frozen=True, slots=True)
class AuctionFill:
    """Quantity one order trades in the auction, identified by its index in the input sequence."""

    index: int
    priority: int
    quantity: int


@dataclass(frozen=True, slots=True)
class AuctionMatch:
    """A buyer-seller pairing at the auction price, so the engine can emit one trade per pair."""

    bid_index: int
    ask_index: int
    quantity: int


@dataclass(frozen=True, slots=True)
class AuctionResult:
    """Outcome of an uncross: price, volume, surplus at that price, and the per-order fills.

    Attributes
    ----------
    price_ticks : int
        The single auction price every fill trades at.
    volume : int
        Executable volume in lots (equal to the sum of bid fills and of ask fills).
    surplus : int
        Cumulative demand minus cumulative supply at the price (positive: buyers left over).
    decided_by : DecidedBy
        The rule step that selected the price among the candidates.
    bid_fills, ask_fills : tuple[AuctionFill, ...]
        Fills in allocation (price-time priority) order; untouched orders are absent.
    """

    price_ticks: int
    volume: int
    surplus: int
    decided_by: DecidedBy
    bid_fills: tuple[AuctionFill, ...]
    ask_fills: tuple[AuctionFill, ...]

    def matches(self) -> tuple[AuctionMatch, ...]:
        """Pair the bid fills with the ask fills in allocation order (one trade per pair)."""
        pairs: list[AuctionMatch] = []
        bid_i, ask_i = 0, 0
        bid_left = self.bid_fills[0].quantity if self.bid_fills else 0
        ask_left = self.ask_fills[0].quantity if self.ask_fills else 0
        while bid_i < len(self.bid_fills) and ask_i < len(self.ask_fills):
            quantity = min(bid_left, ask_left)
            pairs.append(
                AuctionMatch(self.bid_fills[bid_i].index, self.ask_fills[ask_i].index, quantity)
            )
            bid_left -= quantity
            ask_left -= quantity
            if bid_left == 0:
                bid_i += 1
                bid_left = self.bid_fills[bid_i].quantity if bid_i < len(self.bid_fills) else 0
            if ask_left == 0:
                ask_i += 1
                ask_left = self.ask_fills[ask_i].quantity if ask_i < len(self.ask_fills) else 0
        return tuple(pairs)


@dataclass(frozen=True, slots=True)
class _Candidate:
    price: int
    volume: int
    surplus: int


class _Side:
    """Cumulative quantities of one side, for O(log n) demand/supply at any price."""

    def __init__(self, orders: Sequence[tuple[int | None, int, int]], name: str) -> None:
        limits: list[tuple[int, int]] = []
        self.market_quantity = 0
        for position, order in enumerate(orders):
            price, quantity, _priority = order
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
                raise InvalidParameterError(
                    f"{name}[{position}].quantity", quantity, "a positive integer"
                )
            if price is None:
                self.market_quantity += quantity
            elif isinstance(price, bool) or not isinstance(price, int):
                raise InvalidParameterError(f"{name}[{position}].price_ticks", price, "int or None")
            else:
                limits.append((price, quantity))
        limits.sort()
        self.prices = [price for price, _ in limits]
        self.cumulative = [0, *accumulate(quantity for _, quantity in limits)]

    def at_or_above(self, price: int) -> int:
        """Market quantity plus limit quantity priced at or above ``price`` (demand)."""
        first = bisect_left(self.prices, price)
        return self.market_quantity + self.cumulative[-1] - self.cumulative[first]

    def at_or_below(self, price: int) -> int:
        """Market quantity plus limit quantity priced at or below ``price`` (supply)."""
        return self.market_quantity + self.cumulative[bisect_right(self.prices, price)]


@dataclass(frozen=True, slots=True)
class IndicativePrice:
    """The price an auction would uncross at now, without the fills (pre-open market data)."""

    price_ticks: int
    volume: int
    surplus: int
    decided_by: DecidedBy


def indicative_price(
    bids: Sequence[tuple[int | None, int, int]],
    asks: Sequence[tuple[int | None, int, int]],
    reference_price_ticks: int | None = None,
) -> IndicativePrice | None:
    """Equilibrium price, volume and surplus of a call-auction book, without allocating fills.

    Same rule and arguments as :func:`uncross`; for publishing the indicative opening price
    on every pre-open update.
    """
    if reference_price_ticks is not None and (
        isinstance(reference_price_ticks, bool) or not isinstance(reference_price_ticks, int)
    ):
        raise InvalidParameterError("reference_price_ticks", reference_price_ticks, "int or None")
    demand = _Side(bids, "bids")
    supply = _Side(asks, "asks")
    prices = set(demand.prices) | set(supply.prices)
    if reference_price_ticks is not None:
        prices.add(reference_price_ticks)
    candidates = [
        _Candidate(price, min(buy, sell), buy - sell)
        for price in sorted(prices)
        for buy, sell in [(demand.at_or_above(price), supply.at_or_below(price))]
    ]
    if not candidates or max(c.volume for c in candidates) == 0:
        return None
    chosen, decided_by = _choose(candidates, reference_price_ticks)
    return IndicativePrice(chosen.price, chosen.volume, chosen.surplus, decided_by)


def uncross(
    bids: Sequence[tuple[int | None, int, int]],
    asks: Sequence[tuple[int | None, int, int]],
    reference_price_ticks: int | None = None,
) -> AuctionResult | None:
    """Uncross a call-auction book at the volume-maximising price (rule in the module docstring).

    Parameters
    ----------
    bids, asks : Sequence[tuple[int | None, int, int]]
        ``(price_ticks, quantity, priority)`` per order; ``price_ticks=None`` is a market order.
    reference_price_ticks : int | None
        Tie-break anchor, normally the last traded or prior settlement price.

    Returns
    -------
    AuctionResult | None
        ``None`` when nothing can trade (or when only market orders meet and no reference
        price is given, so no price can be set).
    """
    price = indicative_price(bids, asks, reference_price_ticks)
    if price is None:
        return None
    return AuctionResult(
        price_ticks=price.price_ticks,
        volume=price.volume,
        surplus=price.surplus,
        decided_by=price.decided_by,
        bid_fills=_allocate(bids, price.price_ticks, price.volume, buying=True),
        ask_fills=_allocate(asks, price.price_ticks, price.volume, buying=False),
    )


def _choose(candidates: list[_Candidate], reference: int | None) -> tuple[_Candidate, DecidedBy]:
    """Apply the tie-break cascade to candidates sorted by price."""
    best_volume = max(c.volume for c in candidates)
    remaining = [c for c in candidates if c.volume == best_volume]
    if len(remaining) == 1:
        return remaining[0], DecidedBy.VOLUME
    least_surplus = min(abs(c.surplus) for c in remaining)
    remaining = [c for c in remaining if abs(c.surplus) == least_surplus]
    if len(remaining) == 1:
        return remaining[0], DecidedBy.IMBALANCE
    if all(c.surplus > 0 for c in remaining):
        return remaining[-1], DecidedBy.MARKET_PRESSURE
    if all(c.surplus < 0 for c in remaining):
        return remaining[0], DecidedBy.MARKET_PRESSURE
    if reference is None:
        reference = (remaining[0].price + remaining[-1].price) // 2
    anchor = reference
    return min(remaining, key=lambda c: (abs(c.price - anchor), c.price)), DecidedBy.REFERENCE_PRICE


def _allocate(
    orders: Sequence[tuple[int | None, int, int]], price: int, volume: int, *, buying: bool
) -> tuple[AuctionFill, ...]:
    """Hand out ``volume`` to the orders eligible at ``price`` in price-time priority."""
    sign = -1 if buying else 1  # bids: higher price first; asks: lower price first

    def eligible(limit: int | None) -> bool:
        return limit is None or (limit >= price if buying else limit <= price)

    queue = sorted(
        (index for index, order in enumerate(orders) if eligible(order[0])),
        key=lambda index: _priority_key(orders[index], sign),
    )
    fills: list[AuctionFill] = []
    left = volume
    for index in queue:
        if left == 0:
            break
        quantity = min(left, orders[index][1])
        fills.append(AuctionFill(index, orders[index][2], quantity))
        left -= quantity
    if left:  # pragma: no cover - the volume never exceeds the eligible quantity
        raise InvariantError(f"auction volume {volume} exceeds the eligible quantity at {price}")
    return tuple(fills)


def _priority_key(order: tuple[int | None, int, int], sign: int) -> tuple[int, int, int]:
    """Market orders first, then better limit, then earlier priority."""
    price, _quantity, priority = order
    if price is None:
        return (0, 0, priority)
    return (1, sign * price, priority)
