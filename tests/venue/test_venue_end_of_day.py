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
    # carol: equity 2.00 < maintenance 0.75 x 10 x 8 % x 3.60 = 2.16 -> call back to 2.88
    assert report.margin_calls == {"carol": Decimal("0.88")}
    margin = v.accounts.margin("carol")
    assert margin.collateral == Decimal("2.00")
    assert margin.call_amount == Decimal("0.88")
    assert v.settlement.settlements(FRONT)[-1] == front
    assert all(c.phase == "CLOSED" for c in v.settlement.contracts())
    assert [line.memo for line in v.accounts.ledger("carol")] == ["deposit", "VM SITZ26 @ 360"]
    assert report.to_dict()["variation_margin"]["alice"] == "2.00"
    # the store's double-entry ledger mirrors clearing's, entry for entry
    balances = v.store.ledger.balances()
    assert balances["carol:collateral"] == 2_000_000
    assert balances["alice:collateral"] == 10_002_000_000
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
    v.accounts.deposit(
        "carol", Decimal(1)
    )  # meets the margin call: no default on the way to expiry
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
    # cash moved, but none was created: the three collaterals still sum to the deposits
    assert report.defaults == ()
    total = sum(v.accounts.margin(a).collateral for a in ("alice", "bob", "carol"))
    assert total == Decimal(20_004)
    # alice: 21 lots marked 3.60 -> final 3.70 = +2.10 on top of the +2.00 VM
    assert v.accounts.margin("alice").collateral == Decimal("10004.10")
    # the next day lists the next front month and no longer SITZ26
    clock.current = datetime(2026, 12, 17, 9, 0, tzinfo=UTC)
    assert FRONT not in [
        c.symbol for c in v.settlement.list_contracts(date(2026, 12, 17), versions=PAPER)
    ]


def test_an_unmet_call_past_its_deadline_ends_in_default(market: Market) -> None:
    v, clock = market.venue, market.clock
    _trade_day(market)
    v.settlement.end_of_day(TRADING_DAY)
    assert v.accounts.margin("carol").call_amount == Decimal("0.88")
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
    assert v.accounts.margin("carol").collateral == Decimal("2.00")  # nothing lost yet
    view = v.trading.order("carol", resting.order_id or 0)
    assert view is not None
    assert view.status == "cancelled"
    refused = v.trading.submit_order("carol", _order("buy", 1, "c10", "3.40"))
    assert refused.reason == "ACCOUNT_IN_DEFAULT"
    total = sum(v.accounts.margin(a).collateral for a in ("alice", "bob", "carol"))
    assert total == Decimal(20_003)
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
