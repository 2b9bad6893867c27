"""A short-lived cache of verified API keys (by digest), so a request need not read the store."""

from __future__ import annotations

from tokenfutures.api.ratelimit import MonotonicClock

_MAX_ENTRIES = 100_000


class KeyCache:
    """Verified keys (by digest) trusted for ``ttl_s`` seconds, sparing a store read per request.

    A revoked key keeps working for at most ``ttl_s`` seconds (ADR 0651).
    """

    def __init__(self, ttl_s: float, clock: MonotonicClock) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._accounts: dict[str, tuple[str, float]] = {}

    def get(self, digest: str) -> str | None:
        """The cached account of ``digest`` if still fresh."""
        hit = self._accounts.get(digest)
        if hit is None or hit[1] < self._clock():
            return None
        return hit[0]

    def put(self, digest: str, account: str) -> None:
        """Remember that ``digest`` belongs to ``account`` for ``ttl_s`` seconds."""
        if self._ttl_s > 0:
            if len(self._accounts) > _MAX_ENTRIES:
                self._accounts.clear()
            self._accounts[digest] = (account, self._clock() + self._ttl_s)
