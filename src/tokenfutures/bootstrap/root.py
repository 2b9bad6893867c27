"""Build the running house from :class:`Settings`: the store, the venue on it, its HTTP API.

The only place that turns configuration into objects (ADR 0005): ``serve``, the CLI commands
that open a database and the tests call these instead of wiring ``open_store``,
``Venue.open`` and ``create_app`` by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tokenfutures.bootstrap.settings import Settings
from tokenfutures.core.clock import Clock, SystemClock

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

    from tokenfutures.index.publication import PublicationPolicy
    from tokenfutures.venue.service import Venue


def open_venue(settings: Settings, clock: Clock | None = None) -> Venue:
    """Open (recover) the venue on ``settings.store.url``, stamping time with ``clock``.

    ``clock`` defaults to the system clock; tests and replays pass a ``ManualClock``.
    ``settings.venue.margin_method``, when set, becomes the live margin method (journalled).
    """
    from tokenfutures.storage import open_store
    from tokenfutures.venue.service import Venue

    store = open_store(settings.store.url)
    try:
        venue = Venue.open(
            store,
            clock if clock is not None else SystemClock(),
            snapshot_every=settings.venue.snapshot_every,
            record_events=settings.venue.record_events,
        )
    except BaseException:
        store.close()
        raise
    if settings.venue.margin_method is not None:
        try:  # journalled only when it changes the method in force (ADR 0431)
            venue.settlement.set_margin_method(settings.venue.margin_method)
        except BaseException:
            venue.close()
            raise
    return venue


def build_api(
    venue: Venue,
    settings: Settings,
    *,
    extra_routers: Iterable[APIRouter] = (),
    index_policy: PublicationPolicy | None = None,
) -> FastAPI:
    """The HTTP API over ``venue`` with ``settings.api`` (rate limits, bounds, writer) and the
    published index's ``index_policy`` (the administrator's correction window, ADR 0245)."""
    from tokenfutures.api.app import create_app

    return create_app(
        venue, settings=settings.api, extra_routers=extra_routers, index_policy=index_policy
    )
