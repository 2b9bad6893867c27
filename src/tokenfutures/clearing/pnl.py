"""Trade-price P&L per account and contract: average open price, realised and unrealised P&L.

Variation margin settles against the last mark; a member's statement measures P&L against
its own trade prices. Average cost (as exchange statements show it): a fill that grows a
position adds its cost; one that shrinks it realises ``(price − average) × lots closed`` for
a long (the reverse for a short); one that flips it closes all and opens the rest at its
price. Exact in ``Fraction`` of tick·lots, held as ``int`` while the value is whole (the
sequencer's hot path: an ``int`` sum costs ~50 ns, a ``Fraction`` one ~2 µs; ADR 0372);
views round to the micro-USD. ADR 0409. The book holds its rows as ``int`` millionths and
builds the ``Fraction`` only when a row is read (ADR 0374).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from tokenfutures.clearing.fills import Fill
from tokenfutures.clearing.positions import FinalClose, Trade

Key = tuple[str, str]
#: An exact amount in ticks·lots: an ``int`` while whole, else a ``Fraction`` (equal values
#: compare and hash equal, so the two forms never tell states apart).
Exact = Fraction | int


@dataclass(frozen=True, slots=True)
class TradePnl:
    """One position's P&L in ticks·lots: open cost, average price (ticks), realised."""

    quantity: int
    open_cost: Exact
    realised: Exact

    @property
    def average_price(self) -> Fraction | None:
        """Average open price in ticks (None when flat)."""
        return Fraction(self.open_cost, self.quantity) if self.quantity else None

    def unrealised(self, mark_ticks: int) -> Exact:
        """P&L of the open position at ``mark_ticks`` against its trade prices."""
        return self.quantity * mark_ticks - self.open_cost


_FLAT = TradePnl(0, 0, 0)


#: A row as the book holds it: (lots, open cost, realised), amounts in millionths of a
#: tick·lot. A ``TradePnl`` row (from a snapshot before ADR 0374) is read as it is.
Micro = tuple[int, int, int]
_ZERO: Micro = (0, 0, 0)


class PnlBook:
    """Average-cost P&L of every (account, contract), folded from fills."""

    def __init__(self) -> None:
        self._rows: dict[Key, Micro | TradePnl] = {}

    def get(self, account: str, contract: str) -> TradePnl:
        """The P&L row of one position (flat and zero when never traded)."""
        row = self._rows.get((account, contract))
        if row is None:
            return _FLAT
        if type(row) is tuple:
            return TradePnl(row[0], _exact(row[1]), _exact(row[2]))
        return row  # type: ignore[return-value]

    def realised_of(self, account: str) -> list[str]:
        """Contracts in which ``account`` has realised P&L (open or flat), sorted."""
        return sorted(c for (a, c), r in self._rows.items() if a == account and _realised(r))

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
        for key in [k for k, r in rows.items() if k[1] == contract and _quantity(r)]:
            row = rows[key]
            if type(row) is tuple:
                q, cost, realised = row
                rows[key] = (0, 0, realised + q * price_ticks * _U - cost)
            else:
                old: TradePnl = row  # type: ignore[assignment]
                gain = old.quantity * price_ticks - old.open_cost
                rows[key] = TradePnl(0, Fraction(0), old.realised + gain)

    def apply_fills(self, fills: Iterable[Fill]) -> None:
        """Fold fills: the buyer's and the seller's rows move at the fill price."""
        rows = self._rows
        get = rows.get
        for f in fills:
            contract, lots, price = f.contract, f.quantity, f.price_ticks
            key = (f.buyer, contract)
            row = get(key, _ZERO)
            rows[key] = _move(row, lots, price) if type(row) is tuple else _lift(row, lots, price)  # type: ignore[arg-type]
            key = (f.seller, contract)
            row = get(key, _ZERO)
            rows[key] = _move(row, -lots, price) if type(row) is tuple else _lift(row, -lots, price)  # type: ignore[arg-type]


def _move(row: Micro, signed: int, price: int) -> Micro:
    """``step`` on a row held in millionths (the same arithmetic, without ``Fraction``)."""
    q, cost, realised = row
    paid = signed * price * _U
    rest = q + signed
    if q == 0 or (q > 0) == (signed > 0):
        return (rest, cost + paid, realised)
    partly = (rest > 0) == (q > 0) and rest != 0  # the rest keeps the average
    kept = _half_even(cost, q) * rest if partly else rest * price * _U  # else opens at price
    return (rest, kept, realised + kept - cost - paid)


def _lift(row: TradePnl, signed: int, price: int) -> Micro | TradePnl:
    """``step`` on a ``TradePnl`` row, held in millionths from then on when it is a whole
    number of them (a row from before ADR 0372 may realise a finer amount: kept exact)."""
    moved = step(row, signed, price)
    cost, realised = _micro(moved.open_cost), _micro(moved.realised)
    if _exact(realised) != moved.realised or _exact(cost) != moved.open_cost:
        return moved
    return (moved.quantity, cost, realised)


def _quantity(row: Micro | TradePnl) -> int:
    return row[0] if type(row) is tuple else row.quantity  # type: ignore[union-attr]


def _realised(row: Micro | TradePnl) -> Exact:
    return row[2] if type(row) is tuple else row.realised  # type: ignore[union-attr]


def step(row: TradePnl, signed: int, price: int) -> TradePnl:
    """``row`` after a fill of ``signed`` lots (buy > 0) at ``price`` ticks.

    A fill that shrinks the position keeps ``rest × average`` as open cost, the average
    rounded half-even to a millionth of a tick, and realises the exact rest of the cash
    (realised = open cost − net cost of all fills): realised plus unrealised P&L stays exact,
    every amount is a whole number of millionths (exact averages multiplied the denominators
    fill after fill), and the arithmetic runs on integers (ADR 0372).
    """
    q = row.quantity
    cost = _micro(row.open_cost)
    paid = signed * price * _U
    rest = q + signed
    if q == 0 or (q > 0) == (signed > 0):
        return TradePnl(rest, _exact(cost + paid), row.realised)
    partly = (rest > 0) == (q > 0) and rest != 0  # the rest keeps the average
    kept = _half_even(cost, q) * rest if partly else rest * price * _U  # else opens at price
    return TradePnl(rest, _exact(kept), _exact(_micro(row.realised) + kept - cost - paid))


#: Amounts are whole numbers of millionths of a tick·lot (ADR 0372).
_U = 10**6


def _micro(value: Exact) -> int:
    """``value`` in millionths (a row from before ADR 0372 is rounded half-even to them)."""
    if type(value) is int:
        return value * _U
    num, den = value.numerator, value.denominator
    if _U % den == 0:
        return num * (_U // den)
    return _half_even(num * _U, den)


def _half_even(num: int, den: int) -> int:
    """``num / den`` rounded half-even to an integer."""
    whole, left = divmod(num, den)
    twice = 2 * left if den > 0 else -2 * left
    if twice > abs(den) or (twice == abs(den) and whole % 2):
        return whole + 1
    return whole


def _exact(micro: int) -> Exact:
    """An amount given in millionths: an ``int`` when whole, else a ``Fraction``."""
    whole, left = divmod(micro, _U)
    return whole if left == 0 else Fraction(micro, _U)
