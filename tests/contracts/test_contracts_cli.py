"""The ``tokenfutures contracts`` commands, run through the real CLI root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokenfutures.cli.app import run

DECEMBER_2026_BUSINESS_DAYS = (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16)


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    capsys.readouterr()
    assert run(argv) == 0
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return document


def test_list_json_for_one_product(capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(
        capsys, ["contracts", "list", "--date", "2026-12-17", "--product", "SIT", "--json"]
    )
    rows = document["contracts"]
    assert isinstance(rows, list)
    assert [row["symbol"] for row in rows][:2] == ["SITF27", "SITG27"]
    assert len(rows) == 10
    assert all(row["trading"] for row in rows)
    assert [row["series"] for row in rows].count("quarterly") == 4


def test_list_all_products_and_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, ["contracts", "list", "--date", "2026-11-28", "--json"])
    rows = document["contracts"]
    assert isinstance(rows, list)
    assert {row["product"] for row in rows} == {"SIT", "SCU"}
    assert not any(row["trading"] for row in rows)  # a Saturday
    assert run(["contracts", "list", "--date", "2026-11-23"]) == 0
    assert "SITZ26" in capsys.readouterr().out


def test_spec_of_a_symbol(capsys: pytest.CaptureFixture[str]) -> None:
    paper = ["contracts", "spec", "SITZ26", "--json", "--spec-version", "v1"]
    document = run_json(capsys, paper)
    assert document["last_trading_day"] == "2026-12-16"
    assert document["tick_size"] == "0.01"
    assert document["settlement_window"] == ["2026-12-01", "2026-12-16"]
    assert document["initial_margin_fraction"] == ["0.08", "0.12"]
    assert run(["contracts", "spec", "SCU"]) == 0
    assert "SCU-hour" in capsys.readouterr().out


def test_bad_inputs_exit_2(tmp_path: Path) -> None:
    assert run(["contracts", "spec", "SITA26"]) == 2
    assert run(["contracts", "list", "--date", "yesterday"]) == 2
    assert run(["contracts", "list", "--product", "OIL"]) == 2
    missing = tmp_path / "missing.csv"
    assert run(["contracts", "final-settlement", "SITZ26", "--fixes", str(missing)]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("date,level\n2026-12-01,ten\n", encoding="utf-8")
    assert run(["contracts", "final-settlement", "SITZ26", "--fixes", str(bad)]) == 2
    headless = tmp_path / "headless.csv"
    headless.write_text("2026-12-01,10\n", encoding="utf-8")
    assert run(["contracts", "final-settlement", "SITZ26", "--fixes", str(headless)]) == 2


def write_fixes(path: Path, skip: int | None = None) -> Path:
    lines = ["date,level"]
    for index, day in enumerate(DECEMBER_2026_BUSINESS_DAYS):
        if index != skip:
            lines.append(f"2026-12-{day:02d},{10 + index / 100:.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_final_settlement_json_with_audit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fixes = write_fixes(tmp_path / "fixes.csv", skip=4)  # Monday 7 December missing
    document = run_json(
        capsys,
        [
            "contracts",
            "final-settlement",
            "SITZ26",
            "--fixes",
            str(fixes),
            "--json",
            "--spec-version",
            "v1",
        ],
    )
    # levels 10.00..10.11 (sum 120.66) with 10.04 replaced by Friday's 10.03: 120.65 / 12
    assert str(document["raw_mean"]).startswith("10.0541666")
    assert document["final_settlement_price"] == "10.05"
    assert document["price_ticks"] == 1005
    assert document["missing_days"] == ["2026-12-07"]
    assert document["observed"] == 11
    assert document["expected"] == 12


def test_final_settlement_table_and_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fixes = write_fixes(tmp_path / "fixes.csv")
    png = tmp_path / "settlement.png"
    argv = ["contracts", "final-settlement", "sitz26", "--fixes", str(fixes), "--png", str(png)]
    argv += ["--spec-version", "v1"]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "10.06" in out  # (10.00 + ... + 10.11) / 12 = 10.055 -> half-even 10.06
    assert png.read_bytes().startswith(b"\x89PNG")
