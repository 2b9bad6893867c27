"""Request limits (ADR 0654): an ASGI middleware that answers before any parsing.

A declared ``Content-Length`` over the limit is refused (413) without reading a byte; a
chunked or lying body is counted as it arrives and refused the moment it passes the limit,
so a client can never make the server hold more than ``max_bytes`` of one body. A query
parameter given twice is refused (422): every parameter of the API is a single value, and
silently taking the last one would accept what the OpenAPI document forbids.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tokenfutures import wire
from tokenfutures.api.errors import PROBLEM_MEDIA_TYPE

#: Default limit: an order body is ~300 bytes; 64 KiB leaves room and bounds memory.
DEFAULT_MAX_BODY_BYTES = 64 * 1024


class BodyTooLargeError(HTTPException):
    """The request body is larger than the API accepts (an HTTP error, so FastAPI's own body
    parsing lets it through to the problem handler instead of turning it into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


class BodySizeLimit:
    """Refuse HTTP request bodies over ``max_bytes`` with a 413 problem document."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, with its body metered."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(scope, send, 413, f"request body over {self.max_bytes} bytes")
            return
        query = scope.get("query_string", b"")
        if query:
            names = [name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)]
            if len(names) != len(set(names)):
                await _refuse(scope, send, 422, "a query parameter is given more than once")
                return
            if "" in names:
                await _refuse(scope, send, 422, "a query parameter without a name")
                return
        received = 0
        limit = self.max_bytes

        async def metered() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        await self.app(scope, metered, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
    problem = wire.Problem(
        type="about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=scope.get("path", ""),
    )
    payload = wire.encode(problem)
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
