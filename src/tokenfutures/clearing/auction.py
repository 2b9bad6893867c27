"""Default auction rules as pure functions: hedge the defaulter's book, then a sealed-bid auction.

The CCP first hedges the defaulter's directional risk with the front month (all months of
one product move together), so what members bid on is a calendar-spread book. Members bid a
USD amount for the hedged book (paid to the CCP; negative asks the CCP to pay). Bids are
sealed, may be replaced until the window closes, and the highest wins (ties: the earlier
bid, then the member id). Invited members who do not bid owe a penalty — a share of their
default-fund contribution, used ahead of the other members' (CME/Eurex "juniorisation",
here as cash). ADR 0408.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_down

#: How long members have to bid once the auction opens.
AUCTION_WINDOW = timedelta(hours=1)
#: Share of a non-bidder's default-fund contribution it owes as a penalty.
NON_BID_PENALTY = Decimal("0.10")


@dataclass(frozen=True, slots=True)
class SealedBid:
    """One member's bid for the whole hedged book (USD paid to the CCP), with its time."""

    member: str
    amount: Decimal
    submitted: datetime


@dataclass(frozen=True, slots=True)
class AuctionResult:
    """Winner and winning amount (None when no valid bid: a failed auction), penalties owed."""

    winner: str | None
    amount: Decimal | None
    bids_counted: int
    bids_refused: int
    penalties: Mapping[str, Decimal]

    @property
    def failed(self) -> bool:
        """No member bid in time: the CCP must re-run it or allocate the book."""
        return self.winner is None


def hedge_lots(
    positions: Mapping[str, int], lot_values: Mapping[str, Decimal], hedge_contract: str
) -> int:
    """Lots of ``hedge_contract`` that offset the book's USD exposure (rounded toward zero).

    ``lot_values`` are today's USD per lot. The hedge is rounded toward zero, so it never
    overshoots: the hedged book's net exposure is less than one hedge lot's value, same sign.
    """
    if hedge_contract not in lot_values or lot_values[hedge_contract] <= 0:
        raise InvalidParameterError("hedge_contract", hedge_contract, "a contract with a value")
    exposure = sum((q * lot_values[c] for c, q in positions.items()), Decimal(0))
    lots = int(exposure / lot_values[hedge_contract])  # int() truncates toward zero
    return -lots


def hedged_book(
    positions: Mapping[str, int], lot_values: Mapping[str, Decimal], hedge_contract: str
) -> dict[str, int]:
    """The defaulter's positions plus the CCP's hedge (zero positions dropped)."""
    book = dict(positions)
    book[hedge_contract] = book.get(hedge_contract, 0) + hedge_lots(
        positions, lot_values, hedge_contract
    )
    return {c: q for c, q in sorted(book.items()) if q}


def run_auction(
    bids: Iterable[SealedBid],
    invited: Sequence[str],
    opened: datetime,
    contributions: Mapping[str, Decimal],
    window: timedelta = AUCTION_WINDOW,
    penalty: Decimal = NON_BID_PENALTY,
) -> AuctionResult:
    """Decide a sealed-bid auction: the last bid of each invited member inside the window counts.

    A bid from a member not invited, or outside ``[opened, opened + window)``, is refused.
    Invited members without a counted bid owe ``penalty`` × their contribution (rounded down
    to the cent).
    """
    if window <= timedelta(0) or not 0 <= penalty <= 1:
        raise InvalidParameterError("window/penalty", (window, penalty), "> 0 and in [0, 1]")
    allowed = set(invited)
    latest: dict[str, SealedBid] = {}
    refused = 0
    for bid in bids:
        if bid.member not in allowed or not opened <= bid.submitted < opened + window:
            refused += 1
            continue
        held = latest.get(bid.member)
        if held is None or bid.submitted >= held.submitted:
            latest[bid.member] = bid
    penalties = {
        m: round_down(penalty * contributions.get(m, Decimal(0)))
        for m in sorted(allowed - set(latest))
        if contributions.get(m, Decimal(0)) > 0 and penalty > 0
    }
    if not latest:
        return AuctionResult(None, None, 0, refused, penalties)
    best = min(latest.values(), key=lambda b: (-b.amount, b.submitted, b.member))
    return AuctionResult(best.member, best.amount, len(latest), refused, penalties)


def forced_allocation(
    book: Mapping[str, int], weights: Mapping[str, Decimal]
) -> dict[str, dict[str, int]]:
    """Split each contract's lots among members pro rata to ``weights`` (the fallback of a
    failed auction, ADR 0420): largest remainder, ties to the member id; no weight, no lots.
    """
    shares = {m: w for m, w in sorted(weights.items()) if w > 0}
    total = sum(shares.values(), Decimal(0))
    out: dict[str, dict[str, int]] = {}
    if total <= 0:
        return out
    for contract, qty in sorted(book.items()):
        lots = abs(qty)
        exact = {m: lots * w / total for m, w in shares.items()}
        given = {m: int(x) for m, x in exact.items()}
        rest = lots - sum(given.values())
        for m in sorted(shares, key=lambda m: (-(exact[m] - given[m]), m))[:rest]:
            given[m] += 1
        for m, n in given.items():
            if n:
                out.setdefault(m, {})[contract] = n if qty > 0 else -n
    return out
