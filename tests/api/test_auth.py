"""Auth through a real uvicorn server: 401 without a valid key, 404 for another account's order, 429."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tokenfutures.api import ApiSettings, RunningServer, create_app, serve_in_thread

from .helpers import Market

PROBLEM = "application/problem+json"


def _order(market: Market, coid: str) -> dict[str, object]:
    return {
        "contract": market.symbol,
        "side": "buy",
        "quantity": 1,
        "client_order_id": coid,
        "price": str(market.price),
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "tfk_000000000000_nope"},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic YWxpY2U6eA=="},
    ],
)
def test_missing_or_wrong_key_is_401_problem(
    server: RunningServer, headers: dict[str, str]
) -> None:
    response = httpx.get(f"{server.base_url}/v1/orders", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Unauthorized"
    assert body["instance"] == "/v1/orders"


def test_both_header_styles_authenticate(server: RunningServer, market: Market) -> None:
    key = market.keys["alice"]
    for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
        response = httpx.get(f"{server.base_url}/v1/account", headers=headers)
        assert response.status_code == 200
        assert response.json() == {"account": "alice"}


def test_another_accounts_order_is_404_and_survives(server: RunningServer, market: Market) -> None:
    alice = {"X-API-Key": market.keys["alice"]}
    bob = {"X-API-Key": market.keys["bob"]}
    with httpx.Client(base_url=server.base_url) as http:
        ack = http.post("/v1/orders", json=_order(market, "a-1"), headers=alice).json()
        assert ack["status"] == "accepted"
        order_id = ack["order_id"]
        for method in ("GET", "DELETE"):
            response = http.request(method, f"/v1/orders/{order_id}", headers=bob)
            assert response.status_code == 404
            assert response.headers["content-type"] == PROBLEM
        missing = http.delete("/v1/orders/999999", headers=bob)
        assert missing.status_code == 404
        assert (
            missing.json()["detail"].replace("999999", str(order_id))
            == (http.delete(f"/v1/orders/{order_id}", headers=bob).json()["detail"])
        )
        assert http.get("/v1/orders", headers=bob).json() == []
        mine = http.get(f"/v1/orders/{order_id}", headers=alice).json()
        assert mine["status"] == "open"
        assert mine["open_quantity"] == 1


class StepClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def limited(market: Market) -> Iterator[tuple[RunningServer, StepClock]]:
    clock = StepClock()
    settings = ApiSettings(rate_per_second=1.0, burst=5)
    running = serve_in_thread(create_app(market.venue, settings=settings, rate_clock=clock))
    yield running, clock
    running.stop()


def test_flood_beyond_the_rate_limit_is_429_with_retry_after(
    limited: tuple[RunningServer, StepClock], market: Market
) -> None:
    server, clock = limited
    alice = {"X-API-Key": market.keys["alice"]}
    bob = {"X-API-Key": market.keys["bob"]}
    with httpx.Client(base_url=server.base_url) as http:
        codes = [http.get("/v1/account", headers=alice).status_code for _ in range(8)]
        assert codes == [200] * 5 + [429] * 3
        refused = http.get("/v1/account", headers=alice)
        assert refused.headers["retry-after"] == "1"
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["status"] == 429
        assert http.get("/v1/account", headers=bob).status_code == 200  # own bucket
        assert http.get("/v1/health").status_code == 200  # public routes are not charged
        clock.t += 2.0
        assert [http.get("/v1/account", headers=alice).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]


def test_a_revoked_key_is_refused_once_its_cache_entry_expires(
    limited: tuple[RunningServer, StepClock], market: Market
) -> None:
    server, clock = limited
    key = market.keys["bob"]
    with httpx.Client(base_url=server.base_url, headers={"X-API-Key": key}) as http:
        assert http.get("/v1/account").status_code == 200
        key_id = key.split("_")[1]
        assert market.venue.store.api_keys.revoke(key_id)
        assert http.get("/v1/account").status_code == 200  # trusted for key_cache_s (2 s)
        clock.t += 2.5
        assert http.get("/v1/account").status_code == 401
