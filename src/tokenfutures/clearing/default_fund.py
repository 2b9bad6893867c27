"""Default fund sized daily to Cover-2 under stress scenarios, and its adequacy report.

A member's uncollateralised stress loss in a scenario is its loss there minus its initial
margin. Cover-2 is the largest, over the scenarios, of the two largest such losses in the same
scenario (any other pair, such as the 2nd and 3rd, is never larger; ADR 0412 replaces ADR
0406's sum of each member's worst over different scenarios). Contributions are allocated pro
rata to initial margin (ECC's rule) and rounded up to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tokenfutures.clearing.margin.base import FloatArray, money_up, money_up_many
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_up

#: Parallel price shocks (the two price-limit tiers and beyond) and calendar twists.
PARALLEL_SHOCKS = (-0.50, -0.35, -0.25, -0.15, 0.15, 0.25, 0.35, 0.50)
TWIST_SHOCK = 0.20


def standard_stress_scenarios(n_contracts: int) -> FloatArray:
    """Simple-return shocks (contracts × scenarios): parallel moves and front-vs-back twists."""
    if n_contracts < 1:
        raise InvalidParameterError("n_contracts", n_contracts, ">= 1")
    columns = [np.full(n_contracts, s) for s in PARALLEL_SHOCKS]
    if n_contracts > 1:
        tilt = np.linspace(1.0, -1.0, n_contracts) * TWIST_SHOCK
        columns += [tilt, -tilt]
    return np.column_stack(columns)


def stress_losses(positions: FloatArray, prices: FloatArray, shocks: FloatArray) -> FloatArray:
    """Loss of each account in each stress scenario (accounts × scenarios, gain < 0)."""
    result: FloatArray = -(np.asarray(positions) @ (np.asarray(prices)[:, None] * shocks))
    return result


@dataclass(frozen=True, slots=True)
class DefaultFundSizing:
    """Cover-2 sizing for one day: per-member stress figures and the fund with contributions."""

    members: tuple[str, ...]
    worst_stress_loss: tuple[Decimal, ...]
    initial_margin: tuple[Decimal, ...]
    uncollateralised: tuple[Decimal, ...]
    cover2: Decimal
    fund_size: Decimal
    contributions: tuple[Decimal, ...]


def size_default_fund(
    members: Sequence[str],
    positions: FloatArray,
    prices: FloatArray,
    initial_margin: FloatArray,
    shocks: FloatArray,
    minimum_fund: Decimal = Decimal(0),
) -> DefaultFundSizing:
    """Size the fund to Cover-2 (floored at ``minimum_fund``) and allocate it pro rata to IM."""
    if len(members) != np.asarray(positions).shape[0]:
        raise InvalidParameterError("members", len(members), "one per positions row")
    losses = stress_losses(positions, prices, shocks)
    worst = np.maximum(losses.max(axis=1, initial=0.0), 0.0)
    im = np.asarray(initial_margin, dtype=np.float64)
    beyond = np.maximum(losses - im[:, None], 0.0)  # members × scenarios
    beyond_usd = money_up_many(beyond.max(axis=1, initial=0.0))
    cover2 = cover2_of(beyond)
    fund = max(cover2, minimum_fund)
    im_usd = money_up_many(im)
    total_im = sum(im_usd, Decimal(0))
    if total_im > 0:
        shares = tuple(round_up(fund * m / total_im) for m in im_usd)
    else:
        shares = tuple(round_up(fund / len(members)) for _ in members) if members else ()
    return DefaultFundSizing(
        members=tuple(members),
        worst_stress_loss=tuple(money_up_many(worst)),
        initial_margin=tuple(im_usd),
        uncollateralised=tuple(beyond_usd),
        cover2=cover2,
        fund_size=fund,
        contributions=shares,
    )


def cover2_of(beyond: FloatArray) -> Decimal:
    """The largest sum, over scenarios, of the two largest losses beyond margin in that scenario.

    The two members must fail in the same market: a long and a short never both lose in one
    parallel move, so summing each member's worst over different scenarios would count
    opposite sides of one trade twice (ADR 0412).
    """
    if beyond.shape[0] == 0:
        return Decimal(0)
    if beyond.shape[0] == 1:
        return max((money_up(x) for x in beyond[0]), default=Decimal(0))
    top = -np.partition(-beyond, 1, axis=0)[:2]  # the two largest of each scenario
    return max(
        (money_up(a) + money_up(b) for a, b in zip(top[0], top[1], strict=True)),
        default=Decimal(0),
    )


@dataclass(frozen=True, slots=True)
class AdequacyReport:
    """Is the fund on hand (plus skin in the game) at least the Cover-2 requirement?"""

    fund_on_hand: Decimal
    skin_in_the_game: Decimal
    cover2: Decimal
    coverage_ratio: Decimal
    adequate: bool


def adequacy(fund_on_hand: Decimal, skin_in_the_game: Decimal, cover2: Decimal) -> AdequacyReport:
    """Compare prefunded resources (fund + skin) with today's Cover-2 requirement."""
    resources = fund_on_hand + skin_in_the_game
    ratio = (resources / cover2).quantize(Decimal("0.0001")) if cover2 > 0 else Decimal("Infinity")
    return AdequacyReport(fund_on_hand, skin_in_the_game, cover2, ratio, resources >= cover2)
