"""What the REST API reads and how it writes: pydantic request bodies, wire-shaped answers.

Request bodies stay pydantic at the edge (rich validation, 422 problems); every answer is a
public shape of ``tokenfutures.wire`` written by the one codec (:class:`WireResponse`) and
documented in OpenAPI from the same definition, named ``<Shape>Public`` (ADR 0003).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tokenfutures import wire
from tokenfutures.venue.views import OrderRequest

ClientOrderId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
PriceIn = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=9, allow_inf_nan=False)]
Lots = Annotated[int, Field(ge=1, le=1_000_000)]


class OrderCreate(BaseModel):
    """A new order. ``price`` for limit and stop-limit orders; ``client_order_id`` makes retries safe."""

    model_config = ConfigDict(extra="forbid")

    contract: str = Field(min_length=1, max_length=64, examples=["SIT-2026M07"])
    side: Literal["buy", "sell"]
    quantity: Lots
    client_order_id: ClientOrderId
    price: PriceIn | None = None
    order_type: Literal["limit", "market", "stop_limit"] = "limit"
    tif: Literal["day", "gtc", "ioc", "fok", "gtd"] = "gtc"
    post_only: bool = False
    display_quantity: Lots | None = None
    stop_price: PriceIn | None = None
    expire_at: AwareDatetime | None = None

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
    shape: type[wire.Shape], *, many: bool = False, status: int = 200, description: str = "OK"
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry for a route answering ``shape`` (or a list of them)."""
    ref = wire.schema_ref(shape, suffix=PUBLIC_SUFFIX)
    schema: dict[str, Any] = {"type": "array", "items": ref} if many else ref
    return {
        status: {"description": description, "content": {"application/json": {"schema": schema}}}
    }


def public_components() -> dict[str, dict[str, Any]]:
    """JSON Schema of every public shape, keyed by its OpenAPI component name."""
    return wire.schema_components(wire.PUBLIC_SHAPES, suffix=PUBLIC_SUFFIX)
