"""The root CLI: usage errors exit 2 with a message, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import tokenfutures
from tokenfutures.cli.app import run

SRC = str(Path(tokenfutures.__file__).resolve().parents[1])


def test_version_runs() -> None:
    assert run(["version"]) == 0


def test_unknown_command_exits_2() -> None:
    assert run(["no-such-command"]) == 2


def test_module_entry_point_prints_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tokenfutures", "no-such-command"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
