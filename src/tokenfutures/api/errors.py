"""The one place that maps errors to HTTP: RFC 9457 problem details (``application/problem+json``).

Routes raise ``ProblemError`` subclasses (401, 404, 429), the library raises ``ValueError`` for
bad input (422), FastAPI raises validation and routing errors; every one of them leaves the
API as a problem document. Anything else is a bug: logged, answered with a bare 500 problem.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from tokenfutures import wire
from tokenfutures.api.problems import ProblemError
from tokenfutures.venue.sequencer import SequencerStoppedError
from tokenfutures.wire import Problem, Violation

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://tokenfutures.dev/problems/"
_LOG = logging.getLogger("tokenfutures.api")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": desc}
    for code, desc in (
        (401, "Missing or unknown API key"),
        (404, "Not found (or not the caller's)"),
        (413, "Request body too large"),
        (422, "Invalid request"),
        (429, "Rate limit exceeded"),
        (503, "The venue has halted and takes no commands (ADR 0643)"),
    )
}
"""Documented error responses shared by the authenticated routes (OpenAPI)."""


def problem_response(
    request: Request,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_suffix: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[Violation] | None = None,
) -> Response:
    """Build one problem document response for ``request`` (written by the wire codec)."""
    problem = Problem(
        type=PROBLEM_TYPE_BASE + type_suffix if type_suffix else "about:blank",
        title=title or _phrase(status),
        status=status,
        instance=request.url.path,
        detail=detail,
        errors=errors,
    )
    return Response(
        wire.encode(problem), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _on_api_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request,
        exc.status,
        title=exc.title,
        detail=exc.detail,
        type_suffix=exc.type_suffix,
        headers=exc.headers,
    )


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if exc.errors() and all((err.get("loc") or ("",))[0] == "path" for err in exc.errors()):
        # /v1/orders/null names no resource: 404, like any unknown path (ADR 0659)
        return problem_response(request, 404, detail="no such resource")
    errors = [
        Violation(list(err.get("loc", ())), str(err.get("msg", "")), err.get("type"))
        for err in exc.errors()
    ]
    return problem_response(
        request,
        422,
        title="Invalid request",
        detail="the request does not match the schema",
        type_suffix="validation",
        errors=errors,
    )


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(request, exc.status_code, detail=detail, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at the request's path (Starlette names the first only)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        route_methods = getattr(route, "methods", None)
        if match is not Match.NONE and route_methods:
            methods |= set(route_methods)
    return ", ".join(sorted(methods))


async def _on_value_error(request: Request, exc: Exception) -> Response:
    return problem_response(
        request, 422, title="Invalid parameter", detail=str(exc), type_suffix="invalid-parameter"
    )


async def _on_halted(request: Request, exc: Exception) -> Response:
    """A halted sequencer: 503, with what became of the caller's command in ``detail``."""
    return problem_response(
        request, 503, title="Venue halted", detail=str(exc), type_suffix="venue-halted"
    )


async def _on_bug(request: Request, exc: Exception) -> Response:
    _LOG.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, 500, detail="internal error")


def document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document say that every 4xx/5xx answer is a ``Problem`` (problem+json)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(wire.schema_components([Problem]))
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    if code[0] in "45":
                        response["content"] = content
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Register every exception handler of the API on ``app`` and document them in OpenAPI."""
    document_problems(app)
    app.add_exception_handler(ProblemError, _on_api_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(ValueError, _on_value_error)
    app.add_exception_handler(SequencerStoppedError, _on_halted)
    app.add_exception_handler(Exception, _on_bug)
