"""Per-connection feeds: re-sequencing from 1, shared encoding with decimal prices, overflow, mirror."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

from tokenfutures.api.fanout import BookMirror
from tokenfutures.api.feed import Feed, FrameEncoder
from tokenfutures.venue.views import StreamMessage

TICK = Decimal("0.01")


def _encoder() -> FrameEncoder:
    return FrameEncoder(lambda symbol: TICK if symbol == "SITH26" else None)


def _book(seq: int, side: str, ticks: int, qty: int) -> StreamMessage:
    data = {"contract": "SITH26", "side": side, "price_ticks": ticks, "quantity": qty}
    return StreamMessage("market", seq, "book", data)


def test_frames_are_numbered_per_connection_and_priced() -> None:
    async def scenario() -> list[dict[str, object]]:
        feed = Feed(asyncio.get_running_loop(), 10, _encoder())
        for seq in (41, 42, 45):
            feed.offer(_book(seq, "buy", 250 - seq, 3))
        return [json.loads(await feed.next_frame() or "null") for _ in range(3)]

    frames = asyncio.run(scenario())
    assert [f["seq"] for f in frames] == [1, 2, 3]
    assert [f["venue_seq"] for f in frames] == [41, 42, 45]
    assert frames[0]["data"] == {
        "contract": "SITH26",
        "side": "buy",
        "price_ticks": 209,
        "quantity": 3,
        "price": "2.09",
    }


def test_a_slow_consumer_is_cut_off_not_skipped() -> None:
    async def scenario() -> tuple[bool, str | None]:
        feed = Feed(asyncio.get_running_loop(), 2, _encoder())
        for seq in range(1, 6):
            feed.offer(_book(seq, "sell", 260, seq))
        return feed.overflowed, await feed.next_frame()

    assert asyncio.run(scenario()) == (True, None)


def test_push_from_another_thread_arrives_in_order() -> None:
    async def scenario() -> list[int]:
        feed = Feed(asyncio.get_running_loop(), 100, _encoder())

        def publish() -> None:
            for seq in range(1, 21):
                feed.push(_book(seq, "buy", 200 + seq, 1))

        await asyncio.to_thread(publish)
        frames = [json.loads(await feed.next_frame() or "null") for _ in range(20)]
        return [f["venue_seq"] for f in frames]

    assert asyncio.run(scenario()) == list(range(1, 21))


def test_mirror_folds_deltas_into_an_ordered_snapshot() -> None:
    snapshot = StreamMessage(
        "market",
        7,
        "snapshot",
        {
            "books": {
                "SITH26": {
                    "phase": "CONTINUOUS",
                    "last_price_ticks": None,
                    "levels": [{"side": "buy", "price_ticks": 249, "quantity": 2}],
                }
            }
        },
    )
    mirror = BookMirror(snapshot)
    mirror.apply(_book(8, "buy", 250, 1))
    mirror.apply(_book(9, "sell", 252, 4))
    mirror.apply(_book(10, "sell", 251, 5))
    mirror.apply(_book(11, "buy", 249, 0))
    trade = {"contract": "SITH26", "price_ticks": 251, "quantity": 1}
    mirror.apply(StreamMessage("market", 12, "trade", trade))
    again = mirror.snapshot()
    assert again.seq == 12
    book = again.data["books"]["SITH26"]
    assert book["last_price_ticks"] == 251
    assert [(lv["side"], lv["price_ticks"], lv["quantity"]) for lv in book["levels"]] == [
        ("buy", 250, 1),
        ("sell", 251, 5),
        ("sell", 252, 4),
    ]
