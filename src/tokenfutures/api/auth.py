"""API-key authentication and per-key rate limiting, as FastAPI dependencies.

A key arrives as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; the venue checks it
against the hashed keys in the store. A missing or unknown key is a 401; a valid key whose
token bucket is empty is a 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from tokenfutures.api.context import ApiContext, get_context
from tokenfutures.api.problems import RateLimitedError, UnauthorizedError
from tokenfutures.api.ratelimit import retry_after_seconds

API_KEY_SCHEME = "ApiKey"
"""Name of the API-key security scheme in the OpenAPI document."""


class ApiKeyAuth(APIKeyHeader):
    """One security dependency for both header styles: ``Authorization: Bearer`` or ``X-API-Key``.

    A single node in FastAPI's dependency graph keeps the per-request cost low (ADR 0653);
    OpenAPI documents it as the ``X-API-Key`` header scheme, and the bearer form in words.
    """

    def __init__(self) -> None:
        super().__init__(
            name="X-API-Key",
            scheme_name=API_KEY_SCHEME,
            auto_error=False,
            description="API key in `X-API-Key`, or as `Authorization: Bearer <key>`",
        )

    async def __call__(self, request: Request) -> str:  # type: ignore[override]
        """The authenticated, rate-limited account id of the caller (401 / 429 otherwise)."""
        return authenticate_request(request)


def authenticate_request(request: Request) -> str:
    """The authenticated, rate-limited account id of ``request``'s caller (401 / 429 otherwise)."""
    return authenticate_key(get_context(request), presented_key(request))


def presented_key(request: Request) -> str:
    """The API key the request carries (bearer first), or a 401 when there is none."""
    headers = request.headers
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    key = headers.get("x-api-key")
    if key:
        return key
    raise UnauthorizedError("an API key is required (Authorization: Bearer <key> or X-API-Key)")


def bucket_id(api_key: str) -> str:
    """Rate-limit bucket of a key: a digest, so plaintext keys are never kept in memory."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


def authenticate_key(ctx: ApiContext, api_key: str) -> str:
    """The account of ``api_key`` after charging its rate limit; 401 or 429 otherwise."""
    digest = bucket_id(api_key)
    account = ctx.keys.get(digest)
    if account is None:
        account = ctx.venue.accounts.authenticate(api_key)
        if account is None:
            raise UnauthorizedError("unknown or revoked API key")
        ctx.keys.put(digest, account)
    wait_s = ctx.limiter.acquire(digest)
    if wait_s > 0:
        raise RateLimitedError(retry_after_seconds(wait_s))
    return account


Account = Annotated[str, Security(ApiKeyAuth())]
"""Route parameter type of the caller's account id."""
