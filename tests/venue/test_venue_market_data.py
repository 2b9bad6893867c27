"""Market data: a snapshot on subscribe, then deltas with gap-free sequence numbers."""

from __future__ import annotations

import random
from decimal import Decimal

from venue_helpers import FRONT, Market

from tokenfutures.venue.views import OrderRequest, StreamMessage


def _replay_book(messages: list[StreamMessage]) -> dict[tuple[str, int], int]:
    snapshot = messages[0]
    assert snapshot.type == "snapshot"
    levels = {
        (lv["side"], lv["price_ticks"]): lv["quantity"]
        for lv in snapshot.data["books"][FRONT]["levels"]
    }
    for message in messages[1:]:
        if message.type == "book" and message.data["contract"] == FRONT:
            key = (message.data["side"], message.data["price_ticks"])
            if message.data["quantity"]:
                levels[key] = message.data["quantity"]
            else:
                levels.pop(key, None)
    return levels


def test_deltas_rebuild_the_book_without_gaps(market: Market) -> None:
    v = market.venue
    rng = random.Random(11)
    v.trading.submit_order("alice", OrderRequest(FRONT, "buy", 3, "pre", Decimal("3.40")))
    public: list[StreamMessage] = []
    private: list[StreamMessage] = []
    unsubscribe = v.market.subscribe_market_data(public.append)
    v.market.subscribe_private("bob", private.append)
    for i in range(150):
        account = rng.choice(["alice", "bob"])
        side = rng.choice(["buy", "sell"])
        price = Decimal(rng.randint(345, 355)) / 100
        v.trading.submit_order(
            account, OrderRequest(FRONT, side, rng.randint(1, 5), f"o{i}", price)
        )
    batch = [  # one journal batch: its book changes are published as one diff
        OrderRequest(FRONT, "sell" if i % 2 else "buy", 2, f"b{i}", Decimal(340 + i) / 100)
        for i in range(30)
    ]
    v.trading.submit_orders("bob", batch)
    seqs = [m.seq for m in public]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    book = v.market.book(FRONT)
    expected = {("buy", lv.price_ticks): lv.quantity for lv in book.bids} | {
        ("sell", lv.price_ticks): lv.quantity for lv in book.asks
    }
    assert _replay_book(public) == expected
    assert any(m.type == "trade" for m in public)
    assert [m.seq for m in private] == list(range(1, len(private) + 1))
    assert {m.type for m in private} >= {"accepted", "fill"}
    assert all(m.stream == "private:bob" for m in private)
    fills = [m for m in private if m.type == "fill"]
    assert all(m.data["side"] in ("buy", "sell") for m in fills)
    unsubscribe()
    count = len(public)
    v.trading.submit_order("alice", OrderRequest(FRONT, "buy", 1, "after", Decimal("3.41")))
    assert len(public) == count
    assert public[-1].to_dict()["stream"] == "market"


def test_a_margin_rejection_reaches_the_private_stream(market: Market) -> None:
    v = market.venue
    private: list[StreamMessage] = []
    v.market.subscribe_private("alice", private.append)
    v.trading.submit_order("alice", OrderRequest(FRONT, "buy", 100_000, "huge", Decimal("3.50")))
    assert [(m.type, m.data["reason"]) for m in private] == [("rejected", "INSUFFICIENT_MARGIN")]
