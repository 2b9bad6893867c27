"""Default auctions: the CCP's record, each invited member's view, its sealed bids, notices.

A member sees only the auctions it is invited to, and of them only what ADR 0621 lets it
see (``venue.auctions.member_view``); to anyone else an auction does not exist. Each opening
and close is announced on the invited members' private streams (``announce``, ADR 0622).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import CENT, to_micros
from tokenfutures.venue import auctions, queries
from tokenfutures.venue.commands import BidAuction, CloseAuction, SetAuctionWindow
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.wire import AuctionBid, DefaultAuction, MemberAuction

#: The longest bid window a venue takes (a week of its clock).
MAX_WINDOW_S = 7 * 86_400


OPENED = "auction_opened"
CLOSED = "auction_closed"


class UnknownAuctionError(InvalidParameterError):
    """No default auction has this id, or none the caller is invited to (the API answers 404)."""


class AuctionService(Service):
    """The venue's default auctions (ADR 0420): views, members' sealed bids, closing, notices."""

    def __init__(self, sequencer: Sequencer) -> None:
        super().__init__(sequencer)
        self._announced = self._state.seq  # auctions opened or closed up to here are not news

    def views(self, status: str | None = None) -> list[DefaultAuction]:
        """The CCP's record of every auction (``status``: only those), oldest first; in the
        venue only (reports, operators): a member reads ``offered``."""
        with self._lock:
            return [
                auctions.auction_view(a)
                for _, a in sorted(self._state.auctions.items())
                if status is None or a.status == status
            ]

    def get(self, auction_id: int) -> DefaultAuction:
        """The CCP's record of one auction; ``UnknownAuctionError`` when there is none."""
        with self._lock:
            return auctions.auction_view(self._auction(auction_id))

    def offered(self, member: str, status: str | None = None) -> list[MemberAuction]:
        """The auctions ``member`` is invited to (``status``: only those), oldest first, as
        it may see them (ADR 0621)."""
        with self._lock:
            found = (
                auctions.member_view(a, member) for _, a in sorted(self._state.auctions.items())
            )
            return [v for v in found if v is not None and (status is None or v.status == status)]

    def offer(self, member: str, auction_id: int) -> MemberAuction:
        """One auction as ``member`` sees it; ``UnknownAuctionError`` unless it is invited."""
        with self._lock:
            found = self._state.auctions.get(auction_id)
            view = None if found is None else auctions.member_view(found, member)
            if view is None:
                raise _not_offered(auction_id)
            return view

    def announce(self) -> None:
        """Tell each invited member, on its private stream, of the auctions opened or closed
        since the last call (``auction_opened`` / ``auction_closed`` with its own view)."""
        if not self._state.auctions:  # no default yet (the common case): no lock, no news
            return
        with self._lock:
            since, self._announced = self._announced, self._state.seq
            hub = self._seq.hub
            if not hub.private:
                return
            for _, auction in sorted(self._state.auctions.items()):
                kinds = [OPENED] if auction.opened_seq > since else []
                kinds += [CLOSED] if (auction.closed_seq or 0) > since else []
                for kind in kinds:
                    for member in auction.invited:
                        view = auctions.member_view(auction, member)
                        if view is not None and member in hub.private:
                            hub.publish_private(member, kind, view.to_dict())

    def bid(self, member: str, auction_id: int, amount: Decimal) -> AuctionBid:
        """Journal ``member``'s sealed bid: ``amount`` USD paid to the CCP for the portfolio at
        the settlement prices (negative: asks the CCP to pay). A later bid replaces it.

        Refused before journalling: an auction unknown or not offered to ``member``
        (``UnknownAuctionError``: to it there is none), a closed one or one whose window has
        passed, an amount finer than a cent, or more than the member's excess collateral (a
        winner must be able to pay).
        """
        with self._lock:
            auction = self._invited(member, auction_id)
            now = self._seq.clock.now()
            if auction.status != auctions.OPEN or now >= auction.closes:
                raise InvalidParameterError("auction_id", auction_id, "an open auction")
            if amount != amount.quantize(CENT):
                raise InvalidParameterError("amount", amount, "a USD amount in cents")
            excess = queries.margin_view(self._state, member).excess
            if amount > 0 and amount > excess:
                raise InvalidParameterError("amount", amount, f"at most the excess {excess}")
            self._one(BidAuction(EPOCH, auction_id, member, to_micros(amount)))
            return AuctionBid(auction_id, member, amount, auction.bids[-1].submitted)

    @property
    def window(self) -> timedelta:
        """Bid window of the auctions opened from now on (venue clock; ADR 0620)."""
        with self._lock:
            return timedelta(seconds=self._state.auction_window_s)

    def set_window(self, window: timedelta) -> timedelta:
        """Journal a new bid window (1 s to 7 days, whole seconds) unless it is the current one."""
        seconds = window.total_seconds()
        if seconds != int(seconds) or not 1 <= seconds <= MAX_WINDOW_S:
            raise InvalidParameterError("auction_window", window, "1 s to 7 days, whole seconds")
        with self._lock:
            if int(seconds) != self._state.auction_window_s:
                self._one(SetAuctionWindow(EPOCH, int(seconds)))
            return self.window

    def close_due(self, until: datetime) -> list[int]:
        """Close every open auction whose window ended by ``until``; their ids."""
        with self._lock:
            due = [
                a.auction_id
                for _, a in sorted(self._state.auctions.items())
                if a.status == auctions.OPEN and a.closes <= until
            ]
            if due:
                self._seq.execute([CloseAuction(EPOCH, i) for i in due])
                self.announce()
            return due

    def _auction(self, auction_id: int) -> auctions.Auction:
        found = self._state.auctions.get(auction_id)
        if found is None:
            raise UnknownAuctionError("auction_id", auction_id, "an auction's id")
        return found

    def _invited(self, member: str, auction_id: int) -> auctions.Auction:
        found = self._state.auctions.get(auction_id)
        if found is None or member not in found.invited:
            raise _not_offered(auction_id)
        return found


def _not_offered(auction_id: int) -> UnknownAuctionError:
    """To a member not invited an auction does not exist: the same answer as an unknown id."""
    return UnknownAuctionError("auction_id", auction_id, "an auction the member is invited to")
