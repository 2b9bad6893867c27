"""Positions per account and contract, folded from fills, with the cost basis for variation margin.

For each (account, contract) the book keeps the net position in lots, the position at the
last mark (``settled``) and the signed trade cost in tick·lots since that mark. Variation
margin at a new mark ``M`` (previous mark ``L``) is then exact integer arithmetic:
``vm = position·M − settled·L − cost`` ticks·lots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from tokenfutures.clearing.fills import Fill
from tokenfutures.clearing.marking import mark_columns, positions_matrix
from tokenfutures.core.errors import InvalidParameterError, InvariantError

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class FinalClose:
    """Every position in ``contract`` closed at its final settlement price (``price_ticks``)."""

    contract: str
    price_ticks: int


@dataclass(frozen=True, slots=True)
class Trade:
    """A concrete fill (used for close-out transfers and by callers without exchange events)."""

    trade_id: int
    contract: str
    price_ticks: int
    quantity: int
    buyer: str
    seller: str


class PositionBook:
    """Net positions, cost since the last mark, and traded lots per account (for fees)."""

    def __init__(self) -> None:
        self._position: dict[Key, int] = {}
        self._cost: dict[Key, int] = {}
        self._settled: dict[Key, int] = {}
        self._traded_lots: dict[str, int] = {}
        self._moves: list[Trade | FinalClose] = []
        self.fills_applied = 0

    def transfer(self, trade: Trade) -> None:
        """Move positions as ``trade`` does without billing fees on it (default close-outs).

        The move is also kept for ``take_moves`` (trade-price P&L follows it; ADR 0433).
        """
        self.apply_fills((trade,))
        for account in (trade.buyer, trade.seller):
            self._traded_lots[account] -= trade.quantity
        self._moves.append(trade)

    def take_moves(self) -> list[Trade | FinalClose]:
        """Close-out transfers and final closes since the last call, in order; and forget them."""
        moves, self._moves = self._moves, []
        return moves

    def apply_fills(self, fills: Iterable[Fill]) -> int:
        """The fast path: fold many fills into positions, costs and traded lots.

        Returns the number of fills applied. A fill with a price or quantity <= 0 raises; the
        fills before it stay applied (the sequencer validates events before they get here).
        """
        position, cost, traded = self._position, self._cost, self._traded_lots
        n = 0
        try:
            for f in fills:
                buyer, seller, contract = f.buyer, f.seller, f.contract
                price, qty = f.price_ticks, f.quantity
                if qty <= 0 or price <= 0:
                    raise InvalidParameterError(
                        "fill", (price, qty), "price_ticks > 0, quantity > 0"
                    )
                paid = price * qty
                kb = (buyer, contract)
                ks = (seller, contract)
                position[kb] = position.get(kb, 0) + qty
                position[ks] = position.get(ks, 0) - qty
                cost[kb] = cost.get(kb, 0) + paid
                cost[ks] = cost.get(ks, 0) - paid
                traded[buyer] = traded.get(buyer, 0) + qty
                traded[seller] = traded.get(seller, 0) + qty
                n += 1
        finally:
            self.fills_applied += n
        return n

    def position(self, account: str, contract: str) -> int:
        """Net lots (long > 0)."""
        return self._position.get((account, contract), 0)

    def positions_of(self, account: str) -> dict[str, int]:
        """Non-zero net positions of one account by contract."""
        return {c: q for (a, c), q in self._position.items() if a == account and q != 0}

    def accounts(self) -> list[str]:
        """Every account that ever held a position, sorted."""
        return sorted(set(map(itemgetter(0), self._position)))

    def contracts(self) -> list[str]:
        """Every contract ever traded, sorted."""
        return sorted(set(map(itemgetter(1), self._position)))

    def open_interest(self, contract: str) -> int:
        """Sum of long positions in ``contract`` (= sum of shorts)."""
        return sum(q for (_, c), q in self._position.items() if c == contract and q > 0)

    def net(self, contract: str) -> int:
        """Sum of all positions in ``contract``: zero unless the book is broken."""
        return sum(q for (_, c), q in self._position.items() if c == contract)

    def check_balanced(self) -> None:
        """Raise ``InvariantError`` if the positions of any contract do not sum to zero."""
        for contract in self.contracts():
            if self.net(contract) != 0:
                raise InvariantError(f"positions in {contract} sum to {self.net(contract)}")

    def traded_lots(self, account: str) -> int:
        """Lots traded by ``account`` since the last fee sweep."""
        return self._traded_lots.get(account, 0)

    def take_traded_lots(self) -> dict[str, int]:
        """Lots traded per account since the last call, and reset them (for fee billing)."""
        lots, self._traded_lots = self._traded_lots, {}
        return lots

    def matrix(self, accounts: Sequence[str], contracts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Positions as a float matrix (accounts × contracts) for the margin kernels."""
        return positions_matrix(self._position, accounts, contracts)

    def mark(self, account: str, contract: str, mark_ticks: int, last_mark_ticks: int) -> int:
        """Variation margin (ticks·lots, gain > 0) of one position at a new mark; resets its basis."""
        key = (account, contract)
        q = self._position.get(key, 0)
        vm = q * mark_ticks - self._settled.get(key, 0) * last_mark_ticks - self._cost.get(key, 0)
        self._settled[key] = q
        self._cost[key] = 0
        return vm

    def mark_all(
        self,
        marks: Mapping[str, tuple[int, int]],
        weights: Mapping[str, int],
        *,
        columns: bool = True,
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Mark every position of the contracts in ``marks`` (new, last ticks) in one pass.

        Same arithmetic and basis reset as ``mark``. Returns each account's VM summed over
        contracts as ticks·lots × ``weights[contract]`` (an account with any non-zero VM is
        present) and the net VM in ticks·lots of each contract in which any position moved
        (zero unless the book is broken). ``columns`` allows the int64 array path
        (``clearing.marking``), which gives the same result where it applies.
        """
        position, cost, settled = self._position, self._cost, self._settled
        fast = mark_columns(position, settled, cost, marks, weights) if columns else None
        if fast is not None:
            return fast
        by_account: dict[str, int] = {}
        net: dict[str, int] = {}
        for key, q in position.items():
            account, contract = key
            mark = marks.get(contract)
            if mark is None:
                continue
            paid, held = cost.get(key, 0), settled.get(key, 0)
            if not (q or paid or held):
                continue
            vm = q * mark[0] - held * mark[1] - paid
            settled[key] = q
            cost[key] = 0
            if vm:
                net[contract] = net.get(contract, 0) + vm
                by_account[account] = by_account.get(account, 0) + vm * weights[contract]
        return by_account, net

    def keys_in(self, contract: str) -> list[Key]:
        """Every (account, contract) key of one contract with a position or an unsettled cost."""
        return sorted(
            k
            for k in self._position
            if k[1] == contract and (self._position[k] or self._cost.get(k) or self._settled.get(k))
        )

    def close_contract(self, contract: str, final_price_ticks: int) -> None:
        """Drop every position in ``contract`` (after final settlement has marked them at
        ``final_price_ticks``; kept for ``take_moves``)."""
        for key in [k for k in self._position if k[1] == contract]:
            if self._cost.get(key, 0):
                raise InvariantError(f"{key} closed with unsettled cost")
            del self._position[key]
            self._settled.pop(key, None)
            self._cost.pop(key, None)
        self._moves.append(FinalClose(contract, final_price_ticks))
