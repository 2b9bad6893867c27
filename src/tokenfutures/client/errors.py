"""Errors the client raises: one per problem-details status the API documents."""

from __future__ import annotations

from typing import Any


class ClientError(Exception):
    """Base class of the client's errors."""


class ApiError(ClientError):
    """A non-2xx answer; ``problem`` is the RFC 9457 body (``status``, ``title``, ``detail``)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        title = problem.get("title", "error")
        detail = problem.get("detail")
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else ""))


class AuthenticationError(ApiError):
    """401: missing, unknown or revoked API key."""


class NotFoundError(ApiError):
    """404: no such resource visible to this account."""


class ValidationError(ApiError):
    """422: the request did not match the schema or a parameter was out of its domain."""


class RateLimitError(ApiError):
    """429: the key's rate limit is spent; ``retry_after`` seconds from the header."""

    def __init__(self, status: int, problem: dict[str, Any], retry_after: float) -> None:
        super().__init__(status, problem)
        self.retry_after = retry_after


class SequenceGapError(ClientError):
    """A WebSocket stream skipped sequence numbers: the local book must be rebuilt."""

    def __init__(self, expected: int, received: int) -> None:
        super().__init__(f"sequence gap: expected {expected}, received {received}")
        self.expected = expected
        self.received = received


def error_for(status: int, problem: dict[str, Any], retry_after: str | None) -> ApiError:
    """The most specific ``ApiError`` for ``status``."""
    if status == 401:
        return AuthenticationError(status, problem)
    if status == 404:
        return NotFoundError(status, problem)
    if status == 422:
        return ValidationError(status, problem)
    if status == 429:
        return RateLimitError(status, problem, float(retry_after or 1))
    return ApiError(status, problem)
