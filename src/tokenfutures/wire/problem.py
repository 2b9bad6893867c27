"""RFC 9457 problem details as a wire shape: what every refused HTTP request is answered with."""

from __future__ import annotations

import msgspec

from tokenfutures.wire.shapes import Shape


class Violation(msgspec.Struct, frozen=True, gc=False):
    """One thing a request got wrong (an item of a 422 problem's ``errors``)."""

    loc: list[str | int]
    msg: str
    type: str | None = None


class Problem(Shape, frozen=True, kw_only=True, omit_defaults=True):
    """A problem document (``application/problem+json``); ``errors`` for invalid requests.

    ``type`` is a URI naming the kind of problem (``about:blank`` when the status says it all);
    ``instance`` the request's path. Members left unset are not written.
    """

    type: str
    title: str
    status: int
    instance: str | None = None
    detail: str | None = None
    errors: list[Violation] | None = None
