"""API-key authentication and per-key rate limiting, as FastAPI dependencies.

A key arrives as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; the venue checks it
against the hashed keys in the store. A missing or unknown key is a 401; a valid key whose
token bucket is empty is a 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from tokenfutures.api.context import ApiContext, get_context
from tokenfutures.api.problems import RateLimitedError, UnauthorizedError
from tokenfutures.api.ratelimit import retry_after_seconds

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


async def presented_key(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> str:
    """The API key the request carries (bearer first), or a 401 when there is none."""
    if bearer is not None and bearer.credentials:
        return bearer.credentials
    if header:
        return header
    raise UnauthorizedError("an API key is required (Authorization: Bearer <key> or X-API-Key)")


def bucket_id(api_key: str) -> str:
    """Rate-limit bucket of a key: a digest, so plaintext keys are never kept in memory."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


def authenticate_key(ctx: ApiContext, api_key: str) -> str:
    """The account of ``api_key`` after charging its rate limit; 401 or 429 otherwise."""
    digest = bucket_id(api_key)
    account = ctx.keys.get(digest)
    if account is None:
        account = ctx.venue.authenticate(api_key)
        if account is None:
            raise UnauthorizedError("unknown or revoked API key")
        ctx.keys.put(digest, account)
    wait_s = ctx.limiter.acquire(digest)
    if wait_s > 0:
        raise RateLimitedError(retry_after_seconds(wait_s))
    return account


async def current_account(request: Request, api_key: Annotated[str, Depends(presented_key)]) -> str:
    """FastAPI dependency: the authenticated, rate-limited account id of the caller."""
    return authenticate_key(get_context(request), api_key)


Account = Annotated[str, Depends(current_account)]
"""Route parameter type of the caller's account id."""
