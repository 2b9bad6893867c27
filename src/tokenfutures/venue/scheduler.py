"""The trading day on the venue's clock: a runtime thread that runs the schedule's due steps.

Every ``interval_s`` of wall time it asks the settlement service for the steps due up to the
clock's now (``venue.schedule``): the session open (listings rolled, markets opened), the
TPI fix at its stated time, and end of day (settlement prices, variation margin, calls with
their deadline, defaults of unmet calls, expiries and final settlement). Each step is a
journalled command, so a replay repeats it. With an accelerated clock
(``core.clock.AcceleratedClock``) a person watches several days and an expiry in minutes.
A failing step stops the scheduler and is kept in ``error`` (the venue stays up for reads).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from tokenfutures.core.clock import Clock
from tokenfutures.venue.schedule import FixProvider


class Schedulable(Protocol):
    """What runs the due steps (the venue's settlement service)."""

    def run_schedule(
        self,
        until: datetime,
        *,
        products: Sequence[str] = ...,
        fixer: FixProvider | None = ...,
    ) -> list[str]:
        """Run the steps due up to ``until``; their names."""
        ...

    def resume_schedule(self, after: datetime | None) -> None:
        """Run only the steps after ``after`` from now on."""
        ...


class DayScheduler:
    """A daemon thread running the venue's schedule on ``clock`` every ``interval_s`` seconds.

    ``since``: run only the steps after this instant (a venue started mid-day); None runs
    from the latest session open.
    """

    def __init__(
        self,
        settlement: Schedulable,
        clock: Clock,
        *,
        fixer: FixProvider | None = None,
        products: Sequence[str] = ("SIT",),
        interval_s: float = 0.2,
        since: datetime | None = None,
    ) -> None:
        if not interval_s > 0:
            raise ValueError("a scheduler's interval is > 0 seconds")
        self._settlement = settlement
        self._clock = clock
        self._fixer = fixer
        self._products = tuple(products)
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.done: list[str] = []
        self.error: BaseException | None = None
        if since is not None:
            settlement.resume_schedule(since)

    def step(self) -> list[str]:
        """Run the steps due now (also what the thread does each interval)."""
        ran = self._settlement.run_schedule(
            self._clock.now(), products=self._products, fixer=self._fixer
        )
        self.done.extend(ran)
        return ran

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is not None:
            raise RuntimeError("the scheduler has started already")
        self._thread = threading.Thread(target=self._run, name="trading-day", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.step()
            except BaseException as error:
                self.error = error
                return

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the thread after its current step."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
