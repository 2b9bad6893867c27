"""``tokenfutures calibrate`` through the installed console script: real data, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(sys.executable).with_name("tokenfutures")


def calibrate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "calibrate", "--no-progress", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_real_tpi_history_json(shared_data: Path, tmp_path: Path) -> None:
    presets = tmp_path / "presets.json"
    done = calibrate(
        "--csv", str(shared_data / "llm_price_history.csv"),
        "--to", "2026-11-09",
        "--methodology", "tpi-1.0",
        "--model", "mrjd", "--model", "step", "--model", "gbm",
        "--save-preset", str(presets),
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["window"] == {"from": "2025-03-17", "to": "2026-11-09"}
    assert report["observations"] == 603
    assert set(report["fits"]) == {"mrjd", "step", "gbm"}
    assert len(report["forecasts"]) == 3
    assert report["forecasts"][0]["n_forecasts"] >= 10
    table3 = {r["parameter"]: r for r in report["table3"]}
    assert table3["kappa"]["table3_assumed"] == 2.5
    assert "assumptions" in report["table3_note"]
    # the daily TPI moves by repricings: a few dozen jumps a year, no diffusion
    step = report["fits"]["step"]["estimates"]
    assert 10 < step["jump_intensity"] < 60
    names = [t["name"] for t in report["lr_tests"]]
    assert "paper Table 3 dynamics (theta0 free)" in names
    saved = json.loads(presets.read_text("utf-8"))
    assert saved["presets"][0]["name"] == report["saved_preset"]
    assert report["saved_preset"] == "tpi-1.0-ratio-mrjd-2026-11-09"


def test_table_output_names_the_papers_assumptions(shared_data: Path) -> None:
    done = calibrate(
        "--csv", str(shared_data / "llm_price_history.csv"),
        "--from", "2026-06-01", "--to", "2026-11-09",
        "--model", "gbm", "--model", "step", "--origins", "10",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "information criteria" in done.stdout
    assert "rolling-origin" in done.stdout
    # no --methodology: the series the contracts settle on, the index's published default
    assert "TPI tpi-2.0 (llm_price_history.csv)" in done.stdout


def test_any_daily_series_from_a_levels_csv(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    levels = 2.0 * np.exp(np.cumsum(rng.normal(-0.001, 0.02, 200)))
    path = tmp_path / "gpu-index.csv"
    rows = [f"{date(2025, 1, 1) + timedelta(days=i)},{v:.6f}" for i, v in enumerate(levels)]
    path.write_text("date,level\n" + "\n".join(rows) + "\n", "utf-8")
    done = calibrate("--levels", str(path), "--model", "gbm", "--model", "step", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["series"] == "gpu-index"
    assert report["observations"] == 200
    assert report["criteria"][0]["model"] == "gbm"  # a diffusion, not a step series
    bad = tmp_path / "bad.csv"
    bad.write_text("day,price\n2025-01-01,1\n", "utf-8")
    done = calibrate("--levels", str(bad))
    assert done.returncode == 2
    assert "columns date and level" in done.stderr


def _garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\xff\xfe\x00binary\x00\x81")
    return path


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--csv", "{tmp}/missing.csv"], "readable price-history CSV"),
        (["--csv", "{tmp}"], "readable price-history CSV"),
        (["--csv", "{garbage}"], "csv"),
        (["--csv", "{data}", "--from", "2026-11-01", "--to", "2026-11-09"], "at least 30"),
        (["--csv", "{data}", "--from", "yesterday"], "ISO date"),
        (["--csv", "{data}", "--model", "garch"], "one of mrjd"),
        (["--csv", "{data}", "--to", "2024-01-01"], ">= start"),
        (["--csv", "{data}", "--from", "2024-10-01", "--to", "2024-12-01"], "TPI fixes"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], says: str, shared_data: Path, tmp_path: Path
) -> None:
    subs = {
        "{tmp}": str(tmp_path),
        "{data}": str(shared_data / "llm_price_history.csv"),
        "{garbage}": str(_garbage(tmp_path)),
    }
    done = calibrate(*[subs.get(a, a).replace("{tmp}", str(tmp_path)) for a in args])
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("error:") == 1
