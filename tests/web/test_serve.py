"""``serve --run-for``: a real process on an ephemeral port with a temporary SQLite database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import httpx
import typer
from typer.testing import CliRunner

from tokenfutures.cli import serve_cmds

ROOT_SCRIPT = """
import typer
from tokenfutures.cli import serve_cmds
app = typer.Typer()
@app.callback()
def _root() -> None:
    '''test root'''
serve_cmds.register(app)
app()
"""
SRC = Path(__file__).resolve().parents[2] / "src"


def _serve(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-c", ROOT_SCRIPT, "serve", "--port", "0", *args]
    return subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_serve_runs_a_live_market_and_stops_by_itself(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'venue.db'}"
    process = _serve(tmp_path, "--database", database, "--run-for", "6", "--json")
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        url = summary["url"]
        assert url.startswith("http://127.0.0.1:")
        assert set(summary["accounts"]) == {"mm-reference", "demo-alice", "demo-bob"}
        contracts = httpx.get(f"{url}/v1/contracts", timeout=10).json()
        symbols = {c["symbol"] for c in contracts}
        assert len(symbols) == 10
        assert all(s.startswith("SIT") for s in symbols)
        fixings = httpx.get(f"{url}/v1/index/fixings?limit=1000", timeout=10).json()
        assert Decimal(fixings[-1]["level"]) > 0
        assert fixings[-1]["day"] == summary["tpi"]["day"]
        for symbol in symbols:
            book = httpx.get(f"{url}/v1/contracts/{symbol}/book", timeout=10).json()
            assert book["bids"], symbol
            assert book["asks"], symbol
            assert Decimal(book["bids"][0]["price"]) < Decimal(book["asks"][0]["price"])
        page = httpx.get(f"{url}/dashboard", timeout=10)
        assert summary["tpi"]["level"] in page.text
    finally:
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert (tmp_path / "venue.db").is_file()
    compliance = json.loads(out.strip().splitlines()[-1])["market_maker_compliance"]
    assert set(compliance) == symbols
    assert all(Decimal(r["presence"]) > Decimal("0.5") for r in compliance.values())


def test_ctrl_c_stops_serve_cleanly(tmp_path: Path) -> None:
    process = _serve(tmp_path, "--database", "memory://", "--no-market-maker", "--json")
    try:
        assert process.stdout is not None
        url = json.loads(process.stdout.readline())["url"]
        assert httpx.get(f"{url}/v1/health", timeout=10).status_code == 200
        books = [
            httpx.get(f"{url}/v1/contracts/{c['symbol']}/book", timeout=10).json()
            for c in httpx.get(f"{url}/v1/contracts", timeout=10).json()
        ]
        assert all(not b["bids"] and not b["asks"] for b in books)  # no market maker
        process.send_signal(signal.SIGINT)
    finally:
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err


def test_serve_refuses_bad_options() -> None:
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """test root"""

    serve_cmds.register(root)
    result = CliRunner().invoke(root, ["serve", "--run-for", "-1"])
    assert isinstance(result.exception, ValueError)
    assert "run-for" in str(result.exception)


def test_serving_wait_ends_on_stop_or_after_run_for() -> None:
    stop = threading.Event()
    serve_cmds.wait_until_stopped(stop, 0.3)  # returns by itself: run_for elapsed
    assert not stop.is_set()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    serve_cmds.wait_until_stopped(stop, None)  # no run_for: returns once stop is set
    assert stop.is_set()
    assert time.monotonic() - started < 30  # a liveness bound, not a speed figure
