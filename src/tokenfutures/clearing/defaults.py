"""Default management: close out the defaulter, then cover its loss through the waterfall.

Close-out: the defaulter's positions pass to the auction winner at the close-out price moved
against the defaulter by a haircut (longs sold lower, shorts bought higher, rounded to the
tick against the defaulter). Both are marked at the last settlement prices, so the
defaulter pays the close-out loss and the winner receives it. A negative balance left on
the defaulter's collateral is then covered in order: defaulter's default-fund contribution
→ CCP skin in the game → other members' contributions pro rata → capped assessments.
The defaulter's own margin is used first by construction; non-defaulters' margin never.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import (
    SKIN_ACCOUNT,
    LedgerAccount,
    collateral,
    default_fund,
    external,
    transfer,
)
from tokenfutures.clearing.positions import Trade
from tokenfutures.clearing.settlement import post_variation_margin
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import MICRO, from_micros, round_down, to_micros


@dataclass(frozen=True, slots=True)
class WaterfallResult:
    """Loss absorbed by each layer of the waterfall, and what none of them covered (USD)."""

    closeout_loss: Decimal
    defaulter_margin: Decimal
    defaulter_fund: Decimal
    skin_in_the_game: Decimal
    mutualised_fund: Mapping[str, Decimal]
    assessments: Mapping[str, Decimal]
    uncovered: Decimal
    penalties: Decimal = Decimal(0)


def closeout_price(mark_ticks: int, position: int, haircut: Decimal) -> int:
    """Close-out price in ticks, moved against the defaulter by ``haircut`` (a fraction)."""
    if not 0 <= haircut < 1:
        raise InvalidParameterError("haircut", haircut, "in [0, 1)")
    if position > 0:
        return max(1, math.floor(mark_ticks * (1 - haircut)))
    return math.ceil(mark_ticks * (1 + haircut))


def close_out(
    house: ClearingHouse, defaulter: str, winner: str, prices: Mapping[str, int], haircut: Decimal
) -> Decimal:
    """Transfer the defaulter's positions to ``winner`` and settle both at the last marks.

    ``prices`` are the auction prices in ticks per contract (before the haircut). Returns the
    defaulter's close-out P&L (negative = loss).
    """
    if winner == defaulter or winner in house.defaulted:
        raise InvalidParameterError("winner", winner, "a live account other than the defaulter")
    pnl = Decimal(0)
    for contract, qty in sorted(house.book.positions_of(defaulter).items()):
        if contract not in prices or contract not in house.marks:
            raise InvalidParameterError("prices", contract, "an auction price and a last mark")
        price = closeout_price(prices[contract], qty, haircut)
        buyer, seller = (winner, defaulter) if qty > 0 else (defaulter, winner)
        house.book.transfer(Trade(0, contract, price, abs(qty), buyer, seller))
        vm = post_variation_margin(
            house, contract, house.marks[contract], "close-out", {defaulter, winner}
        )
        pnl += vm.get(defaulter, Decimal(0))
    return pnl


def run_waterfall(
    house: ClearingHouse,
    defaulter: str,
    members: Sequence[str],
    assessment_multiple: Decimal,
    juniorised: tuple[LedgerAccount, Decimal] | None = None,
) -> tuple[Decimal, Decimal, dict[str, Decimal], dict[str, Decimal]]:
    """Cover a negative balance on the defaulter's collateral, layer by layer (journal entries).

    ``juniorised``: an account and a cap drawn after the skin and before the other members'
    contributions (the auction's non-bidder penalties, ADR 0420). Returns what the
    defaulter's fund, the skin, the mutualised fund and assessments paid.
    """
    hole = collateral(defaulter)

    def draw(source: LedgerAccount, cap: Decimal, memo: str) -> Decimal:
        amount = min(max(-house.ledger.balance(hole), Decimal(0)), max(cap, Decimal(0)))
        if amount > 0:
            house.ledger.post(transfer(source, hole, amount, memo))
        return amount

    own_fund = default_fund(defaulter)
    own = draw(own_fund, house.ledger.balance(own_fund), "waterfall: own fund")
    skin = draw(SKIN_ACCOUNT, house.ledger.balance(SKIN_ACCOUNT), "waterfall: skin")
    if juniorised is not None:
        draw(*juniorised, "waterfall: non-bidder penalties")
    others = [m for m in members if m != defaulter and m not in house.defaulted]
    funds = {m: house.ledger.balance(default_fund(m)) for m in others}
    mutualised = _pro_rata(house, hole, funds, "waterfall: mutualised fund", default_fund)
    caps = {m: assessment_multiple * funds[m] for m in others}
    assessments = _pro_rata(house, hole, caps, "waterfall: assessment", external)
    return own, skin, mutualised, assessments


def _pro_rata(
    house: ClearingHouse,
    hole: LedgerAccount,
    capacity: Mapping[str, Decimal],
    memo: str,
    account_of: Callable[[str], LedgerAccount],
) -> dict[str, Decimal]:
    """Draw the hole from members pro rata to ``capacity`` (largest-remainder, exact micros)."""
    need = to_micros(max(-house.ledger.balance(hole), Decimal(0)))
    caps = {m: to_micros(round_down(c, MICRO)) for m, c in capacity.items() if c > 0}
    total = sum(caps.values())
    if need == 0 or total == 0:
        return {}
    draw_total = min(need, total)
    shares = {m: draw_total * c // total for m, c in caps.items()}
    rest = draw_total - sum(shares.values())
    for m in sorted(caps, key=lambda m: (-(draw_total * caps[m] % total), m))[:rest]:
        shares[m] += 1
    out: dict[str, Decimal] = {}
    for m, micros in sorted(shares.items()):
        if micros:
            amount = from_micros(micros)
            house.ledger.post(transfer(account_of(m), hole, amount, memo))
            out[m] = amount
    return out


def manage_default(
    house: ClearingHouse,
    defaulter: str,
    winner: str,
    auction_prices: Mapping[str, int],
    haircut: Decimal,
    members: Sequence[str],
    assessment_multiple: Decimal = Decimal(1),
) -> WaterfallResult:
    """Declare ``defaulter`` in default, close it out and run the waterfall."""
    house.defaulted.add(defaulter)
    house.calls.pop(defaulter, None)
    margin_before = max(house.equity(defaulter), Decimal(0))
    pnl = close_out(house, defaulter, winner, auction_prices, haircut)
    loss = max(-pnl, Decimal(0))
    return cover_loss(house, defaulter, loss, margin_before, members, assessment_multiple)


def cover_loss(
    house: ClearingHouse,
    defaulter: str,
    loss: Decimal,
    margin_before: Decimal,
    members: Sequence[str],
    assessment_multiple: Decimal = Decimal(1),
    juniorised: tuple[LedgerAccount, Decimal] | None = None,
) -> WaterfallResult:
    """Run the waterfall on the defaulter's collateral after a close-out that cost ``loss``
    (its collateral was ``margin_before``); what each layer paid."""
    pool_before = house.ledger.balance(juniorised[0]) if juniorised else Decimal(0)
    own, skin, mutualised, assessments = run_waterfall(
        house, defaulter, members, assessment_multiple, juniorised
    )
    return WaterfallResult(
        closeout_loss=loss,
        defaulter_margin=min(loss, margin_before),
        defaulter_fund=own,
        skin_in_the_game=skin,
        mutualised_fund=mutualised,
        assessments=assessments,
        uncovered=max(-house.equity(defaulter), Decimal(0)),
        penalties=pool_before - house.ledger.balance(juniorised[0]) if juniorised else Decimal(0),
    )
