"""Snapshot encode and decode of a busy venue's state, as a ratio to pickle in the same process.

The state is the sequencer benchmark's seeded workload (issue 4's stream over eight accounts)
run through the venue on an in-memory store: open orders in the book, one ack per order,
order records and trades. ``dump_state`` (the wire's binary envelope, ADR 0008) and
``load_state`` are timed against ``pickle.dumps``/``loads`` of the same state (protocol 5),
best of R interleaved runs; ``venue.snapshot()`` — what the writer pauses for: event-log
flush, state hash, encode, store — is timed too. The state hash (version 2, ADR 0631) and the
writer's pause are also given as ratios to the same steps with the version-1 hash (ADR 0615,
still computed for old snapshots), measured in the same run. Timings on a shared machine are
noisy: read the ratios.

Usage: ``python benchmarks/bench_venue_snapshot.py [--messages N] [--repeats R]``.
The JSON object on the last line holds the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from bench_venue_sequencer import open_venue, venue_commands
from tokenfutures.venue import sequencer
from tokenfutures.venue.service import Venue
from tokenfutures.venue.snapshot import dump_state, load_state
from tokenfutures.venue.statehash import state_hash
from tokenfutures.venue.statehash_v1 import state_hash_v1


def busy_venue(messages: int, seed: int) -> Venue:
    """A venue on an in-memory store after ``messages`` workload commands in batches of 1,000."""
    venue = open_venue("memory://")
    commands = venue_commands(messages, seed)
    for first in range(0, len(commands), 1_000):
        venue.execute(commands[first : first + 1_000])
    return venue


def pause_with_v1(venue: Venue) -> None:
    """``venue.snapshot()`` with the writer hashing in version 1 (the baseline's pause)."""
    current = sequencer.state_hash
    sequencer.state_hash = state_hash_v1  # type: ignore[assignment]
    try:
        venue.snapshot()
    finally:
        sequencer.state_hash = current


def best_of(repeats: int, run: Callable[[], Any]) -> float:
    """The fastest of ``repeats`` timed calls of ``run`` (seconds), the collector quiet."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    venue = busy_venue(args.messages, args.seed)
    state = venue._state
    blob, pickled = dump_state(state), pickle.dumps(state, protocol=5)
    if state_hash(load_state(blob)) != state_hash(state):
        raise SystemExit("the snapshot does not round-trip to the same state hash")
    times: dict[str, float] = {}
    for _ in range(args.repeats):  # interleaved: the machine is shared
        runs: dict[str, Callable[[], Any]] = {
            "pickle_dump": lambda: pickle.dumps(state, protocol=5),
            "dump": lambda: dump_state(state),
            "pickle_load": lambda: pickle.loads(pickled),  # our own bytes
            "load": lambda: load_state(blob),
            "state_hash": lambda: state_hash(state),
            "state_hash_v1": lambda: state_hash_v1(state),
            "writer_pause": venue.snapshot,
            "writer_pause_v1": lambda: pause_with_v1(venue),
        }
        for name, run in runs.items():
            times[name] = min(times.get(name, float("inf")), best_of(1, run))
    figures: dict[str, Any] = {
        "messages": args.messages,
        "acks": len(state.acks),
        "repeats": args.repeats,
        "blob_bytes": len(blob),
        "pickle_bytes": len(pickled),
    }
    for name, seconds in times.items():
        figures[f"{name}_ms"] = round(seconds * 1e3, 2)
        print(f"{name:>14}: {seconds * 1e3:8.2f} ms")
    figures["ratio_dump_to_pickle"] = round(times["dump"] / times["pickle_dump"], 3)
    figures["ratio_load_to_pickle"] = round(times["load"] / times["pickle_load"], 3)
    figures["goal_ratio_dump_to_pickle"] = 1.0
    figures["ratio_hash_to_v1"] = round(times["state_hash"] / times["state_hash_v1"], 3)
    figures["ratio_pause_to_v1"] = round(times["writer_pause"] / times["writer_pause_v1"], 3)
    venue.close()
    print(json.dumps(figures))


def main_on_a_deep_stack() -> None:
    """``main`` on a thread with a 512 MiB stack: pickle follows the fast book's intrusive
    order lists one level per order, so a deep price level (200,000 messages) needs one."""
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(512 * 1024 * 1024)
    runner = threading.Thread(target=main)
    runner.start()
    runner.join()


if __name__ == "__main__":
    main_on_a_deep_stack()
