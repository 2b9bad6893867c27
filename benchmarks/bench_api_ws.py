"""WebSocket fan-out: 500 market-data subscribers must see every frame, in order, no gaps.

A uvicorn server (``bench_api_rest.py --serve``: a venue journaling to SQLite) runs in a
subprocess. Subscriber processes open the connections to ``/v1/ws/market?contract=…`` and
check each connection's ``seq`` (1 for the snapshot, +1 per frame). A driver then enters
orders over REST. Figures: frames delivered per second, gaps (must be 0), and the order
rate with 500 subscribers over the order rate with none (the baseline, same server, same
run). Timings on a shared machine are noisy: read the ratio. The last line is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench_api_rest import served  # same folder: scripts run as ``python benchmarks/…``

IDLE_S = 3.0


async def _subscriber(url: str, ready: asyncio.Event, stats: dict[str, Any]) -> None:
    expected = 1
    async with websockets.connect(url, max_queue=None) as socket:
        async for raw in socket:
            frame = json.loads(raw)
            if frame["seq"] != expected:
                stats["gaps"] += 1
            expected = frame["seq"] + 1
            stats["frames"] += 1
            stats["last_venue_seq"] = max(stats["last_venue_seq"], frame["venue_seq"])
            stats["last_at"] = time.time()
            if frame["type"] == "snapshot":
                stats["snapshots"] += 1
                if stats["snapshots"] == stats["connections"]:
                    ready.set()


async def _subscribe_many(url: str, connections: int, ready_queue: Any) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "connections": connections,
        "frames": 0,
        "gaps": 0,
        "snapshots": 0,
        "last_venue_seq": 0,
        "last_at": time.time(),
    }
    ready = asyncio.Event()
    tasks = [asyncio.create_task(_subscriber(url, ready, stats)) for _ in range(connections)]
    await asyncio.wait_for(ready.wait(), 120)
    ready_queue.put(connections)
    while time.time() - stats["last_at"] < IDLE_S:
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    errors = await asyncio.gather(*tasks, return_exceptions=True)
    stats["closed_early"] = sum(
        1
        for e in errors
        if isinstance(e, BaseException) and not isinstance(e, asyncio.CancelledError)
    )
    return stats


def subscribe_process(args: tuple[str, int, Any]) -> dict[str, Any]:
    """One process holding ``connections`` subscribers until the stream goes idle."""
    url, connections, ready_queue = args
    return asyncio.run(_subscribe_many(url, connections, ready_queue))


def drive(base_url: str, info: dict[str, Any], orders: int, tag: str) -> float:
    """Enter ``orders`` orders from two accounts (some cross); returns orders per second."""
    price, tick = Decimal(info["price"]), Decimal(info["tick"])
    clients = [
        httpx.Client(base_url=base_url, headers={"X-API-Key": key}) for key in info["keys"][:2]
    ]
    start = time.perf_counter()
    for i in range(orders):
        side = "buy" if i % 2 == 0 else "sell"
        offset = (i % 7) - 3 + (-2 if side == "buy" else 2)
        body = {
            "contract": info["contract"],
            "side": side,
            "quantity": 1 + i % 3,
            "client_order_id": f"{tag}-{i}",
            "price": str(price + offset * tick),
        }
        response = clients[i % 2].post("/v1/orders", json=body)
        response.raise_for_status()
    elapsed = time.perf_counter() - start
    for client in clients:
        client.close()
    return orders / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=500)
    parser.add_argument("--processes", type=int, default=4, help="subscriber processes")
    parser.add_argument("--orders", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'ws.db'}?synchronous=normal"
        with served(db_url, 2) as (port, info):
            base_url = f"http://127.0.0.1:{port}"
            baseline_rate = drive(base_url, info, args.orders, "warm")
            url = f"ws://127.0.0.1:{info['port']}/v1/ws/market?contract={info['contract']}"
            share = [args.subscribers // args.processes] * args.processes
            share[0] += args.subscribers - sum(share)
            ctx = mp.get_context("spawn")
            with ctx.Manager() as manager, ctx.Pool(args.processes) as pool:
                ready = manager.Queue()
                pending = pool.map_async(subscribe_process, [(url, n, ready) for n in share])
                for _ in share:
                    ready.get(timeout=180)
                started = time.time()
                fanout_rate = drive(base_url, info, args.orders, "live")
                results = pending.get(timeout=600)
    frames = sum(r["frames"] for r in results)
    last_at = max(r["last_at"] for r in results)
    venue_seqs = {r["last_venue_seq"] for r in results}
    per_subscriber = (frames - args.subscribers) / args.subscribers
    report = {
        "benchmark": "api_ws_fanout",
        "subscribers": args.subscribers,
        "orders": args.orders,
        "cpus": os.cpu_count(),
        "frames_delivered": frames,
        "deltas_per_subscriber": round(per_subscriber, 2),
        "gaps": sum(r["gaps"] for r in results),
        "closed_early": sum(r["closed_early"] for r in results),
        "all_saw_same_last_venue_seq": len(venue_seqs) == 1,
        "frames_per_s": round(frames / max(last_at - started, 1e-9), 1),
        "delivery_s": round(last_at - started, 3),
        "orders_per_s_with_subscribers": round(fanout_rate, 1),
        "orders_per_s_baseline": round(baseline_rate, 1),
        "ratio_orders_with_to_without": round(fanout_rate / baseline_rate, 3),
    }
    print(
        f"{args.subscribers} subscribers: {frames} frames in {report['delivery_s']} s, "
        f"gaps {report['gaps']}, order rate ratio {report['ratio_orders_with_to_without']}"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
