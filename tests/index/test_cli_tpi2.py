"""The tpi-2.0 commands through the installed console script (real data, outputs in tmp_path)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CLI = str(Path(sys.executable).parent / "tokenfutures")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"COLUMNS": "200", "PATH": str(Path(sys.executable).parent)},
    )


@pytest.fixture(scope="module")
def compared(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], Path]:
    png = tmp_path_factory.mktemp("compare") / "compare.png"
    csv = str(shared_data / "llm_price_history.csv")
    done = _run("index", "compare", "--csv", csv, "--png", str(png), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), png


def test_compare_shows_every_method_and_its_matched_share(compared: tuple[dict, Path]) -> None:  # type: ignore[type-arg]
    document, png = compared
    methods = document["methods"]
    assert set(methods) == {"tpi-1.0", "tpi-2.0", "jevons", "geks"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    old, new = methods["tpi-1.0"], methods["tpi-2.0"]
    assert old["total_log_move"] < -1.2  # the measured -1.32 of the issue
    assert abs(old["matched_share"]) < 0.05  # almost none of it from price changes
    assert all(abs(v) > 0.2 for v in old["coverage_events"].values())
    assert all(abs(v) < 0.02 for v in new["coverage_events"].values())
    for row in methods.values():
        parts = row["matched"] + row["route_switches"] + row["entries_exits"] + row["reweighting"]
        assert parts == pytest.approx(row["total_log_move"], abs=1e-3)
    assert [r["blend"] for r in document["blend_sensitivity"]] == ["3:1", "1:1", "1:3"]
    assert "Epoch AI" in document["credit"]


def test_compare_table_and_credit_for_people(shared_data: Path) -> None:
    csv = str(shared_data / "llm_price_history.csv")
    done = _run("index", "compare", "--csv", csv, "--from", "2025-06-01", "--to", "2025-12-31")
    assert done.returncode == 0, done.stderr
    assert "matched share" in done.stdout
    assert "blend sensitivity" in done.stdout
    assert "Epoch AI" in done.stdout


def test_explain_names_the_routes_behind_the_move(shared_data: Path) -> None:
    csv = str(shared_data / "llm_price_history.csv")
    done = _run("index", "explain", "--date", "2025-08-08", "--csv", csv)
    assert done.returncode == 0, done.stderr
    assert "matched price changes" in done.stdout
    assert "entries (quality-adjusted)" in done.stdout
    assert "Epoch AI" in done.stdout
    done = _run("index", "explain", "--date", "2025-08-08", "--csv", csv, "--json")
    attribution = json.loads(done.stdout)["audit"]["attribution"]
    parts = sum(float(attribution[k]) for k in ("matched", "entries_exits", "reweighting"))
    assert parts == pytest.approx(float(attribution["log_change"]), abs=1e-8)
    assert any(r["part"] == "entry" for r in attribution["routes"])


def test_history_plot_with_attribution_and_old_method_still_selectable(
    shared_data: Path, tmp_path: Path
) -> None:
    csv = str(shared_data / "llm_price_history.csv")
    png = tmp_path / "history.png"
    args = ["index", "history", "--csv", csv, "--from", "2025-06-01", "--to", "2025-12-31"]
    done = _run(*args, "--plot", str(png), "--json")
    assert done.returncode == 0, done.stderr
    days = json.loads(done.stdout)
    assert {d["methodology_version"] for d in days} == {"tpi-2.0"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    old = _run(*args, "--methodology", "tpi-1.0", "--json")
    assert {d["methodology_version"] for d in json.loads(old.stdout)} == {"tpi-1.0"}
    assert json.loads(old.stdout)[-1]["level"] != days[-1]["level"]


def test_unknown_methodology_is_one_clear_line_and_exit_2(shared_data: Path) -> None:
    csv = str(shared_data / "llm_price_history.csv")
    done = _run("index", "fix", "--date", "2026-01-15", "--csv", csv, "--methodology", "tpi-9")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "tpi-1.0, tpi-2.0" in done.stderr + done.stdout
