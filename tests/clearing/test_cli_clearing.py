"""The clearing commands run end to end and print JSON on request."""

import json
from pathlib import Path

import numpy as np
import pytest

from tokenfutures.clearing.default_fund import standard_stress_scenarios
from tokenfutures.clearing.stress import sample_members
from tokenfutures.cli.app import run


def test_backtest_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    png = tmp_path / "rates.png"
    assert (
        run(
            [
                "clearing",
                "backtest",
                "--preset",
                "paper",
                "--paths",
                "8",
                "--seed",
                "3",
                "--json",
                "--plot",
                str(png),
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(doc["methods"]) == {"paper-eq7", "span-scan", "fhs-var", "hs-es"}
    span = doc["methods"]["span-scan"]
    assert 0 <= span["breaches"] <= span["observations"]
    assert span["expected_rate"] == pytest.approx(0.01)
    assert png.stat().st_size > 1000


def test_backtest_table_and_bad_preset(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["clearing", "backtest", "--paths", "4", "--seed", "1"]) == 0
    assert "Kupiec" in capsys.readouterr().out
    assert run(["clearing", "backtest", "--preset", "nope"]) == 2


def test_stress_json_cover2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["clearing", "stress", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # the CLI's sample book (seed 7, 8 members) under the standard scenarios, re-derived here
    prices = np.array([2.00, 1.95, 1.90, 1.86])
    positions = sample_members(8, ("a", "b", "c", "d"), np.random.default_rng(7))
    losses = -(positions @ (prices[:, None] * standard_stress_scenarios(4)))
    im = np.array([float(m["initial_margin"]) for m in doc["members"]])
    beyond = np.maximum(losses - im[:, None], 0.0)
    same_scenario = max(sum(sorted(beyond[:, j], reverse=True)[:2]) for j in range(10))
    assert float(doc["cover2"]) == pytest.approx(same_scenario, abs=0.05)  # cents, rounded up
    worst = sorted((float(m["uncollateralised"]) for m in doc["members"]), reverse=True)
    assert worst[0] <= float(doc["cover2"]) <= worst[0] + worst[1]
    assert doc["adequate"] is True
    assert run(["clearing", "stress", "--members", "2"]) == 2


def test_backtest_on_a_csv_history(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    prices = 2.0 * np.exp(np.cumsum(rng.normal(0, 0.02, 320)))
    path = tmp_path / "tpi.csv"
    lines = ["date,tpi"] + [
        f"2026-{1 + i // 28:02d}-{1 + i % 28:02d},{p:.4f}" for i, p in enumerate(prices[:300])
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(["clearing", "backtest", "--csv", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert doc["paths"] == 1
    # 300 days, the first 250 are history: 48 two-day windows, long and short
    assert doc["methods"]["paper-eq7"]["observations"] == 2 * (300 - 250 - 2)
    assert run(["clearing", "backtest", "--csv", str(path), "--column", "px"]) == 2
