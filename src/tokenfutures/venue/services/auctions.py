"""Default auctions: list them, take members' sealed bids, close the windows that have passed."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import CENT, to_micros
from tokenfutures.venue import auctions, queries
from tokenfutures.venue.commands import BidAuction, CloseAuction, SetAuctionWindow
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.wire import AuctionBid, DefaultAuction

#: The longest bid window a venue takes (a week of its clock).
MAX_WINDOW_S = 7 * 86_400


class UnknownAuctionError(InvalidParameterError):
    """No default auction has this id (the API answers 404)."""


class AuctionService(Service):
    """The venue's default auctions (ADR 0420): public views, sealed bids, closing."""

    def views(self, status: str | None = None) -> list[DefaultAuction]:
        """Every auction (``status``: only those), oldest first; bids stay sealed while open."""
        with self._lock:
            return [
                auctions.auction_view(a)
                for _, a in sorted(self._state.auctions.items())
                if status is None or a.status == status
            ]

    def get(self, auction_id: int) -> DefaultAuction:
        """One auction's public view; ``UnknownAuctionError`` when there is none."""
        with self._lock:
            return auctions.auction_view(self._auction(auction_id))

    def bid(self, member: str, auction_id: int, amount: Decimal) -> AuctionBid:
        """Journal ``member``'s sealed bid: ``amount`` USD paid to the CCP for the portfolio at
        the settlement prices (negative: asks the CCP to pay). A later bid replaces it.

        Refused before journalling: an unknown or closed auction, a window that has passed,
        a member not invited, an amount finer than a cent, or more than the member's excess
        collateral (a winner must be able to pay).
        """
        with self._lock:
            auction = self._auction(auction_id)
            now = self._seq.clock.now()
            if auction.status != auctions.OPEN or now >= auction.closes:
                raise InvalidParameterError("auction_id", auction_id, "an open auction")
            if member not in auction.invited:
                raise InvalidParameterError("member", member, "a member invited to bid")
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
            return due

    def _auction(self, auction_id: int) -> auctions.Auction:
        found = self._state.auctions.get(auction_id)
        if found is None:
            raise UnknownAuctionError("auction_id", auction_id, "an auction's id")
        return found
