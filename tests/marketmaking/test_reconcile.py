"""The pure diff between the wanted quote and the working orders."""

from __future__ import annotations

from tokenfutures.marketmaking import Quote
from tokenfutures.marketmaking.reconcile import NewQuoteOrder, WorkingOrder, reconcile

WANTED = Quote("SITH27", 29, 50, 30, 50)


def test_nothing_working_sends_both_sides() -> None:
    actions = reconcile(WANTED, [])
    assert actions.cancel == ()
    assert actions.send == (NewQuoteOrder("buy", 29, 50), NewQuoteOrder("sell", 30, 50))


def test_matching_orders_are_kept() -> None:
    working = [WorkingOrder(7, "buy", 29, 50), WorkingOrder(8, "sell", 30, 50)]
    assert reconcile(WANTED, working).empty


def test_partly_filled_side_is_refreshed_and_stale_price_replaced() -> None:
    working = [WorkingOrder(7, "buy", 29, 20), WorkingOrder(8, "sell", 31, 50)]
    actions = reconcile(WANTED, working)
    assert actions.cancel == (7, 8)
    assert set(actions.send) == {NewQuoteOrder("buy", 29, 50), NewQuoteOrder("sell", 30, 50)}


def test_duplicates_and_withdrawn_sides_are_cancelled() -> None:
    one_sided = Quote("SITH27", 29, 0, 30, 50)
    working = [
        WorkingOrder(1, "sell", 30, 50),
        WorkingOrder(2, "sell", 30, 50),
        WorkingOrder(3, "buy", 29, 50),
    ]
    actions = reconcile(one_sided, working)
    assert actions.cancel == (2, 3)
    assert actions.send == ()
    assert reconcile(None, working).cancel == (1, 2, 3)
