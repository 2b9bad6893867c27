"""The sequencer's collector policy: survivors frozen after each batch, thawed on a period (ADR 0611)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from decimal import Decimal

import pytest
from venue_helpers import FRONT, Market

from tokenfutures.venue import collector
from tokenfutures.venue.views import OrderRequest


class _Node:
    """A cycle only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _thawed_afterwards() -> Iterator[None]:
    yield
    gc.unfreeze()


def _order(market: Market, coid: str) -> None:
    request = OrderRequest(FRONT, "buy", 1, coid, price=Decimal("3.40"))
    assert market.venue.trading.submit_order("alice", request).status == "accepted"


def test_a_batch_freezes_what_survived_it(market: Market) -> None:
    gc.unfreeze()
    _order(market, "f1")
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_a_thaw_frees_the_cycles_that_died_while_frozen(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = _Node()
    alive = weakref.ref(node)
    _order(market, "t1")  # node is frozen with everything else
    del node
    gc.collect()
    assert alive() is not None  # frozen: not even a full collection looks at it
    monkeypatch.setattr(market.venue._seq.collector, "_thawed", 0.0)  # the thaw period has passed
    monkeypatch.setattr(market.venue._seq.collector, "_frozen_at_thaw", 0)  # and the heap has grown
    _order(market, "t2")
    assert alive() is None


def test_no_thaw_before_the_frozen_heap_grew_by_a_quarter(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = _Node()
    alive = weakref.ref(node)
    _order(market, "g1")
    del node
    monkeypatch.setattr(market.venue._seq.collector, "_thawed", 0.0)  # the period has passed...
    monkeypatch.setattr(market.venue._seq.collector, "_frozen_at_thaw", gc.get_freeze_count())
    monkeypatch.setattr(
        market.venue._seq.collector, "_frozen_since_thaw", 0
    )  # ...the heap has not grown
    _order(market, "g2")
    assert alive() is not None, "a full collection ran though the heap barely grew"
    monkeypatch.setattr(market.venue._seq.collector, "_frozen_since_thaw", gc.get_freeze_count())
    _order(market, "g3")
    assert alive() is None, "grown by a quarter and past the period: thawed"


def test_the_policy_can_be_turned_off(market: Market, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "GC_THAW_SECONDS", None)
    gc.unfreeze()
    _order(market, "o1")
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
