"""The ``tokenfutures index`` commands end to end (real data, outputs under tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokenfutures.cli.app import run
from tokenfutures.index.grades import derive_grade_table, packaged_grade_table
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.sources import read_capability_book


def test_fix_json_from_the_shared_csv(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        [
            "index",
            "fix",
            "--date",
            "2026-01-15",
            "--csv",
            str(shared_data / "llm_price_history.csv"),
            "--json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "fixed"
    assert float(result["level"]) > 0
    assert result["providers"] >= 4
    assert set(result["sub_indices"]) == {
        "frontier",
        "standard",
        "budget",
        "open_weight",
        "proprietary",
    }


def test_fix_from_the_embedded_source_needs_no_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["index", "fix", "--date", "2026-11-09", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["input"]["source"] == "genai-prices"
    assert result["input"]["capability"] == "packaged SIT grade table"
    assert result["status"] == "fixed"


def test_history_plot_and_explain(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = str(shared_data / "llm_price_history.csv")
    png = tmp_path / "tpi.png"
    args = ["index", "history", "--csv", csv, "--from", "2025-06-01", "--to", "2025-07-31"]
    assert run([*args, "--plot", str(png), "--json"]) == 0
    days = json.loads(capsys.readouterr().out)
    assert len(days) == 61
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run(["index", "explain", "--date", "2025-07-01", "--csv", csv, "--json"]) == 0
    audit = json.loads(capsys.readouterr().out)["audit"]
    assert audit["constituents"]
    assert all(e["reason"] for e in audit["exclusions"])


def test_bad_input_exits_with_code_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert run(["index", "fix", "--date", "2026-01-01", "--csv", str(empty)]) == 2
    assert run(["index", "fix", "--date", "01/01/2026", "--csv", str(empty)]) == 2


def test_packaged_grade_table_is_what_the_command_derives(
    shared_data: Path, tmp_path: Path
) -> None:
    book, _ = read_capability_book(
        shared_data / "model_capability_scores.csv", shared_data / "model_capability_join.csv"
    )
    assert derive_grade_table(book, Methodology()) == packaged_grade_table()
    out = tmp_path / "grades.json"
    args = [
        "index",
        "grades",
        "--methodology",
        "tpi-1.0",
        "--scores",
        str(shared_data / "model_capability_scores.csv"),
    ]
    assert (
        run(
            [
                *args,
                "--crosswalk",
                str(shared_data / "model_capability_join.csv"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text(encoding="utf-8")) == packaged_grade_table()


def test_fix_from_an_llm_prices_file_uses_the_packaged_grades(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = tmp_path / "current-v1.json"
    prices = [
        {"id": "gpt-4o", "vendor": "openai", "name": "GPT-4o", "input": 2.5, "output": 10},
        {"id": "gpt-4o-mini", "vendor": "openai", "name": "mini", "input": 0.15, "output": 0.6},
        {"id": "bad", "vendor": "openai", "name": "bad", "input": -1, "output": 1},
    ]
    current.write_text(json.dumps({"updated_at": "2025-03-01", "prices": prices}), encoding="utf-8")
    assert (
        run(["index", "fix", "--date", "2025-03-02", "--llm-prices", str(current), "--json"]) == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["input"] == {
        "source": str(current),
        "observations": 2,
        "problems": 1,
        "capability": "packaged SIT grade table",
    }
    assert result["status"] == "withheld"  # one provider is too few: withheld, not invented
    assert result["level"] is None
    assert result["cheapest_to_deliver"]["model"] == "gpt-4o-mini"
