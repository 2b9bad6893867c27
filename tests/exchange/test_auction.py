"""Auction uncrossing on hand-built books; every expected value is worked out by hand here."""

from __future__ import annotations

import re

import pytest

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange.auction import (
    AuctionFill,
    AuctionMatch,
    AuctionOrder,
    DecidedBy,
    IndicativePrice,
    indicative_price,
    uncross,
)


def test_imbalance_breaks_a_volume_tie() -> None:
    # bids 10@102, 5@101, 8@100; asks 6@99, 7@100, 10@102
    # p=99: demand 23, supply 6  -> 6 ; p=100: 23 vs 13 -> 13 (+10)
    # p=101: 15 vs 13 -> 13 (+2)     ; p=102: 10 vs 23 -> 10
    # 100 and 101 tie on 13 lots; 101 has the smaller surplus (2 < 10).
    bids = [(102, 10, 1), (101, 5, 2), (100, 8, 3)]
    asks = [(99, 6, 4), (100, 7, 5), (102, 10, 6)]
    result = uncross(bids, asks)
    assert result is not None
    assert (result.price_ticks, result.volume, result.surplus) == (101, 13, 2)
    assert result.decided_by is DecidedBy.IMBALANCE
    assert result.bid_fills == (AuctionFill(0, 1, 10), AuctionFill(1, 2, 3))
    assert result.ask_fills == (AuctionFill(0, 4, 6), AuctionFill(1, 5, 7))


def test_matches_pair_fills_in_allocation_order() -> None:
    bids = [(102, 10, 1), (101, 5, 2), (100, 8, 3)]
    asks = [(99, 6, 4), (100, 7, 5), (102, 10, 6)]
    result = uncross(bids, asks)
    assert result is not None
    # bid0 takes 6 from ask0 then 4 from ask1; bid1 takes the last 3 of ask1.
    assert result.matches() == (
        AuctionMatch(0, 0, 6),
        AuctionMatch(0, 1, 4),
        AuctionMatch(1, 1, 3),
    )


def test_volume_alone_decides() -> None:
    # market bid 10; asks 4@100, 6@101. p=100: 10 vs 4 -> 4; p=101: 10 vs 10 -> 10.
    result = uncross([(None, 10, 1)], [(100, 4, 2), (101, 6, 3)], reference_price_ticks=100)
    assert result is not None
    assert (result.price_ticks, result.volume, result.decided_by) == (101, 10, DecidedBy.VOLUME)
    assert result.bid_fills == (AuctionFill(0, 1, 10),)


def test_buy_pressure_takes_the_highest_price() -> None:
    # bid 20@101, ask 10@100: at 100 and 101 volume 10, surplus +10 both -> highest, 101.
    result = uncross([(101, 20, 1)], [(100, 10, 2)], reference_price_ticks=100)
    assert result is not None
    assert (result.price_ticks, result.volume, result.surplus) == (101, 10, 10)
    assert result.decided_by is DecidedBy.MARKET_PRESSURE


def test_sell_pressure_takes_the_lowest_price() -> None:
    # bid 10@101, ask 20@100: at 100 and 101 volume 10, surplus -10 both -> lowest, 100.
    result = uncross([(101, 10, 1)], [(100, 20, 2)], reference_price_ticks=101)
    assert result is not None
    assert (result.price_ticks, result.volume, result.surplus) == (100, 10, -10)
    assert result.decided_by is DecidedBy.MARKET_PRESSURE
    assert result.ask_fills == (AuctionFill(0, 2, 10),)


def test_reference_inside_the_range_becomes_the_price() -> None:
    # bid 10@105, ask 10@100: every price in 100..105 trades 10 with no surplus.
    result = uncross([(105, 10, 1)], [(100, 10, 2)], reference_price_ticks=103)
    assert result is not None
    assert (result.price_ticks, result.volume, result.surplus) == (103, 10, 0)
    assert result.decided_by is DecidedBy.REFERENCE_PRICE


def test_reference_outside_the_range_picks_the_nearest_limit() -> None:
    # at the reference 110 demand is 0, so it trades nothing; of 100 and 105, 105 is nearer.
    result = uncross([(105, 10, 1)], [(100, 10, 2)], reference_price_ticks=110)
    assert result is not None
    assert result.price_ticks == 105
    below = uncross([(105, 10, 1)], [(100, 10, 2)], reference_price_ticks=90)
    assert below is not None
    assert below.price_ticks == 100


def test_without_reference_the_middle_of_the_range_anchors() -> None:
    # candidates 100 and 105 tie; middle (100+105)//2 = 102 is nearer 100 (2 < 3).
    result = uncross([(105, 10, 1)], [(100, 10, 2)])
    assert result is not None
    assert (result.price_ticks, result.decided_by) == (100, DecidedBy.REFERENCE_PRICE)
    # candidates 100 and 104: middle 102 is equidistant -> the lower price, 100.
    even = uncross([(104, 10, 1)], [(100, 10, 2)])
    assert even is not None
    assert even.price_ticks == 100


def test_market_orders_only_trade_at_the_reference() -> None:
    result = uncross([(None, 5, 1)], [AuctionOrder(None, 3, 2)], reference_price_ticks=200)
    assert result is not None
    assert (result.price_ticks, result.volume, result.surplus) == (200, 3, 2)
    assert result.bid_fills == (AuctionFill(0, 1, 3),)
    assert uncross([(None, 5, 1)], [(None, 3, 2)]) is None


def test_market_orders_go_before_limits() -> None:
    # bids: limit 5@101 (earlier), market 5 (later); ask 6@100 -> price 101? p=100: 10 vs 6 -> 6,
    # p=101: 10 vs 6 -> 6, surplus +4 both -> pressure -> 101. The market bid fills first.
    result = uncross([(101, 5, 1), (None, 5, 2)], [(100, 6, 3)])
    assert result is not None
    assert result.price_ticks == 101
    assert result.bid_fills == (AuctionFill(1, 2, 5), AuctionFill(0, 1, 1))


def test_time_priority_within_a_price() -> None:
    # two bids at 100, the one with priority 3 arrived first and is filled first.
    result = uncross([(100, 5, 7), (100, 5, 3)], [(100, 6, 1)])
    assert result is not None
    assert result.bid_fills == (AuctionFill(1, 3, 5), AuctionFill(0, 7, 1))


def test_better_price_beats_earlier_time() -> None:
    # bids 5@100 (priority 1) and 5@101 (priority 2); ask 5@100.
    # p=100: 10 vs 5 -> 5 (+5); p=101: 5 vs 5 -> 5 (0): imbalance picks 101; the 101 bid fills.
    result = uncross([(100, 5, 1), (101, 5, 2)], [(100, 5, 3)])
    assert result is not None
    assert result.price_ticks == 101
    assert result.bid_fills == (AuctionFill(1, 2, 5),)


def test_nothing_crosses() -> None:
    assert uncross([(99, 10, 1)], [(100, 10, 2)]) is None
    assert uncross([(99, 10, 1)], [(100, 10, 2)], reference_price_ticks=99) is None
    assert uncross([], [(100, 10, 2)]) is None
    assert uncross([], []) is None


@pytest.mark.parametrize(
    ("bids", "asks", "name"),
    [
        ([(100, 0, 1)], [], "bids[0].quantity"),
        ([], [(100, 1, 1), (100, -2, 2)], "asks[1].quantity"),
        ([(100.5, 1, 1)], [], "bids[0].price_ticks"),
    ],
)
def test_malformed_orders_raise_naming_the_field(
    bids: list[tuple[object, object, int]], asks: list[tuple[object, object, int]], name: str
) -> None:
    with pytest.raises(InvalidParameterError, match=re.escape(name)):
        uncross(bids, asks)  # type: ignore[arg-type]


def test_indicative_price_matches_the_uncross_without_fills() -> None:
    bids = [(102, 10, 1), (101, 5, 2), (100, 8, 3)]
    asks = [(99, 6, 4), (100, 7, 5), (102, 10, 6)]
    assert indicative_price(bids, asks) == IndicativePrice(101, 13, 2, DecidedBy.IMBALANCE)
    assert indicative_price([(99, 1, 1)], [(100, 1, 2)]) is None


def test_reference_must_be_an_integer_tick() -> None:
    with pytest.raises(InvalidParameterError, match="reference_price_ticks"):
        uncross([(100, 1, 1)], [(100, 1, 2)], reference_price_ticks=100.5)  # type: ignore[arg-type]
