"""What every route needs, kept on ``app.state``: venue, settings, limiter, encoder, gateway."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from tokenfutures.api.fanout import MarketFanout
from tokenfutures.api.feed import FrameEncoder
from tokenfutures.api.gateway import OrderGateway
from tokenfutures.api.keycache import KeyCache
from tokenfutures.api.ratelimit import MonotonicClock, TokenBucketLimiter
from tokenfutures.api.settings import ApiSettings
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.venue.service import Venue


class TickSizes:
    """Tick size per listed contract, refreshed from the venue when a symbol is not known yet."""

    def __init__(self, venue: Venue) -> None:
        self._venue = venue
        self._ticks: dict[str, Decimal] = {}
        self._lock = threading.Lock()

    def tick_of(self, symbol: str) -> Decimal | None:
        """Tick size of ``symbol``, or None when no such contract is listed."""
        tick = self._ticks.get(symbol)
        if tick is None:
            with self._lock:
                self._ticks = {c.symbol: c.tick_size for c in self._venue.settlement.contracts()}
            tick = self._ticks.get(symbol)
        return tick


@dataclass(frozen=True)
class ApiContext:
    """The venue behind the API, its settings, the per-key limiter, encoder and order gateway."""

    venue: Venue
    settings: ApiSettings
    limiter: TokenBucketLimiter
    auth_failures: TokenBucketLimiter
    ticks: TickSizes
    encoder: FrameEncoder
    fanout: MarketFanout
    keys: KeyCache
    gateway: OrderGateway
    index_policy: PublicationPolicy

    @classmethod
    def build(
        cls,
        venue: Venue,
        settings: ApiSettings,
        rate_clock: MonotonicClock,
        index_policy: PublicationPolicy | None = None,
    ) -> ApiContext:
        """A context whose limiter and key cache run on ``rate_clock``; ``index_policy``: the
        correction window of the index the venue publishes (default ``PublicationPolicy()``)."""
        ticks = TickSizes(venue)
        return cls(
            venue=venue,
            settings=settings,
            limiter=TokenBucketLimiter(settings.rate_per_second, settings.burst, rate_clock),
            auth_failures=TokenBucketLimiter(
                settings.auth_failure_rate_per_second, settings.auth_failure_burst, rate_clock
            ),
            ticks=ticks,
            encoder=FrameEncoder(ticks.tick_of),
            fanout=MarketFanout(venue),
            keys=KeyCache(settings.key_cache_s, rate_clock),
            gateway=OrderGateway(venue.trading.submit_batch, writer=settings.order_writer),
            index_policy=index_policy or PublicationPolicy(),
        )


def get_context(connection: HTTPConnection) -> ApiContext:
    """The ``ApiContext`` of the app serving ``connection`` (HTTP request or WebSocket)."""
    ctx = connection.app.state.tokenfutures
    assert isinstance(ctx, ApiContext)
    return ctx


async def _context(request: Request) -> ApiContext:
    return get_context(request)


Context = Annotated[ApiContext, Depends(_context)]
"""Route parameter type of the API context."""
