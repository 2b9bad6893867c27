"""The default fund, funded by the members: resized to Cover-2 every end of day.

After variation margin and fees, each clearing member's stress loss (its own and its clients'
positions under the stress scenarios) beyond the initial margin its accounts hold is ranked;
the two largest make Cover-2, split pro rata to initial margin and rounded up to the cent
(``size_default_fund``, ADR 0406). One balanced entry then moves each member's difference
between that share and its contribution on hand: a shortfall from its collateral into its
default-fund account, an excess back (ADR 0412). Calls are issued after it, so a member left
short of maintenance by its contribution is called the same day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tokenfutures.clearing.default_fund import (
    DefaultFundSizing,
    size_default_fund,
    standard_stress_scenarios,
)
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import JournalEntry, Posting, collateral, default_fund
from tokenfutures.clearing.margin.base import FloatArray
from tokenfutures.clearing.stress import member_positions


@dataclass(frozen=True, slots=True)
class FundInputs:
    """What sizing the fund needs beside the house: who contributes, per-lot prices, a memo.

    ``prices`` are USD per lot in the margin method's contract order; ``shocks`` default to
    the standard stress scenarios (parallel ±15–50 %, front-versus-back twists).
    """

    members: tuple[str, ...]
    prices: FloatArray
    memo: str
    shocks: FloatArray | None = None


#: Live accounts and their positions matrix (accounts × the margin method's contracts).
LivePositions = tuple[list[str], FloatArray]


def member_initial_margin(
    house: ClearingHouse, members: Sequence[str], initial: Iterable[tuple[str, float]]
) -> FloatArray:
    """Initial margin held per member (USD): the sum over its own account and its clients'."""
    row = {m: i for i, m in enumerate(members)}
    out = np.zeros(len(members))
    for account, amount in initial:
        i = row.get(house.member_of(account))
        if i is not None:
            out[i] += amount
    return out


def member_matrix(house: ClearingHouse, members: Sequence[str], live: LivePositions) -> FloatArray:
    """Positions per member (its own and its clients'), summed from the accounts' matrix."""
    accounts, matrix = live
    row = {m: i for i, m in enumerate(members)}
    rows = [row.get(house.member_of(a), -1) for a in accounts]
    out = np.zeros((len(members), matrix.shape[1]))
    taken = np.array(rows, dtype=np.int64) >= 0
    np.add.at(out, np.array(rows, dtype=np.int64)[taken], matrix[taken])
    return out


def collect_default_fund(
    house: ClearingHouse,
    contracts: Sequence[str],
    initial: Iterable[tuple[str, float]],
    inputs: FundInputs,
    live: LivePositions | None = None,
) -> DefaultFundSizing:
    """Size today's fund to Cover-2 and move each live member's difference (one entry).

    ``initial``: each live account's initial margin (USD); ``live``: the live accounts and
    their matrix in ``contracts``, when the caller has them.
    """
    members = [m for m in inputs.members if m not in house.defaulted]
    shocks = standard_stress_scenarios(len(contracts)) if inputs.shocks is None else inputs.shocks
    positions = (
        member_positions(house, members, contracts)
        if live is None
        else member_matrix(house, members, live)
    )
    sizing = size_default_fund(
        members,
        positions,
        inputs.prices,
        member_initial_margin(house, members, initial),
        shocks,
    )
    legs: list[Posting] = []
    for member, share in zip(members, sizing.contributions, strict=True):
        fund = default_fund(member)
        move = share - house.ledger.balance(fund)
        if move:
            legs += (Posting(collateral(member), -move), Posting(fund, move))
    if legs:
        house.ledger.post(JournalEntry(f"default fund (Cover-2) {inputs.memo}", tuple(legs)))
    return sizing
