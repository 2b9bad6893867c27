"""Pre-trade margin check of the sequencer: clearing's ``check_order`` with an exact fast path.

The margin method is the venue's live method (``clearing.margin.live``, ADR 0407). For the
coherent ones (eq. 7, HS ES, FHS) ``Σ |q_c| · m_c`` over single-lot figures bounds the
requirement, so most orders are answered from a running gross figure per account — the
account's collateral covers the bound after a full fill with room to spare, or (eq. 7 only)
the order shrinks a position. Other orders go through ``clearing.pretrade.check_order``;
the decisions are the same (ADR 0602, property-tested).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.margin.base import MarginMethod
from tokenfutures.clearing.margin.live import DEFAULT_LIVE_METHOD, live_method, per_lot_bound
from tokenfutures.clearing.pretrade import check_order

#: Relative and absolute slack (USD) of the fast path, far above float rounding.
_REL_SLACK = 1e-9
_ABS_SLACK = 0.02
#: Methods whose single-lot figures bound any portfolio's requirement (coherent, ADR 0407).
_BOUNDED = frozenset({"paper-eq7", "hs-es", "fhs-var"})


class PreTradeRisk:
    """The margin method in force and each account's gross single-lot bound (float USD)."""

    __slots__ = ("equity", "gross", "method", "per_lot")

    def __init__(self) -> None:
        self.method: MarginMethod | None = None
        self.per_lot: dict[str, float] = {}
        self.gross: dict[str, float] = {}
        self.equity: dict[str, float] = {}

    def forget_equity(self) -> None:
        """Drop the cached collateral figures (after any ledger posting)."""
        self.equity = {}

    def rebuild(
        self,
        house: ClearingHouse,
        price_ticks: Mapping[str, int],
        history: Mapping[str, Sequence[int]],
        method_name: str = DEFAULT_LIVE_METHOD,
    ) -> None:
        """Re-price the method (listing, daily settlement) and recompute every account's gross."""
        live = [c for s, c in sorted(house.contracts.items()) if s not in house.expired]
        if not live:
            self.method, self.per_lot, self.gross, self.equity = None, {}, {}, {}
            return
        method = live_method(method_name, live, price_ticks, history)
        self.method = method
        bound = per_lot_bound(method)
        self.per_lot = dict(zip(method.contracts, bound.tolist(), strict=True))
        accounts = house.book.accounts()
        exposure = np.abs(house.book.matrix(accounts, method.contracts)) @ bound
        gross = dict(zip(accounts, exposure.tolist(), strict=True))
        self.gross = gross
        self.equity = {}

    def moved(self, account: str, contract: str, before: int, after: int) -> None:
        """Follow a position change of ``account`` in ``contract`` (a fill)."""
        per_lot = self.per_lot.get(contract)
        if per_lot is not None:
            self.gross[account] = (
                self.gross.get(account, 0.0) + (abs(after) - abs(before)) * per_lot
            )

    def cash(self, house: ClearingHouse, account: str) -> float:
        """``account``'s collateral (float USD), cached until the next ledger posting."""
        cash = self.equity.get(account)
        if cash is None:
            cash = self.equity[account] = float(house.equity(account))
        return cash

    def accepts(self, house: ClearingHouse, account: str, contract: str, signed: int) -> bool:
        """Clearing's predicate: False exactly when ``check_order`` says ``INSUFFICIENT_MARGIN``."""
        per_lot = self.per_lot.get(contract)
        method = self.method
        if per_lot is None or method is None or signed == 0:
            return True  # not a cleared live contract: the engine rejects it
        held = house.book.position(account, contract)
        growth = abs(held + signed) - abs(held)
        if method.name == "paper-eq7" and growth <= 0:
            return True  # gross eq. 7: a smaller position cannot raise the requirement
        if method.name in _BOUNDED:
            bound = self.gross.get(account, 0.0) + max(growth, 0) * per_lot
            if bound * (1 + _REL_SLACK) + _ABS_SLACK <= self.cash(house, account):
                return True
        positions = house.book.positions_of(account)
        return check_order(method, positions, contract, signed, house.equity(account)).accepted


class RunAllowance:
    """Admits orders to a run applied in one engine call while every one of them would pass
    ``PreTradeRisk.accepts`` whatever the run's earlier orders fill (ADR 0375).

    An order of ``a`` on ``c`` passes the fast path when ``gross[a] + growth·m_c`` is covered.
    Within a run of plain orders (no stops, no timers due) every trade has an aggressor among
    the run's orders, so ``a``'s gross has grown by at most ``Σ_c m_c·Q_c`` (``Q_c``: lots the
    run has entered on ``c``) and the order's own growth is at most its size: the admitted
    bound ``gross[a] + own[a] + Σ_c m_c·Q_c`` covers the check, with a margin over rounding.
    """

    __slots__ = ("_house", "_own", "_risk", "_spread")

    def __init__(self, risk: PreTradeRisk, house: ClearingHouse) -> None:
        self._risk, self._house = risk, house
        self._spread = 0.0
        self._own: dict[str, float] = {}

    @staticmethod
    def applies(risk: PreTradeRisk) -> bool:
        """Whether the live method allows runs (coherent methods, or none listed)."""
        return risk.method is None or risk.method.name in _BOUNDED

    def admits(self, account: str, contract: str, quantity: int) -> bool:
        """Admit an order of ``quantity`` lots (counted in the run's bound) or refuse it."""
        risk = self._risk
        per_lot = risk.per_lot.get(contract)
        if per_lot is None or risk.method is None or quantity <= 0:
            return True  # ``accepts`` answers True, or the engine rejects the order
        added = quantity * per_lot
        spread = self._spread + added
        own = self._own.get(account, 0.0) + added
        bound = risk.gross.get(account, 0.0) + own + spread
        if bound * (1 + 2 * _REL_SLACK) + 2 * _ABS_SLACK > risk.cash(self._house, account):
            return False
        self._spread, self._own[account] = spread, own
        return True
