"""Default auctions in the venue: opened at a default, sealed bids, closed by the schedule.

At an end of day an account whose call is past due defaults: its resting orders are
cancelled, the CCP takes its positions over at the day's settlement prices (``CCP_HOUSE``)
and opens an auction of that portfolio to the other clearing members, with a bid window on
the venue's clock (``EndOfDay.auction_window_s``). Bids (``BidAuction``) are journalled
and sealed; ``CloseAuction`` (the scheduler's, once the window has passed) decides them with
``clearing.auction.run_auction``. The winner takes the book at the settlement prices and
pays its bid; with no bid the book is allocated pro rata to the members' collateral at a
haircut. Penalties of non-bidders, then the waterfall (ADR 0420, superseding 0607).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from tokenfutures.clearing.auction import SealedBid, forced_allocation, run_auction
from tokenfutures.clearing.default_transfer import (
    CCP_HOUSE,
    allocation_payments,
    award,
    take_over,
)
from tokenfutures.clearing.defaults import WaterfallResult
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.core.money import CENT, from_micros
from tokenfutures.exchange import MassCancel
from tokenfutures.wire import AuctionLot, DefaultAuction, MemberAuction, Waterfall

#: Price concession of a forced allocation (fraction of the lots' value; ADR 0607's 2 %).
ALLOCATION_HAIRCUT = Decimal("0.02")

OPEN = "open"
AWARDED = "awarded"
ALLOCATED = "allocated"
UNALLOCATED = "unallocated"
EMPTY = "empty"  # the defaulter held no positions: only the waterfall ran


@dataclass
class Auction:
    """One default auction as the fold grows it (the portfolio, bids and, once closed, result)."""

    auction_id: int
    day: date
    defaulter: str
    opened: datetime
    closes: datetime
    book: dict[str, int]
    prices: dict[str, int]
    ticks: dict[str, Decimal]
    invited: tuple[str, ...]
    opened_seq: int
    reserve: Decimal = Decimal(0)
    bids: list[SealedBid] = field(default_factory=list)
    status: str = OPEN
    winner: str | None = None
    amount: Decimal | None = None
    allocation: dict[str, dict[str, int]] = field(default_factory=dict)
    payments: dict[str, Decimal] = field(default_factory=dict)
    penalties: dict[str, Decimal] = field(default_factory=dict)
    waterfall: WaterfallResult | None = None
    closed: datetime | None = None
    closed_seq: int | None = None


class AuctionBook(Protocol):
    """What the auctions read and grow: clearing, accounts, the auctions, repricing."""

    seq: int
    house: ClearingHouse
    accounts: dict[str, str | None]
    auctions: dict[int, Auction]

    def tick_size(self, contract: str) -> Decimal:
        """Tick size of a listed contract."""
        ...

    def reprice(self) -> None:
        """Rebuild the pre-trade margin method at the current marks."""
        ...


def invited(
    state: AuctionBook, defaulter: str, defaulting: Collection[str] = ()
) -> tuple[str, ...]:
    """The clearing members asked to bid: every live account's clearing member but the
    defaulter's, and none of another account defaulting at the same end of day (accounts
    without a member clear themselves)."""
    house = state.house
    members = {house.member_of(a) for a in state.accounts} | house.members
    out = house.defaulted | {a for d in (defaulter, *defaulting) for a in (d, house.member_of(d))}
    return tuple(sorted(members - out))


def open_auction(
    state: AuctionBook,
    engine: Callable[[Any], list[Any]],
    ts: datetime,
    day: date,
    window: timedelta,
    defaulter: str,
    defaulting: Collection[str] = (),
) -> tuple[Auction | None, list[Any]]:
    """Default ``defaulter``: cancel its orders, move its book to the CCP, open the auction.

    ``defaulting`` are the other accounts in default at the same end of day: not invited.
    None (nothing done) when a position has no settlement price to move it at.
    """
    house = state.house
    if any(c not in house.marks for c in house.book.positions_of(defaulter)):
        return None, []
    events = engine(MassCancel(ts, defaulter, None))
    book = take_over(house, defaulter)
    auction = Auction(
        auction_id=len(state.auctions) + 1,
        day=day,
        defaulter=defaulter,
        opened=ts,
        closes=ts + window,
        book=book,
        prices={c: house.marks[c] for c in book},
        ticks={c: state.tick_size(c) for c in book},
        invited=invited(state, defaulter, defaulting),
        opened_seq=state.seq,
        reserve=allocation_payments(house, {CCP_HOUSE: book}, ALLOCATION_HAIRCUT).get(
            CCP_HOUSE, Decimal(0)
        ),
    )
    state.auctions[auction.auction_id] = auction
    if not book:  # nothing to auction: the waterfall covers what the collateral lacks
        close(state, auction, ts)
    return auction, events


def bid(state: AuctionBook, auction_id: int, member: str, amount_micros: int, ts: datetime) -> None:
    """Record a sealed bid (the service checked it; the rules count only timely, invited ones)."""
    auction = state.auctions.get(auction_id)
    if auction is not None and auction.status == OPEN:
        amount = from_micros(amount_micros)
        cents = amount.quantize(CENT)
        auction.bids.append(SealedBid(member, cents if cents == amount else amount, ts))


def close(state: AuctionBook, auction: Auction, ts: datetime) -> None:
    """Decide the auction, move the book, collect penalties and run the waterfall.

    The best bid is acceptable when it costs the CCP no more than the fallback would (the
    reserve: a forced allocation's concession on the whole book, ADR 0420); else the book is
    allocated. Members who bid, acceptably or not, owe no penalty.
    """
    house = state.house
    result = run_auction(
        auction.bids,
        auction.invited,
        auction.opened,
        house.default_fund_contributions(),
        window=auction.closes - auction.opened,
    )
    if not auction.book:
        allocation: dict[str, dict[str, int]] = {}
        payments: dict[str, Decimal] = {}
        auction.status = EMPTY
    elif (
        result.winner is not None and result.amount is not None and result.amount >= auction.reserve
    ):
        allocation = {result.winner: dict(auction.book)}
        payments = {result.winner: result.amount}
        auction.status = AWARDED
    else:
        weights = {m: house.equity(m) for m in auction.invited}
        allocation = forced_allocation(auction.book, weights)
        payments = allocation_payments(house, allocation, ALLOCATION_HAIRCUT)
        auction.status = ALLOCATED if allocation else UNALLOCATED
    auction.waterfall = award(
        house, auction.defaulter, allocation, payments, result.penalties, auction.invited
    )
    if auction.status == AWARDED:
        auction.winner, auction.amount = result.winner, result.amount
    auction.allocation, auction.payments = allocation, payments
    auction.penalties = dict(result.penalties)
    auction.closed, auction.closed_seq = ts, state.seq
    state.reprice()


def close_by_id(state: AuctionBook, auction_id: int, ts: datetime) -> None:
    """``close`` the open auction ``auction_id`` (replay stays total: anything else is a no-op)."""
    auction = state.auctions.get(auction_id)
    if auction is not None and auction.status == OPEN:
        close(state, auction, ts)


def drop_house_call(house: ClearingHouse) -> None:
    """The CCP's own house account is never called (it holds an unallocated book)."""
    house.calls.pop(CCP_HOUSE, None)


def _offer(auction: Auction) -> dict[str, Any]:
    """What every view shows: the auction, its window, the portfolio and the reserve."""
    return {
        "auction_id": auction.auction_id,
        "day": auction.day,
        "status": auction.status,
        "opened": auction.opened,
        "closes": auction.closes,
        "portfolio": tuple(
            AuctionLot(c, q, auction.ticks[c] * auction.prices[c], auction.prices[c])
            for c, q in sorted(auction.book.items())
        ),
        "reserve": auction.reserve,
        "closed": auction.closed,
    }


def auction_view(auction: Auction) -> DefaultAuction:
    """The CCP's whole record: sealed (a count of bids) while open, every result once closed."""
    w = auction.waterfall
    return DefaultAuction(
        **_offer(auction),
        defaulter=auction.defaulter,
        invited=auction.invited,
        bids_received=len(auction.bids),
        winner=auction.winner,
        amount=auction.amount,
        allocation=auction.allocation,
        payments=auction.payments,
        penalties=auction.penalties,
        waterfall=None
        if w is None
        else Waterfall(
            w.closeout_loss,
            w.defaulter_margin,
            w.defaulter_fund,
            w.skin_in_the_game,
            w.penalties,
            dict(w.mutualised_fund),
            dict(w.assessments),
            w.uncovered,
        ),
    )


def member_view(auction: Auction, member: str) -> MemberAuction | None:
    """What ``member`` may see of ``auction`` (ADR 0621); None unless it was invited.

    The portfolio, window, reserve and its own last bid; after the close the outcome and its
    own share of it. Never the defaulter, the other members, their bids or their number.
    """
    if member not in auction.invited:
        return None
    own = [b for b in auction.bids if b.member == member]
    last = own[-1] if own else None
    w = auction.waterfall
    zero = Decimal(0)
    return MemberAuction(
        **_offer(auction),
        bid=None if last is None else last.amount,
        bid_submitted=None if last is None else last.submitted,
        won=auction.winner == member,
        allocation=dict(auction.allocation.get(member, {})),
        payment=auction.payments.get(member, zero),
        penalty=auction.penalties.get(member, zero),
        fund_used=zero if w is None else w.mutualised_fund.get(member, zero),
        assessment=zero if w is None else w.assessments.get(member, zero),
    )


def reported(auctions: dict[int, Auction], since_seq: int) -> tuple[DefaultAuction, ...]:
    """Views of the auctions opened or closed after journal seq ``since_seq`` (for a report)."""
    return tuple(
        auction_view(a)
        for _, a in sorted(auctions.items())
        if a.opened_seq > since_seq or (a.closed_seq or 0) > since_seq
    )
