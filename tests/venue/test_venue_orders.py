"""Orders through the facade: acks, fills, idempotency, ownership, rejections as values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from venue_helpers import FRONT, TRADING_DAY, Market

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.views import OrderRequest


def buy(coid: str, qty: int, price: str, contract: str = FRONT) -> OrderRequest:
    return OrderRequest(contract, "buy", qty, coid, price=Decimal(price))


def sell(coid: str, qty: int, price: str, contract: str = FRONT) -> OrderRequest:
    return OrderRequest(contract, "sell", qty, coid, price=Decimal(price))


def test_api_keys_authenticate_their_account(market: Market) -> None:
    v = market.venue
    assert v.accounts.authenticate(market.alice) == "alice"
    assert v.accounts.authenticate(market.bob) == "bob"
    assert v.accounts.authenticate("tfk_not-a-key") is None
    with pytest.raises(InvalidParameterError, match="account_id"):
        v.accounts.create_account("alice")


def test_a_cross_fills_both_sides_and_moves_positions(market: Market) -> None:
    v = market.venue
    resting = v.trading.submit_order("alice", buy("a1", 5, "3.50"))
    assert resting.status == "accepted"
    assert resting.filled_quantity == 0
    hit = v.trading.submit_order("bob", sell("b1", 3, "3.49"))
    assert hit.status == "accepted"
    assert hit.filled_quantity == 3
    assert [(p.contract, p.quantity) for p in v.accounts.positions("alice")] == [(FRONT, 3)]
    assert [(p.contract, p.quantity) for p in v.accounts.positions("bob")] == [(FRONT, -3)]
    book = v.market.book(FRONT)
    assert [(lv.price, lv.quantity) for lv in book.bids] == [(Decimal("3.50"), 2)]
    assert book.asks == ()
    assert book.last_price == Decimal("3.50")
    trades = v.market.trades(FRONT)
    assert [(t.price, t.quantity, t.aggressor_side) for t in trades] == [
        (Decimal("3.50"), 3, "sell")
    ]
    order = v.trading.order("alice", resting.order_id or 0)
    assert order is not None
    assert (order.filled_quantity, order.open_quantity, order.status) == (3, 2, "open")


def test_a_retry_returns_the_first_ack_and_never_a_second_order(market: Market) -> None:
    v = market.venue
    first = v.trading.submit_order("alice", buy("same", 1, "3.40"))
    seq = v.seq
    again = v.trading.submit_order("alice", buy("same", 1, "3.40"))
    assert again == first
    changed = v.trading.submit_order(
        "alice", buy("same", 7, "3.41")
    )  # not a retry: refused (ADR 0658)
    assert (changed.status, changed.reason) == ("rejected", "CLIENT_ORDER_ID_REUSED")
    assert v.seq == seq, "a retry must not be journalled"
    assert len(v.trading.orders("alice")) == 1
    assert v.market.book(FRONT).bids[0].quantity == 1
    # the same client order id of another account is another order
    assert v.trading.submit_order("bob", buy("same", 2, "3.40")).order_id != first.order_id


def test_duplicates_inside_one_batch_get_one_order(market: Market) -> None:
    acks = market.venue.trading.submit_orders(
        "alice", [buy("d", 1, "3.40"), buy("d", 1, "3.40"), buy("d", 2, "3.40")]
    )
    assert acks[0] == acks[1]
    assert (acks[2].status, acks[2].reason) == ("rejected", "CLIENT_ORDER_ID_REUSED")
    assert len(market.venue.trading.orders("alice")) == 1


def test_another_accounts_order_can_be_neither_seen_nor_cancelled(market: Market) -> None:
    v = market.venue
    ack = v.trading.submit_order("alice", buy("mine", 4, "3.45"))
    order_id = ack.order_id
    assert order_id is not None
    assert v.trading.order("bob", order_id) is None
    assert v.trading.orders("bob") == []
    refused = v.trading.cancel_order("bob", order_id)
    assert refused.status == "rejected"
    assert refused.reason == "NOT_OWNER"
    assert v.trading.mass_cancel("bob") == []
    assert v.market.book(FRONT).bids[0].quantity == 4
    unknown = v.trading.cancel_order("bob", 999_999)
    assert unknown.status == "rejected"
    assert unknown.reason == "UNKNOWN_ORDER"
    cancelled = v.trading.cancel_order("alice", order_id)
    assert cancelled.status == "cancelled"
    assert v.market.book(FRONT).bids == ()
    view = v.trading.order("alice", order_id)
    assert view is not None
    assert view.status == "cancelled"


def test_mass_cancel_cancels_only_the_callers_orders(market: Market) -> None:
    v = market.venue
    v.trading.submit_orders("alice", [buy("m1", 1, "3.40"), buy("m2", 1, "3.39")])
    v.trading.submit_order("bob", buy("k1", 1, "3.38"))
    acks = v.trading.mass_cancel("alice", FRONT)
    assert sorted(a.status for a in acks) == ["cancelled", "cancelled"]
    assert v.trading.orders("alice") == []
    assert [lv.price for lv in v.market.book(FRONT).bids] == [Decimal("3.38")]


def test_rejections_are_values_with_reasons(market: Market) -> None:
    v = market.venue
    assert v.trading.submit_order("alice", buy("t1", 1, "3.505")).reason == "NOT_ON_TICK"
    assert (
        v.trading.submit_order("alice", buy("t2", 1, "3.50", "SITX99")).reason == "UNKNOWN_CONTRACT"
    )
    assert v.trading.submit_order("alice", buy("t3", 0, "3.50")).reason == "SIZE_NOT_POSITIVE"
    seq = v.seq
    assert v.trading.submit_order("nobody", buy("t4", 1, "3.50")).reason == "UNKNOWN_ACCOUNT"
    assert v.trading.submit_order("x" * 200, buy("t5", 1, "3.50")).reason == "UNKNOWN_ACCOUNT"
    assert v.trading.mass_cancel("nobody") == []
    assert v.seq == seq, "refused before the journal: a bad name cannot fail a group commit"
    assert v.trading.orders("alice", open_only=False) == []


def test_an_order_beyond_the_collateral_is_refused_for_margin(market: Market) -> None:
    v = market.venue
    # 8 % of 3.50 USD per lot is 0.28 USD: 10,000 USD covers 35,714 lots, not 40,000
    too_big = v.trading.submit_order("alice", buy("big", 40_000, "3.50"))
    assert too_big.status == "rejected"
    assert too_big.reason == "INSUFFICIENT_MARGIN"
    fits = v.trading.submit_order("alice", buy("fits", 30_000, "3.50"))
    assert fits.status == "accepted"
    assert v.trading.submit_order("alice", buy("big", 40_000, "3.50")) == too_big
    assert v.trading.submit_order("alice", buy("big", 1, "3.50")).reason == "CLIENT_ORDER_ID_REUSED"


def test_margin_view_reports_collateral_and_requirement(market: Market) -> None:
    v = market.venue
    v.trading.submit_order("alice", buy("x1", 100, "3.50"))
    v.trading.submit_order("bob", sell("y1", 100, "3.50"))
    margin = v.accounts.margin("bob")
    assert margin.collateral == Decimal(10_000)
    assert margin.initial == Decimal("28.00")  # 100 lots x 8 % x 3.50
    assert margin.maintenance == Decimal("21.00")
    assert margin.to_dict()["excess"] == "9972.00"


def test_withdrawals_stay_within_the_excess(market: Market) -> None:
    v = market.venue
    v.trading.submit_order("alice", buy("w1", 1000, "3.50"))
    v.trading.submit_order("bob", sell("w2", 1000, "3.50"))
    assert v.accounts.margin("bob").initial == Decimal("280.00")
    with pytest.raises(InvalidParameterError, match="amount"):
        v.accounts.deposit("bob", Decimal("-9800"))
    assert v.accounts.deposit("bob", Decimal("-9720")).collateral == Decimal(280)
    assert [line.memo for line in v.accounts.ledger("bob")] == ["deposit", "withdrawal"]


def test_concurrent_callers_share_group_commits(market: Market) -> None:
    import threading

    v = market.venue
    start = v.seq

    def load(account: str, prefix: str) -> None:
        for i in range(150):
            v.trading.submit_order(account, buy(f"{prefix}{i}", 1, "3.30"))

    threads = [
        threading.Thread(target=load, args=(acct, f"t{n}-"))
        for n, acct in enumerate(["alice", "bob", "alice", "bob"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert v.seq == start + 600
    assert [r.seq for r in v.store.journal.read(from_seq=start + 1)] == list(
        range(start + 1, start + 601)
    )
    assert len(v.trading.orders("alice")) == 300
    assert v.market.book(FRONT).bids[0].quantity == 600


def test_scu_contracts_list_beside_sit_with_their_own_tick_and_lot(market: Market) -> None:
    v = market.venue
    listed = v.settlement.list_contracts(
        TRADING_DAY, products=("SIT", "SCU"), reference_price=Decimal("2.125")
    )
    scu = [c for c in listed if c.product == "SCU"]
    assert [c.symbol for c in scu][:2] == ["SCUZ26", "SCUF27"]
    assert scu[0].tick_size == Decimal("0.001")
    assert scu[0].prior_settlement == Decimal("2.125")
    v.trading.submit_order("alice", OrderRequest("SCUZ26", "buy", 2, "s1", price=Decimal("2.125")))
    v.trading.submit_order("bob", OrderRequest("SCUZ26", "sell", 2, "s2", price=Decimal("2.120")))
    # 1,000 SCU-hours per lot: 2 lots x 2.125 x 1000 x 8 % = 340 USD initial margin
    assert v.accounts.margin("alice").initial == Decimal("340.00")


def test_a_replace_that_grows_an_order_beyond_the_collateral_is_refused(market: Market) -> None:
    v = market.venue
    order = v.trading.submit_order("alice", buy("small", 10, "3.50"))
    assert order.order_id is not None
    # 10,000 USD covers 35,714 lots at 8 % of 3.50 USD: growing to 40,000 must be refused
    grown = v.trading.replace_order("alice", order.order_id, quantity=40_000)
    assert (grown.status, grown.reason) == ("rejected", "INSUFFICIENT_MARGIN")
    view = v.trading.order("alice", order.order_id)
    assert view is not None
    assert view.open_quantity == 10
    shrunk = v.trading.replace_order("alice", order.order_id, quantity=30_000)
    assert shrunk.status == "accepted"
    assert v.trading.replace_order("bob", order.order_id, quantity=1).reason == "NOT_OWNER"
