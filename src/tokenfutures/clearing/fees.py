"""Trading (maker/taker) and clearing fees: lots accrued per trade, billed to the ledger daily.

The venue folds every trade into a ``FeeBook`` as it happens: per account and contract, the
lots it traded as maker (its order rested) and as taker (its order took liquidity; both sides
of an auction print count as takers). End of day prices those lots at the schedule in force
that trading day and posts one balanced entry: each account's fees from its collateral, the
trading fees to the exchange's fee account (net of maker rebates) and the clearing fees to the
CCP's (ADR 0411, 0617).
Lots are integers and rates whole micro-USD, so every fee is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tokenfutures.clearing.fills import Fill
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import (
    FEES_ACCOUNT,
    TRADING_FEES_ACCOUNT,
    JournalEntry,
    Posting,
    collateral,
)
from tokenfutures.contracts.fee_schedule import FeeRates
from tokenfutures.core.money import from_micros, to_micros

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class FeeCharge:
    """What one account was charged at one end of day (a rebate makes ``trading`` negative)."""

    maker_lots: int
    taker_lots: int
    trading: Decimal
    clearing: Decimal

    @property
    def total(self) -> Decimal:
        """Trading plus clearing fees (USD, charged > 0)."""
        return self.trading + self.clearing


class FeeBook:
    """Lots traded as maker and as taker per (account, contract) since the last bill."""

    def __init__(self) -> None:
        self.maker: dict[Key, int] = {}
        self.taker: dict[Key, int] = {}

    def accrue(self, fills: Iterable[Fill]) -> None:
        """Count each fill's lots against its maker and its taker (the trade path: two adds).

        The exchange's trades carry ``aggressor_side`` (+1 the buyer took, -1 the seller, None
        an auction print); a fill without it counts as a print.
        """
        maker, taker = self.maker, self.taker
        for f in fills:
            contract, qty = f.contract, f.quantity
            side = getattr(f, "aggressor_side", None)  # a fill without one counts as a print
            kb, ks = (f.buyer, contract), (f.seller, contract)
            buyer_book = maker if side is not None and side < 0 else taker
            seller_book = maker if side is not None and side > 0 else taker
            buyer_book[kb] = buyer_book.get(kb, 0) + qty
            seller_book[ks] = seller_book.get(ks, 0) + qty

    def lots(self) -> dict[Key, tuple[int, int]]:
        """``(maker lots, taker lots)`` per (account, contract) accrued, sorted."""
        keys = sorted(self.maker.keys() | self.taker.keys())
        return {k: (self.maker.get(k, 0), self.taker.get(k, 0)) for k in keys}

    def contracts(self) -> set[str]:
        """The contracts with lots accrued."""
        return {c for _, c in self.maker} | {c for _, c in self.taker}

    def charges(self, rates: Mapping[str, FeeRates]) -> dict[str, FeeCharge]:
        """Each account's accrued fees priced at ``rates`` (by contract), not yet billed."""
        micros = {
            c: (to_micros(r.maker), to_micros(r.taker), to_micros(r.clearing))
            for c, r in rates.items()
        }
        sums: dict[str, list[int]] = {}  # maker lots, taker lots, trading and clearing micros
        for role, accrued in ((0, self.maker), (1, self.taker)):
            for (account, contract), lots in accrued.items():
                rate = micros[contract]
                row = sums.get(account)
                if row is None:
                    row = sums[account] = [0, 0, 0, 0]
                row[role] += lots
                row[2] += lots * rate[role]
                row[3] += lots * rate[2]
        return {
            a: FeeCharge(m, t, from_micros(trading), from_micros(clearing))
            for a, (m, t, trading, clearing) in sorted(sums.items())
        }

    def clear(self) -> None:
        """Forget the accrued lots (after they are billed)."""
        self.maker.clear()
        self.taker.clear()

    def hash_rows(self) -> list[list[object]]:
        """The accrual as sorted rows, for the state hash."""
        return [[a, c, m, t] for (a, c), (m, t) in self.lots().items()]


def bill_fees_by_rates(
    house: ClearingHouse, book: FeeBook, rates: Mapping[str, FeeRates], memo: str
) -> dict[str, FeeCharge]:
    """Post the accrued fees (one entry: trading and clearing) and reset ``book``."""
    charges = book.charges(rates)
    legs = [
        Posting(collateral(account), -charge.total)
        for account, charge in charges.items()
        if charge.total
    ]
    trading = sum((c.trading for c in charges.values()), Decimal(0))
    clearing = sum((c.clearing for c in charges.values()), Decimal(0))
    legs += [
        Posting(a, x) for a, x in ((TRADING_FEES_ACCOUNT, trading), (FEES_ACCOUNT, clearing)) if x
    ]
    if legs:
        house.ledger.post(JournalEntry(f"fees {memo}", tuple(legs)))
    book.clear()
    return {a: c for a, c in charges.items() if c.maker_lots or c.taker_lots}
