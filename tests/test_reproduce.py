"""``tokenfutures reproduce`` writes every file and is reproducible for a seed (small runs)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tokenfutures.cli.app import run
from tokenfutures.reports.paper import inconsistencies

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
