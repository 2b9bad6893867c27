"""Injected clocks: pure cores take time as a parameter; the shell passes a clock."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current time (always timezone-aware UTC)."""

    def now(self) -> datetime:
        """Return the current instant."""
        ...


class SystemClock:
    """The wall clock, for the running venue only."""

    def now(self) -> datetime:
        """Return the current UTC instant."""
        return datetime.now(UTC)


@dataclass
class ManualClock:
    """A clock that only moves when told to: for tests and replay."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def now(self) -> datetime:
        """Return the set instant."""
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (never backwards) and return the new instant."""
        if delta < timedelta(0):
            raise ValueError("a clock never moves backwards")
        self.current += delta
        return self.current


class AcceleratedClock:
    """Wall time run ``speed`` times faster from ``start``: to watch days of trading in minutes.

    ``now()`` is ``start + speed × (monotonic seconds since it was set running)``; it never goes
    backwards. ``speed == 1`` follows the wall clock's pace from ``start``. Built with
    ``running=False`` it stays at ``start`` until ``run()`` (a venue's set-up takes no days).
    """

    def __init__(self, start: datetime, speed: float, *, running: bool = True) -> None:
        if start.tzinfo is None:
            raise ValueError("an accelerated clock starts at a timezone-aware instant")
        if not speed > 0:
            raise ValueError("an accelerated clock's speed is > 0")
        self.start = start.astimezone(UTC)
        self.speed = speed
        self._origin: float | None = time.monotonic() if running else None

    def run(self) -> None:
        """Set a held clock running from ``start`` (no effect on a running one)."""
        if self._origin is None:
            self._origin = time.monotonic()

    def now(self) -> datetime:
        """Return ``start`` plus the scaled time elapsed since the clock started running."""
        if self._origin is None:
            return self.start
        return self.start + timedelta(seconds=(time.monotonic() - self._origin) * self.speed)
