"""API-key authentication and per-key rate limiting, as FastAPI dependencies.

A key arrives as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; the venue checks it
against the hashed keys in the store. A missing or unknown key is a 401; a valid key whose
token bucket is empty is a 429 with ``Retry-After``. Failed checks (a missing, malformed or
unknown key) are charged to the client address's own, smaller bucket; once it is empty the
client gets 429 before the store is asked again (ADR 0655).
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
    ctx = get_context(request)
    client = request.client.host if request.client is not None else "unknown"
    try:
        key = presented_key(request)
    except UnauthorizedError:
        _charge_failure(ctx, client)
        raise
    return authenticate_key(ctx, key, client)


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


def authenticate_key(ctx: ApiContext, api_key: str, client: str = "unknown") -> str:
    """The account of ``api_key`` after charging its rate limit; 401 or 429 otherwise.

    ``client`` (the peer address) owns the bucket that failed checks are charged to.
    """
    digest = bucket_id(api_key)
    account = ctx.keys.get(digest)
    if account is None:
        failing = ctx.auth_failures.wait(client)
        if failing > 0:
            raise RateLimitedError(retry_after_seconds(failing))
        account = ctx.venue.accounts.authenticate(api_key)
        if account is None:
            _charge_failure(ctx, client)
            raise UnauthorizedError("unknown or revoked API key")
        ctx.keys.put(digest, account)
    wait_s = ctx.limiter.acquire(digest)
    if wait_s > 0:
        raise RateLimitedError(retry_after_seconds(wait_s))
    return account


def _charge_failure(ctx: ApiContext, client: str) -> None:
    """Take a token from ``client``'s failed-check bucket; 429 when there was none."""
    wait_s = ctx.auth_failures.acquire(client)
    if wait_s > 0:
        raise RateLimitedError(retry_after_seconds(wait_s))


Account = Annotated[str, Security(ApiKeyAuth())]
"""Route parameter type of the caller's account id."""
