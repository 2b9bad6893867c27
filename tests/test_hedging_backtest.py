"""The real-data hedging backtest on the shared price history (ADR 0131)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tokenfutures.contracts import paper_spec, product_spec
from tokenfutures.core.clock import SystemClock
from tokenfutures.index import IndexFixing
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.reports.backtest import BacktestResults, run_backtest

END = date(2026, 12, 1)


@pytest.fixture(scope="module")
def fixes(shared_data: Path) -> list[IndexFixing]:
    csv = shared_data / "llm_price_history.csv"
    service = open_index_service(csv, methodology="tpi-1.0")
    return [p.fixing for p in service.history(date(2025, 1, 1), END, SystemClock().now())]


@pytest.fixture(scope="module")
def result(fixes: list[IndexFixing]) -> BacktestResults:
    return run_backtest(fixes, product_spec("SIT"), END, seed=1)


def test_months_settle_on_the_contracts_own_window(
    fixes: list[IndexFixing], result: BacktestResults
) -> None:
    # the TPI's first fix is 2025-03-17: March 2025's window cannot be settled
    assert result.first_fix == date(2025, 3, 17)
    assert [s for s, _ in result.skipped] == ["SITH25"]
    october = next(s for s in result.settled if s.symbol == "SITV26")
    assert october.window == (date(2026, 10, 1), date(2026, 10, 21))  # third Wednesday
    # the index is flat at 0.324902 from July 2026 on: v2 settles at 0.32490 (tick 0.00001)
    assert october.price == Decimal("0.32490")
    paper = run_backtest(fixes, paper_spec(), END, horizons=(1,))
    assert next(s for s in paper.settled if s.symbol == "SITV26").price == Decimal("0.32")


def test_a_locked_buyer_faces_no_price_risk(result: BacktestResults) -> None:
    locked = result.row("locked", 1)
    assert "gemini-2.0-flash" in locked.description  # the cheapest route on 2025-03-17
    assert locked.optimal.sd_unhedged == 0.0  # its list price never changed
    assert math.isnan(locked.unit.effectiveness)
    assert locked.unit.sd_hedged > 0.0  # a hedge only adds risk


def test_the_index_buyer_keeps_only_the_window_basis(result: BacktestResults) -> None:
    index = result.row("index", 3)
    assert index.optimal.effectiveness > 0.9
    assert index.optimal.low <= index.optimal.effectiveness <= index.optimal.high
    assert 0.0 < result.window_basis_sd < 0.1


def test_strip_pnl_is_whole_lots_times_the_settlement_move(result: BacktestResults) -> None:
    row = result.row("switching", 1)
    k = row.symbols.index("SITV26")
    assert row.pnl_usd[k] == 0  # bought at 0.32490 on 30 September, settled at 0.32490
    first = row.symbols.index("SITK25")  # bought 2025-04-30, while the TPI fell
    assert row.pnl_usd[first] != 0
    # P&L is a whole number of ticks ($0.10 each) on whole lots
    assert all(
        (p / Decimal("0.1")) == (p / Decimal("0.1")).to_integral_value() for p in row.pnl_usd
    )


def test_same_seed_same_intervals(fixes: list[IndexFixing], result: BacktestResults) -> None:
    again = run_backtest(fixes, product_spec("SIT"), END, seed=1)
    assert again.to_dict() == result.to_dict()
    other = run_backtest(fixes, product_spec("SIT"), END, seed=2)
    assert other.row("index", 1).optimal.low != result.row("index", 1).optimal.low


def test_the_measured_basis_is_far_from_the_assumed_one(result: BacktestResults) -> None:
    switching = next(b for b in result.basis if b.buyer == "switching")
    # the study assumes an OU with sigma 0.25 (stationary sd 0.25 / sqrt(2 * 4) = 0.09)
    assert switching.daily.sd > 0.25
