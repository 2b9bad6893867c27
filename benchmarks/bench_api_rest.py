"""REST order entry over loopback (goal >= 5,000 orders/s, p99 < 10 ms), with a baseline ratio.

A uvicorn server runs in a subprocess over a real venue journaling to SQLite; client
processes (one account each) keep several HTTP/1.1 keep-alive connections on one asyncio loop,
each sending requests back to back (closed loop) for a fixed time. The load generator writes
raw requests so that, on a 2-core box shared with the server, it costs little CPU (like wrk).
Baseline: ``GET /v1/health`` on the same server with the same clients (the cost of HTTP +
FastAPI alone). Timings on a shared machine are noisy: read the ratio. The last line is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
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
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

SERVER_LIFETIME_S = 300.0


def serve(db_url: str, clients: int, stack: str, writer: str) -> None:
    """Server mode: venue on ``db_url``, ``clients`` funded accounts, uvicorn on an ephemeral port."""
    import uvicorn

    from tokenfutures.api import ApiSettings, create_app
    from tokenfutures.core.clock import SystemClock
    from tokenfutures.storage import open_store
    from tokenfutures.venue.service import Venue

    venue = Venue.open(open_store(db_url), SystemClock())
    today = datetime.now(UTC).date()
    weekday = today - timedelta(days=max(0, today.weekday() - 4))  # contracts list on weekdays
    contracts = venue.settlement.list_contracts(weekday, reference_price=Decimal("2.5"))
    keys = [venue.accounts.create_account(f"bench-{i}") for i in range(clients)]
    settings = ApiSettings(rate_per_second=1e6, burst=1_000_000, order_writer=writer)  # type: ignore[arg-type]
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
    pure = {"http": "h11", "loop": "asyncio"} if stack == "pure" else {}
    config = uvicorn.Config(app, log_level="warning", access_log=False, **pure)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    threading.Timer(SERVER_LIFETIME_S, lambda: setattr(server, "should_exit", True)).start()
    server.run(sockets=[sock])
    os._exit(0)


def _request(method: str, path: str, key: str, body: bytes = b"") -> bytes:
    """One HTTP/1.1 keep-alive request, as bytes on the wire."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: bench\r\nX-API-Key: {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    """Send ``request`` and read one whole response (status, body) on a keep-alive connection."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length)


def _bodies(kind: str, info: dict[str, Any], worker: int, connection: int) -> Iterator[bytes]:
    """Requests of one connection: health checks, or orders one tick apart around the mid."""
    key = info["keys"][worker]
    if kind == "health":
        health = _request("GET", "/v1/health", key)
        while True:
            yield health
    rng = random.Random(worker * 1000 + connection)
    price, tick = Decimal(info["price"]), Decimal(info["tick"])
    i = 0
    while True:
        side = "buy" if i % 2 == 0 else "sell"
        offset = rng.randint(1, 8) * (-1 if side == "buy" else 1) + rng.randint(-1, 1)
        order = {
            "contract": info["contract"],
            "side": side,
            "quantity": 1,
            "client_order_id": f"{kind}-{worker}-{connection}-{i}",
            "price": str(price + offset * tick),
        }
        yield _request("POST", "/v1/orders", key, json.dumps(order).encode())
        i += 1


async def _connection(
    kind: str,
    port: int,
    info: dict[str, Any],
    worker: int,
    connection: int,
    window: tuple[float, float],
) -> tuple[list[int], dict[str, int]]:
    """One keep-alive connection sending requests back to back; latencies in ns inside ``window``."""
    start, stop = window
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies: list[int] = []
    statuses: dict[str, int] = {}
    requests = _bodies(kind, info, worker, connection)
    await _exchange(reader, writer, _request("GET", "/v1/health", info["keys"][worker]))
    await asyncio.sleep(max(0.0, start - time.time()))
    while (now := time.time()) < stop:
        t0 = time.perf_counter_ns()
        status, body = await _exchange(reader, writer, next(requests))
        elapsed = time.perf_counter_ns() - t0
        outcome = str(status) if kind == "health" or status >= 300 else json.loads(body)["status"]
        if now >= start:
            latencies.append(elapsed)
            statuses[outcome] = statuses.get(outcome, 0) + 1
    writer.close()
    return latencies, statuses


def load(args: tuple[str, int, dict[str, Any], int, int, float, float]) -> dict[str, Any]:
    """One client process: ``connections`` concurrent keep-alive connections on one event loop."""
    kind, port, info, worker, connections, start, stop = args

    async def run() -> list[tuple[list[int], dict[str, int]]]:
        return await asyncio.gather(
            *(_connection(kind, port, info, worker, c, (start, stop)) for c in range(connections))
        )

    results = asyncio.run(run())
    statuses: dict[str, int] = {}
    for _, counts in results:
        for k, v in counts.items():
            statuses[k] = statuses.get(k, 0) + v
    return {"latencies": [t for lat, _ in results for t in lat], "statuses": statuses}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` and its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase(
    kind: str, port: int, info: dict[str, Any], clients: int, connections: int, seconds: float
) -> dict[str, Any]:
    """Run ``clients`` load processes for ``seconds``; throughput, latency and server CPU."""
    start = time.time() + 1.0
    jobs = [(kind, port, info, w, connections, start, start + seconds) for w in range(clients)]
    with mp.get_context("spawn").Pool(clients) as pool:
        pending = pool.map_async(load, jobs)
        time.sleep(max(0.0, start - time.time()))
        cpu_start = cpu_seconds(info["pid"])
        time.sleep(seconds)
        server_cpu = cpu_seconds(info["pid"]) - cpu_start
        results = pending.get()
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
        "server_cpu_us": round(server_cpu / max(1, len(latencies)) * 1e6, 1),
        "server_cpu_share": round(server_cpu / seconds, 2),
    }


@contextmanager
def served(
    db_url: str, clients: int, stack: str = "auto", writer: str = "inline"
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Run this script's server mode in a subprocess; yields its port and account keys."""
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            db_url,
            "--clients",
            str(clients),
            "--stack",
            stack,
            "--writer",
            writer,
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    try:
        assert server.stdout is not None
        info = json.loads(server.stdout.readline())
        yield info["port"], {**info, "pid": server.pid}
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", metavar="DB_URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--writer",
        choices=("inline", "thread"),
        default="inline",
        help="the order gateway's writer (ApiSettings.order_writer, ADR 0653)",
    )
    parser.add_argument(
        "--stack",
        choices=("auto", "pure"),
        default="auto",
        help="uvicorn's choice (httptools + uvloop when installed) or pure Python (h11 + asyncio)",
    )
    parser.add_argument("--clients", type=int, default=1, help="client processes (accounts)")
    parser.add_argument(
        "--connections", type=int, default=32, help="keep-alive connections per client process"
    )
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
        serve(args.serve, args.clients, args.stack, args.writer)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}?synchronous={args.synchronous}"
        if args.memory:
            db_url = "memory://"
        with served(db_url, args.clients, args.stack, args.writer) as (port, info):
            health = phase("health", port, info, args.clients, args.connections, args.seconds)
            orders = phase("orders", port, info, args.clients, args.connections, args.seconds)
    report = {
        "benchmark": "api_rest_order_entry",
        "clients": args.clients,
        "http_stack": args.stack,
        "order_writer": args.writer,
        "connections_per_client": args.connections,
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
        "server_cpu_us_per_order": orders["server_cpu_us"],
        "server_cpu_us_per_health": health["server_cpu_us"],
        "server_cpu_share_orders": orders["server_cpu_share"],
        "orders_per_server_cpu_second": round(1e6 / orders["server_cpu_us"]),
        "goal_orders_per_s": 5000,
        "goal_p99_ms": 10,
    }
    for name, result in (("health", health), ("orders", orders)):
        print(
            f"{name:<7} {result['per_s']:>9.0f}/s  p50 {result['p50_ms']} ms  "
            f"p99 {result['p99_ms']} ms  server CPU {result['server_cpu_us']} us/request "
            f"({result['server_cpu_share']:.0%} of a core)"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
