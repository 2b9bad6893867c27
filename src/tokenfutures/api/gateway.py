"""Order gateway: coalesces concurrent REST submissions into one venue batch per writer trip.

Requests that arrive while the writer is busy wait in a queue on the event loop; the next trip
takes all of them as one ``TradingService.submit_batch`` (one journal transaction), which is what lets
the venue's group commit work for HTTP clients (ADR 0653). The trip runs on the event loop
(``"inline"``, the default: no thread hop, no GIL hand-over) or on one dedicated thread
(``"thread"``: the loop keeps serving reads and streams while a slow disk syncs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.views import OrderAck, OrderRequest

#: Most orders taken in one writer trip (bounds one trip's latency and memory).
MAX_BATCH = 512

WriterMode = Literal["inline", "thread"]

Submitter = Callable[[Sequence[tuple[str, OrderRequest]]], list[OrderAck]]
_Pending = tuple[str, OrderRequest, "asyncio.Future[OrderAck]"]


class OrderGateway:
    """Per-app queue in front of the venue's batch entry; at most one batch in flight.

    Parameters
    ----------
    submit
        Where a batch goes: ``TradingService.submit_batch`` (acks in order, one per order).
    max_batch
        Most orders per writer trip, >= 1.
    writer
        ``"inline"``: the trip runs on the event loop; ``"thread"``: on one writer thread.
    """

    def __init__(
        self, submit: Submitter, *, max_batch: int = MAX_BATCH, writer: WriterMode = "inline"
    ) -> None:
        if max_batch < 1:
            raise InvalidParameterError("max_batch", max_batch, ">= 1")
        if writer not in ("inline", "thread"):
            raise InvalidParameterError("writer", writer, "'inline' or 'thread'")
        self._inline = writer == "inline"
        self._submit = submit
        self._max_batch = max_batch
        self.trips = 0
        """Writer round trips so far (orders / trips is the mean batch size)."""
        self._pending: list[_Pending] = []
        self._draining = False
        self._writer: ThreadPoolExecutor | None = None
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, account: str, request: OrderRequest) -> OrderAck:
        """Queue one order and wait for its ack (the venue's, rejections included)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[OrderAck] = loop.create_future()
        self._pending.append((account, request, future))
        if not self._draining:
            self._draining = True
            self._drainer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Send the queue to the venue, a batch at a time, until it is empty."""
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                orders = [(account, request) for account, request, _ in batch]
                self.trips += 1
                try:
                    if self._inline:
                        acks = self._submit(orders)
                    else:
                        acks = await loop.run_in_executor(self._thread(), self._submit, orders)
                except Exception as error:  # every waiter learns of the writer's failure
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for (_, _, future), ack in zip(batch, acks, strict=True):
                    if not future.done():
                        future.set_result(ack)
        finally:
            self._draining = False

    def _thread(self) -> ThreadPoolExecutor:
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="order-gateway")
        return self._writer

    def close(self) -> None:
        """Stop the writer thread (after the batch in flight, if any)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
