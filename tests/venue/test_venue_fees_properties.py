"""Property: over random order flow and end-of-day runs, the venue's ledger keeps the money
identity with fees and the default fund, and a replay of the journal gives the same ledger.

The fees are re-priced here from the exchange's trade events (who bought, who sold, which side
took liquidity) and the shipped schedule; the default fund is each end of day's reported
Cover-2 share (ADR 0411, 0412, 0617).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st
from venue_helpers import FRONT, TPI, TRADING_DAY

from tokenfutures.clearing.ledger import AccountKind
from tokenfutures.contracts.fee_schedule import fee_rates
from tokenfutures.core.clock import ManualClock
from tokenfutures.core.money import to_micros
from tokenfutures.exchange import Side
from tokenfutures.storage import open_store
from tokenfutures.venue.queries import money_by_kind
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest

ACCOUNTS = ("alice", "bob", "carol")
DEPOSIT = 5_000_000
CENTER = 350_000  # ticks of SIT v2 (0.00001) at the TPI of 3.50

order = st.tuples(
    st.sampled_from(ACCOUNTS),
    st.sampled_from(["buy", "sell"]),
    st.integers(1, 6),
    st.integers(-3, 3),
    st.sampled_from(["gtc", "ioc", "day"]),
)


def reference_fees(state: VenueState) -> dict[str, int]:
    """Each account's fees in micro-USD from the trade events: taker 0.30 or maker 0.10 by role
    (both sides of an auction print are takers), clearing 0.10 a side (SIT v2)."""
    rates = fee_rates("SIT", "v2", TRADING_DAY)
    taker, maker, clearing = (to_micros(x) for x in (rates.taker, rates.maker, rates.clearing))
    owed = dict.fromkeys(ACCOUNTS, 0)
    for trades in state.trades.values():
        for t in trades:
            owed[t.buyer] += t.quantity * (
                clearing + (maker if t.aggressor_side is Side.SELL else taker)
            )
            owed[t.seller] += t.quantity * (
                clearing + (maker if t.aggressor_side is Side.BUY else taker)
            )
    return owed


@settings(max_examples=30, deadline=None)
@given(days=st.lists(st.lists(order, min_size=4, max_size=25), min_size=1, max_size=3))
def test_fees_and_fund_keep_the_money_identity_and_replay(
    days: list[list[tuple[str, str, int, int, str]]],
) -> None:
    assert fee_rates("SIT", "v2", TRADING_DAY) == fee_rates("SIT", "v2", date(2026, 11, 27))
    clock = ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))
    store = open_store("memory://")
    venue = Venue.open(store, clock)
    venue.index.fix_index(date(2026, 11, 23), TPI)
    for account in ACCOUNTS:
        venue.accounts.create_account(account, deposit=Decimal(DEPOSIT))
    for n, orders in enumerate(days):
        day = TRADING_DAY + timedelta(days=n)
        clock.current = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10)
        venue.settlement.list_contracts(day)
        for i, (account, side, qty, offset, tif) in enumerate(orders):
            clock.advance(timedelta(seconds=1))
            request = OrderRequest(
                FRONT, side, qty, f"{n}-{i}", price_ticks=CENTER + offset * 100, tif=tif
            )
            venue.trading.submit_order(account, request)
        clock.current = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=21)
        venue.settlement.end_of_day(day)
    reports = venue.settlement.reports()
    replayed = replay_journal(store)
    assert state_hash(replayed) == venue.state_hash()  # the same ledger, entry for entry
    ledger = replayed.house.ledger.balances_micros()
    stored = {a: b for a, b in store.ledger.balances().items() if b}
    assert {str(a): b for a, b in ledger.items()} == stored  # the durable ledger agrees
    owed = reference_fees(replayed)
    event(f"trades: {sum(len(t) for t in replayed.trades.values()) > 0}")
    held = money_by_kind(replayed)
    assert held[AccountKind.FEES] == sum(owed.values())
    for account in ACCOUNTS:
        billed = sum(
            to_micros(r.trading_fees.get(account, Decimal(0)) + r.clearing_fees.get(account, 0))
            for r in reports
        )
        assert billed == owed[account]
    fund = {a: to_micros(v) for a, v in reports[-1].default_fund.items()}
    assert held[AccountKind.DEFAULT_FUND] == sum(fund.values())
    assert reports[-1].cover2 <= sum(reports[-1].default_fund.values())
    deposits = -held[AccountKind.EXTERNAL]
    assert deposits == len(ACCOUNTS) * DEPOSIT * 1_000_000
    assert (
        held[AccountKind.COLLATERAL] + held[AccountKind.FEES] + held[AccountKind.DEFAULT_FUND]
        == deposits
    )
    venue.close()
