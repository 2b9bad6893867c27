"""Chaos run of ``serve`` (ADR 0643): SIGKILL under HTTP load, a second writer, a live replay.

Each trial starts the installed ``tokenfutures serve`` on one SQLite file (the file lives on
across trials, so every start is a recovery from the previous kill), sends orders from a few
client threads, starts a second ``serve`` on the same file mid-load (it must be refused),
runs ``venue replay`` against the live file (it must match and write nothing), then SIGKILLs
the server at a seeded random moment. Afterwards the journal is read: every order a client
was told was accepted must be in it (0 lost), no order a client was told "error" may be in
it (0 lies), and ``venue replay`` must match. The last line printed is a JSON summary.

Usage: ``python benchmarks/chaos_serve.py --trials 30 --seed 1``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from tokenfutures.storage import open_store

SCRIPT = Path(sys.executable).with_name("tokenfutures")
LOAD_THREADS = 4
#: Pause of each client between orders (s): keeps the journal, and so each replay, small
#: enough for 30 trials, while the writer is still never idle.
PACE_S = 0.002


@dataclass
class Outcomes:
    """What the clients were told, per (account, client order id)."""

    acked: set[tuple[str, str]] = field(default_factory=set)
    errors: set[tuple[str, str]] = field(default_factory=set)
    dropped: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, key: tuple[str, str], status: int | None) -> None:
        with self.lock:
            if status is None:
                self.dropped += 1
                return
            self.statuses[status] = self.statuses.get(status, 0) + 1
            (self.acked if status == 201 else self.errors).add(key)


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _start(url: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", "0", "--database", url, "--no-market-maker", "--json"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(
            f"serve did not start: {process.stderr.read() if process.stderr else ''}"
        )
    return process, json.loads(line)


def _load(
    base: str,
    key: str,
    account: str,
    contract: dict[str, Any],
    tag: str,
    rng: random.Random,
    stop: threading.Event,
    outcomes: Outcomes,
) -> None:
    tick = Decimal(contract["tick_size"])
    mid = Decimal(contract["prior_settlement"])
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=5.0) as http:
        n = 0
        while not stop.is_set():
            n += 1
            coid = f"{tag}-{n}"
            side = rng.choice(("buy", "sell"))
            offset = rng.randint(1, 20) * tick
            price = mid - offset if side == "buy" else mid + offset
            body = {
                "contract": contract["symbol"],
                "side": side,
                "quantity": rng.randint(1, 5),
                "price": str(price),
                "client_order_id": coid,
            }
            try:
                status: int | None = http.post("/v1/orders", json=body).status_code
            except httpx.HTTPError:
                status = None
            outcomes.note((account, coid), status)
            if status is None:
                return  # the server is gone
            time.sleep(PACE_S)


def _journal_keys(url: str) -> set[tuple[str, str]]:
    store = open_store(url, read_only=True)
    try:
        return {
            (r.key.account, r.key.client_order_id)
            for r in store.journal.read()
            if r.key is not None
        }
    finally:
        store.close()


def trial(url: str, number: int, rng: random.Random, totals: dict[str, Any]) -> None:
    """One start, load, second writer, live replay, SIGKILL; checks added into ``totals``."""
    process, summary = _start(url)
    base = summary["url"]
    contracts = httpx.get(f"{base}/v1/contracts", timeout=10).json()
    contract = contracts[0]
    outcomes = Outcomes()
    stop = threading.Event()
    accounts = ("demo-alice", "demo-bob")
    threads = [
        threading.Thread(
            target=_load,
            args=(
                base,
                summary["accounts"][accounts[i % 2]],
                accounts[i % 2],
                contract,
                f"t{number}-c{i}",
                random.Random(rng.random()),
                stop,
                outcomes,
            ),
            daemon=True,
        )
        for i in range(LOAD_THREADS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(rng.uniform(0.1, 0.6))
    second = _cli("serve", "--port", "0", "--database", url, "--no-market-maker", "--json")
    totals["second_writer_refused"] += int(
        second.returncode == 2 and "in use by another writer" in second.stderr
    )
    live = _cli("venue", "replay", "--database", url, "--json")
    totals["live_replay_match"] += int(live.returncode == 0 and json.loads(live.stdout)["match"])
    time.sleep(rng.uniform(0.0, 1.5))  # the kill lands at a random point of the load
    os.kill(process.pid, signal.SIGKILL)
    process.wait(30)
    stop.set()
    for thread in threads:
        thread.join(30)
    journal = _journal_keys(url)
    after = _cli("venue", "replay", "--database", url, "--json")
    totals["replay_match_after_kill"] += int(
        after.returncode == 0 and json.loads(after.stdout)["match"]
    )
    totals["acked"] += len(outcomes.acked)
    totals["acked_lost"] += len(outcomes.acked - journal)
    totals["told_error"] += len(outcomes.errors)
    totals["told_error_but_journalled"] += len(outcomes.errors & journal)
    totals["dropped"] += outcomes.dropped
    for status, count in outcomes.statuses.items():
        totals["statuses"][str(status)] = totals["statuses"].get(str(status), 0) + count


def run(trials: int, seed: int, directory: Path) -> dict[str, Any]:
    """Run ``trials`` trials on one SQLite file in ``directory``; the summary."""
    url = f"sqlite:///{directory / 'chaos.db'}"
    rng = random.Random(seed)
    totals: dict[str, Any] = {
        "trials": trials,
        "seed": seed,
        "acked": 0,
        "acked_lost": 0,
        "told_error": 0,
        "told_error_but_journalled": 0,
        "dropped": 0,
        "second_writer_refused": 0,
        "live_replay_match": 0,
        "replay_match_after_kill": 0,
        "statuses": {},
    }
    started = time.monotonic()
    for number in range(trials):
        trial(url, number, rng, totals)
    totals["seconds"] = round(time.monotonic() - started, 1)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        print(json.dumps(run(args.trials, args.seed, Path(directory))))


if __name__ == "__main__":
    main()
