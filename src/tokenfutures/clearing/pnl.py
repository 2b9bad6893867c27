"""Trade-price P&L per account and contract: average open price, realised and unrealised P&L.

Variation margin settles against the last mark; a member's statement measures P&L against
its own trade prices. Average cost (as exchange statements show it): a fill that grows a
position adds its cost; one that shrinks it realises ``(price − average) × lots closed`` for
a long (the reverse for a short); one that flips it closes all and opens the rest at its
price. Exact in ``Fraction`` of tick·lots; views round to the micro-USD. ADR 0409.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from tokenfutures.clearing.fills import Fill
from tokenfutures.clearing.positions import FinalClose, Trade

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class TradePnl:
    """One position's P&L in ticks·lots: open cost, average price (ticks), realised."""

    quantity: int
    open_cost: Fraction
    realised: Fraction

    @property
    def average_price(self) -> Fraction | None:
        """Average open price in ticks (None when flat)."""
        return self.open_cost / self.quantity if self.quantity else None

    def unrealised(self, mark_ticks: int) -> Fraction:
        """P&L of the open position at ``mark_ticks`` against its trade prices."""
        return self.quantity * mark_ticks - self.open_cost


_FLAT = TradePnl(0, Fraction(0), Fraction(0))


class PnlBook:
    """Average-cost P&L of every (account, contract), folded from fills."""

    def __init__(self) -> None:
        self._rows: dict[Key, TradePnl] = {}

    def get(self, account: str, contract: str) -> TradePnl:
        """The P&L row of one position (flat and zero when never traded)."""
        return self._rows.get((account, contract), _FLAT)

    def realised_of(self, account: str) -> list[str]:
        """Contracts in which ``account`` has realised P&L (open or flat), sorted."""
        return sorted(c for (a, c), r in self._rows.items() if a == account and r.realised)

    def follow(self, moves: Iterable[Trade | FinalClose]) -> None:
        """Follow clearing's own position moves (``PositionBook.take_moves``): a default
        close-out is a trade at its close-out price; a final close realises every open row of
        the contract at its final settlement price (ADR 0433)."""
        for move in moves:
            if type(move) is FinalClose:
                self.settle(move.contract, move.price_ticks)
            else:
                self.apply_fills((move,))  # type: ignore[arg-type]

    def settle(self, contract: str, price_ticks: int) -> None:
        """Close every open row of ``contract`` at ``price_ticks`` (final settlement)."""
        rows = self._rows
        for key in [k for k, r in rows.items() if k[1] == contract and r.quantity]:
            row = rows[key]
            gain = row.quantity * price_ticks - row.open_cost
            rows[key] = TradePnl(0, Fraction(0), row.realised + gain)

    def apply_fills(self, fills: Iterable[Fill]) -> None:
        """Fold fills: the buyer's and the seller's rows move at the fill price."""
        rows = self._rows
        for f in fills:
            for account, signed in ((f.buyer, f.quantity), (f.seller, -f.quantity)):
                key = (account, f.contract)
                rows[key] = step(rows.get(key, _FLAT), signed, f.price_ticks)


def step(row: TradePnl, signed: int, price: int) -> TradePnl:
    """``row`` after a fill of ``signed`` lots (buy > 0) at ``price`` ticks."""
    q = row.quantity
    if q == 0 or (q > 0) == (signed > 0):
        return TradePnl(q + signed, row.open_cost + signed * price, row.realised)
    closed = min(abs(signed), abs(q)) * (1 if q > 0 else -1)  # lots closed, in q's sign
    average = row.open_cost / q
    realised = row.realised + closed * (price - average)
    rest = q + signed
    if (rest > 0) == (q > 0) and rest != 0:  # partly closed
        return TradePnl(rest, average * rest, realised)
    return TradePnl(rest, Fraction(rest * price), realised)  # closed, or flipped at price
