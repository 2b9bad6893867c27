"""What the REST API reads and how it writes: pydantic request bodies, wire-shaped answers.

Request bodies stay pydantic at the edge (rich validation, 422 problems); every answer is a
public shape of ``tokenfutures.wire`` written by the one codec (:class:`WireResponse`) and
documented in OpenAPI from the same definition, named ``<Shape>Public`` (ADR 0003).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Response
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from tokenfutures import wire
from tokenfutures.api.pagination import PAGE_RESPONSES, PageRequest
from tokenfutures.venue.views import OrderRequest

ClientOrderId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
#: A positive price as a decimal string: up to 9 integer and 9 decimal digits (ADR 0659). The
#: pattern is the whole rule, so the OpenAPI document and the server accept the same texts.
PRICE_PATTERN = (
    r"^([1-9][0-9]{0,8}(\.[0-9]{1,9})?|0\.("
    + "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{8 - zeros}}}" for zeros in range(9))
    + "))$"
)
_PRICE = re.compile(PRICE_PATTERN)


def _price_text(value: object) -> object:
    """Only a decimal string of the documented shape becomes a price."""
    if not isinstance(value, str) or _PRICE.fullmatch(value) is None:
        raise ValueError('a price is a positive decimal string, e.g. "3.50"')
    return value


PriceIn = Annotated[
    Decimal,
    BeforeValidator(_price_text),
    WithJsonSchema({"type": "string", "pattern": PRICE_PATTERN, "examples": ["3.50"]}),
]


def _lot_count(value: object) -> object:
    """A JSON integer (``5`` or, as JSON Schema has it, ``5.0``); never ``true`` or ``"5"``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a lot count is a JSON integer")
    return value


def _instant_text(value: object) -> object:
    """An instant is an RFC 3339 string (``0`` would otherwise be read as the Unix epoch)."""
    if not isinstance(value, str):
        raise ValueError("an instant is an RFC 3339 date-time string")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_instant_text)]


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` is a day (pydantic alone would read ``0`` as 1970-01-01)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value) is None:
        raise ValueError("a day is YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A day in a query: ``YYYY-MM-DD`` only (ADR 0659)."""


def _iso_instant(value: object) -> object:
    """Only an ISO 8601 time is an instant (pydantic alone would read ``0.5`` as a Unix time)."""
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("an instant is ISO 8601, e.g. 2026-12-06T16:00:00Z") from None
    return value


IsoInstant = Annotated[datetime, BeforeValidator(_iso_instant)]
"""An instant in a query: ISO 8601 only (naive means UTC where the route says so)."""

#: Sizes and flags are strict (ADR 0659): ``true`` is no quantity, ``"5"`` or ``1.5`` no lot
#: count, ``"yes"`` no flag; prices are decimal strings.
Lots = Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(_lot_count)]
Flag = Annotated[bool, Field(strict=True)]
#: Self-trade prevention of an order or an account default (ADR 0410, 0432).
StpMode = Literal["none", "cancel_resting", "cancel_aggressing", "cancel_both"]


class OrderCreate(BaseModel):
    """A new order. ``price`` for limit and stop-limit orders; ``client_order_id`` makes retries safe.

    Strict types (ADR 0659): ``true`` is no quantity, ``"5"`` no integer, ``"yes"`` no flag.
    """

    model_config = ConfigDict(extra="forbid")

    contract: str = Field(min_length=1, max_length=64, examples=["SIT-2026M07"])
    side: Literal["buy", "sell"]
    quantity: Lots
    client_order_id: ClientOrderId
    price: PriceIn | None = None
    order_type: Literal["limit", "market", "stop_limit"] = "limit"
    tif: Literal["day", "gtc", "ioc", "fok", "gtd"] = "gtc"
    post_only: Flag = False
    display_quantity: Lots | None = None
    stop_price: PriceIn | None = None
    expire_at: Instant | None = None
    self_trade_prevention: StpMode | None = Field(
        None,
        description="against the same account's resting orders (ADR 0410); "
        "omitted: the account's default (ADR 0432)",
    )

    def to_request(self) -> OrderRequest:
        """The venue's order request for this body."""
        return OrderRequest(
            contract=self.contract,
            side=self.side,
            quantity=self.quantity,
            client_order_id=self.client_order_id,
            price=self.price,
            order_type=self.order_type,
            tif=self.tif,
            post_only=self.post_only,
            display_quantity=self.display_quantity,
            stop_price=self.stop_price,
            expire_at=self.expire_at,
            self_trade_prevention=self.self_trade_prevention,
        )


class OrderReplace(BaseModel):
    """Cancel/replace of an open order: its new open ``quantity``, and a new ``price`` if given.

    Priority is kept only for a pure size decrease; a larger size is margin-checked.
    """

    model_config = ConfigDict(extra="forbid")

    quantity: Lots
    price: PriceIn | None = None


class Health(BaseModel):
    """Liveness answer (also the benchmark's baseline route)."""

    status: Literal["ok"] = "ok"


#: Suffix of the public shapes' names among the OpenAPI components (stable since API 1.0).
PUBLIC_SUFFIX = "Public"


class WireResponse(Response):
    """A JSON answer written by the wire codec (shapes, lists of shapes, builtins)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """``content`` as JSON bytes (``Decimal`` as strings, RFC 3339 times)."""
        return wire.encode(content)


def answers(
    shape: type[wire.Shape],
    *,
    many: bool = False,
    paged: bool = False,
    status: int = 200,
    description: str = "OK",
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry for a route answering ``shape`` (or a list of them).

    ``paged``: a list a page at a time, with the next-page headers (ADR 0657).
    """
    ref = wire.schema_ref(shape, suffix=PUBLIC_SUFFIX)
    schema: dict[str, Any] = {"type": "array", "items": ref} if many or paged else ref
    answer: dict[str, Any] = {"description": description}
    if paged:
        answer = dict(PAGE_RESPONSES[200])
    answer["content"] = {"application/json": {"schema": schema}}
    return {status: answer}


def page_answer(rows: Any, page: PageRequest) -> WireResponse:
    """One page of ``rows`` with the next-page headers ``page`` announced."""
    return WireResponse(rows, headers=dict(page.response.headers))


def public_components() -> dict[str, dict[str, Any]]:
    """JSON Schema of every public shape, keyed by its OpenAPI component name."""
    return wire.schema_components(wire.PUBLIC_SHAPES, suffix=PUBLIC_SUFFIX)
