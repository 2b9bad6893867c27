"""Token bucket: burst, refill at the configured rate, independent keys, Retry-After rounding."""

from __future__ import annotations

import pytest

from tokenfutures.api.ratelimit import TokenBucketLimiter, retry_after_seconds


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_burst_then_refusal_then_refill() -> None:
    clock = FakeMonotonic()
    limiter = TokenBucketLimiter(rate_per_second=2.0, burst=3, clock=clock)
    assert [limiter.acquire("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("k") == pytest.approx(0.5)  # one token takes 1/2 s at 2/s
    clock.t += 0.25
    assert limiter.acquire("k") == pytest.approx(0.25)
    clock.t += 0.25
    assert limiter.acquire("k") == 0.0
    assert limiter.acquire("k") > 0.0


def test_keys_have_separate_buckets_and_refill_caps_at_burst() -> None:
    clock = FakeMonotonic()
    limiter = TokenBucketLimiter(rate_per_second=1.0, burst=2, clock=clock)
    limiter.acquire("a")
    limiter.acquire("a")
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0.0
    clock.t += 1000.0
    assert [limiter.acquire("a") for _ in range(2)] == [0.0, 0.0]
    assert limiter.acquire("a") > 0


def test_retry_after_is_whole_seconds_never_early() -> None:
    assert retry_after_seconds(0.01) == 1
    assert retry_after_seconds(1.0) == 1
    assert retry_after_seconds(1.2) == 2


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 1), (-1.0, 1), (1.0, 0)])
def test_bad_parameters_are_refused(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match=r"rate_per_second|burst"):
        TokenBucketLimiter(rate, burst)
