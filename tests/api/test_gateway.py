"""The order gateway: concurrent REST orders share writer trips and get exactly their own acks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

import httpx
import pytest

from tokenfutures.api import RunningServer
from tokenfutures.api.gateway import OrderGateway, WriterMode
from tokenfutures.core.errors import InvalidParameterError, InvariantError
from tokenfutures.venue.views import OrderAck, OrderRequest

from .helpers import Market, open_market


def _request(market: Market, coid: str, side: str = "buy", ticks_away: int = 5) -> OrderRequest:
    sign = -1 if side == "buy" else 1
    price = market.price + sign * ticks_away * market.tick
    return OrderRequest(
        contract=market.symbol, side=side, quantity=1, client_order_id=coid, price=price
    )


def _outcome(ack: OrderAck) -> tuple[object, ...]:
    """What an ack says, without when (a refused order carries the seq it was refused at)."""
    seq = ack.seq if ack.status != "rejected" or ack.order_id is not None else None
    return (ack.status, ack.account, ack.client_order_id, ack.order_id, ack.reason, seq)


def test_submit_batch_gives_each_order_the_ack_it_would_get_alone() -> None:
    one_by_one, batched = open_market(), open_market()
    orders = [
        ("alice", _request(one_by_one, "a1")),
        ("bob", _request(one_by_one, "b1", "sell", ticks_away=-6)),  # crosses alice: a trade
        ("alice", _request(one_by_one, "a1")),  # a retry inside the batch
        ("mallory", _request(one_by_one, "m1")),  # unknown account: refused, never journalled
        ("bob", replace(_request(one_by_one, "b2"), price=one_by_one.price + one_by_one.tick / 2)),
        ("bob", _request(one_by_one, "b3", "sell")),
    ]
    alone = [one_by_one.venue.trading.submit_order(account, request) for account, request in orders]
    together = batched.venue.trading.submit_batch(orders)

    assert [_outcome(a) for a in together] == [_outcome(a) for a in alone]
    assert [a.status for a in together] == [
        "accepted",
        "accepted",
        "accepted",
        "rejected",
        "rejected",
        "accepted",
    ]
    assert together[2].order_id == together[0].order_id
    assert together[1].filled_quantity == 1
    assert batched.venue.state_hash() == one_by_one.venue.state_hash()
    assert batched.venue.seq == one_by_one.venue.seq  # the refused ones were never journalled


@pytest.mark.parametrize("writer", ["inline", "thread"])
def test_concurrent_orders_share_writer_trips(writer: WriterMode) -> None:
    market = open_market()
    gateway = OrderGateway(market.venue.trading.submit_batch, writer=writer)

    async def burst() -> list[OrderAck]:
        return await asyncio.gather(
            *(gateway.submit("alice", _request(market, f"c{i}")) for i in range(64))
        )

    acks = asyncio.run(burst())
    gateway.close()
    assert [a.client_order_id for a in acks] == [f"c{i}" for i in range(64)]
    assert {a.status for a in acks} == {"accepted"}
    assert len({a.order_id for a in acks}) == 64
    assert 1 <= gateway.trips < 64
    assert len(market.venue.trading.orders("alice")) == 64


def test_batches_never_exceed_max_batch() -> None:
    market = open_market()
    sizes: list[int] = []

    def submit(orders: Sequence[tuple[str, OrderRequest]]) -> list[OrderAck]:
        sizes.append(len(orders))
        return market.venue.trading.submit_batch(orders)

    gateway = OrderGateway(submit, max_batch=5)

    async def burst() -> list[OrderAck]:
        return await asyncio.gather(
            *(gateway.submit("bob", _request(market, f"s{i}", "sell")) for i in range(23))
        )

    acks = asyncio.run(burst())
    gateway.close()
    assert len(acks) == 23
    assert max(sizes) == 5
    assert sum(sizes) == 23


@pytest.mark.parametrize("writer", ["inline", "thread"])
def test_a_writer_failure_reaches_every_waiter_and_the_next_batch_still_runs(
    writer: WriterMode,
) -> None:
    market = open_market()
    calls: list[int] = []

    def fail_once(orders: Sequence[tuple[str, OrderRequest]]) -> list[OrderAck]:
        calls.append(len(orders))
        if len(calls) == 1:
            raise InvariantError("journal unavailable")
        return market.venue.trading.submit_batch(orders)

    gateway = OrderGateway(fail_once, writer=writer)

    async def scenario() -> tuple[list[OrderAck | BaseException], OrderAck]:
        first = await asyncio.gather(
            *(gateway.submit("alice", _request(market, f"f{i}")) for i in range(3)),
            return_exceptions=True,
        )
        later = await gateway.submit("alice", _request(market, "after"))
        return first, later

    first, later = asyncio.run(scenario())
    gateway.close()
    assert all(isinstance(e, InvariantError) for e in first)
    assert later.status == "accepted"
    assert [o.client_order_id for o in market.venue.trading.orders("alice")] == ["after"]


def test_max_batch_and_writer_are_checked() -> None:
    market = open_market()
    with pytest.raises(InvalidParameterError, match="max_batch"):
        OrderGateway(market.venue.trading.submit_batch, max_batch=0)
    with pytest.raises(InvalidParameterError, match="writer"):
        OrderGateway(market.venue.trading.submit_batch, writer="process")  # type: ignore[arg-type]


def test_parallel_http_clients_each_get_their_own_acks(
    server: RunningServer, market: Market
) -> None:
    async def client(name: str, side: str, n: int) -> list[dict[str, object]]:
        headers = {"X-API-Key": market.keys[name]}
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as http:

            async def one(i: int) -> dict[str, object]:
                body = {
                    "contract": market.symbol,
                    "side": side,
                    "quantity": 1,
                    "client_order_id": f"{name}-{i}",
                    "price": str(_request(market, "x", side).price),
                }
                response = await http.post("/v1/orders", json=body)
                assert response.status_code == 201
                payload: dict[str, object] = response.json()
                return payload

            return await asyncio.gather(*(one(i) for i in range(n)))

    async def both() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        return await asyncio.gather(client("alice", "buy", 20), client("bob", "sell", 20))

    alice, bob = asyncio.run(both())
    assert sorted(str(a["client_order_id"]) for a in alice) == sorted(
        f"alice-{i}" for i in range(20)
    )
    assert {a["account"] for a in alice} == {"alice"}
    assert {b["account"] for b in bob} == {"bob"}
    assert len(market.venue.trading.orders("alice")) == 20
    assert len(market.venue.trading.orders("bob")) == 20
