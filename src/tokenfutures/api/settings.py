"""Settings of the HTTP API: rate limits, WebSocket queue bounds, docs (pydantic, frozen)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ApiSettings(BaseModel):
    """Knobs of one API instance; defaults suit a single venue on loopback."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rate_per_second: float = Field(default=200.0, gt=0, description="token refill per key")
    burst: int = Field(default=400, ge=1, description="token bucket capacity per key")
    key_cache_s: float = Field(
        default=2.0,
        ge=0,
        description="seconds a verified key is trusted without asking the store (0: never)",
    )
    ws_queue_size: int = Field(
        default=10_000, ge=1, description="messages buffered per WebSocket before it is closed"
    )
    max_body_bytes: int = Field(
        default=64 * 1024, ge=1024, description="largest request body accepted (413 above)"
    )
    auth_failure_rate_per_second: float = Field(
        default=5.0,
        gt=0,
        description="refill of each client address's bucket for failed API-key checks",
    )
    auth_failure_burst: int = Field(
        default=20, ge=1, description="failed API-key checks a client may make in a burst"
    )
    max_book_depth: int = Field(default=50, ge=1)
    max_list_limit: int = Field(default=1_000, ge=1)
    title: str = "tokenfutures"
    order_writer: Literal["inline", "thread"] = Field(
        default="inline",
        description=(
            "where the order gateway's batches are written: on the event loop (fastest) or on "
            "one thread (the loop keeps serving while a slow disk syncs), ADR 0653"
        ),
    )
    telemetry: bool = Field(
        default=False,
        description=(
            "FastAPI's OpenTelemetry spans, metrics and logs (off: not even the per-request "
            "check for a configured provider, ADR 0653)"
        ),
    )
