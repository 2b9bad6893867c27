"""Pre-trade margin check of the sequencer: clearing's ``check_order`` with an exact fast path.

The margin method is the paper's eq. 7 (``PaperMargin``), a gross sum ``Σ |q_c| · m_c``.
For most orders the answer is obvious — the order reduces an account's gross exposure,
or the account's collateral covers the requirement after a full fill with room to spare —
and the predicate can be answered from a running gross figure per account. Only orders
near the limit go through ``clearing.pretrade.check_order``; the decisions are the same
(ADR 0602, property-tested).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.margin.builders import lot_prices
from tokenfutures.clearing.margin.paper import PaperMargin
from tokenfutures.clearing.margin.volatility import sigma_n
from tokenfutures.clearing.pretrade import check_order

#: Daily settlements needed for σ20; with fewer the eq.-7 floor (8 % of notional) applies.
SIGMA_WINDOW = 20
#: Relative and absolute slack (USD) of the fast path, far above float rounding.
_REL_SLACK = 1e-9
_ABS_SLACK = 0.02


def paper_method(
    contracts: Sequence[ClearedContract],
    price_ticks: Mapping[str, int],
    history: Mapping[str, Sequence[int]],
) -> PaperMargin:
    """Eq. 7 over ``contracts`` at ``price_ticks``; σ20 from each one's settlement history."""
    prices = lot_prices(contracts, price_ticks)
    sigmas = []
    for contract in contracts:
        series = list(history.get(contract.symbol, ()))[-(SIGMA_WINDOW + 1) :]
        if len(series) > SIGMA_WINDOW:
            values = np.array([[float(contract.lot_value(t))] for t in series])
            sigmas.append(float(sigma_n(values, SIGMA_WINDOW)[0]))
        else:
            sigmas.append(0.0)
    return PaperMargin(
        tuple(c.symbol for c in contracts),
        prices,
        np.array(sigmas),
        floor_fraction=np.array([float(c.im_floor_fraction) for c in contracts]),
        cap_fraction=np.array([float(c.im_cap_fraction) for c in contracts]),
        maintenance_ratio=float(contracts[0].maintenance_ratio) if contracts else 0.75,
    )


class PreTradeRisk:
    """The margin method in force and each account's gross eq.-7 requirement (float USD)."""

    __slots__ = ("equity", "gross", "method", "per_lot")

    def __init__(self) -> None:
        self.method: PaperMargin | None = None
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
    ) -> None:
        """Re-price the method (listing, daily settlement) and recompute every account's gross."""
        live = [c for s, c in sorted(house.contracts.items()) if s not in house.expired]
        if not live:
            self.method, self.per_lot, self.gross, self.equity = None, {}, {}, {}
            return
        method = paper_method(live, price_ticks, history)
        self.method = method
        self.per_lot = dict(zip(method.contracts, method.per_lot().tolist(), strict=True))
        gross: dict[str, float] = {}
        for account in house.book.accounts():
            positions = house.book.positions_of(account)
            gross[account] = sum(abs(q) * self.per_lot.get(c, 0.0) for c, q in positions.items())
        self.gross = gross
        self.equity = {}

    def moved(self, account: str, contract: str, before: int, after: int) -> None:
        """Follow a position change of ``account`` in ``contract`` (a fill)."""
        per_lot = self.per_lot.get(contract)
        if per_lot is not None:
            self.gross[account] = (
                self.gross.get(account, 0.0) + (abs(after) - abs(before)) * per_lot
            )

    def accepts(self, house: ClearingHouse, account: str, contract: str, signed: int) -> bool:
        """Clearing's predicate: False exactly when ``check_order`` says ``INSUFFICIENT_MARGIN``."""
        per_lot = self.per_lot.get(contract)
        method = self.method
        if per_lot is None or method is None or signed == 0:
            return True  # not a cleared live contract: the engine rejects it
        held = house.book.position(account, contract)
        growth = abs(held + signed) - abs(held)
        if growth <= 0:
            return True  # risk-reducing: the requirement cannot grow
        bound = self.gross.get(account, 0.0) + growth * per_lot
        cash = self.equity.get(account)
        if cash is None:
            cash = self.equity[account] = float(house.equity(account))
        if bound * (1 + _REL_SLACK) + _ABS_SLACK <= cash:
            return True
        positions = house.book.positions_of(account)
        return check_order(method, positions, contract, signed, house.equity(account)).accepted
