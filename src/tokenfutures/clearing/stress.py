"""The daily stress test and default-fund adequacy report, on the house or a sample member set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tokenfutures.clearing.default_fund import (
    AdequacyReport,
    DefaultFundSizing,
    adequacy,
    size_default_fund,
    standard_stress_scenarios,
)
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import SKIN_ACCOUNT
from tokenfutures.clearing.margin.base import FloatArray, MarginMethod
from tokenfutures.clearing.margin.span import span_from_volatility


@dataclass(frozen=True, slots=True)
class StressRun:
    """Inputs and Cover-2 sizing of one stress run."""

    contracts: tuple[str, ...]
    prices: FloatArray
    positions: FloatArray
    shocks: FloatArray
    losses: FloatArray  # members × scenarios
    sizing: DefaultFundSizing


def sample_members(
    n_members: int, contracts: tuple[str, ...], rng: np.random.Generator
) -> FloatArray:
    """Random directional and spread books whose positions net to zero in every contract."""
    pos = rng.integers(-5_000, 5_001, size=(n_members, len(contracts))).astype(np.float64)
    pos[-1] = -pos[:-1].sum(axis=0)  # the last member takes the other side of everyone
    return pos


def run_stress(
    contracts: tuple[str, ...], prices: FloatArray, sigma: FloatArray, positions: FloatArray
) -> StressRun:
    """Stress every member under the standard scenarios, margin with SPAN, size Cover-2."""
    shocks = standard_stress_scenarios(len(contracts))
    span = span_from_volatility(contracts, prices, sigma)
    im = span.requirements(positions).initial
    members = tuple(f"M{i + 1:02d}" for i in range(positions.shape[0]))
    losses = -(positions @ (prices[:, None] * shocks))
    sizing = size_default_fund(members, positions, prices, im, shocks)
    return StressRun(contracts, prices, positions, shocks, losses, sizing)


@dataclass(frozen=True, slots=True)
class DailyStressReport:
    """The daily stress test on the house's real positions, and the fund's adequacy."""

    members: tuple[str, ...]
    losses: FloatArray  # members × scenarios
    sizing: DefaultFundSizing
    adequacy: AdequacyReport


def daily_stress_report(
    house: ClearingHouse,
    members: Sequence[str],
    method: MarginMethod,
    prices: FloatArray,
    shocks: FloatArray | None = None,
) -> DailyStressReport:
    """Stress each member's positions (house + clients), size Cover-2, compare with resources on hand."""
    shocks = standard_stress_scenarios(len(method.contracts)) if shocks is None else shocks
    positions = member_positions(house, members, method.contracts)
    im = method.requirements(positions).initial
    sizing = size_default_fund(members, positions, prices, im, shocks)
    on_hand = sum(house.default_fund_contributions().values(), Decimal(0))
    report = adequacy(on_hand, house.ledger.balance(SKIN_ACCOUNT), sizing.cover2)
    losses = -(positions @ (np.asarray(prices)[:, None] * shocks))
    return DailyStressReport(tuple(members), losses, sizing, report)


def member_positions(
    house: ClearingHouse, members: Sequence[str], contracts: Sequence[str]
) -> FloatArray:
    """Positions per clearing member: its own account plus its clients' (members × contracts)."""
    accounts = house.book.accounts()
    row = {m: i for i, m in enumerate(members)}
    out = np.zeros((len(members), len(contracts)))
    for account, held in zip(accounts, house.book.matrix(accounts, contracts), strict=True):
        member = house.member_of(account)
        if member in row:
            out[row[member]] += held
    return out
