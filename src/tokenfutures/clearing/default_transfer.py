"""A defaulter's book through the CCP: taken over at the last marks, then awarded, then covered.

``take_over`` declares the default and moves the defaulter's positions to the CCP's house
account at the last settlement prices (no P&L: the defaulter's losses so far are already in
its collateral). ``award`` moves them on to the auction winner (or the members of a forced
allocation) at the same prices, settles the winning bid against the defaulter's collateral,
collects the non-bidders' penalties from their default-fund contributions, and covers what
the defaulter's collateral lacks through the waterfall, penalties ahead of the other
members' contributions (ADR 0408, 0420).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from tokenfutures.clearing.defaults import WaterfallResult, cover_loss
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import (
    AccountKind,
    LedgerAccount,
    collateral,
    default_fund,
    transfer,
)
from tokenfutures.clearing.positions import Trade
from tokenfutures.clearing.settlement import post_variation_margin
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_down

#: The CCP's house account: it holds a defaulter's positions between default and award.
CCP_HOUSE = "ccp"
#: Non-bidders' penalties: CCP income, drawn in the waterfall ahead of the mutualised fund.
PENALTY_ACCOUNT = LedgerAccount(AccountKind.FEES, "auction-penalties")


def transfer_trades(
    source: str, target: str, lots: Mapping[str, int], prices: Mapping[str, int]
) -> list[Trade]:
    """The trades that move ``lots`` (signed, as ``source`` holds them) to ``target`` at
    ``prices`` (ticks); also what a trade-price P&L book folds for a transfer."""
    out = []
    for contract, qty in sorted(lots.items()):
        if qty:
            buyer, seller = (target, source) if qty > 0 else (source, target)
            out.append(Trade(0, contract, prices[contract], abs(qty), buyer, seller))
    return out


def _move(house: ClearingHouse, source: str, target: str, lots: Mapping[str, int]) -> None:
    """Move ``lots`` (signed, as ``source`` holds them) to ``target`` at the last marks."""
    for trade in transfer_trades(source, target, lots, house.marks):
        house.book.transfer(trade)
        post_variation_margin(
            house, trade.contract, trade.price_ticks, "default transfer", {source, target}
        )


def take_over(house: ClearingHouse, defaulter: str) -> dict[str, int]:
    """Declare ``defaulter`` in default and move its positions to ``CCP_HOUSE``; the book moved.

    Raises ``InvalidParameterError`` when a position has no last mark to move it at.
    """
    book = house.book.positions_of(defaulter)
    missing = sorted(c for c in book if c not in house.marks)
    if missing:
        raise InvalidParameterError("positions", missing, "contracts with a last mark")
    house.defaulted.add(defaulter)
    house.calls.pop(defaulter, None)
    _move(house, defaulter, CCP_HOUSE, book)
    return book


def allocation_payments(
    house: ClearingHouse, allocation: Mapping[str, Mapping[str, int]], haircut: Decimal
) -> dict[str, Decimal]:
    """What each member of a forced allocation is paid (negative: paid to it) for its lots:
    ``haircut`` × the lots' value at the last marks, rounded down to the cent (ADR 0420)."""
    if not 0 <= haircut < 1:
        raise InvalidParameterError("haircut", haircut, "in [0, 1)")
    out = {}
    for member, lots in sorted(allocation.items()):
        value = sum(
            (abs(q) * house.contract(c).lot_value(house.marks[c]) for c, q in lots.items()),
            Decimal(0),
        )
        out[member] = -round_down(haircut * value)
    return out


def award(
    house: ClearingHouse,
    defaulter: str,
    allocation: Mapping[str, Mapping[str, int]],
    payments: Mapping[str, Decimal],
    penalties: Mapping[str, Decimal],
    members: Sequence[str],
) -> WaterfallResult:
    """Move the CCP's lots to their receivers, settle ``payments`` (what each receiver pays
    for its lots; negative: it is paid), collect ``penalties`` and run the waterfall."""
    margin_before = max(house.equity(defaulter), Decimal(0))
    for member, lots in sorted(allocation.items()):
        _move(house, CCP_HOUSE, member, lots)
    hole = collateral(defaulter)
    for member, amount in sorted(payments.items()):
        if amount > 0:
            house.ledger.post(transfer(collateral(member), hole, amount, "default auction: bid"))
        elif amount < 0:
            house.ledger.post(transfer(hole, collateral(member), -amount, "default auction: paid"))
    collected = Decimal(0)
    for member, owed in sorted(penalties.items()):
        take = min(owed, house.ledger.balance(default_fund(member)))
        if take > 0:
            house.ledger.post(
                transfer(default_fund(member), PENALTY_ACCOUNT, take, "non-bidder penalty")
            )
            collected += take
    loss = max(-sum(payments.values(), Decimal(0)), Decimal(0))
    return cover_loss(
        house, defaulter, loss, margin_before, members, juniorised=(PENALTY_ACCOUNT, collected)
    )
