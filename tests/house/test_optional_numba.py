"""numba is an extra (ADR 0371): the house imports and runs its numeric paths without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("tokenfutures")

#: Run with ``import numba`` made impossible: every module imports, the kernels' twins run.
WITHOUT_NUMBA = r"""
import sys
sys.modules["numba"] = None  # any `import numba` now raises ImportError
import importlib, pkgutil, random, json
import numpy as np
import tokenfutures
for info in pkgutil.walk_packages(tokenfutures.__path__, "tokenfutures."):
    if not info.name.endswith("__main__"):
        importlib.import_module(info.name)
from tokenfutures.core import accel
from tokenfutures.clearing.margin.kernels import tail_losses
from tokenfutures.exchange import apply_many
from tokenfutures.exchange.array_engine import ArrayEngine
from tokenfutures.exchange.replay import state_hash
from tokenfutures.quant.montecarlo import run_monte_carlo
from tokenfutures.quant.moments import expected_price
from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.process import uniform_grid
from tokenfutures.simulation.workload import generate, opened_state, to_commands
commands = to_commands(generate(random.Random(3), 3_000)[0])
engine = ArrayEngine(opened_state(), "SITZ26")
events = engine.apply_stream(commands)
python = opened_state()
apply_many(python, commands)
mc = run_monte_carlo(PAPER_TABLE3, uniform_grid(1.0, 12), 2_000, seed=4, workers=1)
pos, moves = np.array([[1.0, -2.0]]), np.array([[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]])
print(json.dumps({
    "backend": accel.backend(),
    "numba_loaded": "numba" in sys.modules and sys.modules["numba"] is not None,
    "same_hash": engine.state_hash() == state_hash(python),
    "fills": len(events.fills().trade_id),
    "mc_error_in_se": abs(float(mc.mean_path[-1]) - float(expected_price(PAPER_TABLE3, np.array([1.0]))[0]))
    / float(mc.terminal.std(ddof=1) / np.sqrt(mc.n_paths)),
    "tail": tail_losses(pos, moves, 2).tolist(),
}))
"""


def test_numba_is_an_extra_that_test_pulls_in() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(r.startswith("numba") for r in project["dependencies"])
    assert any(r.startswith("numba") for r in project["optional-dependencies"]["fast"])
    assert "tokenfutures[fast]" in project["optional-dependencies"]["test"]


def test_every_module_imports_and_the_twins_run_without_numba() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_NUMBA], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["backend"] == "numpy"
    assert not result["numba_loaded"]
    assert result["same_hash"]
    assert result["fills"] > 0
    assert result["mc_error_in_se"] < 4  # the Monte Carlo mean against the closed-form E[P_1]
    # hand-computed: losses are -(0.5 - 0.4, -0.25 - 0.6, 0.1 + 0.8) = (-0.1, 0.85, -0.9)
    assert result["tail"][0] == pytest.approx([0.85, -0.1], abs=1e-12)


def test_the_switch_runs_reproduce_on_the_numpy_twins(tmp_path: Path) -> None:
    env = {**os.environ, "TOKENFUTURES_NUMBA": "0"}
    args = ["--paths", "300", "--steps-per-year", "52", "--no-progress", "--seed", "7"]
    for name in ("a", "b"):
        subprocess.run(
            [str(SCRIPT), "reproduce", *args, "--out", str(tmp_path / name)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    first = (tmp_path / "a" / "results.json").read_bytes()
    assert first == (tmp_path / "b" / "results.json").read_bytes()  # seeded on the twins too
    assert set(json.loads(first)["scenarios"]) == {"baseline", "optimistic", "pessimistic"}


def test_exchange_simulate_gives_the_same_state_on_either_kernels() -> None:
    runs = {}
    for switch in ("0", "1"):
        done = subprocess.run(
            [str(SCRIPT), "exchange", "simulate", "--messages", "3000", "--seed", "5", "--json"],
            env={**os.environ, "TOKENFUTURES_NUMBA": switch}, check=True, capture_output=True,
            text=True,
        )  # fmt: skip
        runs[switch] = json.loads(done.stdout.strip().splitlines()[-1])
    assert runs["0"]["kernels"] == "numpy"
    assert runs["1"]["kernels"] == "numba"
    assert runs["0"]["fills_match_model"]
    assert runs["1"]["fills_match_model"]
    assert runs["0"]["state_hash"] == runs["1"]["state_hash"]
