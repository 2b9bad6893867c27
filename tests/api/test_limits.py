"""The API's limits over a real server (ADR 0654-0659): body size, failed-key rate limits,
pagination, strict types, idempotency conflicts and a hostile WebSocket message."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from tokenfutures.api import ApiSettings, RunningServer, create_app, serve_in_thread
from tokenfutures.client.stream import ws_url

from .helpers import Market

PROBLEM = "application/problem+json"


class StoppedClock:
    """Monotonic seconds that never move: buckets never refill during a test."""

    def __call__(self) -> float:
        return 1_000.0


@pytest.fixture
def tight(market: Market) -> Iterator[RunningServer]:
    settings = ApiSettings(burst=5, auth_failure_burst=3, key_cache_s=0, max_body_bytes=4096)
    running = serve_in_thread(
        create_app(market.venue, settings=settings, rate_clock=StoppedClock())
    )
    yield running
    running.stop()


def _order(market: Market, coid: str, **changes: Any) -> dict[str, Any]:
    return {
        "contract": market.symbol,
        "side": "buy",
        "quantity": 1,
        "client_order_id": coid,
        "price": str(market.price - 5 * market.tick),
        **changes,
    }


def test_bodies_over_the_limit_are_413_declared_or_streamed(
    tight: RunningServer, market: Market
) -> None:
    headers = {"X-API-Key": market.keys["alice"], "Content-Type": "application/json"}
    with httpx.Client(base_url=tight.base_url, headers=headers, timeout=10) as http:
        declared = http.post("/v1/orders", content=b" " * 5000)
        assert declared.status_code == 413
        assert declared.headers["content-type"].startswith(PROBLEM)
        streamed = http.patch("/v1/orders/1", content=(b" " * 1000 for _ in range(10)))
        assert streamed.status_code == 413
        fits = http.post("/v1/orders", json=_order(market, "small"))
        assert fits.status_code == 201


def test_failed_key_checks_run_out_then_429_without_asking_the_store(
    tight: RunningServer, market: Market
) -> None:
    with httpx.Client(base_url=tight.base_url, timeout=10) as http:
        codes = [
            http.get("/v1/orders", headers={"X-API-Key": f"tfk_00000000000{i}_x"}).status_code
            for i in range(3)
        ]
        assert codes == [401, 401, 401]
        refused = http.get("/v1/account", headers={"X-API-Key": "tfk_000000000009_x"})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert http.get("/v1/orders").status_code == 429, "a missing key is a failed check too"
        dashboard = http.get("/dashboard/data/account", headers={"X-API-Key": "nope"})
        assert dashboard.status_code == 429


def test_the_dashboard_account_view_spends_the_keys_tokens(
    tight: RunningServer, market: Market
) -> None:
    headers = {"X-API-Key": market.keys["bob"]}
    with httpx.Client(base_url=tight.base_url, headers=headers, timeout=10) as http:
        codes = [http.get("/dashboard/data/account").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_every_list_endpoint_pages_with_a_cursor(server: RunningServer, market: Market) -> None:
    headers = {"X-API-Key": market.keys["alice"]}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=10) as http:
        placed = [http.post("/v1/orders", json=_order(market, f"p{i}")).json() for i in range(7)]
        http.delete(f"/v1/orders/{placed[1]['order_id']}")
        seen: list[int] = []
        params: dict[str, Any] = {"limit": 3, "open_only": "false"}
        pages = 0
        while True:
            page = http.get("/v1/orders", params=params)
            assert page.status_code == 200
            seen += [o["order_id"] for o in page.json()]
            pages += 1
            cursor = page.headers.get("X-Next-Cursor")
            if cursor is None:
                assert "Link" not in page.headers
                break
            assert 'rel="next"' in page.headers["Link"]
            params["after"] = cursor
        assert seen == [a["order_id"] for a in placed]
        assert pages == 3
        open_ids = [o["order_id"] for o in http.get("/v1/orders", params={"limit": 10}).json()]
        assert placed[1]["order_id"] not in open_ids
        assert len(open_ids) == 6
        for path in ("/v1/contracts", "/v1/account/ledger", "/v1/index/fixings"):
            first = http.get(path, params={"limit": 1})
            assert first.status_code == 200
            assert len(first.json()) <= 1
        contracts = http.get("/v1/contracts", params={"limit": 1})
        rest = http.get("/v1/contracts", params={"after": contracts.headers["X-Next-Cursor"]})
        assert contracts.json()[0]["symbol"] < rest.json()[0]["symbol"]
        assert http.get("/v1/orders", params={"after": "x"}).status_code == 422
        assert http.get("/v1/orders", params={"limit": 0}).status_code == 422
        assert http.get("/v1/orders", params={"limit": 1001}).status_code == 422
        assert http.get("/v1/orders?limit=1&limit=2").status_code == 422, "one value each"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", True),
        ("quantity", 1.5),
        ("price", 3.5),
        ("quantity", "1"),
        ("post_only", "true"),
        ("post_only", 1),
        ("display_quantity", False),
    ],
)
def test_loose_types_are_refused(
    server: RunningServer, market: Market, field: str, value: object
) -> None:
    response = httpx.post(
        f"{server.base_url}/v1/orders",
        json=_order(market, "strict", **{field: value}),
        headers={"X-API-Key": market.keys["alice"]},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][-1] == field


@pytest.mark.parametrize(
    "change",
    [{"side": "sell"}, {"quantity": 2}, {"price": "2.75"}, {"tif": "day"}, {"post_only": True}],
)
def test_a_reused_client_order_id_with_another_order_is_refused(
    server: RunningServer, market: Market, change: dict[str, Any]
) -> None:
    headers = {"X-API-Key": market.keys["alice"]}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=10) as http:
        first = http.post("/v1/orders", json=_order(market, "same"))
        assert first.status_code == 201
        journalled = market.venue.store.journal.last_seq()
        retry = http.post("/v1/orders", json=_order(market, "same"))
        assert retry.json() == first.json(), "an exact retry gets the first ack"
        changed = http.post("/v1/orders", json=_order(market, "same", **change))
        assert changed.status_code == 409
        assert changed.json()["type"].endswith("client-order-id-reused")
        assert "different order" in changed.json()["detail"]
        assert market.venue.store.journal.last_seq() == journalled, "nothing journalled"
        assert len(http.get("/v1/orders").json()) == 1


@pytest.mark.parametrize("depth", [1_500, 30_000])  # parsed (too deep), not parsed
def test_a_deeply_nested_websocket_message_is_just_not_a_key(
    server: RunningServer, depth: int
) -> None:
    async def scenario() -> tuple[dict[str, Any], int | None]:
        async with websockets.connect(ws_url(server.base_url, "/v1/ws/private")) as socket:
            await socket.send("[" * depth + "]" * depth)
            message = json.loads(await socket.recv())
            with pytest.raises(websockets.ConnectionClosed):
                await socket.recv()
            return message, socket.close_code

    message, code = asyncio.run(scenario())
    assert (message["status"], code) == (401, 1008)
    assert httpx.get(f"{server.base_url}/v1/health").status_code == 200


def test_a_websocket_message_over_64_kib_closes_the_socket_1009(server: RunningServer) -> None:
    async def scenario() -> int | None:
        async with websockets.connect(ws_url(server.base_url, "/v1/ws/private")) as socket:
            await socket.send("[" * 70_000)
            with pytest.raises(websockets.ConnectionClosed):
                await socket.recv()
            return socket.close_code

    assert asyncio.run(scenario()) == 1009
    assert httpx.get(f"{server.base_url}/v1/health").status_code == 200
