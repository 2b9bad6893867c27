"""A client order id names one order (ADR 0658): exact retries get the first ack, changed ones
are refused, within one batch and across batches, and nothing refused is journalled."""

from __future__ import annotations

from decimal import Decimal

from venue_helpers import FRONT, Market

from tokenfutures.venue.idempotency import CLIENT_ORDER_ID_REUSED
from tokenfutures.venue.views import OrderRequest

BUY = OrderRequest(FRONT, "buy", 2, "c1", Decimal("3.40"))


def test_in_one_batch_an_exact_repeat_shares_the_ack_and_a_changed_one_is_refused(
    market: Market,
) -> None:
    v = market.venue
    before = v.store.journal.last_seq()
    changed = OrderRequest(FRONT, "sell", 2, "c1", Decimal("3.40"))
    first, repeat, refused = v.trading.submit_batch(
        [("alice", BUY), ("alice", BUY), ("alice", changed)]
    )
    assert first.status == "accepted"
    assert repeat == first
    assert (refused.status, refused.reason) == ("rejected", CLIENT_ORDER_ID_REUSED)
    assert v.store.journal.last_seq() == before + 1
    other = v.trading.submit_batch([("bob", changed)])[0]
    assert other.status == "accepted", "client order ids are per account"


def test_across_batches_any_change_is_refused(market: Market) -> None:
    v = market.venue
    first = v.trading.submit_order("alice", BUY)
    journalled = v.store.journal.last_seq()
    assert v.trading.submit_order("alice", BUY) == first
    for changed in (
        OrderRequest(FRONT, "buy", 3, "c1", Decimal("3.40")),
        OrderRequest(FRONT, "buy", 2, "c1", Decimal("3.41")),
        OrderRequest(FRONT, "buy", 2, "c1", Decimal("3.40"), tif="day"),
        OrderRequest(FRONT, "buy", 2, "c1", Decimal("3.40"), post_only=True),
    ):
        ack = v.trading.submit_order("alice", changed)
        assert (ack.status, ack.reason) == ("rejected", CLIENT_ORDER_ID_REUSED), changed
    assert v.store.journal.last_seq() == journalled
    assert [o.client_order_id for o in v.trading.orders("alice")] == ["c1"]
