"""Real-data hedging backtest: buyer archetypes hedged with strips of the listed SIT contract.

Every delivery month's contract is final-settled by ``contracts.final_settlement_price`` on the
real TPI history (the ``index history`` code path), so the hedge settles exactly as the listed
contract would have. Conventions (ADR 0131):
- A buyer consumes the same quantity every calendar day; its monthly unit cost is the mean of
  its daily price over the whole delivery month.
- Horizon H: month m's future is bought at the end of month m - H (H = 1: the day before the
  delivery month starts), at the latest TPI fix on that day rounded to the tick. There is no
  futures market to observe, so the entry price is the spot index: a martingale forward with no
  risk premium (an assumption, stated in the report).
- Exposure U = cost_m / p_entry - 1 (the buyer's cost surprise since the hedge was placed),
  payoff F = S_m / F_entry - 1 per unit of notional; hedged U - h F. E at h* (fitted in sample)
  and at h = 1 (not fitted), each with a moving-block bootstrap interval (seeded).
- Strip P&L in USD for a buyer spending ``REFERENCE_SPEND`` a month at entry, hedged h = 1 in
  whole lots of the listed spec.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from tokenfutures.contracts import (
    ContractSpec,
    ContractSymbol,
    DeliveryMonth,
    InsufficientFixesError,
    final_settlement_price,
    format_symbol,
    last_trading_day,
)
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import price_to_ticks, round_money
from tokenfutures.index import IndexFixing, level_series
from tokenfutures.quant.hedge_stats import (
    BasisFit,
    EffectivenessEstimate,
    bootstrap_effectiveness,
    fit_basis_ou,
)
from tokenfutures.reports.buyers import BuyerSeries, buyer_archetypes
from tokenfutures.reports.realpath import PathStats, path_stats

HORIZONS = (1, 3, 6)
REFERENCE_SPEND = Decimal(100_000)
DAYS_PER_YEAR = 365.0


class _Daily:
    """A daily series looked up as of a day (the latest value on or before it)."""

    def __init__(self, values: Mapping[date, float]) -> None:
        self.days = sorted(values)
        self.values = [values[d] for d in self.days]

    def at(self, day: date) -> float | None:
        k = bisect_right(self.days, day)
        return self.values[k - 1] if k else None

    def month_mean(self, first: date) -> float | None:
        days = _month_days(first)
        values = [v for v in (self.at(d) for d in days) if v is not None]
        return sum(values) / len(values) if len(values) == len(days) else None


def _month_days(first: date) -> list[date]:
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return [first + timedelta(days=k) for k in range((nxt - first).days)]


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Settled:
    """One delivery month's contract, final-settled on the real TPI by the contract's own rule."""

    symbol: str
    delivery: date
    window: tuple[date, date]
    raw_mean: Decimal
    price: Decimal
    tpi_month_mean: float


@dataclass(frozen=True, slots=True)
class HedgeRow:
    """One archetype at one horizon: the monthly samples, E at h* and h = 1, strip P&L."""

    buyer: str
    description: str
    horizon: int
    symbols: tuple[str, ...]
    exposure: tuple[float, ...]
    payoff: tuple[float, ...]
    optimal: EffectivenessEstimate
    unit: EffectivenessEstimate
    pnl_usd: tuple[Decimal, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "buyer": self.buyer,
            "description": self.description,
            "horizon_months": self.horizon,
            "months": list(self.symbols),
            "exposure": list(self.exposure),
            "payoff": list(self.payoff),
            "optimal": self.optimal.to_dict(),
            "unit": self.unit.to_dict(),
            "strip_pnl_usd": [str(p) for p in self.pnl_usd],
            "strip_pnl_total_usd": str(sum(self.pnl_usd, Decimal(0))),
        }


@dataclass(frozen=True, slots=True)
class BasisRow:
    """The basis of one archetype to the TPI, measured: daily OU fit and monthly to settlement."""

    buyer: str
    daily: BasisFit
    monthly_sd_change: float

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "buyer": self.buyer,
            "daily": self.daily.to_dict(),
            "monthly_sd_change": self.monthly_sd_change,
        }


@dataclass(frozen=True, slots=True)
class BacktestResults:
    """The whole real-data backtest."""

    spec_version: str
    first_fix: date
    end: date
    settled: tuple[Settled, ...]
    skipped: tuple[tuple[str, str], ...]
    rows: tuple[HedgeRow, ...]
    basis: tuple[BasisRow, ...]
    window_basis_sd: float
    buyers: tuple[BuyerSeries, ...]
    seed: int
    path: PathStats

    def row(self, buyer: str, horizon: int) -> HedgeRow:
        """The result of ``buyer`` at ``horizon`` months."""
        for r in self.rows:
            if (r.buyer, r.horizon) == (buyer, horizon):
                return r
        raise InvalidParameterError("buyer/horizon", (buyer, horizon), "a backtested pair")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "spec_version": self.spec_version,
            "first_fix": self.first_fix.isoformat(),
            "end": self.end.isoformat(),
            "seed": self.seed,
            "reference_spend_usd": str(REFERENCE_SPEND),
            "settlements": [
                {
                    "symbol": s.symbol,
                    "window": [s.window[0].isoformat(), s.window[1].isoformat()],
                    "raw_mean": str(s.raw_mean),
                    "price": str(s.price),
                    "tpi_month_mean": s.tpi_month_mean,
                }
                for s in self.settled
            ],
            "skipped": [{"symbol": s, "reason": r} for s, r in self.skipped],
            "hedges": [r.to_dict() for r in self.rows],
            "basis": [b.to_dict() for b in self.basis],
            "window_basis_sd": self.window_basis_sd,
            "buyers": {b.name: b.description for b in self.buyers},
            "tpi_path": self.path.to_dict(),
        }


def _settle_months(
    spec: ContractSpec, levels: list[tuple[date, Decimal]], tpi: _Daily, end: date
) -> tuple[list[Settled], list[tuple[str, str]]]:
    settled, skipped = [], []
    first = date(levels[0][0].year, levels[0][0].month, 1)
    while _shift(first, 1) - timedelta(days=1) <= end:
        symbol = ContractSymbol(spec.product, DeliveryMonth(first.year, first.month))
        text = format_symbol(symbol)
        try:
            result = final_settlement_price(spec, symbol, levels)
        except InsufficientFixesError as why:
            skipped.append((text, str(why)))
        else:
            mean = tpi.month_mean(first)
            if mean is not None and last_trading_day(spec, symbol) <= end:
                window = (result.window_start, result.last_trading_day)
                settled.append(Settled(text, first, window, result.raw_mean, result.price, mean))
        first = _shift(first, 1)
    return settled, skipped


def _hedge_row(
    spec: ContractSpec,
    buyer: BuyerSeries,
    settled: Sequence[Settled],
    tpi: _Daily,
    horizon: int,
    rng_seed: np.random.SeedSequence,
) -> HedgeRow | None:
    own = _Daily(buyer.prices)
    symbols, exposure, payoff, pnl = [], [], [], []
    for s in settled:
        entry = _shift(s.delivery, 1 - horizon) - timedelta(days=1)
        level, paid, cost = tpi.at(entry), own.at(entry), own.month_mean(s.delivery)
        if level is None or paid is None or cost is None or paid <= 0:
            continue
        futures = round_money(Decimal(repr(level)), quantum=spec.tick_size)
        symbols.append(s.symbol)
        exposure.append(cost / paid - 1.0)
        payoff.append(float(s.price / futures) - 1.0)
        lots = int(round_money(REFERENCE_SPEND / (futures * spec.lot_multiplier), Decimal(1)))
        move = price_to_ticks(s.price, spec.tick_size) - price_to_ticks(futures, spec.tick_size)
        pnl.append(spec.notional(move, lots))
    if len(symbols) < 3:
        return None
    fitted, fixed = rng_seed.spawn(2)
    optimal = bootstrap_effectiveness(exposure, payoff, np.random.default_rng(fitted))
    unit = bootstrap_effectiveness(exposure, payoff, np.random.default_rng(fixed), ratio=1.0)
    return HedgeRow(
        buyer.name,
        buyer.description,
        horizon,
        tuple(symbols),
        tuple(exposure),
        tuple(payoff),
        optimal,
        unit,
        tuple(pnl),
    )


def _basis_row(buyer: BuyerSeries, tpi: _Daily, settled: Sequence[Settled]) -> BasisRow:
    days = [d for d in sorted(buyer.prices) if tpi.at(d) is not None]
    daily = [math.log(buyer.prices[d]) - math.log(tpi.at(d) or math.nan) for d in days]
    own = _Daily(buyer.prices)
    monthly = []
    for s in settled:
        cost = own.month_mean(s.delivery)
        if cost is not None:
            monthly.append(math.log(cost) - math.log(float(s.price)))
    sd_change = float(np.std(np.diff(monthly), ddof=1)) if len(monthly) > 2 else math.nan
    return BasisRow(buyer.name, fit_basis_ou(daily, 1.0 / DAYS_PER_YEAR), sd_change)


def run_backtest(
    fixes: Sequence[IndexFixing],
    spec: ContractSpec,
    end: date,
    seed: int = 1,
    horizons: Sequence[int] = HORIZONS,
) -> BacktestResults:
    """Backtest the archetypes on ``fixes`` (daily TPI history) through ``end``; seeded intervals.

    Parameters
    ----------
    fixes : Sequence[IndexFixing]
        Daily fixes with their audit (from ``index.daily_history`` over the price history).
    spec : ContractSpec
        The listed contract whose strips hedge (final settlement, tick, lot).
    end : date
        Last day of real data: months whose window or month end lies after it are left out.
    seed : int
        Root seed of the bootstrap resamples.
    horizons : Sequence[int]
        Months between the hedge and the delivery month (>= 1 each).
    """
    if any(h < 1 for h in horizons):
        raise InvalidParameterError("horizons", tuple(horizons), "each >= 1")
    levels = [(d, v) for d, v in level_series(fixes) if d <= end]
    if not levels:
        raise InvalidParameterError("fixes", end.isoformat(), "published fixes up to end")
    tpi = _Daily({d: float(v) for d, v in levels})
    settled, skipped = _settle_months(spec, levels, tpi, end)
    kept = [f for f in fixes if f.as_of <= end]
    buyers = buyer_archetypes(kept, levels[0][0])
    root = np.random.SeedSequence(seed)
    children = root.spawn(len(buyers) * len(horizons))
    rows = []
    for k, (buyer, horizon) in enumerate((b, h) for b in buyers for h in horizons):
        row = _hedge_row(spec, buyer, settled, tpi, horizon, children[k])
        if row is not None:
            rows.append(row)
    window = [math.log(s.tpi_month_mean / float(s.price)) for s in settled]
    return BacktestResults(
        spec_version=spec.version,
        first_fix=levels[0][0],
        end=end,
        settled=tuple(settled),
        skipped=tuple(skipped),
        rows=tuple(rows),
        basis=tuple(_basis_row(b, tpi, settled) for b in buyers),
        window_basis_sd=float(np.std(window, ddof=1)) if len(window) > 1 else math.nan,
        buyers=tuple(buyers),
        seed=seed,
        path=path_stats(levels),
    )
