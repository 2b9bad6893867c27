"""The reference market maker against a real venue served over HTTP (no mocks)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tokenfutures.api.app import create_app
from tokenfutures.api.server import RunningServer, serve_in_thread
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.core.clock import ManualClock
from tokenfutures.marketmaking import PAPER_OBLIGATIONS, QuoteSample, measure_compliance
from tokenfutures.marketmaking.bot import MarketMakerBot
from tokenfutures.quant.params import preset
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEVEL = Decimal("0.50")  # 50 ticks: a band of +-5 ticks, room for skew


Served = tuple[Venue, RunningServer, ManualClock, dict[str, str]]


@pytest.fixture
def served() -> Iterator[Served]:
    clock = ManualClock(NOW)
    venue = Venue.open(open_store("memory://"), clock)
    venue.index.fix_index(NOW.date(), LEVEL)
    venue.settlement.list_contracts(NOW.date(), reference_price=LEVEL)
    keys = {
        "mm": venue.accounts.create_account("mm", deposit=Decimal(50_000_000)),
        "taker": venue.accounts.create_account("taker", deposit=Decimal(1_000_000)),
    }
    server = serve_in_thread(create_app(venue))
    try:
        yield venue, server, clock, keys
    finally:
        server.stop()
        venue.close()


def _mm_sample(venue: Venue, symbol: str, at: datetime) -> QuoteSample:
    orders = [o for o in venue.trading.orders("mm") if o.contract == symbol]
    bids = [o for o in orders if o.side == "buy"]
    asks = [o for o in orders if o.side == "sell"]
    bid = max(bids, key=lambda o: o.price_ticks or 0, default=None)
    ask = min(asks, key=lambda o: o.price_ticks or 0, default=None)
    return QuoteSample(
        at,
        None if bid is None else bid.price_ticks,
        0 if bid is None else bid.open_quantity,
        None if ask is None else ask.price_ticks,
        0 if ask is None else ask.open_quantity,
    )


def test_bot_quotes_every_contract_two_sided_and_restores_a_hit_quote(served: Served) -> None:
    venue, server, clock, keys = served
    with TokenFuturesClient(server.base_url, keys["mm"]) as client:
        bot = MarketMakerBot(client, preset("paper"), clock)
        quotes = bot.step()
        assert len(quotes) == 10
        assert bot.stats.rejected == {}
        front = min(venue.settlement.contracts(), key=lambda c: c.last_trading_day).symbol
        samples = [_mm_sample(venue, front, clock.now())]
        for symbol in quotes:
            book = venue.market.book(symbol, depth=1)
            assert book.bids[0].quantity == 50
            assert book.asks[0].quantity == 50
        # a second step with nothing changed sends nothing (orders keep their priority)
        sent = bot.stats.sent
        bot.step()
        assert bot.stats.sent == sent

        # a taker lifts 20 lots of the front ask: the quote is one-sided-short until the next step
        with TokenFuturesClient(server.base_url, keys["taker"]) as taker:
            ask = taker.book(front).asks[0].price
            assert taker.submit_order(front, "buy", 20, "lift-1", price=ask).filled_quantity == 20
        clock.advance(timedelta(seconds=1))
        samples.append(_mm_sample(venue, front, clock.now()))
        assert samples[-1].ask_lots == 30
        clock.advance(timedelta(seconds=2))
        bot.step()
        samples.append(_mm_sample(venue, front, clock.now()))
        assert samples[-1].ask_lots == 50
        position = {p.contract: p.quantity for p in venue.accounts.positions("mm")}
        assert position[front] == -20

    report = measure_compliance(
        samples, (NOW, NOW + timedelta(seconds=10)), PAPER_OBLIGATIONS, is_front=True
    )
    assert report.outages == (timedelta(seconds=2),)  # below the 50-lot minimum for 2 s
    assert report.compliant  # 80 % presence and a 2 s response are within the obligations


def test_inventory_moves_the_quote_down_and_withdraw_pulls_everything(served: Served) -> None:
    venue, server, clock, keys = served
    with TokenFuturesClient(server.base_url, keys["mm"]) as client:
        bot = MarketMakerBot(client, preset("paper"), clock)
        before = bot.step()
        symbol = min(
            venue.settlement.contracts(), key=lambda c: c.last_trading_day
        ).symbol  # inside its band
        with TokenFuturesClient(server.base_url, keys["taker"]) as taker:
            for k in range(4):  # sell 200 lots into the market maker's bids
                bid = taker.book(symbol).bids[0].price
                taker.submit_order(symbol, "sell", 50, f"hit-{k}", price=bid)
                bot.step()
        assert {p.contract: p.quantity for p in venue.accounts.positions("mm")}[symbol] == 200
        after = bot.step()
        assert after[symbol].bid_ticks < before[symbol].bid_ticks  # 200 lots x 0.01 = 2 ticks
        bot.withdraw()
        assert venue.trading.orders("mm") == []


def test_bot_measures_its_own_presence(served: Served) -> None:
    _, server, clock, keys = served
    with TokenFuturesClient(server.base_url, keys["mm"]) as client:
        bot = MarketMakerBot(client, preset("paper"), clock)
        for _ in range(10):  # quoted from the second round on: 9 of 10 seconds
            bot.step()
            clock.advance(timedelta(seconds=1))
        reports = bot.compliance(clock.now())
    assert len(reports) == 10
    for report in reports.values():
        assert report.presence == Decimal("0.9")
        assert report.outages == ()
        assert report.compliant


def test_run_stops_when_asked(served: Served) -> None:
    _, server, clock, keys = served
    stop = threading.Event()
    with TokenFuturesClient(server.base_url, keys["mm"]) as client:
        bot = MarketMakerBot(client, preset("paper"), clock)
        stats = bot.run(stop, interval_s=0.01, max_steps=3)
    assert stats.steps == 3
    assert stats.errors == 0


def test_run_counts_a_lost_server_as_errors_and_keeps_going() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with TokenFuturesClient(f"http://127.0.0.1:{port}", "no-key", timeout_s=1.0) as client:
        bot = MarketMakerBot(client, preset("paper"), ManualClock(NOW))
        stats = bot.run(threading.Event(), interval_s=0.01, max_steps=2)
    assert stats.steps == 2
    assert stats.errors == 2
    assert stats.sent == 0
