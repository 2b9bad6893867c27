"""Per-key token-bucket rate limiter with an injected monotonic clock (testable without sleeps)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tokenfutures.core.errors import InvalidParameterError

MonotonicClock = Callable[[], float]


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """Each key holds up to ``burst`` tokens refilled at ``rate_per_second``; a request takes one.

    Parameters
    ----------
    rate_per_second
        Refill rate of every bucket (tokens per second), > 0.
    burst
        Capacity of a bucket, and its level when first seen, >= 1.
    clock
        Monotonic seconds (``time.monotonic`` by default; tests pass a manual one).
    """

    def __init__(
        self, rate_per_second: float, burst: int, clock: MonotonicClock = time.monotonic
    ) -> None:
        if not rate_per_second > 0:
            raise InvalidParameterError("rate_per_second", rate_per_second, "> 0")
        if burst < 1:
            raise InvalidParameterError("burst", burst, ">= 1")
        self._rate = rate_per_second
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` has a token (0.0: it has one now); takes nothing."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                return 0.0
            tokens = min(self._burst, bucket.tokens + max(0.0, now - bucket.updated) * self._rate)
            return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self._rate

    def acquire(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when allowed, else the seconds until one is available."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self._burst, now)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(self._burst, bucket.tokens + elapsed * self._rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self._rate


def retry_after_seconds(wait_s: float) -> int:
    """Whole seconds for a ``Retry-After`` header (at least 1, never early)."""
    return max(1, math.ceil(wait_s))
