"""Hypothesis properties of the auction: maximal volume, limits respected, books balance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.exchange.auction import AuctionResult, uncross

Order = tuple[int | None, int, int]

prices = st.one_of(st.none(), st.integers(min_value=90, max_value=110))
sides = st.lists(st.tuples(prices, st.integers(min_value=1, max_value=30)), max_size=12)


@st.composite
def books(draw: st.DrawFn) -> tuple[list[Order], list[Order], int | None]:
    """Bids, asks (with unique priorities drawn as a permutation) and an optional reference."""
    raw_bids = draw(sides)
    raw_asks = draw(sides)
    priorities = draw(st.permutations(list(range(len(raw_bids) + len(raw_asks)))))
    bids = [(p, q, priorities[i]) for i, (p, q) in enumerate(raw_bids)]
    asks = [(p, q, priorities[len(raw_bids) + i]) for i, (p, q) in enumerate(raw_asks)]
    reference = draw(st.one_of(st.none(), st.integers(min_value=85, max_value=115)))
    return bids, asks, reference


def volume_at(bids: list[Order], asks: list[Order], price: int) -> tuple[int, int]:
    """Brute-force executable volume and surplus at one price."""
    demand = sum(q for p, q, _ in bids if p is None or p >= price)
    supply = sum(q for p, q, _ in asks if p is None or p <= price)
    return min(demand, supply), demand - supply


def candidate_prices(bids: list[Order], asks: list[Order], reference: int | None) -> list[int]:
    """Every limit price in the book plus the reference, ascending."""
    limits = {p for p, _, _ in bids + asks if p is not None}
    return sorted(limits if reference is None else limits | {reference})


SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)


@SETTINGS
@given(books())
def test_volume_is_maximal_over_every_price(
    book: tuple[list[Order], list[Order], int | None],
) -> None:
    bids, asks, reference = book
    result = uncross(bids, asks, reference)
    best = max(volume_at(bids, asks, price)[0] for price in range(80, 121))
    has_limit = any(p is not None for p, _, _ in bids + asks)
    if result is None:
        assert best == 0 or (not has_limit and reference is None)
    else:
        assert result.volume == best > 0
        assert (result.volume, result.surplus) == volume_at(bids, asks, result.price_ticks)


@SETTINGS
@given(books())
def test_surplus_is_minimal_among_the_maximal_candidates(
    book: tuple[list[Order], list[Order], int | None],
) -> None:
    bids, asks, reference = book
    result = uncross(bids, asks, reference)
    if result is None:
        return
    candidates = candidate_prices(bids, asks, reference)
    levels = [volume_at(bids, asks, price) for price in candidates]
    least = min(abs(s) for v, s in levels if v == result.volume)
    assert abs(result.surplus) == least
    assert result.price_ticks in candidates


def check_side(orders: list[Order], result: AuctionResult, *, buying: bool) -> None:
    fills = result.bid_fills if buying else result.ask_fills
    assert sum(f.quantity for f in fills) == result.volume
    assert len({f.index for f in fills}) == len(fills)
    for fill in fills:
        limit, quantity, priority = orders[fill.index]
        assert 0 < fill.quantity <= quantity
        assert fill.priority == priority
        if limit is not None:  # never worse than the limit
            assert limit >= result.price_ticks if buying else limit <= result.price_ticks

    def key(index: int) -> tuple[int, int, int]:
        limit, _, priority = orders[index]
        if limit is None:
            return (0, 0, priority)
        return (1, -limit if buying else limit, priority)

    # price-time priority: fills are a prefix of the queue; only the last may be partial
    filled = [f.index for f in fills]
    assert filled == sorted(filled, key=key)
    assert all(f.quantity == orders[f.index][1] for f in fills[:-1])
    unfilled = [
        i
        for i, (limit, _, _) in enumerate(orders)
        if i not in set(filled)
        and (
            limit is None
            or (limit >= result.price_ticks if buying else limit <= result.price_ticks)
        )
    ]
    if filled and unfilled:
        assert max(key(i) for i in filled) < min(key(i) for i in unfilled)


@SETTINGS
@given(books())
def test_fills_respect_limits_priority_and_balance(
    book: tuple[list[Order], list[Order], int | None],
) -> None:
    bids, asks, reference = book
    result = uncross(bids, asks, reference)
    if result is None:
        return
    check_side(bids, result, buying=True)
    check_side(asks, result, buying=False)
    matches = result.matches()
    assert sum(m.quantity for m in matches) == result.volume
    for fill in result.bid_fills:
        assert sum(m.quantity for m in matches if m.bid_index == fill.index) == fill.quantity
    for fill in result.ask_fills:
        assert sum(m.quantity for m in matches if m.ask_index == fill.index) == fill.quantity


def naive_price(bids: list[Order], asks: list[Order], reference: int | None) -> int | None:
    """The rule of ADR 0380 written out plainly, as an oracle for the cumulative-sum version."""
    scored = [(p, *volume_at(bids, asks, p)) for p in candidate_prices(bids, asks, reference)]
    if not scored or max(v for _, v, _ in scored) == 0:
        return None
    top = max(v for _, v, _ in scored)
    tied = [(p, s) for p, v, s in scored if v == top]
    least = min(abs(s) for _, s in tied)
    tied = [(p, s) for p, s in tied if abs(s) == least]
    if len(tied) == 1:
        return tied[0][0]
    if all(s > 0 for _, s in tied):
        return max(p for p, _ in tied)
    if all(s < 0 for _, s in tied):
        return min(p for p, _ in tied)
    prices_left = [p for p, _ in tied]
    anchor = reference if reference is not None else (min(prices_left) + max(prices_left)) // 2
    return min(prices_left, key=lambda p: (abs(p - anchor), p))


@SETTINGS
@given(books())
def test_price_agrees_with_the_plain_rule(
    book: tuple[list[Order], list[Order], int | None],
) -> None:
    bids, asks, reference = book
    result = uncross(bids, asks, reference)
    expected = naive_price(bids, asks, reference)
    assert (None if result is None else result.price_ticks) == expected
