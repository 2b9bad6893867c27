"""Errors the API raises on purpose; ``errors.py`` turns each into RFC 9457 problem details."""

from __future__ import annotations

from tokenfutures.core.errors import TokenFuturesError


class ProblemError(TokenFuturesError):
    """An HTTP-level refusal: status, a short title, a detail and optional headers."""

    status = 400
    title = "Bad request"
    type_suffix = "bad-request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class UnauthorizedError(ProblemError):
    """Missing, malformed or unknown API key."""

    status = 401
    title = "Unauthorized"
    type_suffix = "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="tokenfutures"'})


class NotFoundError(ProblemError):
    """No such resource visible to the caller (another account's order looks the same)."""

    status = 404
    title = "Not found"
    type_suffix = "not-found"


class RateLimitedError(ProblemError):
    """The caller's token bucket is empty; ``Retry-After`` says when to come back."""

    status = 429
    title = "Too many requests"
    type_suffix = "rate-limited"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            f"rate limit exceeded; retry after {retry_after_s} s",
            headers={"Retry-After": str(retry_after_s)},
        )
        self.retry_after_s = retry_after_s


class VenueHaltedError(ProblemError):
    """The venue's sequencer has halted: it takes no commands until an operator restarts it."""

    status = 503
    title = "Venue halted"
    type_suffix = "venue-halted"


class IdempotencyConflictError(ProblemError):
    """A client order id reused for a different order (ADR 0658): 409, the id's order stands."""

    status = 409
    title = "Client order id reused"
    type_suffix = "client-order-id-reused"


class ForbiddenError(ProblemError):
    """A valid key whose principal may not call the route (a trading key on an operator route)."""

    status = 403
    title = "Forbidden"
    type_suffix = "forbidden"
