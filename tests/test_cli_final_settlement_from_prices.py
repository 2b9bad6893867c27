"""`contracts final-settlement --csv` fixes the TPI from real prices, then settles like `--fixes`."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tokenfutures.cli.app import run
from tokenfutures.core.clock import SystemClock
from tokenfutures.index.sources.inputs import open_index_service

TPI1 = "tpi-1.0"


def _settle(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert run(["contracts", "final-settlement", "SITM26", *args, "--json"]) == 0
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return document


def test_csv_and_fixes_paths_agree(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prices = shared_data / "llm_price_history.csv"
    # tpi-1.0: sit-v1's 0.01 tick is ~3 % of its level (8 % of tpi-2.0's; ADR 0211, 0236)
    service = open_index_service(prices, methodology=TPI1)
    levels = service.levels(date(2026, 5, 20), date(2026, 6, 17), SystemClock().now())
    assert levels, "the real data must fix the TPI in June 2026"
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("date,level\n" + "".join(f"{d.isoformat()},{v}\n" for d, v in levels))
    from_prices = _settle(["--csv", str(prices), "--methodology", TPI1], capsys)
    from_fixes = _settle(["--fixes", str(fixes)], capsys)
    assert from_prices["final_settlement_price"] == from_fixes["final_settlement_price"]
    in_window = [v for d, v in levels if date(2026, 6, 1) <= d <= date(2026, 6, 17)]
    assert min(in_window) <= Decimal(str(from_prices["final_settlement_price"])) <= max(in_window)


def test_both_or_neither_source_is_a_usage_error(tmp_path: Path) -> None:
    assert run(["contracts", "final-settlement", "SITM26"]) == 2
    both = ["--csv", str(tmp_path / "a.csv"), "--fixes", str(tmp_path / "b.csv")]
    assert run(["contracts", "final-settlement", "SITM26", *both]) == 2
