"""SIGKILL a venue mid-load: on reopen the state hash equals a fresh replay, no ack is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tokenfutures.core.clock import SystemClock
from tokenfutures.exchange import OrderAccepted
from tokenfutures.storage import open_store
from tokenfutures.venue.eventlog import decode_chunk
from tokenfutures.venue.recovery import replay_journal
from tokenfutures.venue.service import Venue
from tokenfutures.venue.statehash import state_hash

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
ACKS_BEFORE_KILL = 120


def _run_and_kill(url: str, run: str) -> list[tuple[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_venue.py"), url, run],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().startswith("ready ")
    acked = []
    for _ in range(ACKS_BEFORE_KILL):
        line = child.stdout.readline()
        assert line.startswith("acked "), line
        acked.append(tuple(line.split()[1:3]))
    child.send_signal(signal.SIGKILL)
    tail = child.stdout.read()
    child.wait()
    child.stdout.close()
    acked += [tuple(x.split()[1:3]) for x in tail.splitlines() if x.startswith("acked ")]
    assert child.returncode == -signal.SIGKILL
    return acked  # type: ignore[return-value]


def test_acknowledged_orders_survive_sigkill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'venue.db'}"
    acked: list[tuple[str, str]] = []
    for run in ("r1", "r2"):
        acked += _run_and_kill(url, run)
        store = open_store(url)
        try:
            venue = Venue.open(store, SystemClock(), snapshot_every=50)
            assert venue.state_hash() == state_hash(replay_journal(store))
            known = {
                (o.account, o.client_order_id)
                for account in ("alice", "bob")
                for o in venue.trading.orders(account, open_only=False)
            }
            missing = [pair for pair in acked if pair not in known]
            assert not missing, f"acknowledged orders lost: {missing[:5]}"
            assert store.snapshots.latest() is not None
            venue.close()  # flushes the event log, re-derived for what the kill lost
            logged = [decode_chunk(r.payload) for r in store.events.read()]
            accepted = {
                (event.account, event.client_order_id)
                for record in logged
                for _, events in record
                for event in events
                if type(event) is OrderAccepted
            }
            assert set(acked) <= accepted, "the event log misses accepted orders"
            seqs = [seq for record in logged for seq, _ in record]
            assert len(seqs) == len(set(seqs))
        finally:
            store.close()
