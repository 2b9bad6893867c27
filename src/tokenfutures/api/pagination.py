"""Cursor pagination of every list endpoint (ADR 0657): ``limit`` and ``after``, next in a header.

A page is at most ``limit`` items in the listing's own order; when more follow, the answer
carries ``X-Next-Cursor`` (pass it back as ``after``) and an RFC 8288 ``Link: <…>; rel="next"``.
Cursors are the listing's own keys (order id, entry number, symbol, day), so a page boundary
is stable while new items are appended. Bodies stay JSON arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

from tokenfutures.core.errors import InvalidParameterError

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000
NEXT_CURSOR_HEADER = "X-Next-Cursor"

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="most items in this page (default 100)")
]
_AFTER = f"continue after this cursor (the previous page's {NEXT_CURSOR_HEADER})"
After = Annotated[
    str | None,
    Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$", description=_AFTER),
]
"""A text cursor (a symbol, a day)."""
IdAfter = Annotated[
    str | None, Query(min_length=1, max_length=18, pattern=r"^[0-9]+$", description=_AFTER)
]
"""A numeric cursor (an order id, a trade id, a line number)."""

PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "One page, in the listing's order",
        "headers": {
            NEXT_CURSOR_HEADER: {
                "description": "cursor of the next page (absent on the last page)",
                "schema": {"type": "string"},
            },
            "Link": {
                "description": 'RFC 8288 link to the next page (rel="next")',
                "schema": {"type": "string"},
            },
        },
    }
}
"""OpenAPI of a paginated answer's headers (merged into each list route's responses)."""


def int_cursor(after: str | None) -> int | None:
    """``after`` as a non-negative integer key (order id, entry number, trade id)."""
    if after is None:
        return None
    if not after.isdigit():
        raise InvalidParameterError("after", after, "a cursor from X-Next-Cursor (digits)")
    return int(after)


@dataclass(frozen=True)
class PageRequest:
    """What a paginated route gets: its request and response, the page size and the cursor.

    ``after`` is already a key of the listing's type (an int for numeric cursors).
    """

    request: Request
    response: Response
    limit: int
    after: Any

    def take(
        self, items: Iterable[T], key: Callable[[T], Any], *, descending: bool = False
    ) -> list[T]:
        """This page of ``items`` (see ``paginate``), with the next-page headers set."""
        return paginate(self, items, key, descending=descending)

    def next_from(self, cursor: str) -> None:
        """Announce the next page's cursor (``X-Next-Cursor`` and ``Link``)."""
        set_next(self.request, self.response, cursor)


def _text_page(
    request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, after: After = None
) -> PageRequest:
    return PageRequest(request, response, limit, after)


def _id_page(
    request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, after: IdAfter = None
) -> PageRequest:
    return PageRequest(request, response, limit, int_cursor(after))


Page = Annotated[PageRequest, Depends(_text_page)]
"""Route parameter of a listing with text cursors (symbols, days)."""
IdPage = Annotated[PageRequest, Depends(_id_page)]
"""Route parameter of a listing with numeric cursors (ids, line numbers)."""


def paginate(
    page_request: PageRequest,
    items: Iterable[T],
    key: Callable[[T], Any],
    *,
    descending: bool = False,
) -> list[T]:
    """The ``limit`` items whose key follows ``after`` in the listing's order; sets the headers.

    ``items`` must already be in that order (ascending keys, or descending with
    ``descending``); the cursor is a key of the same type (None: from the start).
    """
    after, limit = page_request.after, page_request.limit
    page: list[T] = []
    more = False
    for item in items:
        k = key(item)
        if after is not None and (k >= after if descending else k <= after):
            continue
        if len(page) == limit:
            more = True
            break
        page.append(item)
    if more and page:
        page_request.next_from(str(key(page[-1])))
    return page


def set_next(request: Request, response: Response, cursor: str) -> None:
    """Announce the next page's cursor in ``X-Next-Cursor`` and a ``Link`` header."""
    response.headers[NEXT_CURSOR_HEADER] = cursor
    url = request.url.include_query_params(after=cursor)
    response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
