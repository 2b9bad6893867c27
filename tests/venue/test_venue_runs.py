"""Runs of plain orders (ADR 0375): one engine call per run, the per-command fold's outcome.

Live, the sequencer folds a batch with ``evolve_many``, which hands runs of plain orders to
the engine at once; recovery replays the journal one command at a time with ``evolve``.
Whatever the stream (tight margins, stops, icebergs, GTD expiries, halts, unknown accounts,
replaces, mass cancels), both give the same acks, events and state hash.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from venue_helpers import FRONT, PAPER, TPI, TRADING_DAY

from tokenfutures.core.clock import ManualClock
from tokenfutures.exchange import (
    CancelOrder,
    MassCancel,
    NewOrder,
    OrderType,
    ReplaceOrder,
    Side,
    StpMode,
    TimeInForce,
)
from tokenfutures.storage import open_store
from tokenfutures.venue.commands import decode
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.runs import run_length
from tokenfutures.venue.service import Venue
from tokenfutures.venue.state import Applied, VenueState
from tokenfutures.venue.statehash import state_hash

SECOND = "SITF27"
#: Deposits in USD: one account rich, two whose margin runs out, one never created.
DEPOSITS = {"rich": 10_000_000, "tight": 60, "thin": 5}
ACCOUNTS = (*DEPOSITS, "ghost")
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
#: Any time: stamped by the sequencer when the batch is journalled.
T0 = datetime(2000, 1, 1, tzinfo=UTC)


def _orders(accounts: list[str], kinds: list[OrderType]) -> st.SearchStrategy[NewOrder]:
    """New orders of ``accounts`` (a repeat weighs more) of the given order types."""
    return st.builds(
        lambda account, contract, side, qty, ticks, kind, tif, shown, post, stp: NewOrder(
            T0,
            contract,
            account,
            "",
            side,
            qty,
            None if kind == OrderType.MARKET else ticks,
            kind,
            TimeInForce.DAY if kind == OrderType.MARKET and tif == TimeInForce.GTD else tif,
            START + timedelta(seconds=2) if tif == TimeInForce.GTD else None,
            post,
            shown,
            ticks + (-3 if side == Side.SELL else 3) if kind == OrderType.STOP_LIMIT else None,
            "g" if stp else None,
            StpMode.CANCEL_BOTH if stp == 2 else StpMode.CANCEL_RESTING,
        ),
        st.sampled_from(accounts),
        st.sampled_from([FRONT, FRONT, SECOND]),
        st.sampled_from([Side.BUY, Side.SELL]),
        st.integers(0, 40),
        st.integers(300, 400),
        st.sampled_from(kinds),
        st.sampled_from([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.DAY, TimeInForce.GTD]),
        st.sampled_from([None, None, None, 5]),
        st.booleans(),
        st.integers(0, 2),
    )


def _cancels(accounts: list[str]) -> st.SearchStrategy[CancelOrder]:
    return st.builds(
        lambda a, c, i: CancelOrder(T0, c, a, i),
        st.sampled_from(accounts),
        st.sampled_from([FRONT, FRONT, SECOND]),
        st.integers(1, 80),
    )


#: Anything: every account, every order type, replaces and mass cancels between orders.
_command = st.one_of(
    *[_orders([*ACCOUNTS, "rich", "tight"], [OrderType.LIMIT] * 12 + [*OrderType])] * 6,
    _cancels(list(ACCOUNTS)),
    st.builds(
        lambda a, i, p, q: ReplaceOrder(T0, FRONT, a, i, p, q),
        st.sampled_from(ACCOUNTS),
        st.integers(1, 80),
        st.integers(330, 370),
        st.integers(1, 60),
    ),
    st.builds(lambda a: MassCancel(T0, a), st.sampled_from(ACCOUNTS)),
)
#: A busy batch: plain limit orders and cancels of the funded accounts (long runs).
_busy = st.one_of(
    *[_orders(["rich", "rich", "tight", "thin"], [OrderType.LIMIT])] * 3, _cancels(["rich"])
)


@pytest.fixture
def venue() -> Iterator[Venue]:
    venue = Venue.open(open_store("memory://"), ManualClock(START - timedelta(hours=12)))
    venue.index.fix_index(date(2026, 11, 23), TPI)
    venue.settlement.list_contracts(TRADING_DAY, versions=PAPER)
    for account, usd in DEPOSITS.items():
        venue.accounts.create_account(account, deposit=Decimal(usd))
    yield venue
    venue.close()


def _numbered(batches: list[list[Any]]) -> Iterator[list[Any]]:
    """The batches with unique client order ids (a repeat would be answered as a retry)."""
    n = 0
    for batch in batches:
        out = []
        for command in batch:
            if type(command) is NewOrder:
                n += 1
                command = command._replace(client_order_id=f"c{n}")
            out.append(command)
        yield out


def _replayed(venue: Venue) -> tuple[VenueState, dict[int, Applied]]:
    """A fresh state folded from the journal one command at a time (recovery's way)."""
    state, applied = VenueState(), {}
    for record in venue.store.journal.read():
        result = evolve(state, record.seq, decode(record.kind, record.ts, record.payload))
        applied[result.seq] = result
    return state, applied


def _state(venue: Venue) -> VenueState:
    """The venue's state: the fold's own input."""
    state: VenueState = venue._seq.state
    return state


def _runs(venue: Venue, batch: list[Any]) -> list[int]:
    """The lengths of the runs ``batch`` starts with, as the fold would cut them now."""
    state = _state(venue)
    stamped = [c._replace(ts=venue.clock.now()) for c in batch]
    return [run_length(state, stamped, i) for i in range(len(stamped))]


@settings(max_examples=40, deadline=None)
@given(
    batches=st.lists(
        st.lists(_command, max_size=40) | st.lists(_busy, max_size=40), min_size=1, max_size=6
    ),
    pauses=st.lists(st.integers(0, 3), min_size=6, max_size=6),
)
def test_runs_fold_as_the_per_command_fold(batches: list[list[Any]], pauses: list[int]) -> None:
    venue = Venue.open(open_store("memory://"), ManualClock(START - timedelta(hours=12)))
    venue.index.fix_index(date(2026, 11, 23), TPI)
    venue.settlement.list_contracts(TRADING_DAY, versions=PAPER)
    for account, usd in DEPOSITS.items():
        venue.accounts.create_account(account, deposit=Decimal(usd))
    clock = venue.clock
    assert isinstance(clock, ManualClock)
    clock.current = START
    live: list[Applied] = []
    for batch, pause in zip(_numbered(batches), pauses, strict=False):
        event(f"longest run {max(_runs(venue, batch), default=0)}")
        live += venue.execute(batch)
        clock.advance(timedelta(seconds=pause))
    state, replayed = _replayed(venue)
    for applied in live:
        again = replayed[applied.seq]
        assert (applied.ack_record, applied.events) == (again.ack_record, again.events)
    assert state_hash(state) == venue.state_hash()
    venue.close()


def _order(account: str, n: int, qty: int = 5, side: Side = Side.BUY) -> NewOrder:
    return NewOrder(START, FRONT, account, f"r{n}", side, qty, 350 if side == Side.BUY else 351)


def test_a_busy_batch_of_plain_orders_is_one_run(venue: Venue) -> None:
    commands = [_order("rich", n, side=Side(1 if n % 2 else -1)) for n in range(40)]
    state = _state(venue)
    assert run_length(state, commands, 0) == 40


def test_an_order_the_run_cannot_cover_ends_it(venue: Venue) -> None:
    state = _state(venue)
    per_lot = state.risk.per_lot[FRONT]
    rich = [_order("rich", n, qty=50) for n in range(3)]
    assert 2 * per_lot < DEPOSITS["thin"] < 150 * per_lot  # one lot alone, not after the run
    assert run_length(state, [_order("thin", 9, qty=1), _order("thin", 10, qty=1)], 0) == 2
    assert run_length(state, [*rich, _order("thin", 9, qty=1), *rich], 0) == 3
    assert run_length(state, [_order("thin", 9, qty=1), *rich], 0) == 4
    assert run_length(state, [_order("ghost", 1), *rich], 0) == 0
    stop = _order("rich", 7)._replace(order_type=OrderType.STOP_LIMIT, stop_price_ticks=349)
    assert run_length(state, [*rich, stop, *rich], 0) == 3
    assert run_length(state, [rich[0]], 0) == 0  # a run needs two


def test_no_run_on_a_contract_with_a_pending_stop(venue: Venue) -> None:
    """A triggered stop trades beyond what the run entered: its contract goes order by order."""
    state = _state(venue)
    clock = venue.clock
    assert isinstance(clock, ManualClock)
    clock.current = START
    stop = _order("rich", 1)._replace(order_type=OrderType.STOP_LIMIT, stop_price_ticks=360)
    venue.execute([stop])
    assert state.exchange.contracts[FRONT].stops
    plain = [_order("rich", n) for n in range(2, 5)]
    assert run_length(state, plain, 0) == 0
    assert run_length(state, [o._replace(contract=SECOND) for o in plain], 0) == 3


def test_no_run_while_a_timer_is_due(venue: Venue) -> None:
    """A due timer may end a halt in an auction that trades beyond the run: one by one."""
    state = _state(venue)
    clock = venue.clock
    assert isinstance(clock, ManualClock)
    clock.current = START
    gtd = _order("rich", 1)._replace(tif=TimeInForce.GTD, expire_at=START + timedelta(seconds=1))
    venue.execute([gtd])
    later = [_order("rich", n)._replace(ts=START + timedelta(seconds=2)) for n in range(2, 5)]
    assert run_length(state, later, 0) == 0
    assert run_length(state, [o._replace(ts=START) for o in later], 0) == 3
