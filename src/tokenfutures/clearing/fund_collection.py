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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tokenfutures.clearing.default_fund import (
    DefaultFundSizing,
    size_default_fund,
    standard_stress_scenarios,
)
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import LedgerAccount, collateral, default_fund, entry_from_legs
from tokenfutures.clearing.margin.base import FloatArray, MarginRequirement
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


def member_initial_margin(
    house: ClearingHouse, members: Sequence[str], requirements: Mapping[str, MarginRequirement]
) -> FloatArray:
    """Initial margin held per member: the sum over its own account and its clients'."""
    held = dict.fromkeys(members, Decimal(0))
    for account, requirement in requirements.items():
        member = house.member_of(account)
        if member in held:
            held[member] += requirement.initial
    return np.array([float(held[m]) for m in members])


def collect_default_fund(
    house: ClearingHouse,
    contracts: Sequence[str],
    requirements: Mapping[str, MarginRequirement],
    inputs: FundInputs,
) -> DefaultFundSizing:
    """Size today's fund to Cover-2 and move each live member's difference (one entry)."""
    members = [m for m in inputs.members if m not in house.defaulted]
    shocks = standard_stress_scenarios(len(contracts)) if inputs.shocks is None else inputs.shocks
    sizing = size_default_fund(
        members,
        member_positions(house, members, contracts),
        inputs.prices,
        member_initial_margin(house, members, requirements),
        shocks,
    )
    legs: dict[LedgerAccount, Decimal] = {}
    for member, share in zip(members, sizing.contributions, strict=True):
        move = share - house.ledger.balance(default_fund(member))
        if move:
            legs[collateral(member)] = -move
            legs[default_fund(member)] = move
    if legs:
        house.ledger.post(entry_from_legs(f"default fund (Cover-2) {inputs.memo}", legs))
    return sizing
