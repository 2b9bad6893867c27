"""The quant CLI: ``simulate`` output and exit code 2 with a message for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokenfutures.cli.app import run

SMALL = ["--paths", "200", "--years", "1", "--steps-per-year", "24"]


def test_simulate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["simulate", "--preset", "paper", *SMALL, "--seed", "3", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["paths"] == 200
    assert summary["seed"] == 3
    assert summary["params"]["kappa"] == 2.5
    assert summary["terminal"]["q0.05"] < summary["terminal"]["q0.5"] < summary["terminal"]["q0.95"]


def test_simulate_is_reproducible_and_takes_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "--preset", "optimistic", *SMALL, "--set", "kappa=4", "--json"]
    assert run(args) == 0
    first = capsys.readouterr().out
    assert run(args) == 0
    assert capsys.readouterr().out == first
    assert json.loads(first)["params"]["kappa"] == 4.0


def test_simulate_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["simulate", *SMALL]) == 0
    assert "volatility" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["simulate", "--preset", "moon"], "preset"),
        (["simulate", *SMALL, "--paths", "0"], "paths"),
        (["simulate", *SMALL, "--paths", "-3"], "paths"),
        (["simulate", *SMALL, "--years", "0"], "years"),
        (["simulate", *SMALL, "--years", "-1"], "years"),
        (["simulate", *SMALL, "--set", "kappa=0"], "kappa"),
        (["simulate", *SMALL, "--set", "kappa=-1"], "kappa"),
        (["simulate", *SMALL, "--set", "sigma=-0.1"], "sigma"),
        (["simulate", *SMALL, "--set", "jump_intensity=-1"], "jump_intensity"),
        (["simulate", *SMALL, "--set", "season_period=0"], "season_period"),
        (["simulate", *SMALL, "--set", "nonsense=1"], "set"),
        (["simulate", *SMALL, "--set", "kappa=abc"], "kappa"),
        (["simulate", *SMALL, "--seed", "-1"], "seed"),
        (["reproduce", "--paths", "0", "--no-progress"], "paths"),
        (["reproduce", "--paths", "-5", "--no-progress"], "paths"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    args: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(args) == 2
    err = capsys.readouterr().err
    assert named in err
    assert "Traceback" not in err


def test_reproduce_refuses_a_file_as_output(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert run(["reproduce", "--paths", "10", "--out", str(target), "--no-progress"]) == 2
