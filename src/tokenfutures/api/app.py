"""The FastAPI application factory: REST under ``/v1``, WebSockets, error mapping, OpenAPI."""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.telemetry import TelemetryConfig
from pydantic import BaseModel

from tokenfutures.api.context import ApiContext
from tokenfutures.api.errors import install_error_handlers
from tokenfutures.api.limits import BodySizeLimit
from tokenfutures.api.ratelimit import MonotonicClock
from tokenfutures.api.routes_account import router as account_router
from tokenfutures.api.routes_auctions import router as auctions_router
from tokenfutures.api.routes_clearing import account_router as clearing_account_router
from tokenfutures.api.routes_clearing import router as clearing_router
from tokenfutures.api.routes_index_admin import router as index_admin_router
from tokenfutures.api.routes_market import router as market_router
from tokenfutures.api.routes_orders import BODY_SCHEMAS
from tokenfutures.api.routes_orders import router as orders_router
from tokenfutures.api.schemas import public_components
from tokenfutures.api.settings import ApiSettings
from tokenfutures.api.ws import router as ws_router
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.venue.service import Venue

DASHBOARD_MODULE = "tokenfutures.api.dashboard"
API_VERSION = "1.0.0"


def create_app(
    venue: Venue,
    *,
    settings: ApiSettings | None = None,
    extra_routers: Iterable[APIRouter] = (),
    rate_clock: MonotonicClock = time.monotonic,
    index_policy: PublicationPolicy | None = None,
) -> FastAPI:
    """Build the HTTP API over ``venue``.

    Parameters
    ----------
    venue
        The running venue every route reads from and submits to.
    settings
        Rate limits and bounds (``ApiSettings()`` when None).
    extra_routers
        Routers mounted after the API's own (the dashboard's is mounted automatically when
        ``tokenfutures.api.dashboard`` exposes ``router``).
    rate_clock
        Monotonic seconds for the per-key token buckets and the verified-key cache (tests
        inject a manual clock).
    index_policy
        The publication policy of the index the venue publishes: its correction window bounds
        the index administrator's corrections (``PublicationPolicy()`` when None, ADR 0245).
    """
    settings = settings or ApiSettings()
    app = FastAPI(
        title=settings.title,
        version=API_VERSION,
        summary="AI token futures venue: market data, orders, positions, margin",
        telemetry=TelemetryConfig(
            tracing=settings.telemetry, metrics=settings.telemetry, logs=settings.telemetry
        ),
    )
    app.state.tokenfutures = ApiContext.build(venue, settings, rate_clock, index_policy)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    routers = (orders_router, market_router, account_router, clearing_account_router)
    others = (clearing_router, auctions_router, index_admin_router, ws_router)
    for router in (*routers, *others):  # hot route first
        app.include_router(router)
    for router in (*extra_routers, *_dashboard_routers()):
        app.include_router(router)
    _declare_schemas(app, BODY_SCHEMAS)
    return app


def _declare_schemas(app: FastAPI, models: Iterable[type[BaseModel]]) -> None:
    """Add ``models`` (bodies that routes parse themselves, ADR 0653) and the wire's public
    shapes (every answer, ADR 0003) to the OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        schema = build()  # FastAPI builds once and caches it on the app
        if first:
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                template = "#/components/schemas/{model}"
                schemas.setdefault(model.__name__, model.model_json_schema(ref_template=template))
            for name, component in public_components().items():
                schemas.setdefault(name, component)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _dashboard_routers() -> list[APIRouter]:
    if importlib.util.find_spec(DASHBOARD_MODULE) is None:
        return []
    module = importlib.import_module(DASHBOARD_MODULE)
    router = getattr(module, "router", None)
    return [router] if isinstance(router, APIRouter) else []
