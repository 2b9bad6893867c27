"""``serve`` stops cleanly on SIGINT and SIGTERM in every mode; demo keys do not outlive a restart.

The installed console script runs as a service manager or a shell's background job would run
it: its own session, no terminal, SIGINT inherited as ignored (ADR 0644).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tokenfutures.storage import open_store
from tokenfutures.venue.recovery import recover

SCRIPT = Path(sys.executable).with_name("tokenfutures")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what `cmd &` does without job control


def _serve(cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIPT), "serve", "--port", "0", "--json", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ignore_sigint,
    )


def _started(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, process.stderr.read() if process.stderr else "no output"
    summary: dict[str, Any] = json.loads(line)
    return summary


def test_sigint_stops_a_background_serve_without_a_tty(tmp_path: Path) -> None:
    process = _serve(tmp_path, "--database", "memory://", "--no-market-maker")
    try:
        url = _started(process)["url"]
        assert httpx.get(f"{url}/v1/health", timeout=10).status_code == 200
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err


def test_sigterm_withdraws_quotes_flushes_and_revokes_old_demo_keys(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'venue.db'}"
    first = _serve(tmp_path, "--database", database)
    try:
        summary = _started(first)
        old_key = summary["accounts"]["demo-alice"]
        book = httpx.get(
            f"{summary['url']}/v1/contracts/{summary['contracts'][0]}/book", timeout=10
        )
        assert book.json()["bids"], "the market maker quotes"
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=90)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    store = open_store(database, read_only=True)
    try:
        state = recover(store)[0]
        assert store.events.last_seq() > 0
        mm_open = [
            order_id
            for order_id in state.orders.by_account.get("mm-reference", [])
            if state.orders.by_id[order_id].status == "open"
        ]
    finally:
        store.close()
    assert mm_open == [], "the market maker's quotes were withdrawn before the stop"
    second = _serve(tmp_path, "--database", database, "--no-market-maker")
    try:
        again = _started(second)
        headers = {"X-API-Key": old_key}
        assert (
            httpx.get(f"{again['url']}/v1/account", headers=headers, timeout=10).status_code == 401
        )
        headers = {"X-API-Key": again["accounts"]["demo-alice"]}
        mine = httpx.get(f"{again['url']}/v1/account", headers=headers, timeout=10)
        assert mine.json() == {"account": "demo-alice"}
        os.kill(second.pid, signal.SIGTERM)
        _, err = second.communicate(timeout=60)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, err
