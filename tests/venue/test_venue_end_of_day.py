"""End of day: settlement prices, variation margin, margin calls, expiry and final settlement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from venue_helpers import FRONT, PAPER, TRADING_DAY, Market, logged_events, replayed_events

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import SettlementPriceSet
from tokenfutures.venue.views import OrderRequest


def _order(side: str, qty: int, coid: str, price: str) -> OrderRequest:
    return OrderRequest(FRONT, side, qty, coid, price=Decimal(price))


def _trade_day(market: Market) -> None:
    v, clock = market.venue, market.clock
    v.accounts.create_account("carol", deposit=Decimal(3))
    clock.current = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    v.trading.submit_order("alice", _order("buy", 10, "a1", "3.50"))
    v.trading.submit_order("bob", _order("sell", 10, "b1", "3.50"))
    v.trading.submit_order("carol", _order("sell", 10, "c1", "3.50"))
    v.trading.submit_order("alice", _order("buy", 10, "a2", "3.50"))
    clock.current = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)  # inside the closing window
    v.trading.submit_order("bob", _order("sell", 1, "b2", "3.60"))
    v.trading.submit_order("alice", _order("buy", 1, "a3", "3.60"))
    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)


def test_daily_settlement_posts_variation_margin_and_calls(market: Market) -> None:
    v = market.venue
    _trade_day(market)
    report = v.settlement.end_of_day(TRADING_DAY)
    front = {s.contract: s for s in report.settlements}[FRONT]
    assert front.price == Decimal("3.60")
    assert front.kind == "daily"
    # alice: 21 long at cost 10*3.50 + 10*3.50 + 3.60; marked at 3.60 -> +2.00
    assert report.variation_margin == {
        "alice": Decimal("2.00"),
        "bob": Decimal("-1.00"),
        "carol": Decimal("-1.00"),
    }
    # fees (SIT v1: maker 0.00001, taker 0.00003, clearing 0.00001 per lot): alice made 10 and
    # took 11, bob took 10 and made 1, carol made 10
    assert report.trading_fees == {
        "alice": Decimal("0.00043"),
        "bob": Decimal("0.00031"),
        "carol": Decimal("0.00010"),
    }
    assert report.clearing_fees == {
        "alice": Decimal("0.00021"),
        "bob": Decimal("0.00011"),
        "carol": Decimal("0.00010"),
    }
    # Cover-2 at 3.60 a lot: -50 % costs alice 21 x 1.80 - IM 6.05 = 31.75; +50 % costs bob
    # 11 x 1.80 - 3.17 = 16.63 and carol 10 x 1.80 - 2.88 = 15.12 (31.75 too); pro rata to IM
    # (12.10 in all), rounded up to the cent
    assert report.cover2 == Decimal("31.75")
    assert report.default_fund == {
        "alice": Decimal("15.88"),
        "bob": Decimal("8.32"),
        "carol": Decimal("7.56"),
    }
    # carol: equity 3 - 1.00 - 0.0002 - 7.56 = -5.5602 < maintenance 2.16 -> call back to 2.88
    assert report.margin_calls == {"carol": Decimal("8.4402")}
    margin = v.accounts.margin("carol")
    assert margin.collateral == Decimal("-5.5602")
    assert margin.call_amount == Decimal("8.4402")
    assert v.settlement.settlements(FRONT)[-1] == front
    assert all(c.phase == "CLOSED" for c in v.settlement.contracts())
    assert [line.memo for line in v.accounts.ledger("carol")] == [
        "deposit",
        "fees 2026-11-24",
        "VM SITZ26 @ 360",
        "default fund (Cover-2) 2026-11-24",
    ]
    assert report.to_dict()["variation_margin"]["alice"] == "2.00"
    # the store's double-entry ledger mirrors clearing's, entry for entry
    balances = v.store.ledger.balances()
    assert balances["carol:collateral"] == -5_560_200
    assert balances["alice:collateral"] == 9_986_119_360  # + 2.00 - 0.00064 - 15.88
    assert balances["alice:default_fund"] == 15_880_000
    assert balances["exchange:fees"] == 840  # trading fees, micro-USD
    assert balances["ccp:fees"] == 420  # clearing fees
    assert sum(balances.values()) == 0


def test_event_log_rebuilds_the_days_events_settlement_audits_included(market: Market) -> None:
    v = market.venue
    _trade_day(market)
    v.settlement.end_of_day(TRADING_DAY)
    v.snapshot()  # the event log is complete up to a snapshot
    logged = logged_events(v.store)
    settled = [e for _, events in logged for e in events if type(e) is SettlementPriceSet]
    assert {e.contract for e in settled} >= {FRONT}
    front = next(e for e in settled if e.contract == FRONT)
    assert front.price_ticks == 360
    assert front.audit.window_trade_count == 1
    assert logged == replayed_events(v.store)


def test_expiry_settles_finally_on_the_tpi_fixes(market: Market) -> None:
    v, clock = market.venue, market.clock
    _trade_day(market)
    v.settlement.end_of_day(TRADING_DAY)
    v.accounts.deposit("carol", Decimal(9))  # meets the call: no default on the way to expiry
    day = date(2026, 12, 1)
    while day <= date(2026, 12, 16):
        v.index.fix_index(day, Decimal("3.70"))
        day += timedelta(days=1)
    last_day = date(2026, 12, 16)
    clock.current = datetime(2026, 12, 16, 12, 0, tzinfo=UTC)
    listed = {c.symbol: c for c in v.settlement.list_contracts(last_day, versions=PAPER)}
    assert listed[FRONT].phase == "CONTINUOUS"
    clock.current = datetime(2026, 12, 16, 21, 0, tzinfo=UTC)
    report = v.settlement.end_of_day(last_day)
    assert [(s.contract, s.price, s.kind) for s in report.final_settlements] == [
        (FRONT, Decimal("3.70"), "final")
    ]
    # flat after expiry; realised P&L against trade prices = the cash the positions made
    # (ADR 0433): alice bought 20 at 3.50 and 1 at 3.60, settled finally at 3.70
    realised = {
        a: [(p.contract, p.quantity, p.realised_pnl, p.mark_price) for p in v.accounts.positions(a)]
        for a in ("alice", "bob", "carol")
    }
    assert realised == {
        "alice": [(FRONT, 0, Decimal("4.10"), Decimal("3.70"))],
        "bob": [(FRONT, 0, Decimal("-2.10"), Decimal("3.70"))],
        "carol": [(FRONT, 0, Decimal("-2.00"), Decimal("3.70"))],
    }
    assert {c.symbol: c.phase for c in v.settlement.contracts()}[FRONT] == "EXPIRED"
    # cash moved, but none was created: collaterals + fees + default fund = the deposits
    assert report.defaults == ()
    total = sum(v.accounts.margin(a).collateral for a in ("alice", "bob", "carol"))
    assert total + Decimal("0.00126") + Decimal("31.76") == Decimal(20_012)
    # alice: 21 lots marked 3.60 -> final 3.70 = +2.10 on top of the +2.00 VM, less her fees
    # (0.00064) and her unchanged default-fund share (15.88)
    assert v.accounts.margin("alice").collateral == Decimal("9988.21936")
    # the next day lists the next front month and no longer SITZ26
    clock.current = datetime(2026, 12, 17, 9, 0, tzinfo=UTC)
    assert FRONT not in [
        c.symbol for c in v.settlement.list_contracts(date(2026, 12, 17), versions=PAPER)
    ]


def test_an_unmet_call_past_its_deadline_ends_in_default(market: Market) -> None:
    v, clock = market.venue, market.clock
    _trade_day(market)
    v.settlement.end_of_day(TRADING_DAY)
    assert v.accounts.margin("carol").call_amount == Decimal("8.4402")
    next_day = date(2026, 11, 25)
    clock.current = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    v.settlement.list_contracts(next_day, versions=PAPER)
    resting = v.trading.submit_order("carol", _order("buy", 1, "c9", "3.40"))
    assert resting.status == "accepted"
    clock.current = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)  # the call's deadline
    report = v.settlement.end_of_day(next_day)
    assert report.defaults == ("carol",)
    assert "carol" not in report.margin_calls
    # carol's 10 short lots pass to the CCP at the settlement price, auctioned to the members
    # (ADR 0620); her P&L is realised there (ADR 0433): short 10 at 3.50, closed at 3.60
    (closed,) = v.accounts.positions("carol")
    assert (closed.quantity, closed.realised_pnl) == (0, Decimal("-1.00"))
    assert [(p.contract, p.quantity) for p in v.accounts.positions("alice")] == [(FRONT, 21)]
    assert v.auctions.views()[0].portfolio[0].quantity == -10
    # nothing lost yet: her collateral is still 3 - 1.00 - 0.0002 fees - 7.56 fund share, and
    # the fund keeps her share (sized before the default, unchanged: same book, same marks)
    assert v.accounts.margin("carol").collateral == Decimal("-5.5602")
    assert report.default_fund["carol"] == Decimal("7.56")
    view = v.trading.order("carol", resting.order_id or 0)
    assert view is not None
    assert view.status == "cancelled"
    refused = v.trading.submit_order("carol", _order("buy", 1, "c10", "3.40"))
    assert refused.reason == "ACCOUNT_IN_DEFAULT"
    total = sum(v.accounts.margin(a).collateral for a in ("alice", "bob", "carol"))
    fund = Decimal("15.88") + Decimal("8.32") + Decimal("7.56")
    assert total + Decimal("0.00126") + fund == Decimal(20_003)
    assert report.to_dict()["defaults"] == ["carol"]
    assert [a.status for a in report.auctions] == ["open"]


def test_a_second_end_of_day_for_the_same_day_is_refused_and_journals_nothing(
    market: Market,
) -> None:
    v = market.venue
    _trade_day(market)
    first = v.settlement.end_of_day(TRADING_DAY)
    seq, ledger = v.seq, v.accounts.ledger("carol")
    with pytest.raises(InvalidParameterError, match="end of day has not run yet"):
        v.settlement.end_of_day(TRADING_DAY)
    assert v.seq == seq
    assert v.accounts.ledger("carol") == ledger
    assert v.settlement.reports() == [first]
