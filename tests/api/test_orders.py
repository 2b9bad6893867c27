"""Order entry, idempotency, rejections as acks, 422 problems, clearing views — via the typed client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import httpx
import pytest

from tokenfutures.api import RunningServer
from tokenfutures.client import NotFoundError, TokenFuturesClient, ValidationError
from tokenfutures.contracts import parse_symbol, spec_for_symbol

from .helpers import TRADING_DAY, Market


@pytest.fixture
def alice(server: RunningServer, market: Market) -> Iterator[TokenFuturesClient]:
    with TokenFuturesClient(server.base_url, market.keys["alice"]) as client:
        yield client


@pytest.fixture
def bob(server: RunningServer, market: Market) -> Iterator[TokenFuturesClient]:
    with TokenFuturesClient(server.base_url, market.keys["bob"]) as client:
        yield client


@pytest.fixture
def public(server: RunningServer) -> Iterator[TokenFuturesClient]:
    with TokenFuturesClient(server.base_url) as client:
        yield client


def test_retry_with_same_client_order_id_returns_the_first_ack(
    alice: TokenFuturesClient, market: Market
) -> None:
    first = alice.submit_order(market.symbol, "buy", 2, "retry-1", price=market.price)
    again = alice.submit_order(market.symbol, "buy", 2, "retry-1", price=market.price)
    assert first.status == "accepted"
    assert again == first
    assert [o.order_id for o in alice.orders()] == [first.order_id]


def test_business_rejection_is_a_201_ack_with_reason(server: RunningServer, market: Market) -> None:
    off_tick = market.price + market.tick / 2
    body = {
        "contract": market.symbol,
        "side": "sell",
        "quantity": 1,
        "client_order_id": "off-tick",
        "price": str(off_tick),
    }
    response = httpx.post(
        f"{server.base_url}/v1/orders", json=body, headers={"X-API-Key": market.keys["bob"]}
    )
    assert response.status_code == 201
    ack = response.json()
    assert ack["status"] == "rejected"
    assert ack["reason"]
    unknown = httpx.post(
        f"{server.base_url}/v1/orders",
        json=body | {"contract": "NOPE", "client_order_id": "unknown-contract"},
        headers={"X-API-Key": market.keys["bob"]},
    )
    assert unknown.status_code == 201
    assert unknown.json()["status"] == "rejected"


@pytest.mark.parametrize(
    "patch",
    [
        {"quantity": 0},
        {"quantity": -3},
        {"side": "hold"},
        {"price": "NaN"},
        {"price": "-1"},
        {"client_order_id": ""},
        {"unexpected": 1},
    ],
)
def test_malformed_order_is_422_problem_with_errors(
    server: RunningServer, market: Market, patch: dict[str, object]
) -> None:
    body: dict[str, object] = {
        "contract": market.symbol,
        "side": "buy",
        "quantity": 1,
        "client_order_id": "x",
        "price": str(market.price),
    }
    response = httpx.post(
        f"{server.base_url}/v1/orders",
        json=body | patch,
        headers={"X-API-Key": market.keys["alice"]},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]


def test_a_cross_prints_a_trade_and_moves_positions_and_ledger(
    alice: TokenFuturesClient, bob: TokenFuturesClient, market: Market
) -> None:
    resting = alice.submit_order(market.symbol, "buy", 3, "bid-1", price=market.price)
    taking = bob.submit_order(market.symbol, "sell", 2, "hit-1", price=market.price)
    assert taking.filled_quantity == 2
    trades = alice.trades(market.symbol)
    assert (trades[0].quantity, trades[0].price, trades[0].aggressor_side) == (
        2,
        market.price,
        "sell",
    )
    book = alice.book(market.symbol)
    assert [(level.price, level.quantity) for level in book.bids] == [(market.price, 1)]
    assert book.last_price == market.price
    assert {p.contract: p.quantity for p in alice.positions()} == {market.symbol: 2}
    assert {p.contract: p.quantity for p in bob.positions()} == {market.symbol: -2}
    order = alice.order(resting.order_id or 0)
    assert (order.filled_quantity, order.open_quantity) == (2, 1)
    margin = alice.margin()
    assert margin.initial > 0
    assert margin.excess == margin.collateral - margin.initial
    assert alice.ledger()[0].amount == margin.collateral


def test_cancel_and_mass_cancel_only_touch_own_orders(
    alice: TokenFuturesClient, bob: TokenFuturesClient, market: Market
) -> None:
    lower = market.price - 5 * market.tick
    a1 = alice.submit_order(market.symbol, "buy", 1, "a1", price=lower)
    alice.submit_order(market.symbol, "buy", 1, "a2", price=lower)
    b1 = bob.submit_order(market.symbol, "buy", 1, "b1", price=lower)
    assert alice.cancel_order(a1.order_id or 0).status == "cancelled"
    with pytest.raises(NotFoundError):
        alice.cancel_order(a1.order_id or 0)
    with pytest.raises(NotFoundError):
        alice.cancel_order(b1.order_id or 0)
    cancelled = alice.mass_cancel(market.symbol)
    assert [ack.client_order_id for ack in cancelled] in (["a2"], [None])
    assert len(cancelled) == 1
    assert alice.orders() == []
    assert [o.order_id for o in bob.orders()] == [b1.order_id]


def test_public_market_data_routes(public: TokenFuturesClient, market: Market) -> None:
    assert public.health()
    symbols = [c.symbol for c in public.contracts()]
    assert market.symbol in symbols
    contract = public.contract(market.symbol)
    assert (contract.tick_size, contract.phase) == (market.tick, "CONTINUOUS")
    assert public.settlements(market.symbol) == []
    with pytest.raises(NotFoundError):
        public.book("NOPE")
    with pytest.raises(ValidationError):
        public.book(market.symbol, depth=0)


def test_fixings_with_audit_and_date_filter(public: TokenFuturesClient, market: Market) -> None:
    market.venue.index.fix_index(date(2026, 2, 27), Decimal("2.41"), audit={"providers": 7})
    market.venue.index.fix_index(TRADING_DAY, Decimal("2.47"), audit={"providers": 8})
    fixes = public.fixings()
    assert [(f.day, f.level) for f in fixes] == [
        (date(2026, 2, 27), Decimal("2.41")),
        (TRADING_DAY, Decimal("2.47")),
    ]
    assert fixes[1].audit == {"providers": 8}
    assert [f.day for f in public.fixings(start=TRADING_DAY)] == [TRADING_DAY]


def test_openapi_and_docs_are_served(server: RunningServer) -> None:
    spec = httpx.get(f"{server.base_url}/openapi.json").json()
    assert {"/v1/orders", "/v1/orders/{order_id}", "/v1/account/margin"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert "OrderCreate" in schemas
    assert "OrderAckPublic" in schemas
    assert httpx.get(f"{server.base_url}/docs").status_code == 200


def test_replace_moves_price_and_size_and_keeps_the_order_id(
    alice: TokenFuturesClient, market: Market
) -> None:
    ack = alice.submit_order(market.symbol, "buy", 5, "rep-1", price=market.price - market.tick)
    assert ack.order_id is not None
    smaller = alice.replace_order(ack.order_id, 3)
    moved = alice.replace_order(ack.order_id, 4, price=market.price - 2 * market.tick)
    assert (smaller.status, moved.status) == ("accepted", "accepted")
    order = alice.order(ack.order_id)
    assert (order.open_quantity, order.price) == (4, market.price - 2 * market.tick)


def test_replace_refusals_are_acks_and_foreign_orders_are_404(
    alice: TokenFuturesClient, bob: TokenFuturesClient, market: Market
) -> None:
    ack = alice.submit_order(market.symbol, "buy", 2, "rep-2", price=market.price - market.tick)
    assert ack.order_id is not None
    off_tick = alice.replace_order(ack.order_id, 2, price=market.price + market.tick / 2)
    assert (off_tick.status, off_tick.reason) == ("rejected", "NOT_ON_TICK")
    with pytest.raises(NotFoundError):
        bob.replace_order(ack.order_id, 1)
    with pytest.raises(NotFoundError):
        alice.replace_order(10**9, 1)
    with pytest.raises(ValidationError):
        alice.replace_order(ack.order_id, 0)
    assert alice.order(ack.order_id).open_quantity == 2


def test_positions_carry_mark_average_price_and_pnl_against_trade_prices(
    alice: TokenFuturesClient, bob: TokenFuturesClient, market: Market
) -> None:
    up = market.price + 10 * market.tick
    alice.submit_order(market.symbol, "buy", 2, "pnl-b1", price=market.price)
    bob.submit_order(market.symbol, "sell", 2, "pnl-s1", price=market.price)
    alice.submit_order(market.symbol, "buy", 2, "pnl-b2", price=up)
    bob.submit_order(market.symbol, "sell", 2, "pnl-s2", price=up)
    alice.submit_order(market.symbol, "sell", 1, "pnl-s3", price=up)
    bob.submit_order(market.symbol, "buy", 1, "pnl-b3", price=up)
    (mine,) = alice.positions()
    multiplier = spec_for_symbol(parse_symbol(market.symbol)).lot_multiplier
    average = market.price + 5 * market.tick  # 2 at the price, 2 at 10 ticks up
    assert mine.quantity == 3
    assert mine.mark_price == market.price  # no settlement yet: the prior settlement
    assert mine.average_price == average
    # sold 1 at `up` against the average: 5 ticks realised
    assert mine.realised_pnl == 5 * market.tick * multiplier
    assert mine.unrealised_pnl == (market.price - average) * 3 * multiplier
    (theirs,) = bob.positions()
    assert theirs.realised_pnl + (theirs.unrealised_pnl or 0) == -(
        mine.realised_pnl + (mine.unrealised_pnl or 0)
    )


def test_dashboard_pnl_is_against_trade_prices_not_the_settlement(
    alice: TokenFuturesClient, bob: TokenFuturesClient, market: Market
) -> None:
    from tokenfutures.api.dashboard_data import account_detail

    up = market.price + 10 * market.tick
    alice.submit_order(market.symbol, "buy", 2, "d-b1", price=up)
    bob.submit_order(market.symbol, "sell", 2, "d-s1", price=up)  # last trade: `up`
    detail = account_detail(market.venue, alice.account())
    (row,) = detail["positions"]
    multiplier = spec_for_symbol(parse_symbol(market.symbol)).lot_multiplier
    # bought at `up`; the book's last price is `up` too: nothing made yet, whatever the mark
    assert Decimal(row["average_price"]) == up
    assert Decimal(row["pnl"]) == (Decimal(row["price"]) - up) * 2 * multiplier
    assert Decimal(row["mark"]) == market.price


def test_self_trade_prevention_per_order_and_per_client(
    alice: TokenFuturesClient, market: Market
) -> None:
    alice.submit_order(market.symbol, "buy", 1, "no-stp", price=market.price)
    alice.submit_order(market.symbol, "sell", 1, "no-stp-hit", price=market.price)
    assert len(alice.trades(market.symbol)) == 1  # neither order asked for STP: a self-trade
    # both orders take part (as with CME's SMP ID); the aggressor's mode decides
    alice.submit_order(
        market.symbol, "buy", 2, "stp-rest", price=market.price, self_trade_prevention="cancel_both"
    )
    ack = alice.submit_order(
        market.symbol,
        "sell",
        2,
        "stp-hit",
        price=market.price,
        self_trade_prevention="cancel_aggressing",
    )
    assert ack.filled_quantity == 0
    assert len(alice.trades(market.symbol)) == 1
    assert alice.orders(open_only=True)[0].client_order_id == "stp-rest"
    alice.self_trade_prevention = "cancel_resting"  # the account's default for this client
    ack = alice.submit_order(market.symbol, "sell", 1, "stp-hit-2", price=market.price)
    assert ack.filled_quantity == 0
    assert alice.orders(open_only=True)[0].client_order_id == "stp-hit-2"  # resting one gone
    assert {p.quantity for p in alice.positions()} <= {0}
    bad = httpx.post(
        f"{alice.base_url}/v1/orders",
        json={
            "contract": market.symbol,
            "side": "buy",
            "quantity": 1,
            "client_order_id": "stp-bad",
            "price": str(market.price),
            "self_trade_prevention": "sometimes",
        },
        headers={"X-API-Key": alice.api_key or ""},
    )
    assert bad.status_code == 422
