"""The dashboard's page and JSON over a real server, after the market maker quoted."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from fastapi.testclient import TestClient

from tokenfutures.api.app import create_app
from tokenfutures.api.dashboard import DashboardSettings
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.contracts import product_spec, trading_contracts
from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

from .conftest import NOW, TEST_POLL_S, Market


def test_market_json_has_the_fix_the_contracts_and_the_model_curve(market: Market) -> None:
    data = httpx.get(f"{market.url}/dashboard/data/market").json()
    assert data["tpi"]["level"] == str(market.tpi.level)
    expected = [str(s) for s in trading_contracts(product_spec("SIT"), NOW.date())]
    assert sorted(c["symbol"] for c in data["contracts"]) == sorted(expected)
    for row in data["contracts"]:
        assert Decimal(row["bid"]) < Decimal(row["ask"])
        assert Decimal(row["mid"]) == (Decimal(row["bid"]) + Decimal(row["ask"])) / 2
        assert Decimal("0.1") < Decimal(row["fair"]) < Decimal("1")
    assert len(data["model_curve"]) > 10
    assert data["model_curve"][0]["forward"] == str(market.tpi.level)  # F(0, 0) is today's fix


def test_book_json_is_a_two_sided_ladder_of_the_market_maker(market: Market) -> None:
    symbol = str(trading_contracts(product_spec("SIT"), NOW.date())[0])
    book = httpx.get(f"{market.url}/dashboard/data/book/{symbol}").json()
    assert book["bids"][0]["quantity"] == 50
    assert book["asks"][0]["quantity"] == 50
    assert Decimal(book["bids"][0]["price"]) < Decimal(book["asks"][0]["price"])
    assert httpx.get(f"{market.url}/dashboard/data/book/NOPE").status_code == 404


def test_account_json_needs_a_key_and_shows_a_position_after_a_trade(market: Market) -> None:
    assert httpx.get(f"{market.url}/dashboard/data/account").status_code == 401
    bad = httpx.get(f"{market.url}/dashboard/data/account", headers={"X-API-Key": "wrong"})
    assert bad.status_code == 401
    symbol = str(trading_contracts(product_spec("SIT"), NOW.date())[1])
    with TokenFuturesClient(market.url, market.keys["alice"]) as alice:
        ask = alice.book(symbol).asks[0].price
        ack = alice.submit_order(symbol, "buy", 2, "alice-data-1", price=ask)
        assert ack.filled_quantity == 2
    data = httpx.get(
        f"{market.url}/dashboard/data/account", headers={"X-API-Key": market.keys["alice"]}
    ).json()
    assert data["account"] == "alice"
    assert {p["contract"]: p["quantity"] for p in data["positions"]}[symbol] == 2


def test_page_is_server_rendered_with_the_fix_and_contracts(market: Market) -> None:
    page = httpx.get(f"{market.url}/dashboard")
    assert page.status_code == 200
    assert str(market.tpi.level) in page.text
    assert 'data-symbol="' in page.text
    for name in ("dashboard.js", "live.js"):
        script = httpx.get(f"{market.url}/dashboard/static/{name}")
        assert script.headers["content-type"].startswith("text/javascript")
    assert f'data-poll-ms="{round(TEST_POLL_S * 1000)}"' in page.text
    assert 'data-ws="/v1/ws"' in page.text
    assert httpx.get(f"{market.url}/dashboard/static/secret.py").status_code == 404
    assert httpx.get(f"{market.url}/", follow_redirects=True).url.path == "/dashboard"


def test_an_empty_venue_renders_a_page_without_a_fix() -> None:
    venue = Venue.open(open_store("memory://"), ManualClock(NOW))
    try:
        with TestClient(create_app(venue)) as client:
            page = client.get("/dashboard")
            assert page.status_code == 200
            assert "no fix yet" in page.text
            market = client.get("/dashboard/data/market").json()
            assert market["tpi"] is None
            assert market["contracts"] == []
            assert market["model_curve"] == []
    finally:
        venue.close()


def test_the_book_json_numbers_its_trades_for_merging_with_the_stream(market: Market) -> None:
    symbol = str(trading_contracts(product_spec("SIT"), NOW.date())[6])
    with TokenFuturesClient(market.url, market.keys["alice"]) as alice:
        ask = alice.book(symbol).asks[0].price
        for n in range(2):
            assert alice.submit_order(symbol, "buy", 1, f"ids-{n}", price=ask).filled_quantity == 1
    trades = httpx.get(f"{market.url}/dashboard/data/book/{symbol}").json()["trades"]
    expected = sorted(
        (t.trade_id for t in market.venue.market.trades(symbol, limit=20)), reverse=True
    )
    assert [t["trade_id"] for t in trades] == expected
    assert len(expected) >= 2


@pytest.mark.parametrize("poll_s", [0.0, -1.0])
def test_the_poll_period_must_be_positive(poll_s: float) -> None:
    with pytest.raises(ValueError, match="poll_s"):
        DashboardSettings(poll_s=poll_s)


def test_the_default_page_polls_the_joined_views_every_five_seconds() -> None:
    venue = Venue.open(open_store("memory://"), ManualClock(NOW))
    try:
        with TestClient(create_app(venue)) as client:
            assert 'data-poll-ms="5000"' in client.get("/dashboard").text
    finally:
        venue.close()


def test_the_history_route_says_why_a_day_is_withheld(market: Market) -> None:
    days = httpx.get(f"{market.url}/dashboard/data/tpi-history").json()["days"]
    stale = [d for d in days if d["note"] and "stale inputs" in d["note"]]
    assert stale  # the bundled snapshot has a quiet stretch longer than the tolerance
    assert all(d["level"] is None and d["input_age_days"] > 60 for d in stale)
    assert days[-1]["level"] == str(market.tpi.level)
