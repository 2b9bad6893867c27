"""``tokenfutures reproduce`` writes every file and is reproducible for a seed (small runs)."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

from tokenfutures.cli.app import run
from tokenfutures.reports.inconsistencies import inconsistencies

FILES = (
    "report.md",
    "report.html",
    "results.json",
    "figure6_fan_chart.png",
    "vol_term_structure.png",
    "hedging_cost_baseline.png",
)
ARGS = ["--paths", "300", "--steps-per-year", "52", "--no-progress"]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reproduce") / "a"
    assert run(["reproduce", *ARGS, "--seed", "7", "--out", str(out)]) == 0
    return out


def test_writes_every_file(first_run: Path) -> None:
    for name in FILES:
        path = first_run / name
        assert path.is_file(), name
        assert path.stat().st_size > 0, name
    assert (first_run / "figure6_fan_chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (first_run / "report.md").read_text()
    for section in ("Table 3", "Figure 6", "Volatility term structure", "Hedging per scenario"):
        assert section in md
    assert "<table>" in (first_run / "report.html").read_text()


def test_same_seed_same_results(first_run: Path, tmp_path: Path) -> None:
    assert run(["reproduce", *ARGS, "--seed", "7", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "results.json").read_bytes() == (first_run / "results.json").read_bytes()


def test_other_seed_other_results(first_run: Path, tmp_path: Path) -> None:
    assert run(["reproduce", *ARGS, "--seed", "8", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "results.json").read_bytes() != (first_run / "results.json").read_bytes()


def test_results_hold_the_study(first_run: Path) -> None:
    results = json.loads((first_run / "results.json").read_text())
    assert results["settings"]["paths"] == 300
    assert results["settings"]["seed"] == 7
    assert set(results["scenarios"]) == {"baseline", "optimistic", "pessimistic"}
    base = results["scenarios"]["baseline"]["strip_optimal"]
    assert 0.0 < base["variance_reduction"] < 1.0
    assert base["std_reduction"] == pytest.approx(1 - math.sqrt(1 - base["variance_reduction"]))
    assert len(results["sensitivity"]) == 8
    sweep = {row["basis_sigma"]: row["variance_reduction"] for row in results["basis_sweep"]}
    # the listed contract's window (13 of 21 fixes, ADR 0130) leaves a window basis at sigma 0
    assert results["settings"]["program"]["settlement_fixes"] == 13
    assert 0.95 < sweep[0.0] < 1.0
    assert sweep[0.0] > sweep[0.1] > sweep[0.25] > sweep[0.4]
    claims = [row["claim"] for row in results["paper_vs_ours"]]
    assert "150 %/yr demand: 90 % upper bound at 36 months" in claims
    assert all(row["ours"] and row["assumption"] for row in results["paper_vs_ours"])
    assert len(results["monte_carlo"]["sample_paths"]) == 2


def test_inconsistencies_are_computed() -> None:
    text = " ".join(i.statement for i in inconsistencies())
    assert "63.9 %" in text
    assert "87.0 %" in text
    assert "53.1 %" in text
    assert "70.0 %" in text
    assert "3.33 months" in text  # ln 2 / 2.5
    assert "72.2 %" in text  # 0.85 as a correlation


def test_json_flag_prints_the_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["reproduce", *ARGS, "--seed", "7", "--out", str(tmp_path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((tmp_path / "results.json").read_text())


def test_new_inconsistencies_are_computed() -> None:
    text = " ".join(i.statement for i in inconsistencies())
    assert "$0.63" in text  # the largest sd of P_t under Table 3
    assert "3.0 %" in text  # gamma's damped amplitude in price
    assert "55.6 %" in text  # 1-month volatility, above sigma = 40 %
    assert "all three scenarios" in text


@pytest.fixture(scope="module")
def with_csv(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    out = tmp_path_factory.mktemp("reproduce") / "csv"
    console = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "tokenfutures"
    csv = shared_data / "llm_price_history.csv"
    argv = [str(console), "reproduce", *ARGS, "--seed", "7", "--out", str(out), "--csv", str(csv)]
    subprocess.run(argv, check=True, capture_output=True)
    return out


def test_csv_adds_the_backtest_and_the_real_data_column(with_csv: Path) -> None:
    assert (with_csv / "hedging_backtest_real.png").read_bytes()[:4] == b"\x89PNG"
    assert (with_csv / "hedge_effectiveness_surface.png").is_file()
    results = json.loads((with_csv / "results.json").read_text())
    assert results["backtest"]["spec_version"] == "v2"
    assert {h["buyer"] for h in results["backtest"]["hedges"]} == {
        "locked",
        "switching",
        "basket",
        "index",
    }
    rows = {row["claim"]: row for row in results["paper_vs_ours"]}
    rise = rows["paths that reach 2x their start within 36 months"]
    assert rise["real_data"].startswith("max P/P_0 = ")
    assert rise["calibrated"].endswith("%")  # the packaged calibrated preset, re-run
    assert "H = 3 months" in rows["baseline variance reduction"]["real_data"]
    md = (with_csv / "report.md").read_text()
    assert "Real-data hedging backtest on tpi-2.0" in md
    assert "ASSUMES sigma_b 0.25" in md


def test_both_series_are_in_the_report_settlement_first(with_csv: Path) -> None:
    results = json.loads((with_csv / "results.json").read_text())
    assert results["backtest_series"] == "tpi-2.0"  # the index's published default
    assert results["calibrated"]["preset"].startswith("tpi-2.0-mrjd-")
    tpi1 = results["comparison"]
    assert tpi1["series"] == "tpi-1.0"
    assert tpi1["calibrated"]["preset"].startswith("tpi-1.0-ratio-mrjd-")
    assert tpi1["backtest"]["spec_version"] == "v2"
    rows = {row["claim"]: row for row in tpi1["paper_vs_ours"]}
    rise = rows["paths that reach 2x their start within 36 months"]
    assert rise["real_data"].startswith("max P/P_0 = 1.20x")  # tpi-1.0's figure, as before
    assert results["backtest"]["first_fix"] != ""
    assert tpi1["backtest"]["hedges"]
    assert results["backtest"] != tpi1["backtest"]
    md = (with_csv / "report.md").read_text()
    assert "Real-data hedging backtest on tpi-1.0 (comparison)" in md
    assert "real data (tpi-1.0)" in md
    assert "calibrated (tpi-2.0-mrjd-" in md
    assert (with_csv / "hedging_backtest_real_tpi-1.0.png").read_bytes()[:4] == b"\x89PNG"


def test_a_missing_csv_is_a_usage_error(tmp_path: Path) -> None:
    console = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "tokenfutures"
    argv = [str(console), "reproduce", *ARGS, "--out", str(tmp_path / "o")]
    done = subprocess.run(
        [*argv, "--csv", str(tmp_path / "none.csv")], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_price_sd_in_closed_form_matches_simulation() -> None:
    import numpy as np

    from tokenfutures.quant.params import PAPER_TABLE3
    from tokenfutures.quant.process import simulate_log_paths, uniform_grid
    from tokenfutures.reports.inconsistencies import price_sd

    grid = uniform_grid(1.0, 12)
    prices = np.exp(simulate_log_paths(PAPER_TABLE3, grid, 40_000, np.random.default_rng(5)))
    simulated = prices.std(axis=0)[1:]
    assert np.allclose(price_sd(PAPER_TABLE3, grid)[1:], simulated, rtol=0.03)


def test_without_the_calibrated_preset_the_column_says_pending(tmp_path: Path) -> None:
    argv = ["reproduce", *ARGS, "--seed", "7", "--out", str(tmp_path), "--no-calibrated"]
    assert run(argv) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["calibrated"] is None
    assert {row["calibrated"] for row in results["paper_vs_ours"]} == {"pending calibration"}
