"""REST order entry over loopback (goal >= 5,000 orders/s, p99 < 10 ms), with a baseline ratio.

A uvicorn server runs in a subprocess over a real venue journaling to SQLite; client
processes, each one httpx keep-alive connection, send requests back to back for a fixed time.
Baseline: ``GET /v1/health`` on the same server with the same clients (the cost of HTTP +
FastAPI alone). Timings on a shared machine are noisy: read the ratio. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import numpy as np

SERVER_LIFETIME_S = 300.0


def serve(db_url: str, clients: int) -> None:
    """Server mode: venue on ``db_url``, ``clients`` funded accounts, uvicorn on an ephemeral port."""
    import uvicorn

    from tokenfutures.api import ApiSettings, create_app
    from tokenfutures.core.clock import SystemClock
    from tokenfutures.storage import open_store
    from tokenfutures.venue.service import Venue

    venue = Venue.open(open_store(db_url), SystemClock())
    contracts = venue.list_contracts(datetime.now(UTC).date(), reference_price=Decimal("2.5"))
    keys = [venue.create_account(f"bench-{i}") for i in range(clients)]
    settings = ApiSettings(rate_per_second=1e6, burst=1_000_000)
    app = create_app(venue, settings=settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    front = contracts[0]
    print(
        json.dumps(
            {
                "port": sock.getsockname()[1],
                "keys": keys,
                "contract": front.symbol,
                "price": str(front.prior_settlement),
                "tick": str(front.tick_size),
            }
        ),
        flush=True,
    )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    threading.Timer(SERVER_LIFETIME_S, lambda: setattr(server, "should_exit", True)).start()
    server.run(sockets=[sock])
    os._exit(0)


def load(args: tuple[str, str, dict[str, Any], int, float, float]) -> dict[str, Any]:
    """One client: requests back to back between ``start`` and ``stop``; latencies in ns."""
    kind, base_url, info, worker, start, stop = args
    rng = random.Random(worker)
    price, tick = Decimal(info["price"]), Decimal(info["tick"])
    headers = {"X-API-Key": info["keys"][worker]}
    latencies: list[int] = []
    statuses: dict[str, int] = {}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        http.get("/v1/health")
        while time.time() < start:
            time.sleep(0.001)
        i = 0
        while (now := time.time()) < stop:
            t0 = time.perf_counter_ns()
            if kind == "health":
                response = http.get("/v1/health")
                outcome = str(response.status_code)
            else:
                side = "buy" if i % 2 == 0 else "sell"
                offset = rng.randint(1, 8) * (-1 if side == "buy" else 1) + rng.randint(-1, 1)
                body = {
                    "contract": info["contract"],
                    "side": side,
                    "quantity": 1,
                    "client_order_id": f"{kind}-{worker}-{i}",
                    "price": str(price + offset * tick),
                }
                response = http.post("/v1/orders", json=body)
                outcome = response.json().get("status", str(response.status_code))
            elapsed = time.perf_counter_ns() - t0
            if now >= start:
                latencies.append(elapsed)
                statuses[outcome] = statuses.get(outcome, 0) + 1
            i += 1
    return {"latencies": latencies, "statuses": statuses}


def phase(
    kind: str, base_url: str, info: dict[str, Any], clients: int, seconds: float
) -> dict[str, Any]:
    """Run ``clients`` load processes for ``seconds``; throughput and latency percentiles."""
    start = time.time() + 1.0
    jobs = [(kind, base_url, info, w, start, start + seconds) for w in range(clients)]
    with mp.get_context("spawn").Pool(clients) as pool:
        results = pool.map(load, jobs)
    latencies = np.concatenate([np.asarray(r["latencies"], dtype=np.int64) for r in results])
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(float(np.percentile(latencies, 50)) / 1e6, 3),
        "p99_ms": round(float(np.percentile(latencies, 99)) / 1e6, 3),
        "requests": len(latencies),
        "statuses": statuses,
    }


@contextmanager
def served(db_url: str, clients: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Run this script's server mode in a subprocess; yields its base URL and account keys."""
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", db_url, "--clients", str(clients)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    try:
        assert server.stdout is not None
        info = json.loads(server.stdout.readline())
        yield f"http://127.0.0.1:{info['port']}", info
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", metavar="DB_URL", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each phase")
    parser.add_argument(
        "--synchronous",
        choices=("full", "normal"),
        default="normal",
        help="SQLite durability (normal: kill-safe, ADR 0501)",
    )
    parser.add_argument(
        "--memory", action="store_true", help="in-memory store (no journal I/O) instead of SQLite"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.clients)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}?synchronous={args.synchronous}"
        if args.memory:
            db_url = "memory://"
        with served(db_url, args.clients) as (base_url, info):
            health = phase("health", base_url, info, args.clients, args.seconds)
            orders = phase("orders", base_url, info, args.clients, args.seconds)
    report = {
        "benchmark": "api_rest_order_entry",
        "clients": args.clients,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "store": "memory" if args.memory else f"sqlite synchronous={args.synchronous}",
        "orders_per_s": orders["per_s"],
        "order_p50_ms": orders["p50_ms"],
        "order_p99_ms": orders["p99_ms"],
        "order_outcomes": orders["statuses"],
        "health_per_s": health["per_s"],
        "health_p50_ms": health["p50_ms"],
        "health_p99_ms": health["p99_ms"],
        "ratio_orders_to_health": round(orders["per_s"] / health["per_s"], 3),
        "goal_orders_per_s": 5000,
        "goal_p99_ms": 10,
    }
    print(
        f"health  {health['per_s']:>9.0f}/s  p50 {health['p50_ms']} ms  p99 {health['p99_ms']} ms"
    )
    print(
        f"orders  {orders['per_s']:>9.0f}/s  p50 {orders['p50_ms']} ms  p99 {orders['p99_ms']} ms"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
