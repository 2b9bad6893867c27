"""Per-account self-trade prevention kept by the venue (ADR 0432), over HTTP and the client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tokenfutures.api import RunningServer
from tokenfutures.client import TokenFuturesClient
from tokenfutures.venue.commands import decode
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.statehash import state_hash

from .helpers import Market


@pytest.fixture
def alice(server: RunningServer, market: Market) -> Iterator[TokenFuturesClient]:
    with TokenFuturesClient(server.base_url, market.keys["alice"]) as client:
        yield client


def test_account_default_applies_to_orders_naming_no_mode_from_any_client(
    alice: TokenFuturesClient, server: RunningServer, market: Market
) -> None:
    assert alice.account_settings() == {"self_trade_prevention": "none"}
    assert alice.set_account_settings(self_trade_prevention="cancel_resting") == {
        "self_trade_prevention": "cancel_resting"
    }
    # a second client of the same account, with no default of its own
    with TokenFuturesClient(server.base_url, market.keys["alice"]) as other:
        assert other.self_trade_prevention is None
        other.submit_order(market.symbol, "buy", 1, "rest", price=market.price)
        ack = other.submit_order(market.symbol, "sell", 1, "hit", price=market.price)
    assert ack.filled_quantity == 0  # the venue's default prevented the self-trade
    assert [o.client_order_id for o in alice.orders(open_only=True)] == ["hit"]
    assert alice.trades(market.symbol) == []
    # an order's own mode still wins: "none" trades against the account's own order
    ack = alice.submit_order(
        market.symbol, "buy", 1, "own-none", price=market.price, self_trade_prevention="none"
    )
    assert ack.filled_quantity == 1
    assert len(alice.trades(market.symbol)) == 1


def test_bad_settings_are_a_422_and_change_nothing(
    alice: TokenFuturesClient, market: Market
) -> None:
    url = f"{alice.base_url}/v1/account/settings"
    headers = {"Authorization": f"Bearer {market.keys['alice']}"}
    for body in ({"self_trade_prevention": "sometimes"}, {"stp": "cancel_both"}, {}):
        response = httpx.put(url, json=body, headers=headers)
        assert response.status_code == 422, body
    assert httpx.get(url).status_code == 401
    assert alice.account_settings() == {"self_trade_prevention": "none"}


def test_the_setting_is_journalled_and_replayed(alice: TokenFuturesClient, market: Market) -> None:
    alice.set_account_settings(self_trade_prevention="cancel_both")
    alice.set_account_settings(self_trade_prevention="cancel_both")  # unchanged: not journalled
    store = market.venue.trading._seq.store
    kinds = [r.kind for r in store.journal.read()]
    assert kinds.count("account_settings") == 1
    state = VenueState()
    for record in store.journal.read():
        evolve(state, record.seq, decode(record.kind, record.ts, record.payload))
    assert state.account_stp == {"alice": "cancel_both"}
    assert state_hash(state) == state_hash(market.venue.trading._state)
