"""A small chaos run (ADR 0643): SIGKILL under HTTP load, a second writer, a live replay.

``benchmarks/chaos_serve.py`` with 3 trials instead of 30: every acknowledged order is in the
journal, no client told "error" has its order journalled, the second writer is refused each
time, and the replay hash matches live and after every kill.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "chaos_serve.py"


@pytest.mark.slow
def test_three_kills_under_load_lose_nothing_and_never_lie() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--trials", "3", "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["acked"] > 0
    assert summary["acked_lost"] == 0
    assert summary["told_error_but_journalled"] == 0
    assert summary["second_writer_refused"] == 3
    assert summary["live_replay_match"] == 3
    assert summary["replay_match_after_kill"] == 3
