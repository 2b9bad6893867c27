"""The clearing commands run end to end and print JSON on request."""

import json
from pathlib import Path

import numpy as np
import pytest

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
    beyond = sorted((float(m["uncollateralised"]) for m in doc["members"]), reverse=True)
    assert float(doc["cover2"]) == pytest.approx(beyond[0] + beyond[1])
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
