"""Property: whatever the command stream and wherever the snapshots fall, recovery = replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from venue_helpers import FRONT, TPI, TRADING_DAY

from tokenfutures.core.clock import ManualClock
from tokenfutures.storage import open_store
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.views import OrderRequest

ACCOUNTS = ("alice", "bob", "carol")

step = st.one_of(
    st.tuples(
        st.just("order"),
        st.sampled_from(ACCOUNTS),
        st.sampled_from(["buy", "sell"]),
        st.integers(1, 30),
        st.integers(340, 360),
        st.sampled_from(["gtc", "ioc", "day"]),
    ),
    st.tuples(st.just("cancel"), st.sampled_from(ACCOUNTS), st.integers(1, 40)),
    st.tuples(st.just("mass_cancel"), st.sampled_from(ACCOUNTS)),
    st.tuples(st.just("deposit"), st.sampled_from(ACCOUNTS), st.integers(1, 500)),
    st.tuples(
        st.just("snapshot"),
    ),
)


@settings(max_examples=25, deadline=None)
@given(steps=st.lists(step, max_size=60), snapshot_every=st.integers(3, 40))
def test_recovery_equals_a_fresh_replay(
    steps: list[tuple[object, ...]], snapshot_every: int
) -> None:
    clock = ManualClock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))
    store = open_store("memory://")
    venue = Venue.open(store, clock, snapshot_every=snapshot_every)
    venue.index.fix_index(date(2026, 11, 23), TPI)
    venue.settlement.list_contracts(TRADING_DAY)
    for account in ACCOUNTS:
        venue.accounts.create_account(
            account, deposit=Decimal(5)
        )  # small: margin rejections happen
    for n, s in enumerate(steps):
        clock.advance(timedelta(seconds=1))
        if s[0] == "order":
            _, account, side, qty, ticks, tif = s
            request = OrderRequest(
                FRONT, str(side), int(qty), f"o{n}", price_ticks=int(ticks), tif=str(tif)
            )
            venue.trading.submit_order(str(account), request)
        elif s[0] == "cancel":
            venue.trading.cancel_order(str(s[1]), int(s[2]))
        elif s[0] == "mass_cancel":
            venue.trading.mass_cancel(str(s[1]))
        elif s[0] == "deposit":
            venue.accounts.deposit(str(s[1]), Decimal(int(s[2])))
        else:
            venue.snapshot()
    clock.current = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    venue.settlement.end_of_day(TRADING_DAY)
    live = venue.state_hash()
    assert Venue.open(store, clock, snapshot_every=snapshot_every).state_hash() == live
    assert state_hash(replay_journal(store)) == live
    balances = store.ledger.balances()
    assert sum(balances.values()) == 0
