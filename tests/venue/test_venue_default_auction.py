"""A default in the venue: the CCP takes the book, members bid sealed, the window closes.

carol (3 USD deposited) sells 10 lots at 3.50; the day settles at 3.60, so she pays 1.00 of
variation margin, 0.0004 of fees (SIT v1: taker 0.00003, clearing 0.00001 a lot) and her
default-fund share, 7.56 of a Cover-2 of 16.63 (ADR 0412: -50 % costs alice 11 x 1.80 - 3.17;
+50 % costs carol 10 x 1.80 - 2.88 and bob 1.80 - 0.29; shares pro rata to margin, 6.34 in
all), and is called; the next end of day she defaults with -5.5604 of collateral.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from venue_helpers import FRONT, PAPER, TRADING_DAY, Market

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.queries import money_identity
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.services.auctions import UnknownAuctionError
from tokenfutures.venue.snapshot import dump_state, load_state
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest

NEXT_DAY = date(2026, 11, 25)
DEFAULTED_AT = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


def _order(side: str, qty: int, coid: str, price: str) -> OrderRequest:
    return OrderRequest(FRONT, side, qty, coid, price=Decimal(price))


def _called_carol(market: Market) -> None:
    """carol sells 10 at 3.50, the day settles at 3.60, she is called; the next day opens."""
    v, clock = market.venue, market.clock
    v.accounts.create_account("carol", deposit=Decimal(3))
    clock.current = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    v.trading.submit_order("alice", _order("buy", 10, "a1", "3.50"))
    v.trading.submit_order("carol", _order("sell", 10, "c1", "3.50"))
    clock.current = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)  # the closing window
    v.trading.submit_order("bob", _order("sell", 1, "b1", "3.60"))
    v.trading.submit_order("alice", _order("buy", 1, "a2", "3.60"))
    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    assert v.settlement.end_of_day(TRADING_DAY).margin_calls["carol"] > 0
    clock.current = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    v.settlement.list_contracts(NEXT_DAY, versions=PAPER)


def _default_carol(
    market: Market, closes: datetime = datetime(2026, 11, 25, 22, 0, tzinfo=UTC)
) -> int:
    """Run the two days that end in carol's default; the auction's id (closing at ``closes``)."""
    v, clock = market.venue, market.clock
    _called_carol(market)
    clock.current = DEFAULTED_AT
    report = v.settlement.end_of_day(NEXT_DAY)
    assert report.defaults == ("carol",)
    (auction,) = report.auctions
    assert auction.status == "open"
    assert auction.closes == closes  # ADR 0408's hour unless the window was set
    assert [(lot.contract, lot.quantity, lot.price) for lot in auction.portfolio] == [
        (FRONT, -10, Decimal("3.60"))
    ]
    assert auction.invited == ("alice", "bob")
    return auction.auction_id


def _at(market: Market, hour: int, minute: int) -> None:
    market.clock.current = datetime(2026, 11, 25, hour, minute, tzinfo=UTC)


def test_the_best_sealed_bid_takes_the_book_against_its_amount(market: Market) -> None:
    v = market.venue
    auction_id = _default_carol(market)
    assert v.accounts.margin("carol").collateral == Decimal("-5.5604")
    assert v.auctions.get(auction_id).reserve == Decimal("-0.72")  # 2 % of 10 x 3.60
    _at(market, 21, 10)
    v.auctions.bid("alice", auction_id, Decimal("-0.70"))
    _at(market, 21, 20)
    v.auctions.bid("bob", auction_id, Decimal("-0.65"))
    _at(market, 21, 25)
    v.auctions.bid("alice", auction_id, Decimal("-0.90"))  # replaces her -0.70
    _at(market, 21, 30)
    sealed = v.auctions.get(auction_id)
    assert (sealed.bids_received, sealed.winner, sealed.amount) == (3, None, None)
    _at(market, 22, 0)
    assert v.auctions.close_due(market.clock.now()) == [auction_id]

    closed = v.auctions.get(auction_id)
    assert (closed.status, closed.winner, closed.amount) == ("awarded", "bob", Decimal("-0.65"))
    assert closed.allocation == {"bob": {FRONT: -10}}
    # bob: short 1 of his own + carol's 10 at 3.60; paid 0.65 for it
    (position,) = v.accounts.positions("bob")
    assert (position.contract, position.quantity) == (FRONT, -11)
    assert position.average_price == Decimal("3.60")  # the transfer is a trade at 3.60
    # 10,000 - 0.00002 fees (1 lot made) - 0.77 fund share (16.63 x 0.29 / 6.34) + 0.65
    assert v.accounts.margin("bob").collateral == Decimal("9999.87998")
    assert closed.waterfall is not None
    assert closed.waterfall.closeout_loss == Decimal("0.65")
    # her collateral was below zero (her fund share came out of it): her own fund share, 7.56,
    # covers the hole of 5.5604 + 0.65
    assert closed.waterfall.defaulter_margin == 0
    assert closed.waterfall.defaulter_fund == Decimal("6.2104")
    assert closed.waterfall.uncovered == 0
    assert v.accounts.margin("carol").collateral == 0
    balances = v.store.ledger.balances()  # mirrored
    assert (balances["carol:collateral"], balances["carol:default_fund"]) == (0, 1_349_600)
    # nobody else holds the book: the CCP's house account is flat again
    assert v.accounts.positions("ccp") == []
    inside, deposits = money_identity(replay_journal(v.store))
    assert inside == deposits == (10_000 + 10_000 + 3) * 1_000_000


def test_no_acceptable_bid_allocates_the_book_pro_rata_to_collateral_at_a_haircut(
    market: Market,
) -> None:
    v = market.venue
    auction_id = _default_carol(market)
    _at(market, 21, 30)
    v.auctions.bid("bob", auction_id, Decimal("-3.00"))  # would cost more than the fallback
    _at(market, 23, 0)
    v.auctions.close_due(market.clock.now())
    closed = v.auctions.get(auction_id)
    assert closed.status == "allocated"
    assert (closed.winner, closed.amount) == (None, None)
    # collateral alice 10,001.00 - 0.00024 - 8.32, bob 10,000.00 - 0.00002 - 0.77 (fees, fund
    # shares): 10 lots split 4.9984 / 5.0016 -> 5 / 5
    assert closed.allocation == {"alice": {FRONT: -5}, "bob": {FRONT: -5}}
    # 2 % of 5 lots x 3.60 USD paid to each by the defaulter's collateral
    assert closed.payments == {"alice": Decimal("-0.36"), "bob": Decimal("-0.36")}
    assert v.accounts.margin("carol").collateral == 0  # -5.5604 - 0.72, her fund share pays
    assert closed.waterfall is not None
    assert closed.waterfall.defaulter_fund == Decimal("6.2804")
    assert closed.waterfall.uncovered == 0


def test_bids_are_refused_before_journalling_when_they_cannot_count(market: Market) -> None:
    v = market.venue
    auction_id = _default_carol(market)
    seq = v.seq
    _at(market, 21, 5)
    with pytest.raises(UnknownAuctionError):
        v.auctions.bid("alice", 99, Decimal(1))
    with pytest.raises(InvalidParameterError, match="invited"):
        v.auctions.bid("carol", auction_id, Decimal(1))  # the defaulter is not invited
    with pytest.raises(InvalidParameterError, match="cents"):
        v.auctions.bid("bob", auction_id, Decimal("0.001"))
    with pytest.raises(InvalidParameterError, match="excess"):
        v.auctions.bid("bob", auction_id, Decimal(1_000_000))
    _at(market, 22, 0)
    with pytest.raises(InvalidParameterError, match="open auction"):
        v.auctions.bid("bob", auction_id, Decimal(1))
    assert v.seq == seq


def test_a_replay_rebuilds_the_auction_its_bids_and_its_award(market: Market) -> None:
    v = market.venue
    auction_id = _default_carol(market)
    _at(market, 21, 15)
    v.auctions.bid("alice", auction_id, Decimal("1.50"))  # pays to take the book
    v.snapshot()
    thawed = load_state(dump_state(v._state))  # a snapshot taken while the auction is open
    assert state_hash(thawed) == v.state_hash()
    assert thawed.auctions[auction_id].bids == v._state.auctions[auction_id].bids
    _at(market, 21, 45)
    v.auctions.bid("bob", auction_id, Decimal("0.50"))
    # the next end of day closes the auction first: no defaulted book is settled at the CCP
    market.clock.current = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    v.settlement.list_contracts(date(2026, 11, 26), versions=PAPER)
    market.clock.current = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    report = v.settlement.end_of_day(date(2026, 11, 26))
    assert [(a.auction_id, a.status, a.winner) for a in report.auctions] == [
        (auction_id, "awarded", "alice")
    ]
    # -5.5604 + alice's 1.50: her own fund share covers the rest
    assert v.accounts.margin("carol").collateral == 0
    replayed = replay_journal(v.store)
    assert state_hash(replayed) == v.state_hash()
    assert replayed.eod_reports == v.settlement.reports()
    assert replayed.auctions[auction_id].bids == v._state.auctions[auction_id].bids


def test_no_account_may_take_the_ccps_house_account_id(market: Market) -> None:
    with pytest.raises(InvalidParameterError, match="CCP"):
        market.venue.accounts.create_account("ccp")


def test_a_defaulter_without_positions_only_runs_the_waterfall(market: Market) -> None:
    v, clock = market.venue, market.clock
    _called_carol(market)
    v.trading.submit_order("bob", _order("sell", 10, "b2", "3.60"))
    v.trading.submit_order("carol", _order("buy", 10, "c2", "3.60"))  # flat, call still unmet
    clock.current = DEFAULTED_AT
    report = v.settlement.end_of_day(NEXT_DAY)
    assert report.defaults == ("carol",)
    (auction,) = report.auctions
    assert (auction.status, auction.portfolio, auction.winner) == ("empty", (), None)
    assert auction.waterfall is not None
    assert auction.waterfall.uncovered == 0
    assert v.auctions.views(status="open") == []


def test_the_bid_window_is_a_journalled_setting(market: Market) -> None:
    v = market.venue
    seq = v.seq
    assert v.auctions.set_window(timedelta(hours=1)) == timedelta(hours=1)
    assert v.seq == seq  # the current window: nothing journalled
    v.auctions.set_window(timedelta(hours=20))
    with pytest.raises(InvalidParameterError, match="7 days"):
        v.auctions.set_window(timedelta(days=8))
    auction_id = _default_carol(market, closes=datetime(2026, 11, 26, 17, 0, tzinfo=UTC))
    assert replay_journal(v.store).auctions[auction_id].closes == datetime(
        2026, 11, 26, 17, 0, tzinfo=UTC
    )


def test_two_accounts_defaulting_together_are_not_invited_to_each_others_auction(
    market: Market,
) -> None:
    # carol and dave (3 USD each) each sell 10 at 3.50; the day settles at 3.60; both are
    # called and both default at the next end of day: only alice and bob may bid on either book
    v, clock = market.venue, market.clock
    for account in ("carol", "dave"):
        v.accounts.create_account(account, deposit=Decimal(3))
    clock.current = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    for seller in ("carol", "dave"):
        v.trading.submit_order("alice", _order("buy", 10, f"a-{seller}", "3.50"))
        v.trading.submit_order(seller, _order("sell", 10, f"s-{seller}", "3.50"))
    clock.current = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)
    v.trading.submit_order("bob", _order("sell", 1, "b1", "3.60"))
    v.trading.submit_order("alice", _order("buy", 1, "a2", "3.60"))
    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    assert set(v.settlement.end_of_day(TRADING_DAY).margin_calls) >= {"carol", "dave"}
    clock.current = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    v.settlement.list_contracts(NEXT_DAY, versions=PAPER)
    clock.current = DEFAULTED_AT
    report = v.settlement.end_of_day(NEXT_DAY)
    assert report.defaults == ("carol", "dave")
    assert {a.defaulter: a.invited for a in report.auctions} == {
        "carol": ("alice", "bob"),
        "dave": ("alice", "bob"),
    }
    assert state_hash(replay_journal(v.store)) == v.state_hash()


def test_members_get_their_own_view_and_a_restart_announces_nothing_old(market: Market) -> None:
    """ADR 0621-0622 at the venue: ``offered``/``offer`` per member, notices only as news."""
    v = market.venue
    heard: list[tuple[str, str, dict[str, object]]] = []
    for who in ("alice", "bob", "carol"):
        v.market.subscribe_private(who, lambda m, who=who: heard.append((who, m.type, m.data)))
    auction_id = _default_carol(market)
    notices = [(who, kind) for who, kind, _ in heard if kind.startswith("auction")]
    assert notices == [("alice", "auction_opened"), ("bob", "auction_opened")]
    assert [a.auction_id for a in v.auctions.offered("alice")] == [auction_id]
    assert v.auctions.offered("carol") == []
    with pytest.raises(UnknownAuctionError):
        v.auctions.offer("carol", auction_id)
    with pytest.raises(UnknownAuctionError):
        v.auctions.bid("carol", auction_id, Decimal(1))
    _at(market, 21, 10)
    v.auctions.bid("bob", auction_id, Decimal("-0.65"))
    assert v.auctions.offer("bob", auction_id).bid == Decimal("-0.65")
    assert v.auctions.offer("alice", auction_id).bid is None  # sealed: not bob's

    v.sync_event_log()  # the first process's event log is whole: the second writes after it
    restarted = Venue.open(v.store, market.clock)  # the same journal, recovered afresh
    again: list[str] = []
    restarted.market.subscribe_private("alice", lambda m: again.append(m.type))
    restarted.auctions.announce()
    assert again == []  # opened before this process: not news (the snapshot has it)
    snapshot = restarted.market.subscribe_private_snapshot("alice", lambda m: None)
    assert [a.auction_id for a in snapshot.auctions] == [auction_id]
    _at(market, 22, 0)
    assert restarted.auctions.close_due(market.clock.now()) == [auction_id]
    assert again == ["auction_closed"]
    snapshot.unsubscribe()
    restarted.sync_event_log()
