"""A client-side order book kept from one contract's market-data stream (snapshot + deltas)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tokenfutures.client.errors import ClientError


@dataclass
class LocalBook:
    """Visible levels, phase and last price of one contract, folded from stream frames.

    Feed it every frame of ``market_data(base_url, contract)`` in order (the stream checks
    sequence numbers); prices are ``Decimal``, quantities integer lots.
    """

    contract: str
    phase: str | None = None
    last_price: Decimal | None = None
    venue_seq: int = 0
    _levels: dict[tuple[str, Decimal], int] = field(default_factory=dict)
    _ready: bool = False

    def apply(self, frame: dict[str, Any]) -> None:
        """Fold one frame: a ``snapshot`` resets the book; ``book``/``trade``/``phase`` update it."""
        kind, data = frame["type"], frame["data"]
        if kind == "snapshot":
            self._snapshot(data)
        elif not self._ready:
            raise ClientError("a market-data stream must start with a snapshot")
        elif kind == "book":
            key = (data["side"], Decimal(data["price"]))
            if data["quantity"]:
                self._levels[key] = data["quantity"]
            else:
                self._levels.pop(key, None)
        elif kind == "trade":
            self.last_price = Decimal(data["price"])
        elif kind == "phase":
            self.phase = data["phase"]
        self.venue_seq = frame.get("venue_seq", self.venue_seq)

    def _snapshot(self, data: dict[str, Any]) -> None:
        if data.get("contract") != self.contract:
            raise ClientError(f"snapshot of {data.get('contract')!r}, expected {self.contract!r}")
        self.phase = data.get("phase")
        last = data.get("last_price")
        self.last_price = None if last is None else Decimal(last)
        self._levels = {
            (level["side"], Decimal(level["price"])): level["quantity"]
            for level in data.get("levels", [])
        }
        self._ready = True

    def bids(self) -> list[tuple[Decimal, int]]:
        """``(price, lots)`` of the bid levels, best (highest) first."""
        return sorted(((p, q) for (s, p), q in self._levels.items() if s == "buy"), reverse=True)

    def asks(self) -> list[tuple[Decimal, int]]:
        """``(price, lots)`` of the ask levels, best (lowest) first."""
        return sorted((p, q) for (s, p), q in self._levels.items() if s == "sell")

    def best_bid(self) -> Decimal | None:
        """Highest bid price, or None."""
        bids = self.bids()
        return bids[0][0] if bids else None

    def best_ask(self) -> Decimal | None:
        """Lowest ask price, or None."""
        asks = self.asks()
        return asks[0][0] if asks else None
