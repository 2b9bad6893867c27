"""SIT v2 (ADR 0306): the re-based contract meets issue 14's sizing rules at today's index.

Today's TPI is about $0.29-0.33 per million SIT. Each rule is checked at both ends of that
range with exact decimals; the expected bounds are the issue's numbers, not the code's.
"""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.contracts import (
    final_settlement_price,
    listed_version,
    paper_spec,
    parse_symbol,
    product_spec,
    settlement_window,
    spec_versions,
)
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.marketmaking.obligations import PAPER_OBLIGATIONS, max_spread_ticks

V2 = product_spec("SIT", "v2")
TODAY_LOW, TODAY_HIGH = Decimal("0.29"), Decimal("0.33")
CONSOLE = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "tokenfutures"


def test_sit_lists_v2_by_default_and_keeps_the_paper_spec() -> None:
    assert spec_versions("SIT") == ("v1", "v2")
    assert listed_version("SIT") == "v2"
    assert product_spec("SIT") == V2
    assert paper_spec() == product_spec("SIT", "v1")
    assert (paper_spec().lot_size, paper_spec().tick_size) == (1_000_000, Decimal("0.01"))
    with pytest.raises(InvalidParameterError, match="version"):
        product_spec("SIT", "v9")


@pytest.mark.parametrize("price", [TODAY_LOW, TODAY_HIGH])
def test_a_tick_is_at_most_ten_basis_points(price: Decimal) -> None:
    assert V2.tick_size / price <= Decimal("0.001")


@pytest.mark.parametrize("price", [TODAY_LOW, TODAY_HIGH])
def test_one_lot_is_worth_between_1000_and_100000_usd(price: Decimal) -> None:
    ticks = int(price / V2.tick_size)
    assert Decimal(1_000) <= V2.notional(ticks, 1) <= Decimal(100_000)


@pytest.mark.parametrize("price", [TODAY_LOW, TODAY_HIGH])
def test_front_month_spread_obligation_is_at_least_ten_ticks(price: Decimal) -> None:
    mid_ticks = price / V2.tick_size
    assert max_spread_ticks(PAPER_OBLIGATIONS, mid_ticks, is_front=True) >= 10
    # the paper's contract could not even express the 2 % spread (ADR 0701)
    assert max_spread_ticks(PAPER_OBLIGATIONS, price / paper_spec().tick_size, True) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=TODAY_LOW, max_value=TODAY_HIGH, places=8),
        min_size=12,
        max_size=12,
    )
)
def test_final_settlement_rounding_is_within_one_basis_point(levels: list[Decimal]) -> None:
    symbol = parse_symbol("SITZ26")
    fixes = list(zip(settlement_window(V2, symbol), levels, strict=True))
    result = final_settlement_price(V2, symbol, fixes)
    assert abs(result.price - result.raw_mean) <= Decimal("0.0001") * result.raw_mean


def test_price_limits_and_margin_band_scale_with_the_price() -> None:
    prior = int(Decimal("0.30") / V2.tick_size)  # 30,000 ticks
    low, high = V2.price_limit_band(prior, 0)
    assert (low, high) == (25_500, 34_500)  # exactly ±15 %, no tick rounding left
    low, high = V2.price_limit_band(prior, 1)
    assert (low, high) == (22_500, 37_500)
    assert V2.initial_margin_fraction_range() == paper_spec().initial_margin_fraction_range()
    # 8 % of one lot at $0.30: 10,000 M SIT × 0.30 × 0.08 = $240 of initial margin per lot
    assert V2.notional(prior, 1) * V2.margin.initial_fraction_min == Decimal(240)


def test_the_calendar_and_settlement_window_are_unchanged() -> None:
    symbol = parse_symbol("SITZ26")
    assert settlement_window(V2, symbol) == settlement_window(paper_spec(), symbol)
    assert settlement_window(V2, symbol)[-1] == date(2026, 12, 16)


def test_contracts_cli_shows_v2_and_the_paper_spec_on_request() -> None:
    def spec(*extra: str) -> str:
        argv = [str(CONSOLE), "contracts", "spec", "SIT", *extra]
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    assert '"tick_size": "0.00001"' in spec("--json")
    assert '"lot": "10,000,000,000 SIT"' in spec("--json")
    assert '"tick_size": "0.01"' in spec("--json", "--spec-version", "v1")
    bad = subprocess.run(
        [str(CONSOLE), "contracts", "spec", "SIT", "--spec-version", "v7"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("price", [Decimal("0.12"), Decimal("0.20")])
def test_v2_also_fits_the_tpi_2_level(price: Decimal) -> None:
    # tpi-2.0 (ADR 0211) publishes about $0.12-0.20: every rule still holds
    ticks = int(price / V2.tick_size)
    assert V2.tick_size / price <= Decimal("0.001")
    assert Decimal(1_000) <= V2.notional(ticks, 1) <= Decimal(100_000)
    assert max_spread_ticks(PAPER_OBLIGATIONS, Decimal(ticks), is_front=True) >= 10
    assert V2.tick_size / 2 <= Decimal("0.0001") * price  # worst half-tick rounding
