"""Injected clocks: pure cores take time as a parameter; the shell passes a clock."""

from __future__ import annotations

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
