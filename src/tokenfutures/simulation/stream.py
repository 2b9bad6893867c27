"""Long command streams through the compiled engine path: the runtime policy around it.

The exchange's ``ArrayEngine.apply_stream`` is single-threaded and leaves the garbage
collector alone (ADR 0369). Here, outside the pure domain, a stream is pipelined: one worker
thread applies chunk k (the compiled kernel releases the GIL) while the calling thread encodes
chunk k+1 (ADRs 0366, 0367), with CPython's cyclic collector paused for the call (ADR 0360).
Results are those of ``exchange.apply_many``: chunks are applied strictly in order.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from threading import Event
from typing import Any

from tokenfutures.exchange.array_engine import STREAM_CHUNK, ArrayEngine, Outcome
from tokenfutures.exchange.array_events import EventArrays


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep CPython's cyclic collector off while many acyclic objects are built (ADR 0360)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class WorkerThread:
    """A ``Submit`` for ``apply_stream`` that runs each chunk on ``pool`` (one worker thread).

    After each submit the caller blocks until the worker has started, handing it the GIL at
    once rather than after a switch interval (ADR 0367); the worker's kernel then releases it.
    """

    def __init__(self, pool: Executor) -> None:
        self._pool = pool

    def __call__(self, job: Callable[..., EventArrays], *args: Any) -> Outcome:
        started = Event()

        def run() -> EventArrays:
            started.set()
            return job(*args)

        future = self._pool.submit(run)
        started.wait()
        return future.result


def apply_stream(
    engine: ArrayEngine, commands: Sequence[Any], chunk: int = STREAM_CHUNK
) -> EventArrays:
    """``engine.apply_stream`` pipelined on a worker thread, the collector paused for the call."""
    with collector_paused(), ThreadPoolExecutor(1, thread_name_prefix="apply_stream") as pool:
        return engine.apply_stream(commands, chunk, WorkerThread(pool))
