"""SIGKILL a writer in the middle of a load: every acknowledged batch survives, none is torn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from storage_helpers import payload_for

from tokenfutures.storage import open_store

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
BATCH = 50
ACKS_BEFORE_KILL = 40
ROUNDS = 3


def _run_and_kill(url: str) -> tuple[int, int]:
    """Start the writer, SIGKILL it after some acks; return (resumed-from seq, highest ack)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    writer = subprocess.Popen(
        [sys.executable, str(HERE / "crash_writer.py"), url, str(BATCH)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert writer.stdout is not None
    resumed = int(writer.stdout.readline().split()[1])
    acked = [int(writer.stdout.readline().split()[1]) for _ in range(ACKS_BEFORE_KILL)]
    writer.send_signal(signal.SIGKILL)
    tail = writer.stdout.read()  # acks printed before the kill landed count too
    writer.wait()
    writer.stdout.close()
    acked += [int(line.split()[1]) for line in tail.splitlines() if line.startswith("acked ")]
    assert writer.returncode == -signal.SIGKILL
    return resumed, max(acked)


@pytest.mark.parametrize("synchronous", ["full", "normal"])
def test_acknowledged_batches_survive_sigkill(tmp_path: Path, synchronous: str) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}?synchronous={synchronous}"
    previous = 0
    for _ in range(ROUNDS):
        resumed, highest_ack = _run_and_kill(url)
        assert resumed >= previous
        store = open_store(url)
        try:
            stored = list(store.journal.read())
        finally:
            store.close()
        last = stored[-1].seq
        assert last >= highest_ack, "an acknowledged batch was lost"
        assert last % BATCH == 0, "a batch was torn"
        assert [r.seq for r in stored] == list(range(1, last + 1))
        assert all(r.payload == payload_for(r.seq) for r in stored)
        previous = last
