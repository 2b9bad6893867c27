"""Each member hears its own end of day on its private WebSocket stream (ADR 0624).

The scenario of ``auction_scenario``: bob buys carol's 10 lots at 2.50 (25,000 USD a lot, so
10,000 USD a lot per 1.00 of price); the day settles at 2.60: bob receives 10 x 0.10 x
10,000 = 10,000 USD of variation margin, carol pays it and is called; at the next end of day
she is in default.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from tokenfutures.api import RunningServer
from tokenfutures.client import private_events

from .auction_scenario import call_carol, default_carol
from .helpers import TRADING_DAY, Market

DAY_FIELDS = {
    "day", "seq", "variation_margin", "margin_call", "defaulted", "trading_fees",
    "clearing_fees", "default_fund",
}  # fmt: skip


async def _end_of_day(stream: AsyncIterator[dict[str, Any]]) -> dict[str, Any]:
    """The stream's next ``end_of_day`` message (order events before it are passed over)."""
    async for message in stream:
        if message["type"] == "end_of_day":
            return message
    raise AssertionError("the stream ended before an end_of_day message")


def test_each_member_hears_its_own_end_of_day_and_its_default(
    market: Market, server: RunningServer
) -> None:
    url, keys = server.base_url, market.keys

    async def scenario() -> dict[str, dict[str, Any]]:
        alice, bob = private_events(url, keys["alice"]), private_events(url, keys["bob"])
        for stream in (alice, bob):
            await anext(stream)  # subscribed
        await asyncio.to_thread(call_carol, market)  # carol joins, trades, the day settles
        heard = {
            "alice": await asyncio.wait_for(_end_of_day(alice), 10),
            "bob": await asyncio.wait_for(_end_of_day(bob), 10),
        }
        carol = private_events(url, keys["carol"])
        await anext(carol)
        await asyncio.to_thread(default_carol, market)
        heard["carol"] = await asyncio.wait_for(_end_of_day(carol), 10)
        for stream in (alice, bob, carol):
            await stream.aclose()
        return heard

    heard = asyncio.run(scenario())
    bob, alice, carol = heard["bob"], heard["alice"], heard["carol"]
    assert bob["stream"] == "private:bob"
    assert set(bob["data"]) == DAY_FIELDS  # its own figures, no one else's
    assert bob["data"]["day"] == TRADING_DAY.isoformat()
    assert Decimal(bob["data"]["variation_margin"]) == Decimal(10_000)
    assert bob["data"]["margin_call"] is None
    assert "carol" not in str(bob)
    assert "carol" not in str(alice)
    assert Decimal(alice["data"]["variation_margin"]) == 0  # bought 1 at 2.60, settled at 2.60
    assert carol["data"]["defaulted"] is True  # the second end of day: she is told first-hand
    assert carol["data"]["day"] != TRADING_DAY.isoformat()
